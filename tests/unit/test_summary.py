"""summarize and compare: statistics on known data, checked against numbers worked by hand."""

from __future__ import annotations

import datetime
import json
import math
import tracemalloc
from collections.abc import Iterator
from typing import Any

import pytest

from respan_evals import RespanValidationError
from respan_evals._summary import (
    EXACT_LIMIT,
    MEAN_METHOD,
    NO_VALUE,
    PASS_RATE_METHOD,
    Summary,
    quantile,
    summarize,
    t_two_sided_p,
    two_proportion_p,
    wilson_interval,
)
from respan_evals_api.models import Score


def _score(slug: str = "quality", **fields: Any) -> dict[str, Any]:
    return {"id": "s", "created_at": "2024-05-01T12:00:00Z", "evaluator_slug": slug, **fields}


def _only(summary: Summary) -> Any:
    assert len(summary.groups) == 1
    return summary.groups[0]


# ---- the statistics, by hand ----------------------------------------------------------------
def test_wilson_interval_matches_the_hand_computation() -> None:
    # 8/10, z^2 = 3.8415: centre (0.8 + 0.19207) / 1.38415 = 0.71674, half-width
    # 1.96 * sqrt(0.016 + 0.0096) / 1.38415 = 0.22658 -> (0.4902, 0.9433).
    low, high = wilson_interval(8, 10)
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)
    # 0/10 and 10/10: (0, 0.2775) and (0.7225, 1); the interval never leaves [0, 1].
    assert [round(x, 4) for x in wilson_interval(0, 10)] == [0.0, 0.2775]
    assert [round(x, 4) for x in wilson_interval(10, 10)] == [0.7225, 1.0]


def test_pass_counts_rate_and_interval() -> None:
    scores = [_score(is_passed=True)] * 8 + [_score(is_passed=False)] * 2
    scores += [_score(is_passed=None), _score()]  # null and absent: unknown
    g = _only(summarize(scores))
    assert (g.key, g.count, g.passed, g.failed, g.unknown) == (("quality",), 12, 8, 2, 2)
    assert g.pass_rate == 0.8
    assert g.pass_rate_interval is not None
    assert [round(x, 4) for x in g.pass_rate_interval] == [0.4902, 0.9433]


def test_no_verdicts_means_no_pass_rate() -> None:
    g = _only(summarize([_score(numerical_value=1.0)]))
    assert (g.unknown, g.pass_rate, g.pass_rate_interval) == (1, None, None)


def test_numerical_statistics_on_one_to_ten() -> None:
    g = _only(summarize([_score(numerical_value=float(v)) for v in range(1, 11)]))
    n = g.numbers
    assert g.value_type == "numerical" and n is not None
    # mean 5.5; median between 5 and 6; p10 at rank 0.9: 1 + 0.9; p90 at rank 8.1: 9 + 0.1.
    assert (n.count, n.mean, n.median, n.min, n.max) == (10, 5.5, 5.5, 1.0, 10.0)
    assert n.p10 == pytest.approx(1.9) and n.p90 == pytest.approx(9.1)
    # sum of squared deviations 82.5, / 9 = 9.1667, sqrt = 3.0277.
    assert n.stdev == pytest.approx(3.0277, abs=1e-4)
    # Integers spanning fewer than 20: one bin per integer, centred on it.
    assert n.histogram == tuple((v - 0.5, v + 0.5, 1) for v in range(1, 11))
    assert (g.share_true, g.choices) == (None, None)


def test_a_histogram_has_twenty_equal_bins_the_last_one_closed() -> None:
    g = _only(summarize([_score(numerical_value=v) for v in (0.0, 1.5, 10.0)]))
    h = g.numbers.histogram
    assert len(h) == 20
    assert all(high - low == pytest.approx(0.5) for low, high, _ in h)
    assert (h[0], h[3], h[19]) == ((0.0, 0.5, 1), (1.5, 2.0, 1), (9.5, 10.0, 1))
    assert sum(c for _, _, c in h) == 3


def test_one_value_is_one_bin() -> None:
    g = _only(summarize([_score(numerical_value=3.0)] * 4))
    assert g.numbers.histogram == ((3.0, 3.0, 4),)
    assert g.numbers.stdev == 0.0


def test_quantile_interpolates_linearly() -> None:
    assert quantile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert quantile([1.0, 2.0, 3.0, 4.0], 0.1) == pytest.approx(1.3)
    assert quantile([7.0], 0.9) == 7.0 and quantile([], 0.5) is None


def test_boolean_share_true() -> None:
    scores = [_score("safe", boolean_value=v) for v in (True, True, True, False)]
    g = _only(summarize(scores))
    assert (g.value_type, g.share_true, g.numbers, g.choices) == ("boolean", 0.75, None, None)


def test_select_counts_per_choice_and_the_type_the_score_names() -> None:
    single = [_score("verdict", categorical_value=[c]) for c in ("good", "good", "bad")]
    g = _only(summarize(single))
    # categorical_value is shared; nothing names the type: the first of facts.VALUE_TYPES.
    assert (g.value_type, g.choices) == ("single_select", {"bad": 1, "good": 2})
    multi = [
        _score("tags", categorical_value=["good", "okay"], evaluator={"score_value_type": "x"}),
        _score("tags", categorical_value=["okay"], evaluator={"score_value_type": "multi_select"}),
        _score("tags", categorical_value=[], type="multi_select"),
    ]
    g = _only(summarize(multi))
    assert (g.value_type, g.choices) == ("multi_select", {"good": 1, "okay": 2})


def test_percentage_text_and_json() -> None:
    g = _only(summarize([_score("cov", numerical_value=50.0, type="percentage")]))
    assert (g.value_type, g.numbers.mean) == ("percentage", 50.0)
    legacy = _only(summarize([_score("q", numerical_value=2.0, type="human_numerical")]))
    assert legacy.value_type == "numerical"
    for field, value, value_type in (
        ("string_value", "fine", "text"),
        ("json_value", '{"rating": 5}', "json"),
    ):
        g = _only(summarize([_score("x", **{field: value})] * 2))
        assert (g.value_type, g.count) == (value_type, 2)
        assert (g.numbers, g.share_true, g.choices) == (None, None, None)


def test_a_groups_value_type_is_its_most_common() -> None:
    scores = [_score(numerical_value=1.0), _score(boolean_value=True), _score(boolean_value=False)]
    g = _only(summarize(scores))
    assert g.value_type == "boolean" and g.share_true == 0.5 and g.numbers.count == 1
    assert _only(summarize([_score()])).value_type is None


# ---- grouping -------------------------------------------------------------------------------
def test_group_by_each_field() -> None:
    scores = [
        _score("a", environment="prod", prompt_version_number=10, dataset_id="d1"),
        _score("a", environment="dev", prompt_version_number=9, dataset_id="d1"),
        {"id": "s", "created_at": "2024-05-01T23:30:00-02:00", "evaluator_id": "ev_7"},
    ]

    def keys(*by: str) -> list[tuple[str, ...]]:
        return [g.key for g in summarize(scores, by=by).groups]

    assert keys("evaluator") == [("a",), ("ev_7",)]  # the id when there is no slug
    assert keys("environment") == [("dev",), ("prod",), (NO_VALUE,)]
    assert keys("prompt_version_number") == [("9",), ("10",), (NO_VALUE,)]  # numeric order
    assert keys("dataset_id") == [("d1",), (NO_VALUE,)]
    assert keys("day") == [("2024-05-01",), ("2024-05-02",)]  # 23:30 at -02:00 is UTC's next day
    assert keys("evaluator", "environment") == [("a", "dev"), ("a", "prod"), ("ev_7", NO_VALUE)]
    assert [g.count for g in summarize(scores, by=()).groups] == [3]
    assert summarize(scores, by="environment").by == ("environment",)  # a str is one field


def test_generated_models_group_by_day_in_utc() -> None:
    when = datetime.datetime(
        2024, 5, 1, 23, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=-2))
    )
    score = Score(id="s", created_at=when, evaluator_slug="q", numerical_value=4.0, is_passed=True)
    naive = Score(id="t", created_at=datetime.datetime(2024, 5, 1, 8), evaluator_slug="q")
    s = summarize([score, naive], by=("evaluator", "day"))
    assert [(g.key, g.count) for g in s.groups] == [
        (("q", "2024-05-01"), 1),
        (("q", "2024-05-02"), 1),
    ]
    numbers = s.groups[1].numbers
    assert numbers is not None and numbers.mean == 4.0 and s.groups[1].passed == 1


def test_an_unknown_by_field_is_refused() -> None:
    with pytest.raises(RespanValidationError, match="evaluator_slug"):
        summarize([], by=("evaluator_slug",))


# ---- compare ------------------------------------------------------------------------------
def _verdicts(passed: int, total: int, slug: str = "quality") -> list[dict[str, Any]]:
    return [_score(slug, is_passed=i < passed) for i in range(total)]


def test_a_planted_pass_rate_regression_is_flagged() -> None:
    # 70/100 against 90/100: pooled 0.8, se sqrt(0.16 * 0.02) = 0.05657, z = -3.54, p = 0.0004.
    change = summarize(_verdicts(70, 100)).compare(summarize(_verdicts(90, 100))).groups[0]
    assert change.pass_rate_delta == pytest.approx(-0.2)
    assert change.significant and change.method == PASS_RATE_METHOD
    assert two_proportion_p(70, 100, 90, 100) == pytest.approx(0.000407, abs=2e-5)


def test_no_change_and_a_small_change_are_not_flagged() -> None:
    same = summarize(_verdicts(80, 100)).compare(summarize(_verdicts(80, 100))).groups[0]
    assert (same.pass_rate_delta, same.significant) == (0.0, False)
    # 82/100 against 80/100: z = 0.02 / 0.0555 = 0.36, p = 0.72.
    small = summarize(_verdicts(82, 100)).compare(summarize(_verdicts(80, 100))).groups[0]
    assert small.pass_rate_delta == pytest.approx(0.02) and not small.significant
    # 45/100 against 30/100: pooled 0.375, se 0.06847, z = 2.19, p = 0.0285.
    assert two_proportion_p(45, 100, 30, 100) == pytest.approx(0.0285, abs=5e-4)


def test_a_planted_mean_regression_is_flagged_by_welch() -> None:
    current = [_score(numerical_value=v) for v in (4.9, 5.0, 5.1) * 10]
    baseline = [_score(numerical_value=v) for v in (7.9, 8.0, 8.1) * 10]
    change = summarize(current).compare(summarize(baseline)).groups[0]
    assert change.mean_delta == pytest.approx(-3.0)
    assert change.pass_rate_delta is None
    assert change.significant and change.method == MEAN_METHOD


def test_overlapping_means_are_not_flagged() -> None:
    # 1..10 against 3..12: t = -2 / sqrt(2 * 9.1667 / 10) = -1.477, df = 18, p = 0.157.
    current = [_score(numerical_value=float(v)) for v in range(1, 11)]
    baseline = [_score(numerical_value=float(v)) for v in range(3, 13)]
    change = summarize(current).compare(summarize(baseline)).groups[0]
    assert change.mean_delta == pytest.approx(-2.0) and not change.significant
    assert t_two_sided_p(-1.4771, 18) == pytest.approx(0.157, abs=1e-3)


def test_t_distribution_critical_values() -> None:
    # Table values of t at two-sided 0.05: df 1: 12.706, df 10: 2.228, df 30: 2.042.
    for t, df in ((12.706, 1), (2.228, 10), (2.042, 30)):
        assert t_two_sided_p(t, df) == pytest.approx(0.05, abs=2e-4)


def test_both_tests_are_named_when_both_apply() -> None:
    current = [_score(numerical_value=5.0, is_passed=True)] * 3
    change = summarize(current).compare(summarize(current)).groups[0]
    assert change.method == f"{PASS_RATE_METHOD}; {MEAN_METHOD}" and not change.significant


def test_groups_on_one_side_only_are_listed_not_tested() -> None:
    change = summarize(_verdicts(5, 10, "new")).compare(summarize(_verdicts(5, 10, "old")))
    assert [(c.key, c.current is None, c.baseline is None) for c in change.groups] == [
        (("new",), False, True),
        (("old",), True, False),
    ]
    assert not any(c.significant for c in change.groups)
    assert change.groups[0].method == "not tested: only in the current set"
    assert change.groups[0].pass_rate_delta is None


def test_compare_needs_the_same_grouping() -> None:
    with pytest.raises(RespanValidationError, match="grouped alike"):
        summarize([], by=("day",)).compare(summarize([]))


# ---- to_dict ------------------------------------------------------------------------------
def test_to_dict_is_json() -> None:
    scores = [_score(numerical_value=2.0, is_passed=True), _score(numerical_value=4.0)]
    summary = summarize(scores)
    d = json.loads(json.dumps(summary.to_dict()))
    assert d["by"] == ["evaluator"]
    g = d["groups"][0]
    assert g["key"] == ["quality"] and g["pass_rate"] == 1.0 and g["unknown"] == 1
    assert g["numbers"]["mean"] == 3.0 and g["numbers"]["histogram"][0] == [1.5, 2.5, 1]
    assert len(g["pass_rate_interval"]) == 2
    c = json.loads(json.dumps(summary.compare(summary).to_dict()))
    assert c["groups"][0]["significant"] is False and c["groups"][0]["baseline"]["count"] == 2


# ---- past the exact limit: a reservoir, constant memory -------------------------------------
def test_past_the_exact_limit_quantiles_come_from_a_repeatable_sample() -> None:
    total = EXACT_LIMIT * 3

    def scores() -> Iterator[dict[str, Any]]:
        return (_score(numerical_value=float(i)) for i in range(total))

    n = _only(summarize(scores())).numbers
    assert (n.count, n.min, n.max) == (total, 0.0, total - 1.0)
    assert n.mean == pytest.approx((total - 1) / 2)  # the moments stay exact
    # The rank of a sampled quantile is within ~1 percentile point (95%); 3 is generous.
    assert abs(n.median - total / 2) < 0.03 * total
    assert abs(n.p10 - total / 10) < 0.03 * total and abs(n.p90 - 0.9 * total) < 0.03 * total
    assert len(n.histogram) == 20 and sum(c for _, _, c in n.histogram) == total
    assert all(abs(c - total / 20) < 0.3 * total / 20 for _, _, c in n.histogram)
    assert _only(summarize(scores())).numbers == n  # seeded: the same answer every time


def test_summarizing_100000_scores_runs_in_constant_memory() -> None:
    # The export benchmark's method: how far traced memory rises past row 20,000 (by when
    # each group's sample is full) to the last row. A summary that kept its rows would add
    # 320 KB here (40,000 floats); the bounded state adds next to nothing.
    total, mark = 100_000, 20_000
    at_mark: list[int] = []
    peak_at_end: list[int] = []

    def scores() -> Iterator[dict[str, Any]]:
        for i in range(total):
            if i == mark:
                at_mark.append(tracemalloc.get_traced_memory()[0])
                tracemalloc.reset_peak()
            yield {
                "id": f"score_{i}",
                "created_at": "2024-05-01T12:00:00Z",
                "evaluator_slug": ("quality", "safe")[i % 2],
                "numerical_value": math.sin(i) * 10 if i % 2 == 0 else None,
                "boolean_value": i % 3 == 0 if i % 2 else None,
                "is_passed": i % 5 != 0,
            }
        peak_at_end.append(tracemalloc.get_traced_memory()[1])  # before result() sorts

    tracemalloc.start()
    try:
        summary = summarize(scores())
    finally:
        tracemalloc.stop()
    assert sum(g.count for g in summary.groups) == total
    growth = peak_at_end[0] - at_mark[0]
    assert growth < 150_000, f"memory rose {growth} bytes over {total - mark} scores"


def test_a_group_with_several_choices_in_a_score_is_multi_select() -> None:
    # categorical_value serves single_select and multi_select: two choices in one score, or a
    # mix of one-choice and two-choice scores, is a multi_select evaluator (like the demo's).
    rows = [
        {"evaluator_slug": "topics", "categorical_value": ["billing"], "is_passed": None},
        {"evaluator_slug": "topics", "categorical_value": ["billing", "returns"]},
        {"evaluator_slug": "topics", "categorical_value": ["returns"]},
        {"evaluator_slug": "tone", "categorical_value": ["calm"]},
    ]
    groups = {g.key: g for g in summarize(rows).groups}
    assert groups[("topics",)].value_type == "multi_select"
    assert groups[("topics",)].choices == {"billing": 2, "returns": 2}
    assert groups[("tone",)].value_type == "single_select"
