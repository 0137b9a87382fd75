"""The click command tree of `respan-evals`, and the one place errors become exit codes."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Sequence

import click
from rich.logging import RichHandler

from respan_evals import InsecureTransportError, RespanError
from respan_evals.testing.cli import EXIT_MISSING_EXTRA  # one code, whichever command says it

from ._context import API_KEY_ENV, BASE_URL_ENV, CliError, Settings
from ._import import insecure_message
from ._output import Output

__all__ = ["cli", "run"]

DEFAULT_RATE_LIMIT = 60.0  # the facade's default, and Respan's limit for these APIs
EXIT_INTERRUPTED = 130
_OUR_HANDLERS: list[logging.Handler] = []


class _RedactingFilter(logging.Filter):
    """Keeps secrets out of --verbose logs, whatever a handler formats."""

    def __init__(self, output: Output) -> None:
        super().__init__()
        self._output = output

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self._output.redact(record.getMessage())
        record.args = None
        return True


def _configure_logging(output: Output, verbose: bool) -> None:
    """--verbose: the `respan_evals` logger at debug level (retries and their waits) on stderr."""
    logger = logging.getLogger("respan_evals")
    while _OUR_HANDLERS:  # from an earlier run() in this process
        logger.removeHandler(_OUR_HANDLERS.pop())
    if not verbose:
        return
    for attached in list(logger.handlers):  # RESPAN_LOG's would print each line twice
        if attached.get_name() == "RESPAN_LOG":
            logger.removeHandler(attached)
    handler: logging.Handler
    if output.err.is_terminal:  # through rich, so a progress bar stays in one piece
        handler = RichHandler(console=output.err, show_path=False, markup=False)
        handler.setFormatter(logging.Formatter("%(message)s"))
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    handler.addFilter(_RedactingFilter(output))
    _OUR_HANDLERS.append(handler)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--api-key",
    envvar=API_KEY_ENV,
    show_envvar=True,
    metavar="KEY",
    help="Respan API key. Never printed.",
)
@click.option(
    "--base-url",
    envvar=BASE_URL_ENV,
    show_envvar=True,
    metavar="URL",
    help="API base URL (default https://api.respan.ai).",
)
@click.option(
    "--rate-limit",
    type=click.FloatRange(min=0),
    default=DEFAULT_RATE_LIMIT,
    show_default=True,
    metavar="PER_MINUTE",
    help="Client-side pacing in requests per minute; 0 turns pacing off.",
)
@click.option(
    "--max-retries",
    type=click.IntRange(min=0),
    default=2,
    show_default=True,
    help="Retries of a failed request that is safe to repeat (429, 5xx, dropped connections).",
)
@click.option(
    "--verbose", "-v", is_flag=True, help="Debug logging to stderr; tracebacks on errors."
)
@click.version_option(package_name="respan-evals", prog_name="respan-evals")
@click.pass_context
def cli(
    ctx: click.Context,
    api_key: str | None,
    base_url: str | None,
    rate_limit: float,
    max_retries: int,
    verbose: bool,
) -> None:
    """Scores and evaluators on Respan, from the command line.

    Start with `respan-evals demo`: it runs everything against a local emulator, with no key
    and no network.

    Exit codes: 0 done; 1 failed (rows that did not land, an API or network error); 2 bad
    usage or input; 3 a missing extra (`demo` and `emulator`: pip install
    'respan-evals[emulator]'); 4 a `report` gate failed (--fail-under, --max-regression);
    130 interrupted.
    """
    settings = ctx.ensure_object(Settings)
    settings.api_key = api_key or None
    settings.base_url = base_url or None
    settings.rate_limit = rate_limit or None
    settings.max_retries = max_retries
    settings.verbose = verbose
    settings.output.add_secret(api_key)
    _configure_logging(settings.output, verbose)


def _register() -> None:
    from ._demo import demo_command
    from ._evaluators import evaluators_group
    from ._outbox import outbox_group
    from ._report import report_command
    from ._scores import scores_group

    cli.add_command(scores_group)
    cli.add_command(evaluators_group)
    cli.add_command(outbox_group)
    cli.add_command(report_command)
    cli.add_command(demo_command)
    cli.add_command(emulator_command)


@click.command(
    "emulator",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
    short_help="Run the local emulator of the API (options go to it).",
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def emulator_command(args: tuple[str, ...]) -> int:
    """Run the local emulator (all options go to it; see `respan-evals emulator --help`)."""
    try:
        from respan_evals.testing import cli as emulator_cli
    except ImportError as e:
        raise CliError(
            f"the emulator needs its extra ({e.name or e}): pip install 'respan-evals[emulator]'",
            exit_code=EXIT_MISSING_EXTRA,
        ) from None
    try:
        code: object = emulator_cli.main(list(args))
    except SystemExit as e:  # argparse's --help and usage errors
        code = e.code
    return code if isinstance(code, int) else (0 if code is None else 1)


def run(argv: Sequence[str] | None = None) -> int:
    """Parse `argv`, run the command, and turn every failure into one line and an exit code."""
    settings = Settings()
    output = settings.output
    args = list(sys.argv[1:] if argv is None else argv)
    settings.argv = list(args)
    try:
        result = cli.main(args=args, prog_name="respan-evals", standalone_mode=False, obj=settings)
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.Abort:
        output.error("aborted")
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        output.error("interrupted")
        return EXIT_INTERRUPTED
    except click.UsageError as e:
        where = e.ctx.command_path if e.ctx is not None else "respan-evals"
        output.error(f"{e.format_message()} (see `{where} --help`)")
        return e.exit_code
    except click.ClickException as e:
        output.error(e.format_message())
        return e.exit_code
    except CliError as e:
        _maybe_traceback(settings)
        output.error(str(e))
        return e.exit_code
    except InsecureTransportError:  # the library's advice is a keyword the CLI does not have
        _maybe_traceback(settings)
        output.error(insecure_message(settings.resolved_base_url or "the server"))
        return 2
    except RespanError as e:
        _maybe_traceback(settings)
        output.error(str(e))
        return 1
    except OSError as e:
        _maybe_traceback(settings)
        where = f": {e.filename}" if e.filename else ""
        output.error(f"{e.strerror or e}{where}")
        return 1
    except Exception as e:
        _maybe_traceback(settings)
        hint = "" if settings.verbose else " (run with --verbose for the traceback)"
        output.error(f"unexpected {type(e).__name__}: {e}{hint}")
        return 1
    if isinstance(result, int):
        return result
    return 0


def _maybe_traceback(settings: Settings) -> None:
    if settings.verbose:
        sys.stderr.write(settings.output.redact(traceback.format_exc()))


_register()
