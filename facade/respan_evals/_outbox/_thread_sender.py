"""The sender for threads: sends what is queued through a `Respan` client, at its pace.

It loops: take the lease (or wait for it), claim the next due rows (one per log and
evaluator, oldest first), send each with `client.score_log`, repeat; what happened is marked
in the transaction that claims the next rows (or at once, when there are none to claim).
Marks come only after the server answered; a crash before that leaves the row queued, and
the next sender sends it again (the upsert makes the repeat harmless).
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from .._profiles import profile_of, slug_filters, slug_match
from .._rows import Key, ScoreRow
from .._values import EvaluatorProfile
from ._codec import decode_row
from ._heartbeat import Heartbeat
from ._rowsend import evaluator_key, holder_id, outcome_of, profile_key, score_log_kwargs
from ._settings import SenderSettings
from ._store import Claimed, Outcome, Store

if TYPE_CHECKING:
    from .._sync._client import Respan

__all__ = ["ThreadSender"]

_log = logging.getLogger("respan_evals.outbox")


class ThreadSender:
    """Runs in the calling thread until `stop` is set (or, `until_empty`, nothing is queued)."""

    def __init__(
        self,
        store: Store,
        client: Respan,
        settings: SenderSettings,
        *,
        wake: threading.Event,
        progressed: Callable[[], None],
    ) -> None:
        self._store = store
        self._client = client
        self._settings = settings
        self._wake = wake
        self._progressed = progressed
        self.me = holder_id()
        self._learned: dict[str, float] = {}  # profile key -> when it was filed

    def run(self, stop: threading.Event, *, until_empty: bool = False) -> None:
        """Send until `stop`; a database error (a locked or closed file) never ends it silently:
        it is logged and the loop goes on, unless the outbox was closed."""
        while not stop.is_set():
            try:
                self._run(stop, until_empty=until_empty)
                return
            except sqlite3.ProgrammingError:  # the outbox was closed under us
                return
            except sqlite3.Error as e:
                _log.warning("outbox sender: %s: %s; trying again", type(e).__name__, e)
                self._nap(stop, self._settings.poll_interval)

    def _run(self, stop: threading.Event, *, until_empty: bool) -> None:
        s = self._settings
        while not stop.is_set():
            if until_empty and self._store.queued() == 0:
                return
            if not self._store.acquire(self.me, timeout=s.lease_timeout):
                self._nap(stop, s.poll_interval)  # another sender holds it
                continue
            try:
                if self._hold(stop, until_empty):
                    return
            finally:
                with contextlib.suppress(sqlite3.Error):
                    self._store.release(self.me)

    def _hold(self, stop: threading.Event, until_empty: bool) -> bool:
        """Send while the lease is ours; True when done (`until_empty` and nothing queued)."""
        s = self._settings
        beat = Heartbeat(self._store, self.me, timeout=s.lease_timeout, every=s.renew_every)
        beat.start()
        pool = None
        if s.concurrency > 1:
            pool = ThreadPoolExecutor(s.concurrency, "respan-outbox-send")
        # What the server answered, marked in the transaction that claims the next rows: one
        # write (and one WAL commit) per batch instead of two.
        outcomes: list[Outcome] = []
        more = False  # the last claim was full: more is likely due, no need to look first
        try:
            while not stop.is_set() and not beat.lost:
                now = time.time()
                if not more and not self._store.has_due(now):
                    self._mark(outcomes)
                    if until_empty and self._store.queued() == 0:
                        return True
                    self._nap(stop, self._idle_wait(now))
                    continue
                claimed = self._store.claim(
                    self.me,
                    limit=s.concurrency,
                    lease_timeout=s.lease_timeout,
                    max_attempts=s.max_attempts,
                    done=outcomes,
                )
                if outcomes:
                    outcomes = []
                    self._progressed()
                if claimed is None:
                    return False  # the lease ran out and someone else took it
                beat.renewed(now + s.lease_timeout)
                more = len(claimed) == s.concurrency

                def send(c: Claimed) -> Outcome | None:
                    return self._send(c) if beat.safe() and not stop.is_set() else None

                results = list(pool.map(send, claimed)) if pool else [send(c) for c in claimed]
                outcomes = [o for o in results if o is not None]
                retries = [o.delay for o in outcomes if o.kind == "retry"]
                if retries:  # the server is struggling or refusing: give it the time it asked
                    self._mark(outcomes)
                    more = False
                    self._nap(stop, min(retries))
            self._mark(outcomes)
            return False
        except BaseException:
            with contextlib.suppress(sqlite3.Error):  # else the next sender sends them again
                self._mark(outcomes)
            raise
        finally:
            beat.stop()
            if pool is not None:
                pool.shutdown(wait=True)

    def _mark(self, outcomes: list[Outcome]) -> None:
        """Record (and forget) what the server answered, without waiting for a next claim."""
        if outcomes:
            self._store.mark(outcomes)
            outcomes.clear()
            self._progressed()

    def _send(self, claimed: Claimed) -> Outcome:
        try:
            row = decode_row(claimed.row)
            self._learn(row)
            self._client.score_log(row.log_id, row.value, **score_log_kwargs(row))
        except Exception as e:
            return outcome_of(claimed, e, self._settings)
        return outcome_of(claimed, None, self._settings)

    def _learn(self, row: ScoreRow) -> None:
        """File the evaluator's profile, once, so enqueues in any process can check values."""
        if row.value_type is not None:
            return
        key = evaluator_key(row)
        name = profile_key(key)
        ttl = self._settings.profile_ttl
        if time.time() - self._learned.get(name, -ttl) < ttl:
            return
        if self._store.profile(name, max_age=ttl) is None:
            self._store.save_profile(name, self._lookup(key))
        self._learned[name] = time.time()

    def _lookup(self, key: Key) -> EvaluatorProfile:
        kind, ref = key
        if kind == "id":
            return profile_of(self._client.evaluators.retrieve(ref))
        page = self._client.evaluators.filter(filters=slug_filters(ref), page_size=1)
        return profile_of(slug_match(page, ref))

    def _idle_wait(self, now: float) -> float:
        due = self._store.next_due()
        wait = self._settings.poll_interval
        return wait if due is None else max(0.0, min(wait, due - now))

    def _nap(self, stop: threading.Event, seconds: float) -> None:
        """Sleep up to `seconds`; a local enqueue or a stop ends it early."""
        if seconds <= 0:
            return
        self._wake.wait(seconds)
        self._wake.clear()
        del stop  # `stop` sets `wake` too
