"""`respan-evals scores export`: every matching score, streamed, JSONL, CSV or Parquet."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from respan_evals import Respan, score_value
from respan_evals.cli._context import CliError
from respan_evals.cli._export import (
    EXPORT_FORMATS,
    ExportResult,
    choose_format,
    iter_export_rows,
    run_export,
    score_columns,
)
from respan_evals.cli._output import Output
from respan_evals.testing import Emulator
from respan_evals.testing.cli import EXIT_MISSING_EXTRA
from respan_evals_api import facts

from .conftest import FAKE_KEY, USER, Run, read_jsonl, write_jsonl

# pandas, polars and pyarrow are imported by the tests that use them: every xdist worker
# collects this module, and only the one that runs it needs their half second of imports.


@pytest.fixture
def scores(emu: Emulator, seeded: dict[str, Any]) -> list[dict[str, Any]]:
    """250 scores (more than two pages of 100) over three evaluators, written in the store."""
    out = []
    for n in range(100):
        log = f"log_{n:03d}"
        out.append(
            emu.store.upsert_log_score(
                log, {"evaluator_slug": "quality", "numerical_value": 1 + n % 5}, USER
            )[0]
        )
        out.append(
            emu.store.upsert_log_score(
                log, {"evaluator_slug": "safe", "boolean_value": n % 3 != 0}, USER
            )[0]
        )
        if n % 2 == 0:
            out.append(
                emu.store.upsert_log_score(
                    log,
                    {"evaluator_slug": "topics", "categorical_value": ["billing", "returns"]},
                    USER,
                )[0]
            )
    return out


def test_export_by_evaluator_matches_the_store(
    run: Run, emu: Emulator, scores: list[dict[str, Any]], tmp_path: Path
) -> None:
    target = tmp_path / "quality.jsonl"
    result = run("scores", "export", "--evaluator", "quality", "-o", str(target))

    assert result.code == 0
    exported = read_jsonl(target)
    expected = {s["id"]: s for s in emu.store.scores.values() if s["evaluator_slug"] == "quality"}
    assert len(exported) == len(expected) == 100
    assert {s["id"] for s in exported} == set(expected)
    for score in exported:
        assert score["numerical_value"] == expected[score["id"]]["numerical_value"]
        assert score["is_passed"] == expected[score["id"]]["is_passed"]
    pages = [r for r in emu.requests if r.path == "/api/scores/list/"]
    assert len(pages) == 1  # 100 a page
    assert f"exported 100 scores to {target}" in result.err
    assert not list(tmp_path.glob("*.partial"))


def test_export_with_a_filter_and_several_evaluators_as_csv(
    run: Run, emu: Emulator, scores: list[dict[str, Any]], tmp_path: Path
) -> None:
    target = tmp_path / "out.csv"
    flt = json.dumps({"is_passed": {"operator": "", "value": [False]}})
    result = run(
        "scores",
        "export",
        "--filter",
        flt,
        "--evaluator",
        "safe",
        "--evaluator",
        "quality",
        "-o",
        str(target),
    )
    assert result.code == 0
    with target.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected = {
        s["id"]
        for s in emu.store.scores.values()
        if s["evaluator_slug"] in ("safe", "quality") and s["is_passed"] is False
    }
    assert {r["id"] for r in rows} == expected and len(rows) == len(expected) > 0
    safe = next(r for r in rows if r["evaluator_slug"] == "safe")
    assert (safe["value"], safe["boolean_value"], safe["is_passed"]) == ("false", "false", "false")


def test_export_to_stdout_and_import_back(
    run: Run, emu: Emulator, scores: list[dict[str, Any]], tmp_path: Path
) -> None:
    result = run("scores", "export", "--log-id", "log_004", "--quiet")
    assert result.code == 0
    assert result.err == ""
    exported = [json.loads(line) for line in result.out.splitlines()]
    assert sorted(s["evaluator_slug"] for s in exported) == ["quality", "safe", "topics"]

    # What `export` writes, `import` reads: the value comes from the value field.
    moved = [{**s, "log_id": "log_copy"} for s in exported]
    source = write_jsonl(tmp_path / "copy.jsonl", [*moved])
    imported = run("scores", "import", str(source), "--json")
    assert imported.code == 0, imported.out
    copy = {s["evaluator_slug"]: s for s in emu.store.scores.values() if s["log_id"] == "log_copy"}
    assert copy["topics"]["categorical_value"] == ["billing", "returns"]
    assert copy["quality"]["numerical_value"] == 5.0


def test_csv_export_imports_back(
    run: Run, emu: Emulator, scores: list[dict[str, Any]], tmp_path: Path
) -> None:
    target = tmp_path / "log.csv"
    assert run("scores", "export", "--log-id", "log_002", "-o", str(target)).code == 0
    text = target.read_text().replace("log_002", "log_csv")
    target.write_text(text)
    result = run("scores", "import", str(target), "--json")
    assert result.code == 0, result.out
    copy = {s["evaluator_slug"]: s for s in emu.store.scores.values() if s["log_id"] == "log_csv"}
    assert copy["topics"]["categorical_value"] == ["billing", "returns"]
    assert copy["safe"]["boolean_value"] is True
    assert copy["quality"]["numerical_value"] == 3.0


def test_csv_has_a_column_for_every_score_field_jsonl_has(
    run: Run, emu: Emulator, scores: list[dict[str, Any]], tmp_path: Path
) -> None:
    as_csv, as_jsonl = tmp_path / "log.csv", tmp_path / "log.jsonl"
    assert run("scores", "export", "--log-id", "log_000", "-o", str(as_csv)).code == 0
    assert run("scores", "export", "--log-id", "log_000", "-o", str(as_jsonl)).code == 0
    with as_csv.open(newline="") as handle:
        reader = csv.DictReader(handle)
        rows = {r["id"]: r for r in reader}
    assert reader.fieldnames == list(score_columns())
    assert set(reader.fieldnames) - {"value"} == set(facts.SCORE_FIELDS)
    exported = read_jsonl(as_jsonl)
    assert {s["id"] for s in exported} == set(rows) and len(rows) == 3
    for score in exported:
        assert set(score) <= set(facts.SCORE_FIELDS)  # no key without its column
        for name in facts.VALUE_FIELDS:
            assert (rows[score["id"]][name] == "") == (score.get(name) is None)


def test_a_one_choice_multi_select_exported_as_csv_imports_back(
    run: Run, emu: Emulator, seeded: dict[str, Any], tmp_path: Path
) -> None:
    emu.store.upsert_log_score(
        "log_one", {"evaluator_slug": "topics", "categorical_value": ["billing"]}, USER
    )
    target = tmp_path / "one.csv"
    assert run("scores", "export", "--log-id", "log_one", "-o", str(target)).code == 0
    with target.open(newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["value"] == "billing"  # one plain choice, for people
    target.write_text(target.read_text().replace("log_one", "log_two"))
    result = run("scores", "import", str(target), "--json")
    assert result.code == 0, result.out
    (copy,) = [s for s in emu.store.scores.values() if s["log_id"] == "log_two"]
    assert copy["categorical_value"] == ["billing"]


def test_a_bad_filter_is_one_line(run: Run, emu: Emulator) -> None:
    result = run("scores", "export", "--filter", "{not json")
    assert result.code == 2
    assert result.err.startswith("error: --filter is not valid JSON")
    assert result.err.count("\n") == 1
    clash = run(
        "scores",
        "export",
        "--filter",
        '{"log_id": {"operator": "", "value": ["a"]}}',
        "--log-id",
        "b",
    )
    assert clash.code == 2 and "already has a condition on log_id" in clash.err


def test_the_value_column_is_the_field_score_value_reads(
    run: Run, emu: Emulator, seeded: dict[str, Any], tmp_path: Path
) -> None:
    """Several value fields set (an old row): the one the score's type names, as score_value."""
    score, _ = emu.store.upsert_log_score(
        "log_old", {"evaluator_slug": "note", "string_value": "Good response"}, USER
    )
    stored = emu.store.scores[score["id"]]
    stored.update(numerical_value=4.5, boolean_value=True, type="human_text")
    target = tmp_path / "old.csv"
    assert run("scores", "export", "--log-id", "log_old", "-o", str(target)).code == 0
    with target.open(newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["value"] == "Good response" == score_value(stored)
    assert (row["numerical_value"], row["boolean_value"]) == ("4.5", "true")


def test_a_json_value_is_exported_as_its_json_text(
    run: Run, emu: Emulator, seeded: dict[str, Any], tmp_path: Path
) -> None:
    """score_value decodes json_value; the CSV cell keeps the text, which imports back as is."""
    score, _ = emu.store.upsert_log_score(
        "log_json", {"evaluator_slug": "facts", "json_value": '"just text"'}, USER
    )
    target = tmp_path / "json.csv"
    assert run("scores", "export", "--log-id", "log_json", "-o", str(target)).code == 0
    with target.open(newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["value"] == '"just text"' and score_value(score) == "just text"
    target.write_text(target.read_text().replace("log_json", "log_json2"))
    assert run("scores", "import", str(target), "--json").code == 0
    (copy,) = [s for s in emu.store.scores.values() if s["log_id"] == "log_json2"]
    assert copy["json_value"] == '"just text"'


def test_an_unknown_evaluator_is_an_error_not_an_empty_export(
    run: Run, emu: Emulator, scores: list[dict[str, Any]], tmp_path: Path
) -> None:
    target = tmp_path / "typo.jsonl"
    result = run("scores", "export", "--evaluator", "no_such_eval", "-o", str(target))
    assert result.code == 2, result
    assert "error: no evaluator with slug 'no_such_eval'" in result.err
    assert "respan-evals evaluators list" in result.err
    assert not target.exists() and not list(tmp_path.glob("*.partial"))

    # With a good one beside it: still an error, and no half export is left behind.
    both = run(
        "scores", "export", "--evaluator", "quality", "--evaluator", "qualty", "-o", str(target)
    )
    assert both.code == 2 and "no evaluator with slug 'qualty'" in both.err
    assert "'quality'" not in both.err
    assert not target.exists()


def test_a_known_evaluator_without_scores_exports_nothing_and_succeeds(
    run: Run, emu: Emulator, scores: list[dict[str, Any]]
) -> None:
    result = run("scores", "export", "--evaluator", "note")  # exists, holds no scores
    assert result.code == 0, result
    assert result.out == ""
    assert "exported 0 scores" in result.err


def test_the_scores_of_a_deleted_evaluator_still_export(
    run: Run, emu: Emulator, seeded: dict[str, Any], scores: list[dict[str, Any]]
) -> None:
    emu.store.delete_evaluator(seeded["topics"]["id"])  # the API keeps its scores
    result = run("scores", "export", "--evaluator", "topics", "--quiet")
    assert result.code == 0, result
    assert len(result.out.splitlines()) == 50


# --format parquet: the run_export path the command takes (the typed columns of to_pandas).


def _parquet_export(emu: Emulator, target: Path, **flt: Any) -> ExportResult:
    with Respan(api_key=FAKE_KEY, base_url=emu.base_url) as client:
        return run_export(
            iter_export_rows(client, flt), fmt="parquet", output=Output(), out_path=target
        )


def test_parquet_export_has_typed_columns_matching_the_store(
    emu: Emulator, scores: list[dict[str, Any]], tmp_path: Path
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    target = tmp_path / "scores.parquet"
    result = _parquet_export(emu, target)

    assert result.count == 250 and result.destination == str(target)
    table = pq.read_table(target)
    assert table.schema.names == list(score_columns())
    assert table.schema.field("created_at").type == pa.timestamp("us", tz="UTC")
    assert table.schema.field("numerical_value").type == pa.float64()
    assert table.schema.field("boolean_value").type == pa.bool_()
    assert table.schema.field("categorical_value").type == pa.list_(pa.string())
    assert table.schema.field("value").type == pa.string()  # three value fields: JSON text
    by_id = {row["id"]: row for row in table.to_pylist()}
    assert set(by_id) == {s["id"] for s in emu.store.scores.values()}
    for stored in emu.store.scores.values():
        row = by_id[stored["id"]]
        assert json.loads(row["value"]) == score_value(stored)
        assert row["numerical_value"] == stored.get("numerical_value")
        assert row["categorical_value"] == stored.get("categorical_value")
        assert row["is_passed"] == stored.get("is_passed")
    assert not list(tmp_path.glob("*.partial*"))


def test_parquet_export_of_one_evaluator_types_value(
    emu: Emulator, scores: list[dict[str, Any]], tmp_path: Path
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    target = tmp_path / "quality.parquet"
    _parquet_export(emu, target, evaluator_slug={"operator": "", "value": ["quality"]})
    table = pq.read_table(target)
    assert table.num_rows == 100
    assert table.schema.field("value").type == pa.float64()
    assert table.column("value").to_pylist() == table.column("numerical_value").to_pylist()


def test_parquet_needs_an_output_file_and_pyarrow(
    emu: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(CliError, match="needs -o FILE") as no_file:
        run_export(iter([]), fmt="parquet", output=Output(), out_path=None)
    assert no_file.value.exit_code == 2
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(CliError) as missing:
        _parquet_export(emu, tmp_path / "x.parquet")
    assert "pyarrow" in str(missing.value)
    assert "pip install 'respan-evals[frames]'" in str(missing.value)
    assert missing.value.exit_code == EXIT_MISSING_EXTRA
    assert all(r.path != "/api/scores/list/" for r in emu.requests)  # checked first
    assert not list(tmp_path.iterdir())


def test_the_format_comes_from_the_flag_or_the_extension() -> None:
    assert choose_format(None, Path("a.parquet")) == "parquet"
    assert choose_format(None, Path("a.CSV")) == "csv"
    assert choose_format(None, None) == "jsonl"
    assert choose_format("parquet", Path("a.jsonl")) == "parquet"
    assert set(EXPORT_FORMATS) == {"jsonl", "csv", "parquet"}
    with pytest.raises(CliError):
        choose_format("xlsx", None)


def test_export_to_parquet_from_the_command(
    run: Run, emu: Emulator, scores: list[dict[str, Any]], tmp_path: Path
) -> None:
    import pyarrow.parquet as pq

    target = tmp_path / "s.parquet"  # the format from the extension
    result = run("scores", "export", "-o", str(target))
    assert result.code == 0, result.err
    assert pq.read_table(target).num_rows == len(emu.store.scores) == 250
    assert "exported 250 scores" in result.err
