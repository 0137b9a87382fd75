"""The filter evaluator and the run rule, as pure functions (no server)."""

from __future__ import annotations

from typing import Any

import pytest

from respan_evals.testing._filters import OPERATORS, FilterError, matches, normalize_filters
from respan_evals.testing._spec import load_spec
from respan_evals.testing._values import ValueRules

run_values = ValueRules(load_spec()).run

RECORD = {
    "name": "Response Quality",
    "score": 3.5,
    "count": 7,
    "flag": True,
    "tags": ["a", "b"],
    "missing": None,
    "created_at": "2026-01-02T03:04:05Z",
    "metadata": {"user_id": "u1"},
}


@pytest.mark.parametrize(
    ("field", "operator", "value", "expected"),
    [
        ("name", "", ["Response Quality"], True),
        ("name", "", ["response quality"], False),
        ("name", "iexact", ["response QUALITY"], True),
        ("score", "lt", [4], True),
        ("score", "lte", [3.5], True),
        ("score", "gt", [3.5], False),
        ("score", "gte", 3.5, True),
        ("name", "contains", ["Quality"], True),
        ("name", "contains", ["quality"], False),
        ("name", "icontains", ["QUAL"], True),
        ("name", "startswith", ["Resp"], True),
        ("name", "endswith", ["ity"], True),
        ("count", "in", [1, 7], True),
        ("name", "in", "Other,Response Quality", True),  # text form of `in`
        ("missing", "isnull", [True], True),
        ("name", "isnull", [False], True),
        ("name", "not", ["Other"], True),
        ("count", "not", [7], False),
        ("flag", "", ["true"], True),
        ("count", "", ["7"], True),
        ("tags", "", ["b"], True),
        ("tags", "contains", ["a"], True),
        ("created_at", "gte", ["2026-01-01"], True),
        ("metadata__user_id", "", ["u1"], True),
        ("nope", "", ["x"], False),
        ("missing", "gt", [1], False),
    ],
)
def test_operators(field: str, operator: str, value: Any, expected: bool) -> None:
    filters = normalize_filters({field: {"operator": operator, "value": value}})
    assert matches(RECORD, filters) is expected


def test_all_13_operators_are_known() -> None:
    assert len(OPERATORS) == 13


def test_bad_filters() -> None:
    for bad in (
        [],
        {"x": 1},
        {"x": {"operator": "between", "value": [1]}},
        {"x": {"operator": ""}},
    ):
        with pytest.raises(FilterError):
            normalize_filters(bad)


def test_run_rule_is_stable() -> None:
    version = {"score_value_type": "numerical", "score_config": {"min_score": 1, "max_score": 5}}
    inputs = {"input": "q", "output": "a"}
    first = run_values(version, inputs)
    assert first == run_values(version, {"output": "a", "input": "q"})
    assert 1 <= first["numerical_value"] <= 5
    discrete = {
        "score_value_type": "numerical",
        "score_config": {"choices": [{"name": "x", "value": 2}]},
    }
    assert run_values(discrete, inputs)["numerical_value"] == 2.0
    no_choices = run_values({"score_value_type": "single_select"}, inputs)["categorical_value"]
    assert no_choices[0].startswith("choice_")
