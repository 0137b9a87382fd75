"""The standard Respan filter format: normalisation and evaluation against plain dicts."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["OPERATORS", "FilterError", "lookup", "matches", "normalize_filters"]

OPERATORS: tuple[str, ...] = (
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
)

Normalized = dict[str, dict[str, Any]]
_MISSING = object()


class FilterError(ValueError):
    """A filter that is not in the standard format; `field` names where it broke."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def normalize_filters(filters: object, *, where: str = "filters") -> Normalized:
    """Check a filter object and return it with every `value` as a list."""
    if filters is None:
        return {}
    if not isinstance(filters, Mapping):
        raise FilterError(where, "Expected an object keyed by field name.")
    out: Normalized = {}
    for field, cond in filters.items():
        if not isinstance(field, str) or not field:
            raise FilterError(where, "Field names must be non-empty strings.")
        if not isinstance(cond, Mapping):
            raise FilterError(f"{where}.{field}", 'Expected {"operator": ..., "value": [...]}.')
        operator = cond.get("operator", "")
        if operator is None:
            operator = ""
        if not isinstance(operator, str) or operator not in OPERATORS:
            allowed = ", ".join(repr(op) for op in OPERATORS)
            raise FilterError(
                f"{where}.{field}.operator", f"Unknown operator {operator!r}; use one of {allowed}."
            )
        if "value" not in cond:
            raise FilterError(f"{where}.{field}.value", "This field is required.")
        value = cond["value"]
        values = list(value) if isinstance(value, list | tuple) else [value]
        if operator == "in" and len(values) == 1 and isinstance(values[0], str):
            values = [part.strip() for part in values[0].split(",")]
        if not values and operator not in ("in", "not"):
            raise FilterError(f"{where}.{field}.value", "At least one value is required.")
        out[field] = {"operator": operator, "value": values}
    return out


def lookup(record: Mapping[str, Any], field: str) -> Any:
    """Read `field` from `record`; `a__b` walks into nested objects (`metadata__key`)."""
    if field in record:
        return record[field]
    current: Any = record
    for part in field.split("__"):
        if isinstance(current, Mapping) and part in current:
            current = current[part]
        else:
            return None
    return current


def matches(record: Mapping[str, Any], filters: Normalized) -> bool:
    """True when every condition holds (conditions are ANDed)."""
    return all(
        _condition(lookup(record, field), cond["operator"], cond["value"])
        for field, cond in filters.items()
    )


def _condition(actual: Any, operator: str, values: list[Any]) -> bool:
    if operator == "isnull":
        want_null = _truthy(values[0])
        return (actual is None) == want_null
    if operator == "not":
        return not any(_equal(actual, v) for v in values)
    if actual is None:
        return False
    if operator == "in":
        return any(_equal(actual, v) for v in values)
    if operator == "":
        return any(_equal(actual, v) for v in values)
    if operator == "iexact":
        return any(_equal(actual, v, fold=True) for v in values)
    if operator in _ORDER:
        return any(_ordered(actual, v, _ORDER[operator]) for v in values[:1])
    return any(_text(actual, v, operator) for v in values)


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def _coerce(actual: Any, wanted: Any) -> Any:
    """Make `wanted` comparable with `actual` (e.g. "true" vs True, "3" vs 3)."""
    if isinstance(actual, bool):
        if isinstance(wanted, str):
            low = wanted.strip().lower()
            if low in ("true", "false"):
                return low == "true"
        return wanted
    if isinstance(actual, int | float) and isinstance(wanted, str):
        try:
            return float(wanted)
        except ValueError:
            return wanted
    if isinstance(actual, str) and isinstance(wanted, bool):
        return "true" if wanted else "false"
    if isinstance(actual, str) and isinstance(wanted, int | float):
        return str(wanted)
    return wanted


def _equal(actual: Any, wanted: Any, *, fold: bool = False) -> bool:
    if isinstance(actual, list):
        return any(_equal(item, wanted, fold=fold) for item in actual)
    wanted = _coerce(actual, wanted)
    if isinstance(actual, bool) != isinstance(wanted, bool):
        return False
    if fold and isinstance(actual, str) and isinstance(wanted, str):
        return actual.casefold() == wanted.casefold()
    return bool(actual == wanted)


_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
}


def _ordered(actual: Any, wanted: Any, op: Callable[[Any, Any], bool]) -> bool:
    if isinstance(actual, list):
        return any(_ordered(item, wanted, op) for item in actual)
    wanted = _coerce(actual, wanted)
    if isinstance(actual, bool) or isinstance(wanted, bool):
        return False
    if isinstance(actual, int | float) and isinstance(wanted, int | float):
        if isinstance(actual, float) and math.isnan(actual):
            return False
        return op(actual, wanted)
    if isinstance(actual, str) and isinstance(wanted, str):
        return op(actual, wanted)
    return False


def _text(actual: Any, wanted: Any, operator: str) -> bool:
    if isinstance(actual, list):
        if operator in ("contains", "icontains"):
            return any(_equal(item, wanted, fold=operator == "icontains") for item in actual)
        return any(_text(item, wanted, operator) for item in actual)
    if isinstance(actual, bool) or not isinstance(actual, str | int | float):
        return False
    text = actual if isinstance(actual, str) else str(actual)
    needle = wanted if isinstance(wanted, str) else str(wanted)
    if operator in ("icontains",):
        return needle.casefold() in text.casefold()
    if operator == "contains":
        return needle in text
    if operator == "startswith":
        return text.startswith(needle)
    return text.endswith(needle)
