"""`respan-evals report`: the table, Markdown and JSON of planted scores, and the CI gate's exit."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import Any

import click
import pytest

from respan_evals import Comparison, Summary, summarize
from respan_evals.cli._report import (
    EXIT_GATE_FAILED,
    HTML_MODULE,
    gate_failures,
    parse_points,
    parse_rate,
)
from respan_evals.testing import Emulator

from .conftest import USER, Run

PROD = {"environment": {"operator": "", "value": ["production"]}}
STAGING = json.dumps({"environment": {"operator": "", "value": ["staging"]}})


def _score(emu: Emulator, log: str, slug: str, value: dict[str, Any], env: str) -> None:
    emu.store.upsert_log_score(log, {"evaluator_slug": slug, "environment": env, **value}, USER)


@pytest.fixture
def planted(emu: Emulator, seeded: dict[str, Any]) -> None:
    """quality: 60% pass in production, 90% in staging (a regression); safe: 95% in both.

    small: 3 of 5 true in production, 4 of 5 in staging (a fall of 20 points, but noise).
    """
    emu.create_evaluator(USER, name="Small", evaluator_slug="small", score_value_type="boolean")
    for n in range(100):
        # quality passes at >= 3: production 60 pass (3,4,5 ...), staging 90 pass.
        _score(emu, f"p{n}", "quality", {"numerical_value": 3 if n < 60 else 1}, "production")
        _score(emu, f"s{n}", "quality", {"numerical_value": 4 if n < 90 else 2}, "staging")
        _score(emu, f"p{n}", "safe", {"boolean_value": n < 95}, "production")
        _score(emu, f"s{n}", "safe", {"boolean_value": n < 95}, "staging")
    for n in range(5):
        _score(emu, f"p{n}", "small", {"boolean_value": n < 3}, "production")
        _score(emu, f"s{n}", "small", {"boolean_value": n < 4}, "staging")


def _report(run: Run, *args: str) -> Any:
    return run(
        "report",
        "--environment",
        "production",
        "--baseline-environment",
        "staging",
        *args,
    )


def test_markdown_names_the_regression_and_exits_4(run: Run, planted: None) -> None:
    result = _report(
        run,
        "--evaluator",
        "quality",
        "--evaluator",
        "safe",
        "--format",
        "markdown",
        "--fail-under",
        "80%",
        "--max-regression",
        "5",
    )

    assert result.code == EXIT_GATE_FAILED == 4, result.both
    md = result.out
    assert md.startswith("## Eval report\n")
    assert "**:x: Gate failed** (pass rate at least 80.0%; no fall of more than 5 points):" in md
    assert "- `quality`: pass rate 60.0% is under 80.0% (60/100 passed)" in md
    assert "- `quality`: pass rate fell 30.0 points (90.0% to 60.0%; larger than noise)" in md
    assert "`safe`:" not in md
    rows = {line.split(" | ")[0].lstrip("| "): line for line in md.splitlines() if "|" in line}
    assert "| 60/100 | 60.0% |" in rows["quality"]
    assert "| 90.0% | -30.0 pts (significant) |" in rows["quality"]
    assert rows["quality"].endswith("| :x: fail |")
    assert "| 95/100 | 95.0% |" in rows["safe"] and "+0.0 pts (noise)" in rows["safe"]
    assert rows["safe"].endswith("| ok |")
    assert "**Current:** 200 scores" in md and "**Baseline:** 200 scores" in md
    # The CI log (stderr) says the same when the Markdown goes to $GITHUB_STEP_SUMMARY.
    assert "error: gate failed (exit 4): quality: pass rate 60.0% is under 80.0%" in result.err
    assert "safe:" not in result.err


def test_json_holds_both_summaries_the_comparison_and_the_gate(run: Run, planted: None) -> None:
    result = _report(run, "--format", "json", "--fail-under", "0.9")

    assert result.code == 4, result.both
    data = json.loads(result.out)
    assert data["by"] == ["evaluator"]
    assert data["current"]["filters"] == PROD
    assert data["baseline"]["filters"] == json.loads(STAGING)
    gate = data["gate"]
    assert gate["passed"] is False and gate["exit_code"] == 4 and gate["fail_under"] == 0.9
    assert [f["label"] for f in gate["failures"]] == ["quality", "small"]
    assert "is under 90.0%" in gate["failures"][0]["reason"]
    assert data["comparison"] is not None and data["current"]["summary"]["groups"]
    assert json.dumps(data["current"]["summary"]) == json.dumps(
        data["current"]["summary"], allow_nan=False
    )


def test_the_gate_passes_with_exit_0(run: Run, planted: None) -> None:
    result = _report(run, "--evaluator", "safe", "--fail-under", "90%", "--max-regression", "1")

    assert result.code == 0, result.both
    assert "Gate passed (pass rate at least 90.0%; no fall of more than 1 points)." in result.out
    row = next(line for line in result.out.splitlines() if line.startswith("│ safe "))
    assert "95/100" in row and "95%" in row and "█" in row and " ok " in row
    assert "error" not in result.err


def test_significant_only_lets_a_noisy_fall_pass(run: Run, planted: None) -> None:
    noisy = ("--evaluator", "small", "--max-regression", "5", "--format", "json")
    failed = _report(run, *noisy)
    assert failed.code == 4, failed.both
    (failure,) = json.loads(failed.out)["gate"]["failures"]
    assert failure["label"] == "small" and "fell 20.0 points" in failure["reason"]
    assert "within noise" in failure["reason"]

    passed = _report(run, *noisy, "--significant-only")
    assert passed.code == 0, passed.both
    assert json.loads(passed.out)["gate"]["failures"] == []


def test_terminal_table_without_a_baseline(run: Run, planted: None) -> None:
    result = run("report", "--environment", "production")

    assert result.code == 0, result.both
    out = result.out
    quality = next(line for line in out.splitlines() if line.startswith("│ quality "))
    assert "60/100" in quality and "60%" in quality and "mean 2.2" in quality
    assert "█" * 12 + "░" * 8 in quality  # 60% of a 20-cell bar
    assert "baseline" not in out and "Gate" not in out


def test_group_by_environment_and_evaluator(run: Run, planted: None) -> None:
    result = run("report", "--evaluator", "quality", "--by", "evaluator", "--by", "environment")

    assert result.code == 0, result.both
    rows = [line for line in result.out.splitlines() if line.startswith("│ quality ")]
    assert len(rows) == 2
    assert "production" in rows[0] and "60/100" in rows[0]
    assert "staging" in rows[1] and "90/100" in rows[1]


def test_an_empty_current_set_fails_any_gate(run: Run, planted: None) -> None:
    result = run("report", "--environment", "nowhere", "--fail-under", "0.5")
    assert result.code == 4, result.both
    assert "no scores matched the current filter" in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--fail-under", "90"), "did you mean 90%?"),
        (("--fail-under", "lots"), "is not a rate"),
        (("--max-regression", "5"), "--max-regression needs a baseline"),
        (("--baseline", "[1]"), "--baseline must be a JSON object"),
        (("--evaluator", "qualty"), "no evaluator with slug 'qualty'"),
    ],
)
def test_bad_usage_exits_2(run: Run, planted: None, args: tuple[str, ...], message: str) -> None:
    result = run("report", *args)
    assert result.code == 2, result.both
    assert message in result.err


def test_html_goes_to_the_report_html_module(
    run: Run, planted: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Path, object, object]] = []
    fake = types.ModuleType(HTML_MODULE)
    fake.write_html = lambda path, summary, comparison: calls.append(  # type: ignore[attr-defined]
        (path, summary, comparison)
    )
    monkeypatch.setitem(sys.modules, HTML_MODULE, fake)
    target = tmp_path / "report.html"

    result = _report(run, "--html", str(target), "--format", "json")

    assert result.code == 0, result.both
    ((path, summary, comparison),) = calls
    assert path == target
    assert isinstance(summary, Summary) and isinstance(comparison, Comparison)
    assert f"wrote {target}" in result.err


def test_parse_rate_and_points() -> None:
    assert parse_rate("0.75") == 0.75 and parse_rate("75%") == 0.75 and parse_rate("0") == 0
    assert parse_points("5") == 5 and parse_points("2.5pp") == 2.5
    for bad in ("1.5", "-0.1", "101%", "nan"):
        with pytest.raises(click.BadParameter):
            parse_rate(bad)
    with pytest.raises(click.BadParameter):
        parse_points("-1")


def _scores(slug: str, passed: int, failed: int, unknown: int = 0) -> list[dict[str, Any]]:
    flags = [True] * passed + [False] * failed + [None] * unknown
    return [{"evaluator_slug": slug, "boolean_value": True, "is_passed": f} for f in flags]


def test_gate_failures_on_known_summaries() -> None:
    current = summarize([*_scores("a", 8, 2), *_scores("b", 5, 5), *_scores("c", 0, 0, 3)])
    baseline = summarize([*_scores("a", 9, 1), *_scores("b", 90, 10)])
    comparison = current.compare(baseline)

    assert gate_failures(current, comparison, fail_under=None, max_regression=None) == ()
    under = gate_failures(current, None, fail_under=0.8, max_regression=None)
    assert [f.key for f in under] == [("b",)]  # a is exactly at 80%; c has no pass rate
    fell = gate_failures(current, comparison, fail_under=None, max_regression=10)
    assert [f.key for f in fell] == [("b",)]  # a fell exactly 10 points: allowed
    assert "fell 40.0 points (90.0% to 50.0%" in fell[0].reason
    assert gate_failures(summarize([]), None, fail_under=0.1, max_regression=None)[0].key == ()
