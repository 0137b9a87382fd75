"""One claimed row: its score_log arguments, its evaluator's key, and its outcome from an error."""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import fields
from typing import Any

from .._rows import Key, ScoreRow
from ._settings import SenderSettings
from ._store import Claimed, Outcome
from ._verdict import backoff, describe, verdict

__all__ = ["evaluator_key", "holder_id", "outcome_of", "profile_key", "score_log_kwargs"]


def holder_id() -> str:
    """Who holds the lease: host, process and a random part (a pid may be reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def evaluator_key(row: ScoreRow) -> Key:
    if row.evaluator is not None:
        return ("slug", row.evaluator)
    return ("id", str(row.evaluator_id))


def profile_key(key: Key) -> str:
    """How a profile is filed in the database."""
    return f"{key[0]}:{key[1]}"


def score_log_kwargs(row: ScoreRow) -> dict[str, Any]:
    """The keyword arguments of `score_log` for `row` (log_id and value go first)."""
    skip = ("log_id", "value")
    return {f.name: getattr(row, f.name) for f in fields(ScoreRow) if f.name not in skip}


def outcome_of(claimed: Claimed, error: BaseException | None, settings: SenderSettings) -> Outcome:
    """The row's outcome: sent without an error; otherwise as the error says."""
    if error is None:
        return Outcome(id=claimed.id, kind="sent")
    kind = verdict(error)
    if kind == "sent":
        return Outcome(id=claimed.id, kind="sent")
    error_type, message = describe(error)
    if kind == "retry" and claimed.attempts >= settings.max_attempts:
        kind = "failed"
        message = f"gave up after {claimed.attempts} attempts: {message}"
    delay = backoff(claimed.attempts, error, base=settings.retry_base, cap=settings.retry_cap)
    return Outcome(id=claimed.id, kind=kind, error_type=error_type, error=message, delay=delay)
