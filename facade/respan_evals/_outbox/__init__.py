"""A durable outbox for scores: queued in SQLite, sent in the background (see `_outbox`)."""

from ._errors import OutboxClosedError, OutboxError, OutboxFullError
from ._outbox import Outbox
from ._records import FailedScore, OutboxStats

__all__ = [
    "FailedScore",
    "Outbox",
    "OutboxClosedError",
    "OutboxError",
    "OutboxFullError",
    "OutboxStats",
]
