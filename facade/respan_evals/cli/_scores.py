"""`respan-evals scores import|export`."""

from __future__ import annotations

import shlex
from pathlib import Path

import click
from rich.text import Text

from respan_evals import InsecureTransportError

from ._context import CliError, Settings
from ._export import EXPORT_FORMATS, build_filters, choose_format, iter_export_rows, run_export
from ._import import ImportResult, insecure_message, run_import
from ._output import Output, plural
from ._read import FORMATS, ReadError, detect_format

__all__ = ["print_import_summary", "scores_group"]

EXIT_INTERRUPTED = 130


@click.group("scores")
def scores_group() -> None:
    """Import scores from a file, export them to one."""


@scores_group.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Default: from the extension.")
@click.option(
    "--rejects",
    "rejects_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where rows that did not land go, with line and reason [default: FILE.rejects.jsonl].",
)
@click.option(
    "--journal",
    "journal_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Resume journal of landed rows [default: FILE.respan-journal]; locked while an "
    "import runs, tied to the API key (by a fingerprint), and never a file that is not one.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 64),
    default=8,
    show_default=True,
    help="Rows in flight at once (the rate limit still applies).",
)
@click.option(
    "--restart",
    is_flag=True,
    help="Discard the journal (a damaged one, or one of another key or server) and send every "
    "row again.",
)
@click.option(
    "--resend-changed",
    is_flag=True,
    help="Resume even though rows that landed were edited since; send those again.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
@click.pass_obj
def import_command(
    settings: Settings,
    file: Path,
    fmt: str | None,
    rejects_path: Path | None,
    journal_path: Path | None,
    concurrency: int,
    restart: bool,
    resend_changed: bool,
    as_json: bool,
    quiet: bool,
) -> int:
    """Send the scores in FILE (JSONL or CSV), resumably.

    \b
    Columns: log_id, evaluator (slug) or evaluator_id, value; optional value_type,
    timestamp, environment, explanation. Column names (JSONL keys) are read in any
    case, with spaces around them trimmed (Log_ID, " Evaluator "); other columns are
    not sent, and are named once at the start.

    \b
    CSV cells are read by the evaluator's value type:
      numerical, percentage  a number: 4, 4.5, -1e3
      boolean                true/false, yes/no, y/n or 1/0, in any case (TRUE, Yes, N)
      multi_select, ranking  a JSON array '["a", "b"]'; one plain item is a one-item list
      json                   the JSON text the cell holds, sent as it is
      others                 the cell as it is

    Rows that landed are journaled: run the same command again after a failure or
    Ctrl-C and only the rest are sent. Bad rows go to the rejects file with their line
    number and reason, and do not stop the others. A refused API key (401/403) stops
    the import at once, and so do 5 connection failures in a row (or a minute of them):
    rows not sent are left (neither journaled nor rejected) for the next run. Exit 0
    only when every row landed.
    """
    try:
        file_format = detect_format(file, fmt)
    except ReadError as e:
        raise CliError(str(e), exit_code=2) from None
    hint_args = [a for a in settings.argv if a not in ("--restart", "--json")]
    hint = shlex.join(["respan-evals", *hint_args]) if settings.argv else None
    try:
        client = settings.client()
    except InsecureTransportError:  # the CLI has no flag to allow it: say what it does take
        raise CliError(insecure_message(settings.resolved_base_url), exit_code=2) from None
    with client:
        result = run_import(
            client,
            file,
            fmt=file_format,
            base_url=settings.resolved_base_url,
            api_key=settings.resolved_api_key(),
            output=settings.output,
            journal_path=journal_path,
            rejects_path=rejects_path,
            concurrency=concurrency,
            restart=restart,
            resend_changed=resend_changed,
            quiet=quiet,
            resume_hint=hint,
        )
    if as_json:
        settings.output.json(result.as_dict())
    else:
        print_import_summary(settings.output, result)
    if result.interrupted:
        return EXIT_INTERRUPTED
    return 0 if result.ok else 1


def print_import_summary(
    output: Output, result: ImportResult, *, show_rejects: bool = True, verdict: bool = True
) -> None:
    """The end-of-import report: counts per evaluator, the first rejects, what to do next."""
    t = result.totals
    output.line(headline(result), style="bold")
    columns = ["evaluator", "created", "updated"]
    if t.landed:
        columns.append("landed")
    columns += ["rejected"]
    if t.failed:
        columns.append("failed")
    columns.append("skipped")
    rows = []
    for name, tally in [*sorted(result.per_evaluator.items()), ("total", t)]:
        counts = tally.as_dict()
        counts["landed"] = counts.pop("landed_unclear")
        rows.append(
            [Text(name, style="bold" if name == "total" else ""), *(counts[c] for c in columns[1:])]
        )
    output.table(columns, rows, numeric=columns[1:], total_row=True)
    notes = []
    if t.landed:
        notes.append(
            f"landed: {plural(t.landed, 'row')} sent again after a lost answer; each landed "
            "once, whether as a new score or an update is unknown"
        )
    if t.skipped:
        notes.append(
            f"skipped: {plural(t.skipped, 'row')} landed in an earlier run ({result.journal_path})"
        )
    if result.changed:
        notes.append(f"{plural(result.changed, 'row')} edited since an earlier run sent again")
    for note in notes:
        output.line(note, style="dim")
    if show_rejects and result.rejects:
        bad = t.rejected + t.failed
        output.line("")
        output.line(
            f"Rows that did not land ({bad:,}; all in {result.rejects_path}):", style="bold"
        )
        for reject in result.rejects:
            output.line(f"  line {reject.line}: {reject.reason}")
        if bad > len(result.rejects):
            output.line(f"  ... and {bad - len(result.rejects):,} more")
    if verdict:
        output.line("")
        text, style = _verdict(result)
        output.line(text, style=style)


def _verdict(result: ImportResult) -> tuple[str, str]:
    """The last line, and its style: what happened, and what to do next."""
    t = result.totals
    left = plural(result.remaining, "row")
    if result.halted is not None:
        return (
            f"Stopped early: {result.halted}. {left} left (not sent, not rejected): the next "
            "run sends them (landed rows are skipped).",
            "red",
        )
    if result.stopped_at_once:
        return (
            f"Stopped at once with {left} not journaled, of which "
            f"{result.unjournaled:,} may have landed; run the same command again to send them "
            "(journaled rows are skipped; the others are sent again, and update rather than "
            "duplicate).",
            "yellow",
        )
    if result.interrupted:
        return (
            f"Interrupted with {left} not yet sent; run the same command again to send them "
            "(landed rows are skipped).",
            "yellow",
        )
    if result.ok:
        return f"Every row landed ({t.sent_ok + t.skipped:,}).", "green"
    parts = []
    if t.rejected:
        parts.append(f"{t.rejected:,} rejected: fix them and run the same command again")
    if t.failed:
        parts.append(f"{t.failed:,} failed (server or network): run the same command again")
    bad = plural(t.rejected + t.failed, "row")
    return f"{bad} did not land. " + "; ".join(parts) + ".", "red"


def headline(result: ImportResult) -> str:
    """`Import of s.jsonl: 25 of 125 rows landed, 100 left (not sent), in 3.2s`: only truths."""
    t = result.totals
    parts = [f"{t.sent_ok:,} of {plural(result.total, 'row')} landed"]
    if t.skipped:
        parts.append(f"{t.skipped:,} skipped (landed in an earlier run)")
    if t.rejected:
        parts.append(f"{t.rejected:,} rejected")
    if t.failed:
        parts.append(f"{t.failed:,} failed")
    if result.remaining:
        parts.append(f"{result.remaining:,} left (not sent)")
    return f"Import of {result.path.name}: {', '.join(parts)}, in {result.elapsed:.1f}s"


@scores_group.command("export")
@click.option(
    "--filter",
    "filter_json",
    metavar="JSON",
    help='A filter object, e.g. \'{"environment": {"operator": "", "value": ["prod"]}}\'.',
)
@click.option(
    "--evaluator", "evaluators", multiple=True, metavar="SLUG", help="Scores of this evaluator."
)
@click.option("--log-id", "log_ids", multiple=True, metavar="ID", help="Scores of this log.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    help="Default: from -o's extension (.csv, .parquet), else jsonl.",
)
@click.option(
    "-o",
    "--output",
    "out_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write here (atomically) instead of stdout.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
@click.pass_obj
def export_command(
    settings: Settings,
    filter_json: str | None,
    evaluators: tuple[str, ...],
    log_ids: tuple[str, ...],
    fmt: str | None,
    out_path: Path | None,
    quiet: bool,
) -> int:
    """Stream every matching score to JSONL, CSV or Parquet (-o FILE; the frames extra).

    --evaluator and --log-id may repeat, and combine with each other and with --filter
    (all conditions must hold). Without any, every score is exported. A number that is not
    finite (NaN, Infinity: not JSON) is written as null, with a warning naming the score.
    """
    flt = build_filters(filter_json, evaluators, log_ids)
    export_format = choose_format(fmt, out_path)
    with settings.client() as client:
        result = run_export(
            iter_export_rows(client, flt),
            fmt=export_format,
            output=settings.output,
            out_path=out_path,
            quiet=quiet,
        )
    if not quiet:
        settings.output.note(
            f"exported {result.count:,} scores to {result.destination} in {result.elapsed:.1f}s"
        )
    return 0
