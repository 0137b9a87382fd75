"""Deterministic "Run an evaluator" results: no model is called and no code is executed.

Rule: digest = sha256 of the canonical JSON of `inputs` (sorted keys, no spaces, UTF-8);
u = first 8 bytes of the digest as an integer / 2**64, a number in [0, 1).
- numerical / percentage: min + u * (max - min), rounded to 2 decimals, where min/max come
  from score_config (defaults 0..1 for numerical, 0..100 for percentage); when
  score_config.choices are given, the choice at index int(u * len(choices)) instead.
- boolean: u >= 0.5.
- single_select / categorical: [str(value)] of the choice at index int(u * n).
- multi_select: the choices whose digest bit i (byte i // 8 + 8, bit i % 8) is set; if none
  is set, the choice at index int(u * n). Choices come from score_config.choices, else
  categorical_choices, else one synthetic choice "choice_<first 8 hex of digest>".
- text / comment: "Emulated evaluation <first 16 hex of digest>".
- json: JSON text of {"score": round(u, 4), "digest": <first 16 hex of digest>}.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

__all__ = ["canonical_json", "choice_text", "choices_of", "run_values"]


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def choice_text(value: Any) -> str:
    """How a choice value is written in categorical_value (strings stay as they are)."""
    if isinstance(value, str):
        return value
    return json.dumps(value)


def choices_of(version: Mapping[str, Any]) -> list[dict[str, Any]]:
    config = version.get("score_config") or {}
    choices = config.get("choices") if isinstance(config, Mapping) else None
    if not choices:
        choices = version.get("categorical_choices") or []
    return [dict(c) for c in choices if isinstance(c, Mapping) and "value" in c]


def run_values(version: Mapping[str, Any], inputs: Any) -> dict[str, Any]:
    """The value fields a run of `version` on `inputs` produces (all others None)."""
    digest = hashlib.sha256(canonical_json(inputs).encode("utf-8")).digest()
    hexd = digest.hex()
    u = int.from_bytes(digest[:8], "big") / 2.0**64
    kind = version.get("score_value_type")
    out: dict[str, Any] = {
        "numerical_value": None,
        "string_value": None,
        "boolean_value": None,
        "categorical_value": None,
        "json_value": None,
    }
    choices = choices_of(version)
    if kind in ("numerical", "percentage"):
        config = version.get("score_config") or {}
        if choices and kind == "numerical":
            picked = choices[int(u * len(choices))]["value"]
            if isinstance(picked, int | float) and not isinstance(picked, bool):
                out["numerical_value"] = float(picked)
                return out
        default_max = 100.0 if kind == "percentage" else 1.0
        low = _num(config.get("min_score"), 0.0)
        high = _num(config.get("max_score"), default_max)
        if high < low:
            low, high = high, low
        value = round(low + u * (high - low), 2)
        out["numerical_value"] = min(max(value, low), high)
    elif kind == "boolean":
        out["boolean_value"] = u >= 0.5
    elif kind in ("single_select", "multi_select", "categorical"):
        names = [choice_text(c["value"]) for c in choices] or [f"choice_{hexd[:8]}"]
        if kind == "multi_select":
            picked_names = [
                name for i, name in enumerate(names) if digest[8 + (i // 8) % 24] >> (i % 8) & 1
            ]
            out["categorical_value"] = picked_names or [names[int(u * len(names))]]
        else:
            out["categorical_value"] = [names[int(u * len(names))]]
    elif kind == "json":
        out["json_value"] = canonical_json({"score": round(u, 4), "digest": hexd[:16]})
    else:  # text, comment and anything unknown
        out["string_value"] = f"Emulated evaluation {hexd[:16]}"
    return out


def _num(value: Any, default: float) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return default
