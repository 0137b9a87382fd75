"""Forking while another thread is inside SQLite, or holds one of the outbox's locks.

SQLite's mutexes (and the outbox's own locks) are not fork-safe: a child forked while another
thread holds one waits for ever on its first use. So a fork waits until no thread of this
process is in a call of the outbox's, and the child then gets new locks (gunicorn's `--preload`,
Celery's prefork pool and `multiprocessing`'s fork all fork a process with threads running).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import weakref
from collections.abc import Iterator
from typing import Protocol

__all__ = ["ForkAware", "inside_sqlite", "reset_in_forked_child"]

# A call of the outbox's takes milliseconds; a fork waits this long at most, then goes ahead.
_FORK_WAIT = 30.0


class ForkAware(Protocol):
    def reset_after_fork(self) -> None:
        """New locks and none of the parent's per-thread state, in a forked child."""


class _Guard:
    """Counts the threads inside SQLite; `before_fork` waits until none is."""

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._inside = 0
        self._depth = threading.local()

    @contextlib.contextmanager
    def inside(self) -> Iterator[None]:
        depth: int = getattr(self._depth, "n", 0)
        if not depth:
            with self._cond:
                self._inside += 1
        self._depth.n = depth + 1
        try:
            yield
        finally:
            self._depth.n = depth
            if not depth:
                with self._cond:
                    self._inside -= 1
                    if not self._inside:
                        self._cond.notify_all()

    def before_fork(self) -> None:
        self._cond.acquire()
        own = 1 if getattr(self._depth, "n", 0) else 0  # a fork from inside a call of ours
        deadline = time.monotonic() + _FORK_WAIT
        while self._inside > own and (left := deadline - time.monotonic()) > 0:
            self._cond.wait(left)

    def after_fork_in_parent(self) -> None:
        self._cond.release()

    def after_fork_in_child(self) -> None:
        # Only the forking thread lives on: the others' counts and locks are gone with them.
        self._cond = threading.Condition(threading.Lock())
        self._inside = 1 if getattr(self._depth, "n", 0) else 0
        for owner in list(_OWNERS):
            owner.reset_after_fork()


_GUARD = _Guard()
_OWNERS: weakref.WeakSet[ForkAware] = weakref.WeakSet()
inside_sqlite = _GUARD.inside

if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork
    os.register_at_fork(
        before=_GUARD.before_fork,
        after_in_parent=_GUARD.after_fork_in_parent,
        after_in_child=_GUARD.after_fork_in_child,
    )


def reset_in_forked_child(owner: ForkAware) -> None:
    """Call `owner.reset_after_fork()` in every forked child, for as long as `owner` lives."""
    _OWNERS.add(owner)
