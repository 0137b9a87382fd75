"""Opening the outbox file: created 0600, WAL, a busy timeout, and the tables.

Rows wait in `scores` (state 'queued', or 'failed' once final); a sent row is deleted. `totals`
is kept by triggers in the same transaction as each change, so the size bound is one read.
`lease` holds the one sender; `evaluators` the profiles senders looked up, for enqueue checks.

Each commit writes every page it changed to the WAL, so a queued row touches as few as it can:
its table page, one index (per (log, evaluator), for the order), `totals`. No AUTOINCREMENT (a
new row's id is still above every row present, which is all the order needs) and no index by
state: the sender reads the table in id order, where nearly every row is a queued one.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

__all__ = ["SCHEMA_VERSION", "connect", "retry_busy"]

T = TypeVar("T")

SCHEMA_VERSION = 1
AUTOCHECKPOINT_PAGES = 10_000  # about 40 MB of WAL

_TABLES = """
CREATE TABLE IF NOT EXISTS scores (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    row TEXT NOT NULL,
    size INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at REAL NOT NULL DEFAULT 0,
    enqueued_at REAL NOT NULL,
    updated_at REAL,
    error_type TEXT,
    error TEXT,
    superseded INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS scores_by_key ON scores (key, state, id);
CREATE TABLE IF NOT EXISTS totals (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    queued INTEGER NOT NULL,
    queued_bytes INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    sent INTEGER NOT NULL
);
INSERT OR IGNORE INTO totals VALUES (1, 0, 0, 0, 0);
CREATE TRIGGER IF NOT EXISTS scores_added AFTER INSERT ON scores BEGIN
    UPDATE totals SET
        queued = queued + (new.state = 'queued'),
        queued_bytes = queued_bytes + (CASE WHEN new.state = 'queued' THEN new.size ELSE 0 END),
        failed = failed + (new.state = 'failed');
END;
CREATE TRIGGER IF NOT EXISTS scores_removed AFTER DELETE ON scores BEGIN
    UPDATE totals SET
        queued = queued - (old.state = 'queued'),
        queued_bytes = queued_bytes - (CASE WHEN old.state = 'queued' THEN old.size ELSE 0 END),
        failed = failed - (old.state = 'failed');
END;
CREATE TRIGGER IF NOT EXISTS scores_moved AFTER UPDATE OF state ON scores
WHEN old.state != new.state BEGIN
    UPDATE totals SET
        queued = queued + (new.state = 'queued') - (old.state = 'queued'),
        queued_bytes = queued_bytes
            + (CASE WHEN new.state = 'queued' THEN new.size ELSE 0 END)
            - (CASE WHEN old.state = 'queued' THEN old.size ELSE 0 END),
        failed = failed + (new.state = 'failed') - (old.state = 'failed');
END;
CREATE TABLE IF NOT EXISTS lease (
    name TEXT PRIMARY KEY,
    holder TEXT,
    expires REAL NOT NULL DEFAULT 0,
    since REAL NOT NULL DEFAULT 0
);
INSERT OR IGNORE INTO lease (name) VALUES ('sender');
CREATE TABLE IF NOT EXISTS evaluators (
    key TEXT PRIMARY KEY,
    profile TEXT NOT NULL,
    fetched_at REAL NOT NULL
);
"""


def connect(path: Path, *, busy_timeout: float, synchronous: str) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), the schema in place."""
    _create_private(path)
    # No busy handler of SQLite's own: it sleeps 1 ms and more between tries, far longer than
    # a transaction here lasts; `retry_busy` tries again after a fraction of that.
    conn = sqlite3.connect(path, timeout=0, isolation_level=None, check_same_thread=False)
    try:
        retry_busy(lambda: conn.execute("PRAGMA journal_mode=WAL"), busy_timeout)
        conn.execute(f"PRAGMA synchronous={synchronous}")
        # A checkpoint ends with an fsync: left to SQLite, every ~250th score_log would wait
        # for one. The sender checkpoints instead (see Heartbeat); this is the safety net for
        # a file that queues with no sender running.
        conn.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            retry_busy(lambda: _create_tables(conn, version), busy_timeout)
    except BaseException:
        conn.close()
        raise
    return conn


def _create_private(path: Path) -> None:
    # Scores may be sensitive: the file is the owner's alone (SQLite gives its -wal and -shm
    # files the same mode).
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def _create_tables(conn: sqlite3.Connection, version: int) -> None:
    if version > SCHEMA_VERSION:
        raise sqlite3.DatabaseError(
            f"the outbox file has schema version {version}; this respan_evals reads "
            f"{SCHEMA_VERSION}: upgrade respan_evals"
        )
    conn.execute("BEGIN IMMEDIATE")
    try:
        for statement in _statements(_TABLES):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    """The script's statements (a trigger's body holds semicolons of its own)."""
    out: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    return out


def retry_busy(step: Callable[[], T], timeout: float) -> T:
    """`step()`, tried again while another connection holds the lock, for up to `timeout`."""
    deadline = time.monotonic() + timeout
    pause = 0.0001
    while True:
        try:
            return step()
        except sqlite3.OperationalError as e:
            if not _is_busy(e) or time.monotonic() > deadline:
                raise
        time.sleep(pause * (0.5 + random.random()))
        pause = min(pause * 1.5, 0.005)


def _is_busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(error) or "busy" in str(error)
