"""Contains shared errors types that can be raised from API functions"""

import json
import math
from typing import Any


class UnexpectedStatus(Exception):
    """Raised by api functions when the response status an undocumented status and Client.raise_on_unexpected_status is True"""

    def __init__(self, status_code: int, content: bytes):
        self.status_code = status_code
        self.content = content

        super().__init__(
            f"Unexpected status code: {status_code}\n\nResponse content:\n{content.decode(errors='ignore')}"
        )


class UnencodableBody(ValueError):
    """A request body that cannot become JSON (raised before anything is sent); `error` says why."""

    def __init__(self, body_type: str, error: BaseException):
        self.body_type = body_type
        self.error = error
        super().__init__(f"{body_type} cannot be sent: {type(error).__name__}: {error}")


class NonFiniteNumber(ValueError):
    """A response body holds NaN, Infinity, or a number too large for a float (1e400)."""


def _refuse_constant(name: str) -> Any:
    raise NonFiniteNumber(
        f"the body holds a non-finite number ({name}), which is not JSON"
    )


def _finite_float(text: str) -> float:
    # Called by the JSON scanner for floats only: ints and strings keep the C fast path.
    value = float(text)
    if math.isinf(value):
        raise NonFiniteNumber(
            f"the body holds a non-finite number ({text[:40]} overflows a float)"
        )
    return value


# Built once: json.loads with hooks would build a decoder on every call.
_DECODER = json.JSONDecoder(parse_constant=_refuse_constant, parse_float=_finite_float)


def read_json(content: bytes) -> Any:
    """A response body as JSON, refusing what Python's json would read as nan or inf."""
    # As json.loads reads bytes: UTF-8, -16 or -32, a UTF-8 BOM allowed.
    return _DECODER.decode(
        content.decode(json.detect_encoding(content), "surrogatepass")
    )


__all__ = ["NonFiniteNumber", "UnencodableBody", "UnexpectedStatus", "read_json"]
