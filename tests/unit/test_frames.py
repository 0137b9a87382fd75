"""`to_pandas` / `to_polars` / `write_parquet`: one typed column per Score field, plus `value`."""

from __future__ import annotations

import json
import math
import sys
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from respan_evals import AsyncRespan, Respan, score_value
from respan_evals._frames import (
    EXTRA_HINT,
    column_names,
    field_kinds,
    to_pandas,
    to_polars,
    write_parquet,
)
from respan_evals_api import facts
from respan_evals_api.models import Score

from .conftest import FakeAPI, page

# pandas, polars and pyarrow are imported by the tests that use them: every xdist worker
# collects this module, and only the one that runs it needs their half second of imports.

ROWS: list[dict[str, Any]] = [
    {
        "id": "s1",
        "created_at": "2024-05-01T12:00:00Z",
        "type": "llm",
        "numerical_value": 4,
        "is_passed": True,
        "cost": 0.002,
        "evaluator_slug": "quality",
        "prompt_version_number": 3,
        "inputs": {"input": "hi", "output": {"text": "hello"}},
        "evaluator": {"score_value_type": "numerical"},
    },
    {
        "id": "s2",
        "created_at": "2024-05-01T14:30:00+02:00",  # 12:30 UTC
        "numerical_value": 2.5,
        "is_passed": None,
        "evaluator_slug": "quality",
    },
]
MIXED: list[dict[str, Any]] = [
    *ROWS,
    {"id": "s3", "created_at": "2024-05-02T00:00:00Z", "boolean_value": False},
    {"id": "s4", "created_at": "2024-05-02T00:00:00Z", "categorical_value": ["a", "b"]},
    {"id": "s5", "created_at": "2024-05-02T00:00:00Z", "string_value": "fine"},
    {"id": "s6", "created_at": "2024-05-02T00:00:00Z", "json_value": '{"rating": 5}'},
    {"id": "s7", "created_at": "2024-05-02T00:00:00Z"},  # no value
]


def test_the_columns_are_the_spec_fields_and_value() -> None:
    expected = set(facts.SCORE_FIELDS) | {"value"}
    for frame in (to_pandas(ROWS), to_polars(ROWS)):
        assert tuple(frame.columns) == column_names()
        assert set(frame.columns) == expected
        assert len(frame.columns) == len(facts.SCORE_FIELDS) + 1
    first_value_field = min(facts.SCORE_FIELDS.index(f) for f in facts.VALUE_FIELDS)
    assert column_names()[first_value_field] == "value"  # as in the CSV export


def test_column_kinds_come_from_the_model() -> None:
    kinds = field_kinds()
    assert set(kinds) == set(facts.SCORE_FIELDS)
    assert kinds["created_at"] == "timestamp"
    assert kinds["numerical_value"] == kinds["cost"] == "float"
    assert kinds["prompt_version_number"] == "int"
    assert kinds["boolean_value"] == kinds["is_passed"] == "boolean"
    assert kinds["categorical_value"] == "strings"
    assert kinds["type"] == kinds["evaluator_slug"] == kinds["id"] == "string"
    assert kinds["json_value"] == kinds["inputs"] == kinds["evaluator"] == "json"


def test_pandas_dtypes_and_cells() -> None:
    import pandas as pd

    df = to_pandas(ROWS)
    assert isinstance(df["created_at"].dtype, pd.DatetimeTZDtype)
    assert str(df["created_at"].dtype.tz) == "UTC"
    assert df["created_at"].tolist() == [
        pd.Timestamp("2024-05-01T12:00:00Z"),
        pd.Timestamp("2024-05-01T12:30:00Z"),
    ]
    assert df["numerical_value"].dtype == "float64"
    assert df["value"].dtype == "float64"  # every value is a numerical_value
    assert df["value"].tolist() == [4.0, 2.5]
    assert df["is_passed"].dtype == "boolean"
    assert bool(df["is_passed"][0]) is True
    assert df["is_passed"].isna().tolist() == [False, True]
    assert df["prompt_version_number"].dtype == "Int64"
    assert df["evaluator_slug"].dtype == "string"
    assert json.loads(df["inputs"][0]) == ROWS[0]["inputs"]  # nested objects: JSON text
    assert json.loads(df["evaluator"][0]) == {"score_value_type": "numerical"}
    assert df["inputs"].isna().tolist() == [False, True]


def test_polars_dtypes() -> None:
    import polars as pl

    df = to_polars(MIXED)
    assert df.schema["created_at"] == pl.Datetime("us", "UTC")
    assert df.schema["numerical_value"] == pl.Float64
    assert df.schema["is_passed"] == pl.Boolean
    assert df.schema["boolean_value"] == pl.Boolean
    assert df.schema["categorical_value"] == pl.List(pl.String)
    assert df.schema["prompt_version_number"] == pl.Int64
    assert df.schema["json_value"] == pl.String
    assert df["categorical_value"].to_list()[3] == ["a", "b"]
    assert df["created_at"][1] == datetime(2024, 5, 1, 12, 30, tzinfo=UTC)


def test_mixed_value_fields_give_json_text_of_score_value() -> None:
    import pandas as pd

    for frame in (to_pandas(MIXED), to_polars(MIXED)):
        values = list(frame["value"])
        decoded = [None if v is None or v is pd.NA else json.loads(v) for v in values]
        assert decoded == [score_value(row) for row in MIXED]
        assert decoded == [4, 2.5, False, ["a", "b"], "fine", {"rating": 5}, None]


@pytest.mark.parametrize(
    ("rows", "dtype"),
    [
        ([{"id": "b", "created_at": "2024-05-01T00:00:00Z", "boolean_value": True}], "boolean"),
        ([{"id": "c", "created_at": "2024-05-01T00:00:00Z", "categorical_value": ["x"]}], object),
        ([{"id": "t", "created_at": "2024-05-01T00:00:00Z", "string_value": "ok"}], "string"),
        ([], "string"),  # no value at all: JSON text, like a mix
    ],
)
def test_one_value_field_types_the_value_column(rows: list[dict[str, Any]], dtype: Any) -> None:
    assert to_pandas(rows)["value"].dtype == dtype


def test_models_and_dicts_give_the_same_frame() -> None:
    models = [Score.from_dict(row) for row in MIXED]
    assert to_polars(models).equals(to_polars(MIXED))
    assert to_pandas(models).equals(to_pandas(MIXED))


def test_a_naive_timestamp_is_utc_and_nan_stays_nan() -> None:
    import pandas as pd

    rows = [{"id": "n", "created_at": "2024-05-01T09:00:00", "numerical_value": math.nan}]
    df = to_pandas(rows)
    assert df["created_at"][0] == pd.Timestamp("2024-05-01T09:00:00Z")
    assert math.isnan(df["value"][0]) and math.isnan(df["numerical_value"][0])


def test_parquet_round_trip_keeps_types_and_cells(tmp_path: Path) -> None:
    import pandas as pd
    import polars as pl
    import pyarrow as pa
    import pyarrow.parquet as pq

    target = tmp_path / "scores.parquet"
    rows = [{**row, "id": f"{row['id']}_{n}"} for n in range(4) for row in MIXED]  # 28 rows
    assert write_parquet(iter(rows), target, row_group_size=10) == 28
    parquet = pq.ParquetFile(target)
    assert parquet.num_row_groups == 3  # 10 + 10 + 8
    assert parquet.schema_arrow.names == list(column_names())
    assert parquet.schema_arrow.field("created_at").type == pa.timestamp("us", tz="UTC")
    assert parquet.schema_arrow.field("categorical_value").type == pa.list_(pa.string())
    assert pl.read_parquet(target).equals(to_polars(rows))
    assert pd.read_parquet(target)["created_at"].tolist() == to_pandas(rows)["created_at"].tolist()
    assert not list(tmp_path.glob("*.staging"))


def test_parquet_value_is_typed_when_one_field(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    target = tmp_path / "quality.parquet"
    write_parquet(ROWS, target)
    table = pq.read_table(target)
    assert table.schema.field("value").type == pa.float64()
    assert table.column("value").to_pylist() == [4.0, 2.5]
    empty = tmp_path / "empty.parquet"
    assert write_parquet([], empty) == 0
    assert pq.read_table(empty).schema.names == list(column_names())


def test_parquet_memory_holds_one_row_group(tmp_path: Path) -> None:
    """Ten times the scores, about the same peak: rows are not all kept (generous bound)."""

    def rows(n: int) -> Iterator[dict[str, Any]]:
        for i in range(n):
            yield {**ROWS[0], "id": f"s{i}", "log_id": f"log_{i}" * 5}

    def peak(n: int) -> int:
        tracemalloc.start()
        try:
            write_parquet(rows(n), tmp_path / f"{n}.parquet", row_group_size=500)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak(100)  # imports and caches, outside the measure
    small, large = peak(2_000), peak(20_000)
    assert large < 3 * small, (small, large)


@pytest.mark.parametrize(
    ("missing", "call"),
    [
        ("pandas", lambda: to_pandas(ROWS)),
        ("polars", lambda: to_polars(ROWS)),
        ("pyarrow", lambda: write_parquet(ROWS, Path("unused.parquet"))),
    ],
)
def test_a_missing_extra_names_it(monkeypatch: pytest.MonkeyPatch, missing: str, call: Any) -> None:
    monkeypatch.setitem(sys.modules, missing, None)  # importing it now raises ImportError
    with pytest.raises(ImportError) as caught:
        call()
    assert missing in str(caught.value)
    assert EXTRA_HINT in str(caught.value)
    assert "respan-evals[frames]" in str(caught.value)


def _two_pages(api: FakeAPI) -> None:
    base = "https://api.respan.ai/api/scores/list/"
    api.script(
        "POST",
        "/api/scores/list/",
        httpx.Response(200, json=page(ROWS[:1], f"{base}?page=2")),
        httpx.Response(200, json=page(ROWS[1:], None)),
    )


def test_from_iter_filter(client: Respan, api: FakeAPI) -> None:
    import pandas as pd

    _two_pages(api)
    df = to_pandas(client.scores.iter_filter(filters={}))
    assert df["id"].tolist() == ["s1", "s2"]
    assert df["value"].tolist() == [4.0, 2.5]
    assert df["type"][0] == "llm"  # a ScoreType enum in the model: its text
    assert df["type"].isna().tolist() == [False, True]
    assert isinstance(df["created_at"].dtype, pd.DatetimeTZDtype)


async def test_from_async_iter_filter(aclient: AsyncRespan, api: FakeAPI) -> None:
    import polars as pl

    _two_pages(api)
    df = to_polars([s async for s in aclient.scores.iter_filter(filters={})])
    assert df["id"].to_list() == ["s1", "s2"]
    assert df["value"].to_list() == [4.0, 2.5]
    assert df["type"].to_list() == ["llm", None]
    assert df.schema["created_at"] == pl.Datetime("us", "UTC")
