"""score_value: a score's value, from whichever value field its type uses.

    >>> score_value({"numerical_value": 4.5, "boolean_value": None})
    4.5
    >>> score_value({"json_value": '{"rating": 5}'})
    {'rating': 5}

A Score has one field per kind of value (`respan_evals_api.facts.VALUE_FIELDS`, from the spec)
and does not say which evaluator value type it was written for, so the field is chosen thus:
- `value_type=` given (the evaluator's `score_value_type`, when the caller knows it): that type's
  field, even when it is null (the score then holds no value of that type: None);
- otherwise the one non-null value field; None when there is none;
- several non-null fields (old rows, and the docs' own example, set them all): the field of the
  value type the score itself names, when it names one (`evaluator.score_value_type` on id-scoped
  answers; a `type` that is a value type, as a run result's is, or a legacy `human_<value type>`),
  else the first of them in the facts' order (numerical, boolean, categorical, string, json).
It never raises for what a server sent: export code runs over every row, odd ones included.

`json_value` is JSON text: it is decoded (`'"yes"'` -> 'yes', `'null'` -> None); a value that is
already decoded, or text that is not JSON, is returned as it is.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

from respan_evals_api import facts

from ._errors import RespanValidationError

if TYPE_CHECKING:  # the models (and attrs) load with the first request, not with the package
    from respan_evals_api.models import EvaluatorRunResult, Score

    ScoreLike: TypeAlias = Score | EvaluatorRunResult | Mapping[str, Any]

__all__ = ["JSON_FIELD", "score_value", "score_value_field"]

JSON_FIELD = "json_value"  # the field whose value travels as JSON text
_LEGACY_PREFIX = "human_"  # legacy score types: human_numerical, human_boolean, ...


def score_value(score: ScoreLike, *, value_type: str | None = None) -> Any:
    """The value `score` holds, from the field its value type uses (see the module's text).

    >>> score_value({"numerical_value": 4.5, "string_value": "Good"}, value_type="text")
    'Good'
    """
    field = score_value_field(score, value_type=value_type)
    if field is None:
        return None
    value = _read(score, field)
    if field == JSON_FIELD and isinstance(value, str):
        try:
            return json.loads(value)
        except (ValueError, RecursionError):  # not JSON text after all: hand back what came
            return value
    return value


def score_value_field(score: ScoreLike, *, value_type: str | None = None) -> str | None:
    """The name of the value field `score_value` reads, or None when no field is set.

    >>> score_value_field({"boolean_value": True, "string_value": "ok", "type": "human_text"})
    'string_value'
    """
    if value_type is not None:
        declared = facts.VALUE_TYPES.get(str(value_type))
        if declared is None:
            known = ", ".join(facts.VALUE_TYPES)
            raise RespanValidationError(
                f"unknown score_value_type {str(value_type)!r}: expected one of {known}"
            )
        return declared.field
    present = [name for name in facts.VALUE_FIELDS if _read(score, name) is not None]
    if len(present) <= 1:
        return present[0] if present else None
    hinted = _hinted_field(score)
    return hinted if hinted in present else present[0]


def _hinted_field(score: ScoreLike) -> str | None:
    """The value field of the value type the score names about itself, if it names one."""
    evaluator = _read(score, "evaluator")
    for hint in (_read(evaluator, "score_value_type"), _read(score, "type")):
        if hint is None:
            continue
        name = str(hint)  # a generated StrEnum reads as its value
        declared = facts.VALUE_TYPES.get(name) or facts.VALUE_TYPES.get(
            name.removeprefix(_LEGACY_PREFIX) if name.startswith(_LEGACY_PREFIX) else ""
        )
        if declared is not None:
            return declared.field
    return None


def _read(obj: object, name: str) -> Any:
    """`name` of a mapping or a generated model (whose `type` is `type_`); None when unset."""
    if obj is None:
        return None
    if isinstance(obj, Mapping):
        return obj.get(name)
    from respan_evals_api.types import Unset  # loaded already: a model exists

    value = getattr(obj, name, None)
    if value is None and name == "type":
        value = getattr(obj, "type_", None)
    if value is None:  # a field the model keeps among its unknown ones
        extra = getattr(obj, "additional_properties", None)
        value = extra.get(name) if isinstance(extra, Mapping) else None
    return None if isinstance(value, Unset) else value
