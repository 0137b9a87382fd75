"""JSON has no NaN or Infinity: the non-finite numbers of a value, replaced by null.

Python's json writes `NaN` / `Infinity` by default, which no JSON parser reads. Output that
claims to be JSON goes through `dumps` here: `allow_nan=False` first (no cost when every
number is finite), and only when that refuses, a copy with each non-finite number as null
plus the paths where they were, for a warning.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

__all__ = ["dumps", "finite"]


def finite(value: Any, path: str = "") -> tuple[Any, list[str]]:
    """`value` with every non-finite float as None, and the paths of those replaced."""
    found: list[str] = []

    def walk(item: Any, where: str) -> Any:
        if isinstance(item, float) and not math.isfinite(item):
            found.append(where or "(value)")
            return None
        if isinstance(item, Mapping):
            return {k: walk(v, f"{where}.{k}" if where else str(k)) for k, v in item.items()}
        if isinstance(item, list | tuple):
            return [walk(v, f"{where}[{i}]") for i, v in enumerate(item)]
        return item

    return walk(value, path), found


def dumps(value: Any, **options: Any) -> tuple[str, list[str]]:
    """Strict JSON text of `value`, and the paths of non-finite numbers written as null."""
    try:
        return json.dumps(value, allow_nan=False, **options), []
    except ValueError:
        cleaned, found = finite(value)
        return json.dumps(cleaned, allow_nan=False, **options), found
