"""Smoke run of benchmarks/ with tiny counts, so the harness does not rot.

Checks the result structure and the invariants (no row lost or duplicated, every exported row
seen once); never speeds: those are for `python benchmarks/run.py`, not for tests.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))


TINY: dict[str, dict[str, Any]] = {
    "startup": {"runs": 1, "importtime_runs": 1, "warmup": False},
    "overhead": {"calls": 20, "rounds": 2, "profile_calls": 10},
    "bulk": {
        "rows": 40,
        "rate_limit": 6000.0,
        "concurrency": 4,
        "ceiling_rows": 20,
        "latency": 0.005,
    },
    "memory": {"clients": 1, "rounds": 1},
    "outbox": {"latency_rows": 50, "threads": 2, "drain_rows": 20, "rate_limit": 6000.0},
    # No Prism here: npx would fetch it from the registry, and tests stay offline.
    "emulator": {"requests": 20, "rounds": 1, "concurrency": 2, "warmup": 20, "prism": False},
    "export": {"total_rows": 1_050, "mark": 300, "timed_rounds": 1},
}


@pytest.fixture(scope="module")
def run() -> Any:
    """benchmarks/run.py, imported here: it loads every benchmark and the emulator (a quarter
    second), which an xdist worker that collects this module without running it never needs."""
    import run

    return run


@pytest.fixture(scope="module")
def result(run: Any) -> dict[str, Any]:
    return run.run_all(TINY, log=lambda *a, **k: None)


def test_every_section_ran(run: Any, result: dict[str, Any]) -> None:
    sections = {r["section"] for r in result["rows"]}
    assert sections == set(run.SECTIONS)
    broken = [r for r in result["rows"] if r["what"].endswith("could not run")]
    assert not broken, broken
    for r in result["rows"]:
        assert set(r) == {"section", "what", "value", "unit", "target", "met", "note"}
        assert r["met"] in (True, False, None)
        assert r["value"] is not None or r["note"], r  # a missing figure says why
        if r["met"] is not None:
            assert r["target"], r
    assert result["targets"]["met"] + result["targets"]["missed"] == sum(
        r["met"] is not None for r in result["rows"]
    )
    json.loads(json.dumps(result, default=str))  # the JSON file can be written


def test_official_sdk_rows_present_or_explained(result: dict[str, Any]) -> None:
    import bench_common

    official = [r for r in result["rows"] if "official SDK" in r["what"]]
    assert official
    if not bench_common.official_sdk_available():
        assert all(r["note"] == bench_common.NOT_INSTALLED for r in official)


def test_bulk_loses_and_duplicates_nothing(result: dict[str, Any]) -> None:
    details = result["details"]["bulk"]
    runs = [*details["ceilings"], *details["runs"]]
    assert len(runs) == 4
    for r in runs:
        assert r["outcomes"] == r["rows"], r["label"]
        assert r["missing_outcomes"] == 0 and r["duplicate_outcomes"] == 0, r["label"]
        assert r["lost_in_store"] == 0 and r["duplicated_in_store"] == 0, r["label"]
        assert r["wrong_value_in_store"] == 0 and r["stray_in_store"] == 0, r["label"]
        assert r["failed"] == 0, (r["label"], r["failed_examples"])
        assert r["created"] == r["rows"], r["label"]
        assert not r["server_violations"], r["server_violations"]


def test_export_yields_every_row_once(result: dict[str, Any]) -> None:
    details = result["details"]["export"]
    total = TINY["export"]["total_rows"]
    for t in details["timed"]:
        assert t["rows"] == total
        assert t["pages"] == -(-total // 100)
        assert t["distinct_first_1000"] == 1000
    assert details["traced"]["rows"] == total
    assert details["traced"]["peak_growth_after_mark_mb"] >= 0


def test_overhead_variants_answer(result: dict[str, Any]) -> None:
    med = result["details"]["overhead"]["median_us"]
    assert {
        "(a) raw httpx + json.loads",
        "(b) generated sync_detailed",
        "(c) facade scores.retrieve",
        "(d) facade score_log (value_type given)",
        "(c2) facade scores.retrieve, caller's http_client",
        "(d2) facade score_log, caller's http_client",
    } <= set(med)
    assert all(v > 0 for v in med.values())


def test_table_and_json_from_the_command(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The export section ran in full above; here only the command's table and file are checked.
    monkeypatch.setattr(run, "QUICK", {**TINY, "export": {**TINY["export"], "total_rows": 150}})
    out = tmp_path / "r.json"
    assert run.main(["--quick", "--only", "export", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "export: iter_filter throughput" in printed and "targets met:" in printed
    data = json.loads(out.read_text())
    assert data["mode"] == "quick" and {r["section"] for r in data["rows"]} == {"export"}
