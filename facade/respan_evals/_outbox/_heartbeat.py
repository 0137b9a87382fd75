"""The thread that renews a sender's lease while it holds it, and says when to stop sending.

A thread rather than a task: it renews even while an event loop is busy, so a slow request
never lets the lease run out under a live sender. It also checkpoints the WAL, so that the
fsync that ends a checkpoint is paid here and not inside an app's `score_log`.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time

from ._store import Store

__all__ = ["CHECKPOINT_EVERY", "Heartbeat"]

CHECKPOINT_EVERY = 0.5  # seconds


class Heartbeat:
    """Renews `me`'s lease every `every` seconds until stopped or the lease is lost."""

    def __init__(self, store: Store, me: str, *, timeout: float, every: float) -> None:
        self._store = store
        self._me = me
        self._timeout = timeout
        self._every = every
        self._stop = threading.Event()
        self.lost = False
        self._held_until = time.time() + timeout  # the caller has just taken or renewed it
        self._thread = threading.Thread(target=self._run, name="respan-outbox-lease", daemon=True)

    def start(self) -> Heartbeat:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=self._timeout)

    def renewed(self, until: float) -> None:
        """The sender renewed it itself (when claiming)."""
        self._held_until = max(self._held_until, until)

    def safe(self) -> bool:
        """Whether a request may start now: the lease is ours for a good while yet."""
        return not self.lost and time.time() < self._held_until - self._timeout / 2

    def _run(self) -> None:
        renew_at = time.monotonic() + self._every
        while not self._stop.wait(min(self._every, CHECKPOINT_EVERY)):
            with contextlib.suppress(sqlite3.Error):  # busy or closing: the next tick tries
                self._store.checkpoint()
            if time.monotonic() < renew_at:
                continue
            start = time.time()
            try:
                ok = self._store.renew(self._me, timeout=self._timeout)
            except sqlite3.Error:
                continue  # busy or closing: `safe()` turns False if this goes on
            if not ok:
                self.lost = True
                return
            self._held_until = start + self._timeout
            renew_at = time.monotonic() + self._every
