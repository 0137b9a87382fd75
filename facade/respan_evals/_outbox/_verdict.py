"""What a failed send means for its row: try again later, or fail it for good.

The log-scoped upsert is safe to repeat, so whatever may pass (a 429, a 5xx, a dropped or
timed-out connection) is retried, after the client's own retries, with a growing wait; other
4xx and client-side checks are final. A 2xx whose body could not be read was applied: sent.
"""

from __future__ import annotations

import random
from typing import Literal

from .._errors import APIStatusError, RespanError, short_repr
from .._retries import Failure, classify

__all__ = ["backoff", "describe", "verdict"]


def verdict(error: BaseException) -> Literal["sent", "retry", "failed"]:
    """The row's next state after `error`."""
    if not isinstance(error, RespanError):
        return "retry"  # not the row's fault we know of (a closed client, a bug): keep it
    failure = classify(error)
    if failure is Failure.UNREADABLE:
        return "sent"
    if failure is Failure.FINAL:
        return "failed"
    return "retry"


def backoff(attempts: int, error: BaseException, *, base: float, cap: float) -> float:
    """Seconds before attempt `attempts + 1`: the server's hint, else doubling, jittered."""
    hint = error.retry_after if isinstance(error, APIStatusError) else None
    if hint is not None:
        return min(cap, max(0.0, hint))
    delay = min(cap, base * 2.0 ** max(0, attempts - 1))
    return delay * (0.5 + 0.5 * random.random())


def describe(error: BaseException) -> tuple[str, str]:
    """The error's class name and message, as stored (messages never hold the key)."""
    message = str(error) if isinstance(error, RespanError) else short_repr(str(error), 500)
    return type(error).__name__, message
