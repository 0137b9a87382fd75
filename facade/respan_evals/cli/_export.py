"""`scores export`: stream every matching score to JSONL, CSV or Parquet, one row as each arrives.

Memory stays constant: the facade's iterator holds one page at a time and each score is
written as soon as it comes. With -o FILE the rows go to FILE.partial, renamed to FILE once the
last page is in, so FILE is never a half export.

JSONL rows are the scores as the API returns them. CSV columns are Score's properties as the
spec lists them (`respan_evals_api.facts.SCORE_FIELDS`), plus a `value` column, just before the
value fields, holding the field `respan_evals.score_value` reads (`score_value_field`: the one
set, or, when several are, the one the score's own type names); cells are spelled as `scores
import` reads them back (`_cells.csv_cell`): a number, true/false, a plain choice, a JSON array
(choices, a ranking), JSON text (json_value as the API sent it, not decoded: the cell must read
back as the same JSON), or the text.

JSON has no NaN or Infinity. A score holding a non-finite number (a server bug, or a value
from before the API checked) is still written, with that number as null (an empty CSV cell),
and a warning on stderr names the score and the field: the file stays valid JSON (or a CSV
that imports back), and the gap is visible rather than an unreadable `NaN`.

Parquet (`--format parquet -o FILE`, the `frames` extra: pyarrow) has the typed columns of
`respan_evals.to_pandas` (see `respan_evals._frames`), written in row groups of 10,000 scores, so
memory holds one group; Parquet holds NaN and Infinity, so they are written as they are. It
needs -o: the file is written twice (`value`'s type is known only at the end), not streamed.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from respan_evals import Respan, RespanValidationError, condition, filters, score_value_field
from respan_evals._frames import VALUE_COLUMN, column_names, require, write_parquet
from respan_evals.testing.cli import EXIT_MISSING_EXTRA

from ._cells import csv_cell
from ._context import CliError
from ._finite import dumps, finite
from ._output import Output, as_dict
from ._progress import make_reporter

__all__ = [
    "EXPORT_FORMATS",
    "ExportResult",
    "build_filters",
    "choose_format",
    "csv_value",
    "iter_export_rows",
    "run_export",
    "score_columns",
]

ExportFormat = Literal["jsonl", "csv", "parquet"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("jsonl", "csv", "parquet")
PAGE_SIZE = 100  # the API's largest page
_BY_SUFFIX: dict[str, ExportFormat] = {".csv": "csv", ".parquet": "parquet"}


def score_columns() -> tuple[str, ...]:
    """The CSV header: Score's properties in spec order, `value` just before the value fields."""
    return column_names()


def choose_format(fmt: str | None, out_path: Path | None) -> ExportFormat:
    """--format when given, else from -o's extension (.csv, .parquet), else jsonl."""
    for known in EXPORT_FORMATS:
        if fmt == known:
            return known
    if fmt is not None:
        expected = ", ".join(EXPORT_FORMATS)
        raise CliError(f"unknown format {fmt!r}: expected one of {expected}", exit_code=2)
    return _BY_SUFFIX.get(out_path.suffix.lower() if out_path else "", "jsonl")


@dataclass(frozen=True)
class ExportResult:
    count: int
    destination: str  # a path, or "stdout"
    elapsed: float
    nonfinite: int = 0  # scores with a NaN or Infinity, written as null


def build_filters(
    filter_json: str | None, evaluators: Sequence[str], log_ids: Sequence[str]
) -> dict[str, Any]:
    """One filter object from --filter, --evaluator and --log-id (combined with AND)."""
    built: dict[str, Any] = {}
    if filter_json is not None:
        try:
            parsed = json.loads(filter_json)
        except ValueError as e:
            raise CliError(f"--filter is not valid JSON: {e}", exit_code=2) from None
        if not isinstance(parsed, dict):
            raise CliError(
                '--filter must be a JSON object, e.g. {"environment": '
                '{"operator": "", "value": ["production"]}}',
                exit_code=2,
            )
        if set(parsed) == {"filters"} and isinstance(parsed["filters"], dict):
            parsed = parsed["filters"]  # the request body's shape, pasted whole
        built.update(parsed)
    extra: dict[str, Any] = {}
    try:
        if evaluators:
            extra.update(
                filters(evaluator_slug=evaluators[0])
                if len(evaluators) == 1
                else condition("evaluator_slug", "in", list(evaluators))
            )
        if log_ids:
            extra.update(
                filters(log_id=log_ids[0])
                if len(log_ids) == 1
                else condition("log_id", "in", list(log_ids))
            )
    except RespanValidationError as e:
        raise CliError(str(e), exit_code=2) from None
    clash = sorted(set(built) & set(extra))
    if clash:
        raise CliError(
            f"--filter already has a condition on {', '.join(clash)}; "
            "give it once (the filter format keeps one condition per field)",
            exit_code=2,
        )
    built.update(extra)
    return built


def csv_value(score: Mapping[str, Any]) -> str:
    """The value `score_value` reads, spelled as `scores import` reads it back from CSV."""
    field = score_value_field(score)
    return "" if field is None else csv_cell(score.get(field), field)


def iter_export_rows(client: Respan, flt: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Every matching score as a dict, page by page.

    An evaluator slug the filter asks for (--evaluator) that matched no score is looked up at
    the end: when no evaluator has it (a typo), CliError instead of an empty export. The
    scores of a deleted evaluator still export: they match, so nothing is looked up.
    """
    named = _named_slugs(flt.get("evaluator_slug"))
    seen: set[str] = set()
    for score in client.scores.iter_filter(filters=dict(flt), page_size=PAGE_SIZE):
        row = as_dict(score)
        seen.add(str(row.get("evaluator_slug")))
        yield row
    unknown = [slug for slug in named if slug not in seen and not _evaluator_exists(client, slug)]
    if unknown:
        listed = " or ".join(repr(slug) for slug in unknown)
        raise CliError(
            f"no evaluator with slug {listed} (`respan-evals evaluators list` shows the slugs)",
            exit_code=2,
        )


def _named_slugs(cond: object) -> list[str]:
    """The slugs an exact `evaluator_slug` condition names ("" or "in"); none for others."""
    if not isinstance(cond, Mapping) or cond.get("operator") not in ("", "in"):
        return []
    value = cond.get("value")
    if isinstance(value, str):
        values: Sequence[object] = value.split(",") if cond.get("operator") == "in" else [value]
    else:
        values = list(value) if isinstance(value, list | tuple) else []
    return list(dict.fromkeys(v.strip() for v in values if isinstance(v, str) and v.strip()))


def _evaluator_exists(client: Respan, slug: str) -> bool:
    # Check each answer's slug: a server that ignored the filter would list other evaluators.
    matches = client.evaluators.iter_filter(filters=filters(evaluator_slug=slug))
    return any(getattr(e, "evaluator_slug", None) == slug for e in matches)


class _Sink:
    """Where rows go: JSONL or CSV, on a stream."""

    def __init__(self, handle: IO[str], fmt: ExportFormat) -> None:
        self.handle = handle
        self.fmt = fmt
        self._csv: Any = None
        self._columns: tuple[str, ...] = ()
        if fmt == "csv":
            self._csv = csv.writer(handle, lineterminator="\n")
            self._columns = score_columns()
            self._csv.writerow(self._columns)

    def write(self, score: Mapping[str, Any]) -> list[str]:
        """Write one score; the fields whose non-finite numbers were written as null."""
        if self._csv is None:
            text, found = dumps(score, ensure_ascii=False, default=str)
            self.handle.write(text + "\n")
            return found
        score, found = finite(score)
        self._csv.writerow(
            csv_value(score) if column == VALUE_COLUMN else csv_cell(score.get(column), column)
            for column in self._columns
        )
        return found


def run_export(
    rows: Iterable[Mapping[str, Any]],
    *,
    fmt: ExportFormat,
    output: Output,
    out_path: Path | None = None,
    quiet: bool = False,
) -> ExportResult:
    """Write `rows` as they come; returns how many were written, and where."""
    if fmt == "parquet":
        return _run_parquet(rows, output=output, out_path=out_path, quiet=quiet)
    start = time.monotonic()
    count = 0
    partial = out_path.with_name(out_path.name + ".partial") if out_path else None
    handle: IO[str]
    if partial is not None:
        try:
            handle = partial.open("w", encoding="utf-8", newline="")
        except OSError as e:
            raise CliError(f"cannot write {partial}: {e.strerror or e}") from None
    else:
        handle = sys.stdout
    destination = str(out_path) if out_path else "stdout"
    reporter = make_reporter(output.err, "export", total=None, unit="scores", quiet=quiet)
    completed = False
    nonfinite: list[str] = []
    try:
        sink = _Sink(handle, fmt)
        with reporter:
            for score in rows:
                found = sink.write(score)
                if found:
                    nonfinite.append(f"score {score.get('id', count + 1)}: {', '.join(found)}")
                count += 1
                reporter.update(count)
        completed = True
    finally:
        if partial is not None:
            handle.close()
            if completed:
                os.replace(partial, out_path)  # type: ignore[arg-type]  # set with partial
            else:
                partial.unlink(missing_ok=True)
        else:
            handle.flush()
        if nonfinite:
            shown = "; ".join(nonfinite[:5]) + ("; ..." if len(nonfinite) > 5 else "")
            output.note(
                f"warning: {len(nonfinite)} score(s) held numbers that are not finite (NaN or "
                f"Infinity, which JSON cannot hold), written as null: {shown}",
                style="yellow",
            )
    return ExportResult(count, destination, time.monotonic() - start, len(nonfinite))


def _run_parquet(
    rows: Iterable[Mapping[str, Any]], *, output: Output, out_path: Path | None, quiet: bool
) -> ExportResult:
    """Write `rows` to a Parquet file, in row groups, through FILE.partial."""
    if out_path is None:
        raise CliError("--format parquet needs -o FILE (Parquet is not written to stdout)", 2)
    try:
        require("pyarrow.parquet", "--format parquet")  # before the first page is asked for
    except ImportError as e:
        raise CliError(str(e), exit_code=EXIT_MISSING_EXTRA) from None
    start = time.monotonic()
    partial = out_path.with_name(out_path.name + ".partial")
    reporter = make_reporter(output.err, "export", total=None, unit="scores", quiet=quiet)
    count = 0

    def counted() -> Iterator[Mapping[str, Any]]:
        nonlocal count
        for row in rows:
            yield row
            count += 1
            reporter.update(count)

    completed = False
    try:
        with reporter:
            write_parquet(counted(), partial)
        os.replace(partial, out_path)
        completed = True
    except OSError as e:
        raise CliError(f"cannot write {partial}: {e.strerror or e}") from None
    finally:
        if not completed:
            partial.unlink(missing_ok=True)
    return ExportResult(count, str(out_path), time.monotonic() - start)
