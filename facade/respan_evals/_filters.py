"""Build filters in Respan's standard format from Django-style keyword arguments.

    >>> filters(evaluator_slug="quality", numerical_value__gte=3)  # doctest: +NORMALIZE_WHITESPACE
    {'evaluator_slug': {'operator': '', 'value': ['quality']},
     'numerical_value': {'operator': 'gte', 'value': [3]}}

Several conditions are combined with AND (the format has no OR).
"""

from __future__ import annotations

from collections.abc import Mapping

from ._errors import RespanValidationError

__all__ = ["OPERATORS", "condition", "filters"]

# The 13 documented operators; "" is equality.
OPERATORS: frozenset[str] = frozenset(
    {
        "",
        "iexact",
        "lt",
        "lte",
        "gt",
        "gte",
        "contains",
        "icontains",
        "startswith",
        "endswith",
        "in",
        "isnull",
        "not",
    }
)


def filters(**conditions: object) -> dict[str, dict[str, object]]:
    """One condition per keyword: `field` for equality, `field__<operator>` otherwise.

    >>> filters(metadata__user_id="u1", environment__in=["a", "b"], error_message__isnull=True)
    ... # doctest: +NORMALIZE_WHITESPACE
    {'metadata__user_id': {'operator': '', 'value': ['u1']},
     'environment': {'operator': 'in', 'value': ['a', 'b']},
     'error_message': {'operator': 'isnull', 'value': [True]}}

    Only a trailing `__<operator>` is split off, so `metadata__user_id` stays whole. A field
    whose own name ends in an operator (a metadata key called "in") needs `condition()`.
    A list or tuple is the value list as given; any other value is wrapped in a list.
    """
    built: dict[str, dict[str, object]] = {}
    for key, value in conditions.items():
        field, _, operator = key.rpartition("__")
        if not field or not operator or operator not in OPERATORS:
            field, operator = key, ""
        if field in built:
            raise RespanValidationError(
                f"two conditions on {field!r}; the filter format keeps one per field"
            )
        built.update(condition(field, operator, value))
    return built


def condition(field: str, operator: str, value: object) -> dict[str, dict[str, object]]:
    """One condition, for field names that are not Python identifiers.

    >>> condition("metadata__in", "", "x")
    {'metadata__in': {'operator': '', 'value': ['x']}}
    """
    if not isinstance(field, str) or not field:
        raise RespanValidationError(f"a filter field must be a non-empty str, got {field!r}")
    if operator not in OPERATORS:
        known = ", ".join(repr(op) for op in sorted(OPERATORS))
        raise RespanValidationError(f"unknown filter operator {operator!r}; known: {known}")
    return {field: {"operator": operator, "value": _values(field, operator, value)}}


def _values(field: str, operator: str, value: object) -> list[object]:
    if value is None:
        raise RespanValidationError(
            f"filter {field!r}: None is not a value; use {field}__isnull=True to match nulls"
        )
    if isinstance(value, Mapping | set | frozenset):
        raise RespanValidationError(
            f"filter {field!r}: pass a list, not a {type(value).__name__}, as the values"
        )
    values = list(value) if isinstance(value, list | tuple) else [value]
    if not values:
        # Whether the server matches nothing or ignores the filter is unknown: refuse to guess.
        raise RespanValidationError(f"filter {field!r}: the value list is empty")
    if operator == "isnull" and not all(isinstance(v, bool) for v in values):
        raise RespanValidationError(f"filter {field!r}: isnull takes True or False")
    return values
