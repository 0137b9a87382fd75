"""`respan-evals demo`: runs offline, exits 0, and its numbers are the example file's."""

from __future__ import annotations

import json
import math
import re
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from respan_evals.cli import main
from respan_evals.cli._demo import (
    DEMO_EVALUATORS,
    EXPECTED_REJECTS,
    demo_data_path,
    real_run_estimate,
)


def expected_pass_counts() -> dict[str, tuple[int, int]]:
    """(passed, scored) per evaluator with passing conditions, from the example file itself."""
    passes: dict[str, Callable[[Any], bool]] = {
        "helpfulness": lambda v: v >= 3,
        "groundedness": lambda v: v >= 70,
        "is_safe": lambda v: v is True,
        "tone": lambda v: v in ("professional", "friendly", "neutral"),
    }
    counts: dict[str, list[int]] = {slug: [0, 0] for slug in passes}
    for number, line in enumerate(demo_data_path().read_text().splitlines(), start=1):
        if number in EXPECTED_REJECTS:
            continue
        row = json.loads(line)
        if row["evaluator"] in passes:
            counts[row["evaluator"]][1] += 1
            counts[row["evaluator"]][0] += bool(passes[row["evaluator"]](row["value"]))
    return {slug: (passed, scored) for slug, (passed, scored) in counts.items()}


def test_the_example_file_has_one_evaluator_of_each_type_and_six_planted_faults() -> None:
    lines = demo_data_path().read_text().splitlines()
    assert len(lines) == 356
    good = [json.loads(line) for n, line in enumerate(lines, 1) if n not in EXPECTED_REJECTS]
    assert Counter(r["evaluator"] for r in good) == {
        s["evaluator_slug"]: 50 for s in DEMO_EVALUATORS
    }
    assert len({(r["log_id"], r["evaluator"]) for r in good}) == 350
    value_types = {s["score_value_type"] for s in DEMO_EVALUATORS}
    assert value_types == {
        "numerical",
        "percentage",
        "boolean",
        "single_select",
        "multi_select",
        "text",
        "json",
    }


def test_demo_runs_offline_and_reports_the_right_numbers(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("RESPAN_API_KEY", raising=False)
    monkeypatch.setenv("RESPAN_BASE_URL", "https://unreachable.invalid")  # must not be used
    code = main(["demo", "--keep", str(tmp_path)])
    out, err = capsys.readouterr()

    assert code == 0, out + err
    assert "Demo OK: 350 good rows landed once each and came back in the export" in out
    assert "the 6 bad rows were rejected with their reasons" in out
    total = next(line for line in out.splitlines() if "│ total" in line)
    assert total.split()[1:] == ["total", "│", "350", "│", "0", "│", "6", "│", "0", "│"]
    for line_number, planted in EXPECTED_REJECTS.items():
        assert f"line {line_number:>3}  {planted}" in out
    assert "unknown evaluator 'helpfullness' (no evaluator has this slug)" in out
    assert "cannot take 7: expected a finite number in [1.0, 5.0]" in out
    assert f"350 scores written to {tmp_path / 'exported_scores.jsonl'}" in out
    assert f"Files kept in {tmp_path}: exported_scores.jsonl (the export)" in out
    # What the same import takes at the real limit: every request it sent, at 60 a minute.
    estimate = re.search(
        r"At Respan's documented limit of 60 requests a minute, the same import takes about "
        r"(\d+) minutes: (\d+) requests \(350 score writes, (\d+) evaluator lookups\)",
        out,
    )
    assert estimate is not None, out
    minutes, requests, lookups = map(int, estimate.groups())
    assert requests == 350 + lookups and 1 <= lookups <= 20
    assert minutes == math.ceil(requests / 60)
    pass_rates = out.split("4. Pass rate per evaluator")[1]
    for slug, (passed, scored) in expected_pass_counts().items():
        row = next(line for line in pass_rates.splitlines() if line.startswith(f"│ {slug} "))
        assert f"{passed}/{scored}" in row
        assert f"{passed / scored:.0%}" in row
    for slug in ("topics", "summary", "extraction"):
        row = next(line for line in pass_rates.splitlines() if line.startswith(f"│ {slug} "))
        assert "n/a" in row
    # The files the same code paths as `scores import` / `export` wrote.
    rejects = [json.loads(x) for x in (tmp_path / "demo_scores.jsonl.rejects.jsonl").open()]
    assert sorted(r["line"] for r in rejects) == sorted(EXPECTED_REJECTS)
    assert len((tmp_path / "exported_scores.jsonl").read_text().splitlines()) == 350
    assert "import demo_scores.jsonl: 356/356 rows (100%)" in err


def test_without_keep_the_files_stay_in_a_named_temporary_folder(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where mkdtemp makes its folder
    assert main(["demo", "--quiet"]) == 0
    out = capsys.readouterr().out
    (kept,) = tmp_path.glob("respan-evals-demo-*")
    export = kept / "exported_scores.jsonl"
    assert f"350 scores written to {export}" in out
    assert f"Files kept in {kept}: " in out and "--keep DIR puts them elsewhere" in out
    assert len(export.read_text().splitlines()) == 350  # still there after the demo ended
    assert (kept / "demo_scores.jsonl.rejects.jsonl").exists()


@pytest.mark.parametrize(
    ("requests", "writes", "took"),
    [(365, 350, "about 7 minutes"), (60, 55, "about 1 minute"), (30, 28, "under a minute")],
)
def test_real_run_estimate(requests: int, writes: int, took: str) -> None:
    text = real_run_estimate(requests, writes)
    assert f"takes {took}: {requests} requests ({writes} score writes, " in text
    assert f"{requests - writes} evaluator lookups" in text
