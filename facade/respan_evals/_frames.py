"""Scores as typed columns: `to_pandas`, `to_polars`, and Parquet written in row groups.

The columns are Score's properties in the spec's order (`respan_evals_api.facts.SCORE_FIELDS`),
with `value` (what `score_value` reads) just before the value fields, as in the CSV export. A
column's type comes from the generated Score model's annotation, so a field the spec adds gets
a typed column without an edit here:

- date-time: timezone-aware datetimes in UTC (a naive one is taken as UTC);
- number: float64; integer (prompt_version_number): nullable Int64;
- boolean: nullable boolean; list of str (categorical_value): a list of str per row;
- str and enums (type): str;
- anything else (json_value, and the nested objects inputs and evaluator): JSON text, not a
  struct, so the schema never depends on the data; json_value keeps the text the API sent.

`value` has the type of its value field when every score's value comes from one field (export
one evaluator for that); when scores mix value fields, or none holds a value, it is the JSON
text of each `score_value` (null for a number that is not finite, which JSON cannot hold).

pandas, polars and pyarrow are optional (`pip install 'respan-evals[frames]'`): each is imported
only when a function here needs it. Fields outside the spec (kept by the models) get no column.
"""

from __future__ import annotations

import importlib
import json
import math
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

from respan_evals_api import facts

from ._score_value import score_value, score_value_field

__all__ = [
    "EXTRA_HINT",
    "ROW_GROUP_SIZE",
    "VALUE_COLUMN",
    "column_kinds",
    "column_names",
    "field_kinds",
    "require",
    "to_pandas",
    "to_polars",
    "write_parquet",
]

Kind = Literal["timestamp", "float", "int", "boolean", "strings", "string", "json"]
VALUE_COLUMN = "value"
ROW_GROUP_SIZE = 10_000
EXTRA_HINT = "pip install 'respan-evals[frames]'"
_STAGED_VALUE = "__respan_value_json"  # the mixed-field value, kept until the type is known


def require(module: str, what: str = "this") -> Any:
    """Import an optional dependency, or ImportError naming the extra that brings it."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        top = module.split(".")[0]
        raise ImportError(f"{what} needs {top}, which is not installed: {EXTRA_HINT}") from e


def column_names() -> tuple[str, ...]:
    """Score's properties in spec order, `value` just before the value fields."""
    names = facts.SCORE_FIELDS
    at = next((i for i, name in enumerate(names) if name in facts.VALUE_FIELDS), len(names))
    return (*names[:at], VALUE_COLUMN, *names[at:])


@cache
def field_kinds() -> dict[str, Kind]:
    """Each Score field's column kind, read from the generated model's annotations."""
    import attrs  # here, not at start-up: `import respan_evals` loads neither attrs nor models

    from respan_evals_api.models import Score

    annotations = {f.name: f.type for f in attrs.fields(Score)}
    module = sys.modules[Score.__module__]
    return {
        name: _kind(annotations.get(name, annotations.get(name + "_")), module)
        for name in facts.SCORE_FIELDS
    }


def column_kinds(value_field: str | None) -> dict[str, Kind]:
    """Every column's kind, in column order, for a frame whose values come from `value_field`."""
    fields = field_kinds()
    value_kind: Kind = fields[value_field] if value_field else "json"
    return {n: value_kind if n == VALUE_COLUMN else fields[n] for n in column_names()}


def _kind(annotation: object, module: object) -> Kind:
    if not isinstance(annotation, str):  # the models use postponed (string) annotations
        return "json"
    parts = {p.strip() for p in annotation.split("|")} - {"None", "Unset"}
    if parts == {"datetime.datetime"}:
        return "timestamp"
    if "float" in parts and parts <= {"float", "int"}:
        return "float"
    simple: dict[frozenset[str], Kind] = {
        frozenset({"int"}): "int",
        frozenset({"bool"}): "boolean",
        frozenset({"list[str]"}): "strings",
    }
    if frozenset(parts) in simple:
        return simple[frozenset(parts)]
    if parts and all(p == "str" or _is_str_type(getattr(module, p, None)) for p in parts):
        return "string"  # a StrEnum (ScoreType) with str beside it
    return "json"


def _is_str_type(obj: object) -> bool:
    return isinstance(obj, type) and issubclass(obj, str)


class _Columns:
    """Scores gathered column by column, each cell already of its column's kind."""

    def __init__(self) -> None:
        self.kinds = field_kinds()
        self.cells: dict[str, list[Any]] = {name: [] for name in self.kinds}
        self.mixed_values: list[str | None] = []
        self.value_fields: set[str] = set()

    def __len__(self) -> int:
        return len(self.mixed_values)

    def add(self, score: object) -> None:
        row = _as_mapping(score)
        for name, kind in self.kinds.items():
            self.cells[name].append(_cell(row.get(name), kind))
        field = score_value_field(row)
        if field is None:
            self.mixed_values.append(None)
        else:
            self.value_fields.add(field)
            self.mixed_values.append(_json_text(score_value(row)))

    def value_field(self) -> str | None:
        """The one field every value comes from, or None (mixed, or no values)."""
        return next(iter(self.value_fields)) if len(self.value_fields) == 1 else None

    def columns(self) -> dict[str, tuple[Kind, list[Any]]]:
        """Every column with its kind, `value` included, in column order."""
        field = self.value_field()
        value = self.cells[field] if field else self.mixed_values
        return {
            name: (kind, value if name == VALUE_COLUMN else self.cells[name])
            for name, kind in column_kinds(field).items()
        }


def _as_mapping(score: object) -> Mapping[str, Any]:
    if isinstance(score, Mapping):
        return score
    to_dict = getattr(score, "to_dict", None)
    if callable(to_dict):
        out = to_dict()  # a generated model: its wire names (`type`, not `type_`)
        if isinstance(out, Mapping):
            return out
    raise TypeError(f"expected a Score or a mapping, got {type(score).__name__}")


def _cell(value: Any, kind: Kind) -> Any:
    """`value` as its column holds it; None when absent or of another type."""
    if value is None:
        return None
    if kind == "timestamp":
        return _timestamp(value)
    if kind in ("float", "int"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        if kind == "float":
            return float(value)
        return int(value) if float(value).is_integer() else None
    if kind == "boolean":
        return value if isinstance(value, bool) else None
    if kind == "strings":
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value] if isinstance(value, list | tuple) else None
    if kind == "string":
        return str(value)
    return value if isinstance(value, str) else _json_text(value)


def _timestamp(value: Any) -> datetime | None:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _json_text(value: Any) -> str | None:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, default=str)
    except ValueError:  # NaN or Infinity somewhere: not JSON
        return None if isinstance(value, float) and not math.isfinite(value) else str(value)


def _gather(scores: Iterable[object]) -> _Columns:
    gathered = _Columns()
    for score in scores:
        gathered.add(score)
    return gathered


def to_pandas(scores: Iterable[object]) -> Any:
    """A pandas DataFrame of `scores` (Score models or dicts): one typed column per field."""
    pd = require("pandas", "to_pandas")
    dtypes = {
        "float": "float64",
        "int": "Int64",
        "boolean": "boolean",
        "strings": object,
        "string": "string",
        "json": "string",
    }
    data: dict[str, Any] = {}
    for name, (kind, cells) in _gather(scores).columns().items():
        if kind == "timestamp":
            data[name] = pd.Series(pd.to_datetime(cells, utc=True), dtype="datetime64[us, UTC]")
        else:
            data[name] = pd.Series(cells, dtype=dtypes[kind])
    return pd.DataFrame(data, columns=list(data))


def to_polars(scores: Iterable[object]) -> Any:
    """A polars DataFrame of `scores` (Score models or dicts): one typed column per field."""
    pl = require("polars", "to_polars")
    dtypes = {
        "timestamp": pl.Datetime("us", "UTC"),
        "float": pl.Float64,
        "int": pl.Int64,
        "boolean": pl.Boolean,
        "strings": pl.List(pl.String),
        "string": pl.String,
        "json": pl.String,
    }
    return pl.DataFrame(
        [
            pl.Series(name, cells, dtype=dtypes[kind])
            for name, (kind, cells) in _gather(scores).columns().items()
        ]
    )


def _arrow_type(pa: Any, kind: Kind) -> Any:
    return {
        "timestamp": pa.timestamp("us", tz="UTC"),
        "float": pa.float64(),
        "int": pa.int64(),
        "boolean": pa.bool_(),
        "strings": pa.list_(pa.string()),
        "string": pa.string(),
        "json": pa.string(),
    }[kind]


def write_parquet(
    scores: Iterable[object], path: Path, *, row_group_size: int = ROW_GROUP_SIZE
) -> int:
    """Write `scores` to a Parquet file at `path`, `row_group_size` rows at a time; the count.

    Memory holds one row group. `value`'s type is known only after the last score, so the
    groups go to a staging file beside `path` first and are then copied, one at a time, into
    `path` with `value` added (the copy of a local file costs little beside the API's pages).
    """
    pa = require("pyarrow", "write_parquet")
    pq = require("pyarrow.parquet", "write_parquet")
    fields = field_kinds()
    staged_schema = pa.schema(
        [(n, _arrow_type(pa, k)) for n, k in fields.items()] + [(_STAGED_VALUE, pa.string())]
    )
    staging = path.with_name(path.name + ".staging")
    used: set[str] = set()
    count = 0
    try:
        with pq.ParquetWriter(staging, staged_schema) as writer:
            batch = _Columns()
            for score in scores:
                batch.add(score)
                if len(batch) >= row_group_size:
                    count += _write_group(pa, writer, staged_schema, batch, used)
                    batch = _Columns()
            if len(batch):
                count += _write_group(pa, writer, staged_schema, batch, used)
        field = next(iter(used)) if len(used) == 1 else None
        kinds = column_kinds(field)
        schema = pa.schema([(n, _arrow_type(pa, k)) for n, k in kinds.items()])
        staged = pq.ParquetFile(staging)
        with pq.ParquetWriter(path, schema) as writer:
            for group in range(staged.num_row_groups):
                table = staged.read_row_group(group)
                value = table.column(field if field else _STAGED_VALUE)
                columns = [value if n == VALUE_COLUMN else table.column(n) for n in kinds]
                writer.write_table(pa.Table.from_arrays(columns, schema=schema))
    finally:
        staging.unlink(missing_ok=True)
    return count


def _write_group(pa: Any, writer: Any, schema: Any, batch: _Columns, used: set[str]) -> int:
    arrays = [pa.array(batch.cells[n], type=schema.field(n).type) for n in batch.kinds]
    arrays.append(pa.array(batch.mixed_values, type=pa.string()))
    writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
    used |= batch.value_fields
    return len(batch)
