"""Score values per check kind: what a value must be, what a run produces, when it passes.

Which field a `score_value_type` uses and which check kind it gets come from the spec
(`x-respan-value-types`); this module implements each check kind once. A kind the spec names
and this module lacks fails `ValueRules(...)` (so the emulator does not start), naming it.

Run results are deterministic: digest = sha256 of the canonical JSON of `inputs` (sorted keys,
no spaces, UTF-8); u = first 8 bytes of the digest as an integer / 2**64, a number in [0, 1).
- number / percentage: min + u * (max - min), rounded to 2 decimals, min/max from score_config
  (defaults 0..1, or 0..100 for percentage); a `number` with numeric score_config.choices picks
  the choice at index int(u * len(choices)) instead.
- boolean: u >= 0.5.
- single_choice / choices: [the choice at index int(u * n)].
- multi_choice: the choices whose digest bit i (byte 8 + i // 8, bit i % 8) is set; if none is,
  the choice at index int(u * n). Choices come from score_config.choices, else
  categorical_choices, else one synthetic choice "choice_<first 8 hex of digest>".
- string_list: the choices (or three synthetic items) ordered by digest byte 8 + i.
- text: "Emulated evaluation <first 16 hex of digest>".
- json: JSON text of {"score": round(u, 4), "digest": <first 16 hex of digest>}.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ._body import BodyError, is_finite_number, loads
from ._errors import field_error
from ._spec import Spec, SpecError, ValueType

__all__ = ["KINDS", "Kind", "ValueRules", "canonical_json", "choice_text", "choices_of"]


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def choice_text(value: Any) -> str:
    """How a choice value is written in a list of choices (strings stay as they are)."""
    if isinstance(value, str):
        return value
    return json.dumps(value)


def choices_of(version: Mapping[str, Any]) -> list[dict[str, Any]]:
    config = version.get("score_config") or {}
    choices = config.get("choices") if isinstance(config, Mapping) else None
    if not choices:
        choices = version.get("categorical_choices") or []
    return [dict(c) for c in choices if isinstance(c, Mapping) and "value" in c]


@dataclass(frozen=True)
class _Draw:
    """The deterministic randomness of one run."""

    digest: bytes

    @property
    def u(self) -> float:
        return int.from_bytes(self.digest[:8], "big") / 2.0**64

    @property
    def hex(self) -> str:
        return self.digest.hex()

    def bit(self, i: int) -> bool:
        return bool(self.digest[8 + (i // 8) % 24] >> (i % 8) & 1)

    def byte(self, i: int) -> int:
        return self.digest[8 + i % 24]


@dataclass(frozen=True)
class Kind:
    """One check kind: `check(value, version, field)` raises a 400; `run` makes a value."""

    check: Callable[[Any, Mapping[str, Any], str], None]
    run: Callable[[Mapping[str, Any], _Draw], Any]
    passed: Callable[[Any], bool | None] = lambda value: None
    needs_choices: bool = False
    bounds: tuple[float, float] | None = None  # min_score/max_score must stay inside these


# ---- checks ---------------------------------------------------------------------------------
def _finite(value: Any, field: str) -> float:
    if not is_finite_number(value):
        raise field_error(field, "Must be a finite number.")
    return float(value)


def _range(version: Mapping[str, Any], hard: tuple[float, float] | None) -> tuple[Any, Any]:
    config = version.get("score_config") or {}
    low, high = config.get("min_score"), config.get("max_score")
    if hard is not None:
        low = hard[0] if low is None else max(low, hard[0])
        high = hard[1] if high is None else min(high, hard[1])
    return low, high


def _check_number(
    hard: tuple[float, float] | None,
) -> Callable[[Any, Mapping[str, Any], str], None]:
    def check(value: Any, version: Mapping[str, Any], field: str) -> None:
        number = _finite(value, field)
        low, high = _range(version, hard)
        if low is not None and number < low:
            raise field_error(field, f"Must be greater than or equal to min_score {low}.")
        if high is not None and number > high:
            raise field_error(field, f"Must be less than or equal to max_score {high}.")

    return check


def _check_boolean(value: Any, version: Mapping[str, Any], field: str) -> None:
    if not isinstance(value, bool):
        raise field_error(field, "Must be a boolean.")


def _check_text(value: Any, version: Mapping[str, Any], field: str) -> None:
    if not isinstance(value, str):
        raise field_error(field, "Must be a string.")


def _check_json(value: Any, version: Mapping[str, Any], field: str) -> None:
    if not isinstance(value, str):
        raise field_error(field, "Must be a JSON-encoded string.")
    try:
        loads(value)
    except BodyError as exc:
        raise field_error(field, f"Must be valid JSON text: {exc}.") from None


def _check_list(*, exactly_one: bool) -> Callable[[Any, Mapping[str, Any], str], None]:
    def check(value: Any, version: Mapping[str, Any], field: str) -> None:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise field_error(field, "Must be a list of strings.")
        if exactly_one and len(value) != 1:
            raise field_error(
                field, f"{version.get('score_value_type')} scores take exactly one choice."
            )
        if not value:
            raise field_error(field, "At least one choice is required.")
        if len(set(value)) != len(value):
            raise field_error(field, "Choices must not repeat.")
        allowed = [choice_text(c["value"]) for c in choices_of(version)]
        for item in value if allowed else []:
            if item not in allowed:
                raise field_error(
                    field, f"{item!r} is not one of the evaluator's choices {allowed}."
                )

    return check


# ---- runs -----------------------------------------------------------------------------------
def _run_number(default_max: float, *, discrete: bool) -> Callable[[Mapping[str, Any], _Draw], Any]:
    def run(version: Mapping[str, Any], draw: _Draw) -> Any:
        choices = choices_of(version)
        if discrete and choices:
            picked = choices[int(draw.u * len(choices))]["value"]
            if isinstance(picked, int | float) and not isinstance(picked, bool):
                return float(picked)
        config = version.get("score_config") or {}
        low = _num(config.get("min_score"), 0.0)
        high = _num(config.get("max_score"), default_max)
        if high < low:
            low, high = high, low
        return min(max(round(low + draw.u * (high - low), 2), low), high)

    return run


def _names(version: Mapping[str, Any], draw: _Draw) -> list[str]:
    return [choice_text(c["value"]) for c in choices_of(version)] or [f"choice_{draw.hex[:8]}"]


def _run_one(version: Mapping[str, Any], draw: _Draw) -> list[str]:
    names = _names(version, draw)
    return [names[int(draw.u * len(names))]]


def _run_some(version: Mapping[str, Any], draw: _Draw) -> list[str]:
    names = _names(version, draw)
    return [n for i, n in enumerate(names) if draw.bit(i)] or [names[int(draw.u * len(names))]]


def _run_ranking(version: Mapping[str, Any], draw: _Draw) -> list[str]:
    names = [choice_text(c["value"]) for c in choices_of(version)]
    names = names or [f"item_{k}_{draw.hex[:8]}" for k in range(3)]
    order = sorted(range(len(names)), key=lambda i: (draw.byte(i), i))
    return [names[i] for i in order]


def _num(value: Any, default: float) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return default


def _bool_or_none(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


KINDS: dict[str, Kind] = {
    "number": Kind(_check_number(None), _run_number(1.0, discrete=True)),
    "percentage": Kind(
        _check_number((0.0, 100.0)), _run_number(100.0, discrete=False), bounds=(0.0, 100.0)
    ),
    "boolean": Kind(_check_boolean, lambda v, d: d.u >= 0.5, passed=_bool_or_none),
    "single_choice": Kind(_check_list(exactly_one=True), _run_one, needs_choices=True),
    "multi_choice": Kind(_check_list(exactly_one=False), _run_some, needs_choices=True),
    "choices": Kind(_check_list(exactly_one=False), _run_one),
    "text": Kind(_check_text, lambda v, d: f"Emulated evaluation {d.hex[:16]}"),
    "json": Kind(
        _check_json, lambda v, d: canonical_json({"score": round(d.u, 4), "digest": d.hex[:16]})
    ),
    "string_list": Kind(_check_list(exactly_one=False), _run_ranking),
}


class ValueRules:
    """The spec's value types joined with the kinds above; one per emulator."""

    def __init__(self, spec: Spec) -> None:
        missing = sorted({vt.check for vt in spec.value_types.values()} - set(KINDS))
        if missing:
            users = {
                kind: sorted(vt.name for vt in spec.value_types.values() if vt.check == kind)
                for kind in missing
            }
            raise SpecError(
                "the emulator implements no value check "
                + ", ".join(
                    f"{kind!r} (used by score_value_type {users[kind]})" for kind in missing
                )
                + f"; add it to KINDS in {__name__}"
            )
        self.types: dict[str, ValueType] = dict(spec.value_types)
        self.fields: tuple[str, ...] = spec.value_fields

    def type_of(self, version: Mapping[str, Any]) -> ValueType:
        svt = str(version.get("score_value_type"))
        found = self.types.get(svt)
        if found is None:  # stored before a spec change, or written with validation off
            raise field_error("score_value_type", f"{svt!r} is not a valid choice.")
        return found

    def check_config(self, svt: Any, config: Mapping[str, Any]) -> None:
        """Rules a value type puts on an evaluator's configuration."""
        if svt not in self.types:
            raise field_error("score_value_type", f"{svt!r} is not a valid choice.")
        kind = KINDS[self.types[svt].check]
        score_config = config.get("score_config") or {}
        if kind.bounds is not None:
            for name in ("min_score", "max_score"):
                bound = score_config.get(name)
                if bound is not None and not kind.bounds[0] <= bound <= kind.bounds[1]:
                    raise field_error(
                        f"score_config.{name}",
                        f"{svt} bounds must be within {kind.bounds[0]:g}..{kind.bounds[1]:g}.",
                    )
        if kind.needs_choices and not choices_of(config):
            raise field_error(
                "score_config",
                f"{svt} evaluators need choices: set score_config.choices "
                "(or the legacy categorical_choices).",
            )

    def check(
        self, body: Mapping[str, Any], version: Mapping[str, Any], *, partial: bool
    ) -> dict[str, Any]:
        """The value field to store; 400 with field errors when it breaks the value type."""
        vt = self.type_of(version)
        expected = vt.field
        for name in self.fields:
            if name != expected and body.get(name) is not None:
                raise field_error(
                    name,
                    f"This evaluator's score_value_type is {vt.name!r}: send the score in "
                    f"{expected}, not {name}.",
                )
        if expected not in body or body[expected] is None:
            if partial and expected not in body:
                return {}
            raise field_error(
                expected,
                f"A {expected} is required for {vt.name!r} evaluators (it may not be null).",
            )
        KINDS[vt.check].check(body[expected], version, expected)
        return {expected: body[expected]}

    def run(self, version: Mapping[str, Any], inputs: Any) -> dict[str, Any]:
        """Every value field of a run of `version` on `inputs` (all but one None)."""
        vt = self.type_of(version)
        digest = hashlib.sha256(canonical_json(inputs).encode("utf-8")).digest()
        out: dict[str, Any] = dict.fromkeys(self.fields)
        out[vt.field] = KINDS[vt.check].run(version, _Draw(digest))
        return out

    def primary(self, version: Mapping[str, Any], values: Mapping[str, Any]) -> Any:
        return values.get(self.type_of(version).field)

    def default_verdict(self, version: Mapping[str, Any], primary: Any) -> bool | None:
        """is_passed when the evaluator has no passing_conditions."""
        return KINDS[self.type_of(version).check].passed(primary)
