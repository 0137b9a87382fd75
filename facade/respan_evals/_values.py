"""The one place a score's value field is chosen and its value checked.

    >>> profile = EvaluatorProfile("quality", "numerical", min_score=1, max_score=5, choices=None)
    >>> score_value_fields(4.5, profile)
    {'numerical_value': 4.5}

An evaluator's `score_value_type` decides which value field a score carries and which check its
value gets: both come from the spec (`x-respan-value-types`, generated into
`respan_evals_api.facts.VALUE_TYPES`). This module implements each check kind once. A value that
does not fit raises `ScoreValueError` before anything is sent.
"""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from respan_evals_api import facts

from ._errors import RespanValidationError, ScoreValueError

__all__ = [
    "CHECK_KINDS",
    "VALUE_FIELDS",
    "EvaluatorProfile",
    "check_value_type",
    "score_value_fields",
]

_RAW_FIELD_HINT = (
    "pass the field yourself: "
    "client.log_scores.upsert(log_id, evaluator_slug=..., numerical_value=...)"
)


class _ValueFields(Mapping[str, str]):
    """score_value_type -> its Score value field, as the generated facts declare it."""

    # Read on every use rather than copied at import: there is then no second table to drift,
    # and a test that swaps facts.VALUE_TYPES (a spec change, simulated) is seen everywhere.
    def __getitem__(self, value_type: str) -> str:
        return facts.VALUE_TYPES[value_type].field

    def __iter__(self) -> Iterator[str]:
        return iter(facts.VALUE_TYPES)

    def __len__(self) -> int:
        return len(facts.VALUE_TYPES)

    def __repr__(self) -> str:
        return f"VALUE_FIELDS({dict(self)!r})"


VALUE_FIELDS: Mapping[str, str] = _ValueFields()


@dataclass(frozen=True)
class EvaluatorProfile:
    """What a value check needs to know about an evaluator.

    >>> EvaluatorProfile.from_evaluator_dict({"evaluator_slug": "tone",
    ...     "score_value_type": "single_select",
    ...     "score_config": {"choices": [{"name": "Calm", "value": "calm"}]}}).choices
    ('calm',)
    """

    ref: str  # slug or id, for messages
    value_type: str
    min_score: float | None = None
    max_score: float | None = None
    choices: tuple[str, ...] | None = None  # None: not known, so not checked

    @classmethod
    def from_evaluator_dict(cls, d: Mapping[str, Any]) -> EvaluatorProfile:
        """Read an evaluator as the API returns it; missing or null pieces are tolerated."""
        config = d.get("score_config")
        config = config if isinstance(config, Mapping) else {}
        # An empty list of choices means "not configured", not "nothing is allowed".
        choices = _choice_values(config.get("choices")) or _choice_values(
            d.get("categorical_choices")
        )
        ref = next((d[k] for k in ("evaluator_slug", "id", "name") if d.get(k)), "?")
        value_type = d.get("score_value_type")
        return cls(
            ref=str(ref),
            value_type=str(value_type) if isinstance(value_type, str) else "",
            min_score=_number_or_none(config.get("min_score")),
            max_score=_number_or_none(config.get("max_score")),
            choices=choices or None,
        )


def check_value_type(value_type: str) -> str:
    """The request field for a score_value_type, once its check is known to exist.

    >>> check_value_type("percentage")
    'numerical_value'
    """
    _kind, problem = _kind_of(value_type)
    if problem is not None:
        raise RespanValidationError(problem)
    return VALUE_FIELDS[value_type]


def score_value_fields(value: object, profile: EvaluatorProfile) -> dict[str, object]:
    """Exactly one value field for `value`, checked against the evaluator.

    >>> tone = EvaluatorProfile("tone", "multi_select", choices=("calm", "warm"))
    >>> score_value_fields({"warm", "calm"}, tone)
    {'categorical_value': ['calm', 'warm']}

    The check is the one the spec names for the value type (its `check` kind):
    number/percentage: a finite real number (not a bool) within the configured bounds;
    a percentage's missing bounds default to 0 and 100.
    boolean: a bool only. single_choice: one choice, as "x" or ["x"].
    multi_choice: a list, tuple or set of distinct choices; an empty list means "no option
    selected" and is allowed. choices (legacy categorical): a choice or a list of choices.
    string_list (a ranking): a list or tuple of distinct str, order kept, each among the
    choices when the evaluator has any; a set is refused, it has no order.
    text: a str (not bytes). json: a dict, list or JSON scalar (serialised here),
    or a str that already holds valid JSON (sent as given).
    None is never a value: to clear a score, delete it.
    """
    kind, problem = _kind_of(profile.value_type)
    if problem is not None:
        raise _error(profile, value, problem)
    if value is None:
        expected = "a value; None is not one (to clear a score, delete it)"
        if kind == "json":
            expected += '; to store JSON null, pass the string "null"'
        raise _error(profile, value, expected)
    return {VALUE_FIELDS[profile.value_type]: _CHECKS[kind](value, profile)}


def _kind_of(value_type: str) -> tuple[str, str | None]:
    """The check kind of a value type, or why there is none (unknown type, or unknown kind)."""
    declared = facts.VALUE_TYPES.get(value_type)
    if declared is None:
        return "", _unknown_type(value_type)
    if declared.check not in _CHECKS:
        # The spec names a check this facade does not implement: refuse rather than guess.
        return "", (
            f"a value type this facade can check: the spec gives {value_type!r} the check "
            f"{declared.check!r}, which respan_evals does not implement (it implements "
            f"{', '.join(_CHECKS)}); {_RAW_FIELD_HINT}"
        )
    return declared.check, None


def _number(value: object, profile: EvaluatorProfile) -> float:
    return _bounded(value, profile, profile.min_score, profile.max_score)


def _percentage(value: object, profile: EvaluatorProfile) -> float:
    low = 0.0 if profile.min_score is None else profile.min_score
    high = 100.0 if profile.max_score is None else profile.max_score
    return _bounded(value, profile, low, high)


def _bounded(
    value: object, profile: EvaluatorProfile, low: float | None, high: float | None
) -> float:
    expected = f"a finite number in {_range(low, high)}"
    if _is_bool(value) or not isinstance(value, numbers.Real | Decimal):
        raise _error(profile, value, expected)
    try:
        number = float(value)
    except OverflowError:
        raise _error(profile, value, expected + " (this one is too large for a float)") from None
    except ValueError:  # Decimal("sNaN") refuses to become a float at all
        raise _error(profile, value, expected) from None
    if not math.isfinite(number):
        raise _error(profile, value, expected)
    if (low is not None and number < low) or (high is not None and number > high):
        raise _error(profile, value, expected)
    return number


def _boolean(value: object, profile: EvaluatorProfile) -> bool:
    if not _is_bool(value):
        raise _error(profile, value, "True or False (not 0/1 or a string)")
    return bool(value)


def _single_choice(value: object, profile: EvaluatorProfile) -> list[str]:
    expected = f"one choice{_choices_hint(profile)}, as a str or a one-item list"
    choice = value
    if isinstance(value, list | tuple):
        if len(value) != 1:
            raise _error(profile, value, f"{expected}; got {len(value)} values")
        choice = value[0]
    if not isinstance(choice, str):
        raise _error(profile, value, expected)
    return _in_choices([choice], profile, value)


def _multi_choice(value: object, profile: EvaluatorProfile) -> list[str]:
    expected = f"a list of distinct choices{_choices_hint(profile)}"
    items = value
    if isinstance(value, set | frozenset) and all(isinstance(v, str) for v in value):
        items = sorted(value)  # a set has no order; sort so the request is deterministic
    if not isinstance(items, list | tuple) or not all(isinstance(v, str) for v in items):
        raise _error(profile, value, expected)
    if len(set(items)) != len(items):
        raise _error(profile, value, f"{expected}; this one repeats a choice")
    return _in_choices(list(items), profile, value)


def _choices(value: object, profile: EvaluatorProfile) -> list[str]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise _error(profile, value, f"a choice or a list of choices{_choices_hint(profile)}")
    return _in_choices(list(values), profile, value)


def _string_list(value: object, profile: EvaluatorProfile) -> list[str]:
    expected = f"an ordered list of distinct strings{_choices_hint(profile)}"
    if isinstance(value, set | frozenset):
        raise _error(profile, value, f"{expected}; a set has no order, pass a list")
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise _error(profile, value, expected)
    if len(set(value)) != len(value):
        raise _error(profile, value, f"{expected}; this one repeats an item")
    for item in value:
        _check_utf8(item, profile, value)
    return _in_choices(list(value), profile, value)


def _text(value: object, profile: EvaluatorProfile) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        raise _error(profile, value, "a str, not bytes: decode it first (value.decode('utf-8'))")
    if not isinstance(value, str):
        raise _error(profile, value, "a str")
    _check_utf8(value, profile, value)
    return value


def _json(value: object, profile: EvaluatorProfile) -> str:
    if isinstance(value, str):
        try:
            json.loads(value, parse_constant=_reject_constant)
        except ValueError as e:
            raise _error(profile, value, f"a str holding valid JSON ({e})") from None
        _check_utf8(value, profile, value)
        return value
    if not isinstance(value, dict | list | tuple | int | float):  # bool is an int
        raise _error(profile, value, "a dict, list, str, number or bool that JSON can encode")
    try:
        text = json.dumps(value, allow_nan=False, separators=(",", ":"), ensure_ascii=False)
        # Keys JSON spells alike ({1: .., "1": ..}) would reach the server as one repeated key,
        # and one of the values would be lost.
        json.loads(text, object_pairs_hook=_unique_keys)
    except (TypeError, ValueError, RecursionError) as e:
        raise _error(profile, value, f"something JSON can encode ({e})") from None
    _check_utf8(text, profile, value)
    return text


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    keys = [key for key, _ in pairs]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise ValueError(f"keys that JSON spells the same: {repeated}")
    return dict(pairs)


# One check per kind the spec may name in x-respan-value-types (scripts/spec_facts.py CHECKS).
_CHECKS: Mapping[str, Callable[[object, EvaluatorProfile], object]] = {
    "number": _number,
    "percentage": _percentage,
    "boolean": _boolean,
    "single_choice": _single_choice,
    "multi_choice": _multi_choice,
    "choices": _choices,
    "string_list": _string_list,
    "text": _text,
    "json": _json,
}
CHECK_KINDS: frozenset[str] = frozenset(_CHECKS)


def _is_bool(value: object) -> bool:
    """A bool, or numpy's bool scalar (`bool_` before numpy 2, `bool` since), without numpy."""
    kind = type(value)
    return isinstance(value, bool) or (
        kind.__name__ in ("bool_", "bool") and kind.__module__.split(".")[0] == "numpy"
    )


def _in_choices(values: list[str], profile: EvaluatorProfile, original: object) -> list[str]:
    if profile.choices is None:
        return values
    unknown = [v for v in values if v not in profile.choices]
    if unknown:
        allowed = list(profile.choices)
        raise _error(profile, original, f"values among {allowed}; {unknown} not among them")
    return values


def _check_utf8(text: str, profile: EvaluatorProfile, original: object) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        expected = f"text that UTF-8 can encode (a lone surrogate at index {e.start})"
        raise _error(profile, original, expected) from None


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not valid JSON")


def _choices_hint(profile: EvaluatorProfile) -> str:
    return f" among {list(profile.choices)}" if profile.choices is not None else ""


def _range(low: float | None, high: float | None) -> str:
    low_text = "-inf" if low is None else repr(float(low))
    high_text = "inf" if high is None else repr(float(high))
    return f"[{low_text}, {high_text}]"


def _choice_values(raw: object) -> tuple[str, ...]:
    """The `value`s of [{name, value}], as strings (JSON spelling for true/false)."""
    if not isinstance(raw, list):
        return ()
    values = (c.get("value") for c in raw if isinstance(c, Mapping))
    return tuple(json.dumps(v) if isinstance(v, bool) else str(v) for v in values if v is not None)


def _number_or_none(raw: object) -> float | None:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        return None
    try:
        number = float(raw)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _unknown_type(value_type: str) -> str:
    if not value_type:
        return f"the evaluator reported no score_value_type; {_RAW_FIELD_HINT}"
    return (
        f"a known score_value_type: this facade does not know {value_type!r} yet "
        f"(it knows {', '.join(facts.VALUE_TYPES)}); {_RAW_FIELD_HINT}"
    )


def _error(profile: EvaluatorProfile, value: object, expected: str) -> ScoreValueError:
    return ScoreValueError(
        evaluator=profile.ref, value_type=profile.value_type, value=value, expected=expected
    )
