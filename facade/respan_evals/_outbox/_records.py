"""What the outbox reports: its counts (OutboxStats) and a score that did not go (FailedScore)."""

from __future__ import annotations

from dataclasses import dataclass

from .._rows import ScoreRow

__all__ = ["FailedScore", "OutboxStats"]


@dataclass(frozen=True)
class OutboxStats:
    """The outbox's counts, read in one transaction.

    `queued` counts every unsent score, `retrying` those of them whose last attempt failed
    and which wait for their next one; `failed` those that failed for good (see `failed()`).
    """

    queued: int
    queued_bytes: int
    retrying: int
    failed: int
    sent: int  # since the file was created
    oldest_queued_age: float | None  # seconds since the oldest unsent score was queued
    sender: str | None  # the lease holder, while its lease runs
    sender_lease_left: float | None  # seconds


@dataclass(frozen=True)
class FailedScore:
    """A score whose last attempt failed: why, and whether it is final (else: retried)."""

    id: int
    row: ScoreRow
    error_type: str  # the exception's class name, e.g. "BadRequestError"
    error: str  # its message (never the API key)
    final: bool
    attempts: int
    next_attempt_in: float | None  # seconds, when not final
    superseded: bool  # a later score for the same log and evaluator was sent since
