"""A score row as JSON for the database, and back, without losing what its value check needs.

    >>> encode_value(("calm", "warm"))
    {'$': 'tuple', 'v': ['calm', 'warm']}

Plain JSON would turn a set or a tuple into a list and a dict's keys into strings, and the
value check tells those apart (a ranking refuses a set; {1: .., "1": ..} is refused as JSON).
So every JSON object in the stored form is a tag: {"$": kind, "v": ...}.
"""

from __future__ import annotations

import datetime
import json
import numbers
from dataclasses import fields
from decimal import Decimal
from typing import Any

from .._errors import RespanValidationError, short_repr
from .._rows import ScoreRow

__all__ = ["decode_row", "decode_value", "encode_row", "encode_value"]

_MAX_DEPTH = 200


def encode_value(value: object, depth: int = 0) -> Any:
    """`value` as JSON-ready data that `decode_value` turns back into an equal value."""
    if depth > _MAX_DEPTH:
        raise RespanValidationError("the outbox cannot store a value nested this deep")
    if value is None or isinstance(value, bool | str | int | float):
        return value
    if isinstance(value, Decimal):
        return {"$": "decimal", "v": str(value)}
    if isinstance(value, list):
        return [encode_value(item, depth + 1) for item in value]
    if isinstance(value, tuple):
        return {"$": "tuple", "v": [encode_value(item, depth + 1) for item in value]}
    if isinstance(value, set | frozenset):
        kind = "set" if isinstance(value, set) else "frozenset"
        return {"$": kind, "v": [encode_value(item, depth + 1) for item in value]}
    if isinstance(value, dict):
        items = [[encode_value(k, depth + 1), encode_value(v, depth + 1)] for k, v in value.items()]
        return {"$": "dict", "v": items}
    item = getattr(value, "item", None)  # a numpy scalar: its Python value checks the same
    if type(value).__module__.split(".")[0] == "numpy" and callable(item):
        return encode_value(item(), depth + 1)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    raise RespanValidationError(
        f"the outbox cannot store a value of type {type(value).__name__} "
        f"({short_repr(value)}); pass a number, bool, str, list, set, tuple or dict"
    )


def decode_value(data: Any) -> object:
    """The value `encode_value` stored."""
    if isinstance(data, list):
        return [decode_value(item) for item in data]
    if not isinstance(data, dict):
        return data
    kind, inner = data["$"], data["v"]
    if kind == "decimal":
        return Decimal(inner)
    if kind == "tuple":
        return tuple(decode_value(item) for item in inner)
    if kind == "set":
        return {decode_value(item) for item in inner}
    if kind == "frozenset":
        return frozenset(decode_value(item) for item in inner)
    if kind == "dict":
        return {decode_value(k): decode_value(v) for k, v in inner}
    raise ValueError(f"unknown tag {kind!r} in a stored score")


def encode_row(row: ScoreRow) -> str:
    """The row as one line of JSON (only the fields that are set)."""
    data: dict[str, Any] = {}
    for f in fields(ScoreRow):
        value = getattr(row, f.name)
        if f.name == "value":
            data["value"] = encode_value(value)
        elif isinstance(value, datetime.datetime):
            data[f.name] = value.isoformat()
        elif value is not None:
            data[f.name] = value
    # ASCII: a lone surrogate in a str (refused later by its check) must still store.
    return json.dumps(data, separators=(",", ":"))


def decode_row(text: str) -> ScoreRow:
    """The ScoreRow `encode_row` stored."""
    data = json.loads(text)
    data["value"] = decode_value(data.get("value"))
    return ScoreRow(**data)
