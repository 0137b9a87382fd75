"""`respan-evals scores import`: good and bad rows, CSV, faults, rejects and the summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from respan_evals.testing import Emulator, FaultPlan

from .conftest import Run, read_jsonl, stored, upserts, write_jsonl


def test_good_rows_land_once_and_bad_rows_are_rejected_with_reasons(
    run: Run, emu: Emulator, seeded: dict[str, Any], good_rows: list[dict[str, Any]], tmp_path: Path
) -> None:
    rows: list[dict[str, Any] | str] = [*good_rows]
    rows.insert(3, {"log_id": "bad_1", "evaluator": "qualty", "value": 4})  # line 4
    rows.insert(9, {"log_id": "bad_2", "evaluator": "safe", "value": "yes"})  # line 10
    rows.insert(15, '{"log_id": "bad_3", "evaluator": "quality", "value": 4')  # line 16
    rows.insert(20, {"log_id": "bad_4", "evaluator": "quality", "value": 9})  # line 21
    rows.insert(25, {"evaluator": "quality", "value": 2})  # line 26
    rows.insert(30, "")  # a blank line is not a row
    source = write_jsonl(tmp_path / "scores.jsonl", rows)

    result = run("scores", "import", str(source))

    assert result.code == 1
    assert stored(emu) == sorted((r["log_id"], r["evaluator"]) for r in good_rows)
    rejects = read_jsonl(tmp_path / "scores.jsonl.rejects.jsonl")
    by_line = {r["line"]: r for r in rejects}
    assert sorted(by_line) == [4, 10, 16, 21, 26]
    assert "qualty" in by_line[4]["reason"]
    assert by_line[10]["reason"] == (
        "evaluator 'safe' (score_value_type 'boolean') cannot take 'yes': expected true or "
        'false, got the string "yes"'
    )
    assert by_line[16]["reason"].startswith("malformed JSON")
    assert "[1.0, 5.0]" in by_line[21]["reason"]
    assert by_line[26]["reason"] == "missing log_id"
    assert json.loads(by_line[21]["raw"]) == {"log_id": "bad_4", "evaluator": "quality", "value": 9}
    assert {r["status"] for r in rejects} == {"rejected"}
    # The summary: per evaluator and in total, and what to do next.
    assert "Import of scores.jsonl: 40 of 45 rows landed, 5 rejected, in " in result.out
    # The row without log_id names its evaluator: it is not an unreadable row.
    tallies = json.loads(run("scores", "import", str(source), "--json").out)["per_evaluator"]
    assert tallies["(unreadable rows)"]["rejected"] == 1  # line 16, malformed JSON
    assert tallies["quality"]["rejected"] == 2  # line 21 (out of range), line 26 (no log_id)
    # Listed in line order, though the rows finished out of order.
    listed = [
        int(line.split()[1].rstrip(":"))
        for line in result.out.splitlines()
        if line.startswith("  line ")
    ]
    assert listed == [4, 10, 16, 21, 26]
    assert [r["line"] for r in rejects] == [4, 10, 16, 21, 26]
    total = next(line for line in result.out.splitlines() if "total" in line)
    assert total.split() == ["│", "total", "│", "40", "│", "0", "│", "5", "│", "0", "│"]
    assert "line 21: evaluator 'quality'" in result.out
    assert "5 rows did not land" in result.out
    # Plain progress (stderr is not a terminal): one final line with the counts.
    assert "import scores.jsonl: 45/45 rows (100%)" in result.err
    assert "; created 40, rejected 5" in result.err


def test_every_row_landed_exits_0_and_a_rerun_sends_nothing(
    run: Run, emu: Emulator, seeded: dict[str, Any], good_rows: list[dict[str, Any]], tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "scores.jsonl", [*good_rows])
    first = run("scores", "import", str(source), "--json")
    assert first.code == 0
    summary = json.loads(first.out)
    assert summary["created"] == 40 and summary["ok"] is True
    assert summary["per_evaluator"]["quality"]["created"] == 20
    assert not (tmp_path / "scores.jsonl.rejects.jsonl").exists()
    sent = upserts(emu)

    again = run("scores", "import", str(source))
    assert again.code == 0
    assert upserts(emu) == sent  # nothing sent twice
    assert "skipped: 40 rows landed in an earlier run" in again.out
    assert "Every row landed (40)." in again.out

    # --restart sends everything again; the upsert updates the same scores.
    restarted = run("scores", "import", str(source), "--restart", "--json")
    assert json.loads(restarted.out)["updated"] == 40
    assert stored(emu) == sorted((r["log_id"], r["evaluator"]) for r in good_rows)


def test_csv_cells_are_read_by_the_evaluators_value_type(
    run: Run, emu: Emulator, seeded: dict[str, Any], tmp_path: Path
) -> None:
    source = tmp_path / "scores.csv"
    source.write_text(
        "log_id,evaluator,value,environment,explanation\n"
        "l1,quality,4.5,staging,fine\n"
        "l1,grounded,87,,\n"
        "l1,safe,TRUE,,\n"
        "l1,tone,calm,,\n"
        'l1,topics,"[""billing"", ""returns""]",,\n'
        'l1,note,"multi\nline, with comma",,\n'
        'l1,facts,"{""a"": [1, 2]}",,\n'
        "l2,safe,yes,,\n"
        "l2,quality,,,\n"
        "l2,quality,3,4\n"
        "l3,safe,maybe,,\n",
        encoding="utf-8",
    )
    result = run("scores", "import", str(source))

    assert result.code == 1
    scores = {s["evaluator_slug"]: s for s in emu.store.scores.values()}
    assert set(scores) == {"quality", "grounded", "safe", "tone", "topics", "note", "facts"}
    assert scores["quality"]["numerical_value"] == 4.5
    assert scores["quality"]["environment"] == "staging"
    assert scores["grounded"]["numerical_value"] == 87.0
    assert [
        s["boolean_value"]
        for s in emu.store.scores.values()
        if s["log_id"] != "l3" and s["evaluator_slug"] == "safe"
    ] == [True, True]
    assert scores["tone"]["categorical_value"] == ["calm"]
    assert scores["topics"]["categorical_value"] == ["billing", "returns"]
    assert scores["note"]["string_value"] == "multi\nline, with comma"
    assert json.loads(scores["facts"]["json_value"]) == {"a": [1, 2]}
    rejects = {r["line"]: r for r in read_jsonl(tmp_path / "scores.csv.rejects.jsonl")}
    # Line numbers count physical lines: the quoted newline in the `note` row takes two.
    assert sorted(rejects) == [11, 12, 13]  # `yes` is a boolean cell now
    assert rejects[13]["reason"] == (
        "evaluator 'safe' (boolean): expected true/false, yes/no, y/n or 1/0 (any case), "
        'got "maybe"'
    )
    assert rejects[13]["raw"] == {
        "log_id": "l3",
        "evaluator": "safe",
        "value": "maybe",
        "environment": "",
        "explanation": "",
    }
    assert rejects[11]["reason"] == "missing value"
    assert rejects[12]["reason"] == "expected 5 cells (as in the header), got 4"
    # One lookup per evaluator by the command (value types, unknown names), one by the facade.
    lookups = [r for r in emu.requests if r.path == "/api/evaluators/list/"]
    assert len(lookups) == 2 * 7


@pytest.mark.respan_emulator(
    faults=FaultPlan(
        seed=11,
        error_rate=0.05,
        burst_429=4,
        drop_after_write_rate=0.05,
        only_paths=("/api/logs/",),  # the score writes (the facade retries no filter POST)
        retry_after=0,  # no waiting in tests
    )
)
def test_injected_faults_still_land_every_row_once(
    run: Run, emu: Emulator, seeded: dict[str, Any], good_rows: list[dict[str, Any]], tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "scores.jsonl", [*good_rows])
    result = run("--max-retries", "8", "scores", "import", str(source), "--json")

    assert result.code == 0, result.out
    assert stored(emu) == sorted((r["log_id"], r["evaluator"]) for r in good_rows)
    kinds = {f.kind for f in emu.fault_log}
    assert {"burst_429", "error", "drop_after_write"} <= kinds
    summary = json.loads(result.out)
    # A dropped answer is retried; the retry finds the score the first attempt wrote.
    assert summary["created"] + summary["updated"] + summary["landed_unclear"] == 40
    assert upserts(emu) > 40


def test_server_refusals_and_failures_are_told_apart(
    run: Run, emu: Emulator, seeded: dict[str, Any], tmp_path: Path
) -> None:
    rows: list[dict[str, Any] | str] = [
        {"log_id": "l1", "evaluator_id": "evl_does_not_exist", "value": 1},
        {"log_id": "l2", "evaluator": "quality", "value": 4, "value_type": "numerical"},
    ]
    source = write_jsonl(tmp_path / "scores.jsonl", rows)
    emu.set_faults(FaultPlan(error_rate=1.0, only_paths=("/api/logs/l2/",)))
    result = run("--max-retries", "0", "scores", "import", str(source), "--json")

    assert result.code == 1
    summary = json.loads(result.out)
    assert (summary["rejected"], summary["failed"]) == (1, 1)
    rejects = {r["line"]: r for r in read_jsonl(tmp_path / "scores.jsonl.rejects.jsonl")}
    assert rejects[1]["status"] == "rejected"
    assert (
        rejects[1]["reason"] == "unknown evaluator 'evl_does_not_exist' (no evaluator has this id)"
    )
    assert rejects[2]["status"] == "failed" and "50" in rejects[2]["reason"]

    emu.clear_faults()
    again = run("scores", "import", str(source), "--json")
    assert json.loads(again.out)["created"] == 1  # the failed row lands on the next run


def test_a_mistyped_evaluator_costs_one_lookup_not_one_per_row(
    run: Run, emu: Emulator, seeded: dict[str, Any], tmp_path: Path
) -> None:
    rows: list[dict[str, Any] | str] = [
        {"log_id": f"l{n}", "evaluator": "qualty", "value": 3} for n in range(30)
    ]
    source = write_jsonl(tmp_path / "scores.jsonl", rows)
    result = run("scores", "import", str(source), "--json")
    assert result.code == 1
    assert json.loads(result.out)["per_evaluator"]["qualty"]["rejected"] == 30
    assert len(emu.requests) == 1  # the one lookup; no score was sent
    reasons = {r["reason"] for r in read_jsonl(tmp_path / "scores.jsonl.rejects.jsonl")}
    assert reasons == {"unknown evaluator 'qualty' (no evaluator has this slug)"}
