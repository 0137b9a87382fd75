"""Import and export follow the generated facts: a field or type the spec adds needs no CLI edit.

The facts are swapped here for the ones a later spec would generate (issue 12, scenario a: Score
gains `reviewed_at`; scenario c: a `ranking` value type with its own `ranking_value` field). If
any CLI module kept its own copy of the tables, these would miss the new names.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from respan_evals.cli._export import csv_value, run_export, score_columns
from respan_evals.cli._import import ImportResult, _Importer
from respan_evals.cli._journal import Journal
from respan_evals.cli._output import Output
from respan_evals.cli._read import FileFormat, read_rows
from respan_evals_api import facts

RANKING = facts.ValueType(name="ranking", field="ranking_value", check="string_list")
RANKED = ["b", "a", "c"]
REVIEWED_AT = "2025-06-01T12:30:00Z"


@pytest.fixture
def later_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(facts, "VALUE_TYPES", {**facts.VALUE_TYPES, "ranking": RANKING})
    monkeypatch.setattr(facts, "VALUE_FIELDS", (*facts.VALUE_FIELDS, "ranking_value"))
    monkeypatch.setattr(
        facts, "SCORE_FIELDS", (*facts.SCORE_FIELDS, "ranking_value", "reviewed_at")
    )


def ranked_score() -> dict[str, Any]:
    """A score as the API would return it under the later spec: every field, one value set."""
    score: dict[str, Any] = dict.fromkeys(facts.SCORE_FIELDS)
    score.update(
        id="score_r1",
        log_id="log_1",
        evaluator_id="evl_rank",
        evaluator_slug="ranker",
        ranking_value=RANKED,
        reviewed_at=REVIEWED_AT,
    )
    return score


def export(path: Path, fmt: str, rows: list[dict[str, Any]]) -> Path:
    result = run_export(
        rows, fmt="csv" if fmt == "csv" else "jsonl", output=Output(), out_path=path
    )
    assert result.count == len(rows)
    return path


def test_the_csv_header_is_the_score_schema() -> None:
    columns = score_columns()
    assert [c for c in columns if c != "value"] == list(facts.SCORE_FIELDS)
    assert columns.count("value") == 1
    assert columns.index("value") < min(columns.index(f) for f in facts.VALUE_FIELDS)


@pytest.mark.usefixtures("later_spec")
def test_csv_export_has_the_new_field_and_value(tmp_path: Path) -> None:
    path = export(tmp_path / "s.csv", "csv", [ranked_score()])
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        (row,) = list(reader)
    assert reader.fieldnames is not None
    assert {"reviewed_at", "ranking_value"} <= set(reader.fieldnames)
    assert row["reviewed_at"] == REVIEWED_AT
    assert json.loads(row["ranking_value"]) == RANKED
    assert json.loads(row["value"]) == RANKED  # a JSON array in the cell, order kept


@pytest.mark.usefixtures("later_spec")
def test_jsonl_export_has_the_new_keys(tmp_path: Path) -> None:
    path = export(tmp_path / "s.jsonl", "jsonl", [ranked_score()])
    (row,) = [json.loads(line) for line in path.read_text().splitlines()]
    assert row["reviewed_at"] == REVIEWED_AT
    assert row["ranking_value"] == RANKED


@pytest.mark.usefixtures("later_spec")
def test_the_value_column_reads_the_new_field() -> None:
    assert csv_value({"ranking_value": ["only"]}) == "only"  # one plain item: a one-item list
    assert csv_value({"ranking_value": RANKED}) == '["b", "a", "c"]'


def importer(tmp_path: Path, source: Path, fmt: FileFormat) -> _Importer:
    """An importer whose one evaluator, evl_rank, has the new value type."""
    found = SimpleNamespace(evaluator_slug="ranker", score_value_type="ranking")
    client: Any = SimpleNamespace(evaluators=SimpleNamespace(retrieve=lambda ref: found))
    journal = Journal(tmp_path / "j", source=str(source), base_url="http://x", api_key="k")
    result = ImportResult(source, 1, tmp_path / "j", tmp_path / "rejects")
    return _Importer(client, source, fmt, journal, tmp_path / "rejects", Output(), result)


@pytest.mark.usefixtures("later_spec")
@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_an_exported_ranking_imports_back(tmp_path: Path, fmt: FileFormat) -> None:
    path = export(tmp_path / f"s.{fmt}", fmt, [ranked_score()])
    (src,) = list(read_rows(path, fmt))
    assert src.problem is None
    row = importer(tmp_path, path, fmt).to_score_row(src)
    assert row.value == RANKED
    assert (row.log_id, row.evaluator_id) == ("log_1", "evl_rank")


@pytest.mark.usefixtures("later_spec")
def test_a_jsonl_row_with_only_the_new_field_takes_its_value(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps({"log_id": "l", "evaluator": "r", "ranking_value": RANKED}) + "\n")
    (src,) = list(read_rows(path, "jsonl"))
    assert src.fields is not None and src.fields.value == RANKED
