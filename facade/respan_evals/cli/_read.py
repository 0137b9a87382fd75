"""Read a JSONL or CSV file of scores into rows that keep their line numbers.

Columns (JSONL keys): `log_id`, `evaluator` (a slug; `evaluator_slug` is accepted too) or
`evaluator_id`, `value`, and optionally `value_type`, `timestamp`, `environment`,
`explanation`. Names are matched without regard to case or surrounding spaces (`Log_ID`,
` Evaluator `); other columns are not sent, and each is named once (`unknown_names`) so a
typo does not pass unseen. When a row names its evaluator both ways (as files
written by `scores export` do), `evaluator_id` is the one sent. A row with no `value` but exactly
one of the score value fields the spec declares (`respan_evals_api.facts.VALUE_FIELDS`:
`numerical_value`, ...) takes its value from that field, so an exported file imports as it is.

CSV cells are strings: `_cells.coerce_csv_value` reads them by the value type's check kind.
An empty CSV cell is a missing value.

A row's digest (what the journal keeps to tell an edited row) covers its raw content, and for
CSV the header too: a renamed column changes what every row means. A row that cannot be read
(malformed, or nested too deeply for the JSON parser) is a row with a problem, never an error
that stops the file.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from respan_evals_api import facts

__all__ = [
    "FORMATS",
    "FileFormat",
    "ReadError",
    "RowFields",
    "SourceRow",
    "detect_format",
    "known_names",
    "read_rows",
]

FileFormat = Literal["jsonl", "csv"]
FORMATS: tuple[FileFormat, ...] = ("jsonl", "csv")
_EXTENSIONS: Mapping[str, FileFormat] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
}
_OPTIONAL = ("value_type", "timestamp", "environment", "explanation")
_READ = ("log_id", "evaluator", "evaluator_slug", "evaluator_id", "value", *_OPTIONAL)
TOO_DEEP = "nested too deeply to read (the JSON parser's depth limit)"


class ReadError(Exception):
    """The file as a whole cannot be read (not a single row: those become rejects)."""


@dataclass(frozen=True)
class RowFields:
    """The columns of one readable row, checked for presence and shape (not for value)."""

    log_id: str
    value: object
    evaluator: str | None
    evaluator_id: str | None
    value_type: str | None
    timestamp: str | None
    environment: str | None
    explanation: str | None

    @property
    def evaluator_ref(self) -> str:
        """How the row names its evaluator (for summaries): the slug when it has one."""
        return self.evaluator or self.evaluator_id or "?"


@dataclass(frozen=True)
class SourceRow:
    """One row of the file: where it starts, its raw content, and either fields or a problem."""

    line: int
    raw: object  # the JSONL line as text, or the CSV record as {column: cell}
    digest: str  # hash of the raw content: tells an edited row from the one journaled
    fields: RowFields | None
    problem: str | None
    unknown: tuple[str, ...] = ()  # names of columns (keys) this command does not read
    ref: str | None = None  # the evaluator it names, when it names one (even with a problem)
    readable: bool = True  # False: not even a row (malformed, wrong cell count, not UTF-8)


def known_names() -> tuple[str, ...]:
    """The columns (keys) a row may have without being reported: read, or written by export."""
    return tuple(dict.fromkeys((*_READ, *facts.VALUE_FIELDS, *facts.SCORE_FIELDS)))


def _canonical(name: str, known: frozenset[str]) -> str:
    """A column or key as this command names it: trimmed, lower case when it is one it knows."""
    folded = name.strip().lower()
    return folded if folded in known else name.strip()


def _unknown(names: list[str], known: frozenset[str]) -> tuple[str, ...]:
    return tuple(n for n in names if n not in known)


def _duplicates(pairs: list[tuple[str, str]]) -> str | None:
    """`'value' and 'Value' both name value` when two raw names fold to one, else None."""
    seen: dict[str, str] = {}
    for raw, name in pairs:
        if name in seen:
            return f"{seen[name]!r} and {raw!r} both name {name}"
        seen[name] = raw
    return None


def _ref(data: Mapping[str, object]) -> str | None:
    for name in ("evaluator", "evaluator_slug", "evaluator_id"):
        value = data.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def detect_format(path: Path, given: str | None) -> FileFormat:
    if given is not None:
        if given not in FORMATS:
            raise ReadError(f"unknown format {given!r}; use one of: {', '.join(FORMATS)}")
        return "csv" if given == "csv" else "jsonl"
    fmt = _EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise ReadError(
            f"cannot tell the format of {path.name} from its extension; pass --format jsonl|csv"
        )
    return fmt


def read_rows(path: Path, fmt: FileFormat) -> Iterator[SourceRow]:
    """Every row of the file, in order; blank JSONL lines are not rows."""
    if fmt == "csv":
        return _read_csv(path)
    return _read_jsonl(path)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _read_jsonl(path: Path) -> Iterator[SourceRow]:
    known = frozenset(known_names())  # per file, not per module: tests patch the spec facts
    with path.open("rb") as handle:
        for number, raw_bytes in enumerate(handle, start=1):
            if number == 1 and raw_bytes.startswith(b"\xef\xbb\xbf"):
                raw_bytes = raw_bytes[3:]
            try:
                text = raw_bytes.decode("utf-8").strip()
            except UnicodeDecodeError as e:
                text = raw_bytes.decode("utf-8", "replace").strip()
                why = f"not UTF-8 text ({e.reason})"
                yield SourceRow(number, text, _digest(text), None, why, readable=False)
                continue
            if not text:
                continue
            digest = _digest(text)
            try:
                data = json.loads(text)
            except ValueError as e:
                why = f"malformed JSON: {_json_reason(e)}"
                yield SourceRow(number, text, digest, None, why, readable=False)
                continue
            except RecursionError:
                yield SourceRow(number, text, digest, None, TOO_DEEP, readable=False)
                continue
            if not isinstance(data, dict):
                kind = f"expected a JSON object, got {_json_kind(data)}"
                yield SourceRow(number, text, digest, None, kind, readable=False)
                continue
            pairs = [(key, _canonical(key, known)) for key in data]
            record = {name: data[raw] for raw, name in pairs}
            unknown = _unknown([name for _, name in pairs], known)
            clash = _duplicates(pairs)
            fields, problem = (None, clash) if clash is not None else _checked_fields(record)
            yield SourceRow(number, text, digest, fields, problem, unknown, _ref(record))


def _read_csv(path: Path) -> Iterator[SourceRow]:
    known = frozenset(known_names())
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None:
                return
            columns = [c.strip() for c in header]  # as written, for the rejects file
            names = [_canonical(c, known) for c in header]  # as read
            if "log_id" not in names:
                raise ReadError(
                    f"{path.name}: the first line must be a header naming the columns "
                    "(log_id, evaluator or evaluator_id, value, ...; any case)"
                )
            clash = _duplicates(list(zip(columns, names, strict=True)))
            if clash is not None:
                raise ReadError(f"{path.name}: header columns {clash}; keep one")
            unknown = _unknown(names, known)
            start = reader.line_num + 1
            for cells in reader:
                line, start = start, reader.line_num + 1
                if not any(cell.strip() for cell in cells):
                    continue
                # The header is part of every row's content: a renamed column is a change.
                digest = _digest(json.dumps([header, cells], ensure_ascii=False))
                if len(cells) != len(columns):
                    count = f"expected {len(columns)} cells (as in the header), got {len(cells)}"
                    yield SourceRow(line, cells, digest, None, count, unknown, readable=False)
                    continue
                record = dict(zip(columns, cells, strict=True))
                cleaned = {n: v for n, v in zip(names, cells, strict=True) if v.strip() != ""}
                fields, problem = _checked_fields(cleaned)
                yield SourceRow(line, record, digest, fields, problem, unknown, _ref(cleaned))
        except csv.Error as e:
            raise ReadError(f"{path.name}, line {reader.line_num}: unreadable CSV ({e})") from e
        except UnicodeDecodeError as e:
            raise ReadError(f"{path.name} is not UTF-8 text ({e.reason})") from e


def _checked_fields(data: Mapping[str, object]) -> tuple[RowFields | None, str | None]:
    try:
        return _fields(data)
    except RecursionError:  # describing a deep value in the problem text
        return None, TOO_DEEP


def _fields(data: Mapping[str, object]) -> tuple[RowFields | None, str | None]:
    if "value" not in data:
        # A file written by `scores export` has the value in its own field: take that one.
        given = [name for name in facts.VALUE_FIELDS if data.get(name) is not None]
        if len(given) == 1:
            data = {**data, "value": data[given[0]]}
        elif len(given) > 1:
            return None, f"no value column, and several value fields: {', '.join(given)}"
    missing = [name for name in ("log_id", "value") if name not in data]
    nulls = [name for name in ("log_id", "value") if name in data and data[name] is None]
    slug = data.get("evaluator")
    if slug is None:
        slug = data.get("evaluator_slug")
    evaluator_id = data.get("evaluator_id")
    if slug is None and evaluator_id is None:
        missing.append("evaluator (or evaluator_id)")
    if missing:
        return None, f"missing {', '.join(missing)}"
    if nulls:
        return None, f"{' and '.join(nulls)} is null"
    texts: dict[str, str | None] = {}
    for name, raw in (
        ("log_id", data.get("log_id")),
        ("evaluator", slug),
        ("evaluator_id", evaluator_id),
        *((name, data.get(name)) for name in _OPTIONAL),
    ):
        if raw is None:
            texts[name] = None
            continue
        if not isinstance(raw, str) or not raw.strip():
            return None, f"{name} must be a non-empty string, got {_short(raw)}"
        texts[name] = raw.strip() if name != "explanation" else raw
    log_id = texts["log_id"]
    assert log_id is not None  # checked as missing above
    return (
        RowFields(
            log_id=log_id,
            value=data["value"],
            evaluator=texts["evaluator"],
            evaluator_id=texts["evaluator_id"],
            value_type=texts["value_type"],
            timestamp=texts["timestamp"],
            environment=texts["environment"],
            explanation=texts["explanation"],
        ),
        None,
    )


def _json_reason(e: ValueError) -> str:
    if isinstance(e, json.JSONDecodeError):
        return f"{e.msg} at column {e.colno}"
    return str(e)


def _json_kind(data: object) -> str:
    if data is None:
        return "null"
    return {list: "an array", str: "a string", bool: "a boolean"}.get(type(data), "a number")


def _short(value: object, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= limit else text[: limit - 3] + "..."
