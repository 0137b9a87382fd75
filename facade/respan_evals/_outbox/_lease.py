"""The one-sender lease: a row naming its holder and when its hold runs out.

A holder renews it while it sends; a holder that died stops renewing, and after `timeout`
seconds the next sender takes it over. Wall-clock time, because holders are processes.
"""

from __future__ import annotations

import sqlite3

__all__ = ["acquire", "holder", "release", "renew"]


def acquire(conn: sqlite3.Connection, me: str, *, now: float, timeout: float) -> bool:
    """Take the lease if it is free, ran out, or is already ours (in the caller's transaction)."""
    cur = conn.execute(
        "UPDATE lease SET holder = ?, expires = ?, since = CASE WHEN holder IS ? THEN since"
        " ELSE ? END WHERE name = 'sender' AND (holder IS NULL OR holder = ? OR expires < ?)",
        (me, now + timeout, me, now, me, now),
    )
    return cur.rowcount == 1


def renew(conn: sqlite3.Connection, me: str, *, now: float, timeout: float) -> bool:
    """Extend our hold; False when it is no longer ours (it ran out and someone took it)."""
    cur = conn.execute(
        "UPDATE lease SET expires = ? WHERE name = 'sender' AND holder = ?",
        (now + timeout, me),
    )
    return cur.rowcount == 1


def release(conn: sqlite3.Connection, me: str) -> None:
    """Give the lease up, if it is ours, so a successor need not wait for it to run out."""
    conn.execute(
        "UPDATE lease SET holder = NULL, expires = 0 WHERE name = 'sender' AND holder = ?", (me,)
    )


def holder(conn: sqlite3.Connection, *, now: float) -> tuple[str, float] | None:
    """The holder and the seconds its lease has left, or None when nobody holds it."""
    row = conn.execute("SELECT holder, expires FROM lease WHERE name = 'sender'").fetchone()
    if row is None or row[0] is None or row[1] < now:
        return None
    return str(row[0]), float(row[1]) - now
