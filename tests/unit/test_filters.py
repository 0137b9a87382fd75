"""Building filters in the standard Respan filter format."""

from __future__ import annotations

from typing import Any

import pytest

from respan_evals._errors import RespanValidationError
from respan_evals._filters import OPERATORS, condition, filters


def test_the_example_from_the_brief() -> None:
    assert filters(
        evaluator_slug="x",
        numerical_value__gte=3,
        metadata__user_id="u1",
        environment__in=["a", "b"],
        error_message__isnull=True,
    ) == {
        "evaluator_slug": {"operator": "", "value": ["x"]},
        "numerical_value": {"operator": "gte", "value": [3]},
        "metadata__user_id": {"operator": "", "value": ["u1"]},
        "environment": {"operator": "in", "value": ["a", "b"]},
        "error_message": {"operator": "isnull", "value": [True]},
    }


def test_thirteen_operators() -> None:
    assert len(OPERATORS) == 13
    assert "" in OPERATORS


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("cost", 0.01, {"cost": {"operator": "", "value": [0.01]}}),
        ("name__iexact", "Test", {"name": {"operator": "iexact", "value": ["Test"]}}),
        ("cost__lt", 100, {"cost": {"operator": "lt", "value": [100]}}),
        ("cost__lte", 100, {"cost": {"operator": "lte", "value": [100]}}),
        ("cost__gt", 100, {"cost": {"operator": "gt", "value": [100]}}),
        ("cost__gte", 100, {"cost": {"operator": "gte", "value": [100]}}),
        ("name__contains", "kw", {"name": {"operator": "contains", "value": ["kw"]}}),
        ("name__icontains", "kw", {"name": {"operator": "icontains", "value": ["kw"]}}),
        ("name__startswith", "chat_", {"name": {"operator": "startswith", "value": ["chat_"]}}),
        ("name__endswith", "_v2", {"name": {"operator": "endswith", "value": ["_v2"]}}),
        ("env__in", ("a", "b"), {"env": {"operator": "in", "value": ["a", "b"]}}),
        ("env__in", "a", {"env": {"operator": "in", "value": ["a"]}}),
        ("log_id__isnull", False, {"log_id": {"operator": "isnull", "value": [False]}}),
        ("status__not", "failed", {"status": {"operator": "not", "value": ["failed"]}}),
        ("is_passed", True, {"is_passed": {"operator": "", "value": [True]}}),
        ("metadata__user_id", "u", {"metadata__user_id": {"operator": "", "value": ["u"]}}),
        (
            "metadata__score__gte",
            3,
            {"metadata__score": {"operator": "gte", "value": [3]}},
        ),
        ("metadata__in", "x", {"metadata": {"operator": "in", "value": ["x"]}}),
        ("name__like", "x", {"name__like": {"operator": "", "value": ["x"]}}),
        ("name__", "x", {"name__": {"operator": "", "value": ["x"]}}),
        ("__gte", 3, {"__gte": {"operator": "", "value": [3]}}),
        (
            "categorical_value",
            ["a", "b"],
            {"categorical_value": {"operator": "", "value": ["a", "b"]}},
        ),
    ],
)
def test_one_keyword(key: str, value: object, expected: dict[str, Any]) -> None:
    assert filters(**{key: value}) == expected


def test_no_keywords_is_no_filter() -> None:
    assert filters() == {}


def test_value_lists_are_copies() -> None:
    values = ["a"]
    built = filters(env__in=values)
    values.append("b")
    assert built["env"]["value"] == ["a"]


def test_two_conditions_on_one_field_are_refused() -> None:
    with pytest.raises(RespanValidationError, match="two conditions on 'numerical_value'"):
        filters(numerical_value__gte=1, numerical_value__lte=5)


@pytest.mark.parametrize(
    ("key", "value", "match"),
    [
        ("log_id", None, "log_id__isnull=True"),
        ("env__in", [], "value list is empty"),
        ("env__in", (), "value list is empty"),
        ("env__in", {"a", "b"}, "pass a list, not a set"),
        ("meta", {"a": 1}, "pass a list, not a dict"),
        ("log_id__isnull", "yes", "isnull takes True or False"),
        ("log_id__isnull", 1, "isnull takes True or False"),
    ],
)
def test_refused_values(key: str, value: object, match: str) -> None:
    with pytest.raises(RespanValidationError, match=match):
        filters(**{key: value})


@pytest.mark.parametrize(
    ("field", "operator", "value", "expected"),
    [
        ("metadata__in", "", "x", {"metadata__in": {"operator": "", "value": ["x"]}}),
        ("my-field", "gte", 2, {"my-field": {"operator": "gte", "value": [2]}}),
        ("a b", "in", [1, 2], {"a b": {"operator": "in", "value": [1, 2]}}),
    ],
)
def test_condition(field: str, operator: str, value: object, expected: dict[str, Any]) -> None:
    assert condition(field, operator, value) == expected


@pytest.mark.parametrize("operator", ["eq", "=", "GTE", "like", "ne", " "])
def test_condition_rejects_unknown_operators(operator: str) -> None:
    with pytest.raises(RespanValidationError, match="unknown filter operator"):
        condition("cost", operator, 1)


@pytest.mark.parametrize("field", ["", None, 3])
def test_condition_rejects_bad_fields(field: object) -> None:
    with pytest.raises(RespanValidationError, match="non-empty str"):
        condition(field, "", 1)  # type: ignore[arg-type]


def test_conditions_merge_into_one_filter() -> None:
    merged = {**filters(cost__gte=1), **condition("odd-name", "", "v")}
    assert merged == {
        "cost": {"operator": "gte", "value": [1]},
        "odd-name": {"operator": "", "value": ["v"]},
    }
