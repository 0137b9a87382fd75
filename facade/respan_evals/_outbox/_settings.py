"""The sender's settings, checked once when the outbox opens."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .._errors import RespanValidationError

__all__ = ["SenderSettings", "check_positive"]


def check_positive(
    name: str,
    value: object,
    *,
    allow_none: bool = False,
    integer: bool = False,
    allow_zero: bool = False,
) -> None:
    """A clear error for a setting that is not a positive number (or int)."""
    if value is None and allow_none:
        return
    kinds = (int,) if integer else (int, float)
    ok = (
        not isinstance(value, bool)
        and isinstance(value, kinds)
        and math.isfinite(value)
        and (value >= 0 if allow_zero else value > 0)
    )
    if not ok:
        what = "an int" if integer else "a number"
        bound = ">= 0" if allow_zero else "> 0"
        none = " or None" if allow_none else ""
        raise RespanValidationError(f"{name} must be {what} {bound}{none}, got {value!r}")


@dataclass(frozen=True)
class SenderSettings:
    """How a sender holds its lease, waits, and retries."""

    lease_timeout: float = 30.0  # seconds a dead sender blocks its successor
    poll_interval: float = 0.25  # seconds between looks for work queued by other processes
    concurrency: int = 1  # requests in flight (distinct logs/evaluators); the client paces them
    max_attempts: int = 25  # then a retryable failure is final too
    retry_base: float = 1.0  # seconds before the second attempt; doubles after each
    retry_cap: float = 300.0  # the longest wait between attempts
    profile_ttl: float = 3600.0  # seconds an evaluator's looked-up profile is used at enqueue

    def __post_init__(self) -> None:
        for name in ("lease_timeout", "poll_interval", "retry_base", "retry_cap", "profile_ttl"):
            check_positive(name, getattr(self, name))
        for name in ("concurrency", "max_attempts"):
            check_positive(name, getattr(self, name), integer=True)

    @property
    def renew_every(self) -> float:
        return self.lease_timeout / 4
