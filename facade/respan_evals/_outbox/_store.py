"""The outbox's SQLite store: queue a row, claim the next ones in order, mark what happened.

Every change is one short transaction (BEGIN IMMEDIATE .. COMMIT), so a crash at any moment
leaves each row queued, sent (deleted) or failed, never between. Each thread has its own
connection; a forked child opens its own instead of sharing its parent's, and every use of
SQLite is `inside_sqlite()`, so that a fork never happens in the middle of one (`_fork.py`).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from .._values import EvaluatorProfile
from . import _lease
from ._codec import decode_row
from ._errors import OutboxFullError
from ._fork import inside_sqlite, reset_in_forked_child
from ._records import FailedScore, OutboxStats
from ._schema import connect, retry_busy

__all__ = ["Claimed", "Outcome", "Store"]


@dataclass(frozen=True)
class Claimed:
    """A row handed to the sender: its id, its JSON, and how many attempts it has had."""

    id: int
    key: str
    row: str
    attempts: int


@dataclass(frozen=True)
class Outcome:
    """What became of one claimed row."""

    id: int
    kind: Literal["sent", "retry", "failed"]
    error_type: str | None = None
    error: str | None = None
    delay: float = 0.0  # before the next attempt, for "retry"


# The head of each (log, evaluator): the oldest queued row of its key, when it is due.
_DUE = (
    "FROM scores AS s"
    " WHERE s.state = 'queued' AND s.next_at <= ? AND NOT EXISTS ("
    "SELECT 1 FROM scores AS p WHERE p.key = s.key AND p.state = 'queued' AND p.id < s.id)"
)


# Ids per `IN (...)`: below 999, the most bound parameters older SQLite builds take.
_IDS_PER_STATEMENT = 500

_INHERITED: list[sqlite3.Connection] = []  # a forked child's copies of its parent's connections


class Store:
    """One outbox file, for every thread of this process."""

    def __init__(self, path: Path, *, busy_timeout: float, synchronous: str) -> None:
        self.path = path
        self._busy_timeout = busy_timeout
        self._synchronous = synchronous
        self._local = threading.local()
        self._lock = threading.Lock()
        self._conns: list[sqlite3.Connection] = []
        self._pid = os.getpid()
        self._closed = False
        reset_in_forked_child(self)
        self.conn()  # create the file and its tables now: errors show at open

    def reset_after_fork(self) -> None:
        # Never closed here: closing a copy may checkpoint the parent's file.
        _INHERITED.extend(self._conns)
        self._lock = threading.Lock()
        self._local = threading.local()
        self._pid, self._conns = os.getpid(), []

    def conn(self) -> sqlite3.Connection:
        """This thread's connection (a new one in a forked child)."""
        if self._closed:
            raise sqlite3.ProgrammingError("the outbox is closed")
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            with inside_sqlite():
                conn = connect(
                    self.path, busy_timeout=self._busy_timeout, synchronous=self._synchronous
                )
            self._local.conn = conn
            with self._lock:
                self._conns.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            self._closed = True
            conns, self._conns = self._conns, []
        if self._pid == os.getpid():
            with inside_sqlite():
                for conn in conns:
                    with contextlib.suppress(sqlite3.Error):
                        conn.close()

    def read(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        """The rows of one query (tried again while the file is busy, as after a crash)."""
        conn = self.conn()
        with inside_sqlite():
            return retry_busy(lambda: conn.execute(sql, params).fetchall(), self._busy_timeout)

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (no upgrade from read to write, no deadlock)."""
        conn = self.conn()
        with inside_sqlite():
            retry_busy(lambda: conn.execute("BEGIN IMMEDIATE"), self._busy_timeout)
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # ---- queueing ---------------------------------------------------------------------
    def enqueue(
        self,
        *,
        key: str,
        row: str,
        max_rows: int | None,
        max_bytes: int | None,
    ) -> int:
        """Queue one row; OutboxFullError (nothing written) when it would pass a bound."""
        size = len(row.encode())
        with self.write() as conn:
            queued, queued_bytes = conn.execute(
                "SELECT queued, queued_bytes FROM totals"
            ).fetchone()
            if (max_rows is not None and queued + 1 > max_rows) or (
                max_bytes is not None and queued_bytes + size > max_bytes
            ):
                raise OutboxFullError(
                    rows=queued, size=queued_bytes, max_rows=max_rows, max_bytes=max_bytes
                )
            cur = conn.execute(
                "INSERT INTO scores (key, row, size, enqueued_at) VALUES (?, ?, ?, ?)",
                (key, row, size, time.time()),
            )
        return int(cur.lastrowid or 0)

    def last_id(self) -> int:
        return int(self.read("SELECT COALESCE(MAX(id), 0) FROM scores")[0][0])

    def pending_through(self, last_id: int) -> int:
        """How many rows up to `last_id` are still queued (not yet sent nor failed)."""
        sql = "SELECT COUNT(*) FROM scores WHERE state = 'queued' AND id <= ?"
        return int(self.read(sql, (last_id,))[0][0])

    def queued(self) -> int:
        return int(self.read("SELECT queued FROM totals")[0][0])

    # ---- sending ----------------------------------------------------------------------
    def has_due(self, now: float) -> bool:
        return bool(self.read(f"SELECT EXISTS (SELECT 1 {_DUE})", (now,))[0][0])

    def next_due(self) -> float | None:
        """When the earliest queued row is due (wall clock), or None with nothing queued."""
        due = self.read("SELECT MIN(next_at) FROM scores WHERE state = 'queued'")[0][0]
        return None if due is None else float(due)

    def claim(
        self,
        me: str,
        *,
        limit: int,
        lease_timeout: float,
        max_attempts: int,
        done: Sequence[Outcome] = (),
    ) -> list[Claimed] | None:
        """Mark `done` (what became of the last rows claimed), then claim the next due rows,
        one per (log, evaluator), oldest first, with the lease renewed: one transaction for
        both. None when the lease is no longer ours (`done` is marked all the same: the
        server answered). Each claimed row counts an attempt, so a row that kills every
        sender still runs out of attempts."""
        now = time.time()
        with self.write() as conn:
            _mark(conn, done, now)
            if not _lease.renew(conn, me, now=now, timeout=lease_timeout):
                return None
            rows = conn.execute(
                f"SELECT s.id, s.key, s.row, s.attempts, s.error_type, s.error {_DUE}"
                " ORDER BY s.id LIMIT ?",
                (now, limit),
            ).fetchall()
            claimed: list[Claimed] = []
            for id_, key, row, attempts, error_type, error in rows:
                if attempts >= max_attempts:
                    last = f"{error_type}: {error}" if error_type else "none recorded"
                    gave_up = f"gave up after {attempts} attempts (last error: {last})"
                    _fail(conn, id_, "OutboxGaveUp", gave_up, now)
                    continue
                claimed.append(Claimed(id=id_, key=key, row=row, attempts=attempts + 1))
            for part in _chunks([c.id for c in claimed]):
                conn.execute(
                    f"UPDATE scores SET attempts = attempts + 1 WHERE id IN ({_marks(len(part))})",
                    part,
                )
        return claimed

    def mark(self, outcomes: Sequence[Outcome]) -> None:
        """Record what happened to claimed rows, all in one transaction."""
        if not outcomes:
            return
        with self.write() as conn:
            _mark(conn, outcomes, time.time())

    # ---- operators --------------------------------------------------------------------
    def stats(self) -> OutboxStats:
        with inside_sqlite():
            return retry_busy(self._stats, self._busy_timeout)

    def _stats(self) -> OutboxStats:
        now = time.time()
        conn = self.conn()
        conn.execute("BEGIN")  # one snapshot for every count
        try:
            queued, queued_bytes, failed, sent = conn.execute(
                "SELECT queued, queued_bytes, failed, sent FROM totals"
            ).fetchone()
            retrying, oldest = conn.execute(
                "SELECT COUNT(error_type), MIN(enqueued_at) FROM scores WHERE state = 'queued'"
            ).fetchone()
            holder = _lease.holder(conn, now=now)
        finally:
            conn.execute("COMMIT")
        return OutboxStats(
            queued=queued,
            queued_bytes=queued_bytes,
            retrying=retrying,
            failed=failed,
            sent=sent,
            oldest_queued_age=None if oldest is None else max(0.0, now - oldest),
            sender=holder[0] if holder else None,
            sender_lease_left=holder[1] if holder else None,
        )

    def failed(self, *, include_retrying: bool, limit: int | None) -> list[FailedScore]:
        now = time.time()
        where = "state = 'failed'"
        if include_retrying:
            where += " OR (state = 'queued' AND error_type IS NOT NULL)"
        rows = self.read(
            "SELECT id, row, state, error_type, error, attempts, next_at, superseded"
            f" FROM scores WHERE {where} ORDER BY id LIMIT ?",
            (-1 if limit is None else limit,),
        )
        return [
            FailedScore(
                id=id_,
                row=decode_row(row),
                error_type=error_type or "",
                error=error or "",
                final=state == "failed",
                attempts=attempts,
                next_attempt_in=None if state == "failed" else max(0.0, next_at - now),
                superseded=bool(superseded),
            )
            for id_, row, state, error_type, error, attempts, next_at, superseded in rows
        ]

    def retry_failed(self, ids: Sequence[int] | None) -> int:
        """Queue failed rows again (not those a later send superseded); how many."""
        where = "state = 'failed' AND superseded = 0"
        params: list[int] = []
        if ids is not None:
            where += f" AND id IN ({','.join('?' * len(ids))})"
            params = [int(i) for i in ids]
        with self.write() as conn:
            cur = conn.execute(
                "UPDATE scores SET state = 'queued', attempts = 0, next_at = 0, error_type = NULL,"
                f" error = NULL, updated_at = ? WHERE {where}",
                (time.time(), *params),
            )
        return cur.rowcount

    # ---- evaluator profiles -----------------------------------------------------------
    def profile(self, key: str, *, max_age: float) -> EvaluatorProfile | None:
        rows = self.read("SELECT profile, fetched_at FROM evaluators WHERE key = ?", (key,))
        if not rows or time.time() - rows[0][1] > max_age:
            return None
        row = rows[0]
        data = json.loads(row[0])
        choices = data.get("choices")
        data["choices"] = None if choices is None else tuple(choices)
        return EvaluatorProfile(**data)

    def save_profile(self, key: str, profile: EvaluatorProfile) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO evaluators (key, profile, fetched_at) VALUES (?, ?, ?)",
                (key, json.dumps(asdict(profile)), time.time()),
            )

    def checkpoint(self) -> None:
        """Copy the WAL back into the file, without blocking anyone (PASSIVE)."""
        self.read("PRAGMA wal_checkpoint(PASSIVE)")

    # ---- the lease --------------------------------------------------------------------
    def acquire(self, me: str, *, timeout: float) -> bool:
        with self.write() as conn:
            return _lease.acquire(conn, me, now=time.time(), timeout=timeout)

    def renew(self, me: str, *, timeout: float) -> bool:
        with self.write() as conn:
            return _lease.renew(conn, me, now=time.time(), timeout=timeout)

    def release(self, me: str) -> None:
        with self.write() as conn:
            _lease.release(conn, me)


def _mark(conn: sqlite3.Connection, outcomes: Sequence[Outcome], now: float) -> None:
    """Record `outcomes` in the caller's transaction: a few statements for the whole batch."""
    for part in _chunks([o.id for o in outcomes if o.kind == "sent"]):
        _mark_sent(conn, part)
    for o in outcomes:
        if o.kind == "retry":
            conn.execute(
                "UPDATE scores SET next_at = ?, updated_at = ?, error_type = ?, error = ?"
                " WHERE id = ? AND state = 'queued'",
                (now + o.delay, now, o.error_type, o.error, o.id),
            )
        elif o.kind == "failed":
            _fail(conn, o.id, o.error_type or "", o.error or "", now)


def _mark_sent(conn: sqlite3.Connection, ids: Sequence[int]) -> None:
    # Rows already gone or failed were marked before (a successor sent them too).
    keys = conn.execute(
        f"SELECT id, key FROM scores WHERE id IN ({_marks(len(ids))}) AND state = 'queued'", ids
    ).fetchall()
    if not keys:
        return
    conn.execute(f"DELETE FROM scores WHERE id IN ({_marks(len(keys))})", [i for i, _ in keys])
    conn.execute("UPDATE totals SET sent = sent + ?", (len(keys),))
    # An older failure of the same score is out of date now: not to be re-sent. With no
    # failed row in the file (the usual case) there is nothing to look up.
    if conn.execute("SELECT failed FROM totals").fetchone()[0]:
        conn.executemany(
            "UPDATE scores SET superseded = 1 WHERE key = ? AND state = 'failed' AND id < ?",
            [(key, id_) for id_, key in keys],
        )


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    """`ids` in parts small enough for one `IN (...)` each."""
    for at in range(0, len(ids), _IDS_PER_STATEMENT):
        yield ids[at : at + _IDS_PER_STATEMENT]


def _marks(count: int) -> str:
    return ",".join("?" * count)


def _fail(conn: sqlite3.Connection, id_: int, error_type: str, error: str, now: float) -> None:
    conn.execute(
        "UPDATE scores SET state = 'failed', updated_at = ?, error_type = ?, error = ?"
        " WHERE id = ? AND state = 'queued'",
        (now, error_type, error, id_),
    )
