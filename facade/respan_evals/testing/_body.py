"""JSON read defensively: UTF-8, JSON proper (no NaN or Infinity), bounded nesting."""

from __future__ import annotations

import json
import math
from typing import Any

__all__ = [
    "MAX_DEPTH",
    "UNPARSED",
    "BodyError",
    "dumps",
    "is_finite_number",
    "loads",
    "small_int",
]

# Far deeper than any real payload, and shallow enough that openapi-core, jsonschema and the
# emulator's own recursive code never come near Python's recursion limit.
MAX_DEPTH = 128
_MAX_INT_DIGITS = 18  # an index or version number; int() refuses past 4,300 digits anyway
_OUT_OF_RANGE = "a number is out of range (only finite numbers are JSON)"
UNPARSED: Any = object()  # stands for "the value of this body is not at hand"


class BodyError(ValueError):
    """A JSON text the emulator refuses to read; the message says why, for a 400."""


def _refuse_constant(token: str) -> Any:
    raise BodyError(f"{token} is not a JSON number (only finite numbers are JSON)")


def loads(data: bytes | str) -> Any:
    """The JSON value of `data`; BodyError when it is not UTF-8, not JSON, or nested too deep."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BodyError(f"not valid UTF-8 (byte {exc.start})") from None
    else:
        text = data
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise BodyError(f"nested more than {MAX_DEPTH} levels deep") from None
    except BodyError:
        raise
    except ValueError as exc:
        raise BodyError(str(exc)) from None
    _check_tree(value)
    return value


def _check_tree(value: Any) -> None:
    """Depth and finiteness in one iterative pass (`1e400` parses as inf without a hook)."""
    if not isinstance(value, dict | list):
        if isinstance(value, float) and not math.isfinite(value):
            raise BodyError(_OUT_OF_RANGE)
        return
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise BodyError(f"nested more than {MAX_DEPTH} levels deep")
        for child in node.values() if isinstance(node, dict) else node:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
            elif isinstance(child, float) and not math.isfinite(child):
                raise BodyError(_OUT_OF_RANGE)


# One encoder for every answer: json.dumps with options builds a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def dumps(payload: Any) -> bytes:
    """Compact UTF-8 JSON; ValueError for NaN or Infinity, which JSON does not have."""
    return _ENCODER.encode(payload).encode("utf-8")


def is_finite_number(value: Any) -> bool:
    """An int or float (not a bool) that a float can hold: no NaN, no inf, no 10**400."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


def small_int(text: str) -> int | None:
    """`text` as a non-negative int when it is a short run of ASCII digits, else None."""
    if not text.isascii() or not text.isdigit() or len(text) > _MAX_INT_DIGITS:
        return None
    return int(text)
