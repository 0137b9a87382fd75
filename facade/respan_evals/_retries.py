"""The one place a retry is decided: which failures are retried, and after how long.

    >>> retry_delay(RetryPolicy(), attempt=0, error=httpx.ConnectError("refused"),
    ...             idempotent=False, random=lambda: 1.0)
    0.5

Every failure falls into one `Failure` class. The class, plus whether the operation is safe to
repeat, decides the retry; the same class tells the client whether a failed write may have been
applied anyway (`may_have_been_applied`). A success that came after such a failure says so in its
`response.extensions` (`earlier_attempt_may_have_applied`): an upsert's 200 is then no proof
that the score existed before the call.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from typing import Any

import httpx

from ._errors import APIConnectionError, APIResponseValidationError, APIStatusError

__all__ = [
    "EARLIER_ATTEMPT",
    "Failure",
    "RetryPolicy",
    "classify",
    "earlier_attempt_may_have_applied",
    "is_idempotent",
    "may_have_been_applied",
    "retry_delay",
]


class Failure(enum.Enum):
    """What a failure says about the request that caused it."""

    NOT_SENT = "not_sent"  # never reached the server: safe to retry any operation
    THROTTLED = "throttled"  # 429: refused and not applied: safe to retry any operation
    MAYBE_APPLIED = "maybe_applied"  # may have been applied: retry only what is idempotent
    UNREADABLE = "unreadable"  # 2xx with an unreadable body: applied, and not retried
    FINAL = "final"  # retrying cannot help (other 4xx, client-side errors, unknown errors)


class RetryPolicy:
    """How many retries, and the bounds of the wait between them (seconds); immutable.

    A plain class with slots, not a dataclass: one per client, and none built at import.
    """

    _FIELDS = ("max_retries", "base_delay", "max_delay", "max_retry_after", "time_scale")
    __slots__ = _FIELDS
    max_retries: int
    base_delay: float
    max_delay: float
    # A server asking for a longer wait than this is answered with its own error, not a sleep.
    max_retry_after: float
    # Every wait (backoff and the server's hint) times this: 1.0 is real time. A test or a
    # simulation keeps the same schedule, `1 / time_scale` times faster.
    time_scale: float

    def __init__(
        self,
        max_retries: int = 2,
        base_delay: float = 0.5,
        max_delay: float = 8.0,
        max_retry_after: float = 60.0,
        time_scale: float = 1.0,
    ) -> None:
        if not (math.isfinite(time_scale) and time_scale > 0):
            raise ValueError(f"time_scale must be a positive number, got {time_scale!r}")
        values = (max_retries, base_delay, max_delay, max_retry_after, time_scale)
        for name, value in zip(RetryPolicy._FIELDS, values, strict=True):
            object.__setattr__(self, name, value)  # past the refusal below

    def replace(self, **changes: Any) -> RetryPolicy:
        """A policy with these fields changed (as `dataclasses.replace`)."""
        return RetryPolicy(**{**self._items(), **changes})

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"RetryPolicy is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"RetryPolicy is immutable: cannot delete {name!r}")

    def _items(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in RetryPolicy._FIELDS}

    def _values(self) -> tuple[float, ...]:
        return tuple(self._items().values())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RetryPolicy):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in self._items().items())
        return f"RetryPolicy({fields})"


# The response.extensions entry set on a success that followed a maybe-applied attempt.
EARLIER_ATTEMPT = "respan_evals.earlier_attempt_may_have_applied"

_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def classify(error: BaseException) -> Failure:
    """Sort a failure: an httpx transport error, or one of this package's errors.

    >>> classify(httpx.ReadTimeout("slow")), classify(httpx.PoolTimeout("busy"))
    (<Failure.MAYBE_APPLIED: 'maybe_applied'>, <Failure.NOT_SENT: 'not_sent'>)
    """
    if isinstance(error, APIConnectionError):
        cause = error.__cause__
        # Without the httpx cause we cannot prove the request stayed home: assume it left.
        return classify(cause) if isinstance(cause, httpx.TransportError) else Failure.MAYBE_APPLIED
    if isinstance(error, _NEVER_SENT):
        return Failure.NOT_SENT
    if isinstance(error, httpx.UnsupportedProtocol):
        return Failure.FINAL  # a bad URL: never sent, and never will be
    if isinstance(error, httpx.TransportError):
        return Failure.MAYBE_APPLIED
    if isinstance(error, APIStatusError):
        return _classify_status(error.status_code)
    if isinstance(error, APIResponseValidationError):
        return Failure.UNREADABLE
    return Failure.FINAL


def _classify_status(status: int) -> Failure:
    if status == 429:
        return Failure.THROTTLED
    if status == 408 or status >= 500:
        return Failure.MAYBE_APPLIED
    return Failure.FINAL


def retry_delay(
    policy: RetryPolicy,
    *,
    attempt: int,
    error: BaseException,
    idempotent: bool,
    random: Callable[[], float],
) -> float | None:
    """Seconds to wait before the next try, or None: do not retry.

    `attempt` counts the retries already made (0 before the first retry). The server's hint
    (a 429's `retry_after`, a Retry-After header) wins over backoff; a hint longer than
    `policy.max_retry_after` means no retry. Backoff is `min(max_delay, base_delay * 2**attempt)`
    scaled by a jitter factor in [0.5, 1.0) drawn from `random()` (which returns [0, 1)).
    Either wait is then multiplied by `policy.time_scale` (1.0 by default).

    >>> retry_delay(RetryPolicy(time_scale=0.01), attempt=1, error=httpx.ConnectError("x"),
    ...             idempotent=False, random=lambda: 1.0)
    0.01
    """
    if attempt >= policy.max_retries:
        return None
    failure = classify(error)
    if not (
        failure in (Failure.NOT_SENT, Failure.THROTTLED)
        or (failure is Failure.MAYBE_APPLIED and idempotent)
    ):
        return None
    hint = error.retry_after if isinstance(error, APIStatusError) else None
    if hint is not None:
        return hint * policy.time_scale if hint <= policy.max_retry_after else None
    backoff = min(policy.max_delay, policy.base_delay * 2.0**attempt)
    return backoff * (0.5 + 0.5 * random()) * policy.time_scale


_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})


def is_idempotent(method: str) -> bool:
    """Whether HTTP semantics alone make a request safe to repeat: the fallback for a request
    that is no operation of the spec (the spec's `x-respan-idempotent` decides the others).

    PATCH counts: this API's PATCHes set fields, they do not increment them. POST never does.

    >>> is_idempotent("POST"), is_idempotent("patch"), is_idempotent("TRACE")
    (False, True, False)
    """
    return method.upper() in _IDEMPOTENT_METHODS


def may_have_been_applied(error: BaseException) -> bool:
    """Whether the request that failed with `error` may have changed state on the server.

    True for transport errors after the request may have left, 408 and 5xx, and a 2xx whose
    body could not be read; False for never-sent errors, 429 and other 4xx.
    """
    return classify(error) in (Failure.MAYBE_APPLIED, Failure.UNREADABLE)


def earlier_attempt_may_have_applied(response: httpx.Response | None) -> bool:
    """Whether `response` answers a retry, after an earlier attempt may have been applied.

    >>> earlier_attempt_may_have_applied(httpx.Response(200, extensions={EARLIER_ATTEMPT: True}))
    True
    """
    return response is not None and response.extensions.get(EARLIER_ATTEMPT) is True
