"""The outbox's own errors, in the package's tree (RespanError)."""

from __future__ import annotations

from .._errors import RespanError

__all__ = ["OutboxClosedError", "OutboxError", "OutboxFullError"]


class OutboxError(RespanError):
    """Base of the outbox's errors."""


class OutboxFullError(OutboxError):
    """The outbox holds as many unsent scores (or bytes) as it may; this one was not queued.

    >>> str(OutboxFullError(rows=10, size=2048, max_rows=10, max_bytes=None))
    'the outbox is full (10 unsent scores, 2048 bytes; limit 10 scores): this score was not queued'
    """

    def __init__(
        self, *, rows: int, size: int, max_rows: int | None, max_bytes: int | None
    ) -> None:
        self.rows = rows
        self.size = size
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        limits = [f"{max_rows} scores" if max_rows is not None else ""]
        limits.append(f"{max_bytes} bytes" if max_bytes is not None else "")
        super().__init__(
            f"the outbox is full ({rows} unsent scores, {size} bytes; "
            f"limit {' and '.join(x for x in limits if x)}): this score was not queued"
        )


class OutboxClosedError(OutboxError):
    """The outbox was closed; open it again to queue more."""
