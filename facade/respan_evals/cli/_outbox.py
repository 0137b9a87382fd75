"""`respan-evals outbox status|retry|drain FILE`: an app's outbox file, seen and acted on."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from respan_evals import Outbox

from ._context import CliError, Settings
from ._output import plural

__all__ = ["outbox_group"]

EXIT_LEFT = 1  # drain ended with scores still queued or failed


def _open(path: Path) -> Outbox:
    if not path.is_file():  # never create one: a typo must not look like an empty outbox
        raise CliError(f"no outbox file at {path}", exit_code=2)
    return Outbox(path, exit_timeout=0)


@click.group("outbox")
def outbox_group() -> None:
    """An app's score outbox (a SQLite file written by respan_evals.Outbox)."""


@outbox_group.command("status")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON, for scripts.")
@click.option(
    "--failed",
    "show_failed",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    metavar="N",
    help="List up to N failed scores.",
)
@click.pass_obj
def status_command(settings: Settings, file: Path, as_json: bool, show_failed: int) -> None:
    """Counts (queued, retrying, failed, sent), the sender holding the lease, the failures."""
    out = settings.output
    with _open(file) as outbox:
        stats = outbox.stats()
        failures = outbox.failed(include_retrying=True, limit=show_failed or None)
    failures = failures[:show_failed]
    if as_json:
        out.json(
            {
                **dataclasses.asdict(stats),
                "failures": [
                    {**dataclasses.asdict(f), "row": dataclasses.asdict(f.row)} for f in failures
                ],
            }
        )
        return
    out.fields(dataclasses.asdict(stats), title=str(file))
    if failures:
        out.table(
            ("id", "log_id", "evaluator", "final", "attempts", "error_type", "error"),
            (
                (
                    f.id,
                    f.row.log_id,
                    f.row.evaluator or f.row.evaluator_id,
                    f.final,
                    f.attempts,
                    f.error_type,
                    f.error,
                )
                for f in failures
            ),
            title="failures (and retries pending)",
            numeric=("id", "attempts"),
        )


@outbox_group.command("retry")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--id", "ids", type=int, multiple=True, help="Only this row (repeatable).")
@click.pass_obj
def retry_command(settings: Settings, file: Path, ids: tuple[int, ...]) -> None:
    """Queue failed scores again (not those a later send superseded)."""
    with _open(file) as outbox:
        count = outbox.retry_failed(list(ids) if ids else None)
    settings.output.line(f"queued again: {plural(count, 'score')}")


@outbox_group.command("drain")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=None,
    metavar="SECONDS",
    help="Stop after this long [default: when nothing is queued].",
)
@click.pass_obj
def drain_command(settings: Settings, file: Path, timeout: float | None) -> int:
    """Send what is queued, at the rate limit, as the outbox's one sender (waits its turn)."""
    with _open(file) as outbox, settings.client() as client:
        left = outbox.run(client, until_empty=True, timeout=timeout)
        stats = outbox.stats()
    settings.output.line(
        f"left queued: {plural(left, 'score')}; failed: {plural(stats.failed, 'score')}"
    )
    return EXIT_LEFT if left or stats.failed else 0
