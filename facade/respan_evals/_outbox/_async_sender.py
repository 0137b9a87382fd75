"""The sender for asyncio (or trio) apps: `ThreadSender`'s loop, through an `AsyncRespan`.

Database steps run in a worker thread (a busy file must not stall the event loop); the lease
is renewed by a thread too, so a busy loop never lets it run out under a live sender.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import sqlite3
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import anyio
import anyio.to_thread

from .._profiles import profile_of, slug_filters, slug_match
from .._rows import Key, ScoreRow
from .._values import EvaluatorProfile
from ._codec import decode_row
from ._heartbeat import Heartbeat
from ._rowsend import evaluator_key, holder_id, outcome_of, profile_key, score_log_kwargs
from ._settings import SenderSettings
from ._store import Claimed, Outcome, Store

if TYPE_CHECKING:
    from .._async._client import AsyncRespan

__all__ = ["AsyncSender"]

_log = logging.getLogger("respan_evals.outbox")

T = TypeVar("T")


async def _db(fn: Callable[[], T]) -> T:
    return await anyio.to_thread.run_sync(fn)


class AsyncSender:
    """Runs until cancelled (or, `until_empty`, until nothing is queued)."""

    def __init__(
        self,
        store: Store,
        client: AsyncRespan,
        settings: SenderSettings,
        *,
        progressed: Callable[[], None],
    ) -> None:
        self._store = store
        self._client = client
        self._settings = settings
        self._progressed = progressed
        self.me = holder_id()
        self._learned: dict[str, float] = {}
        # What the server answered, marked in the transaction that claims the next rows: one
        # write (and one WAL commit) per batch instead of two.
        self._unmarked: list[Outcome] = []
        self._more = False  # the last claim was full: more is likely due, no need to look first

    async def run(self, *, until_empty: bool = False) -> None:
        """Send until cancelled; a database error is logged and the loop goes on (a closed
        outbox ends it)."""
        while True:
            try:
                await self._run(until_empty=until_empty)
                return
            except sqlite3.ProgrammingError:
                return
            except sqlite3.Error as e:
                _log.warning("outbox sender: %s: %s; trying again", type(e).__name__, e)
                await anyio.sleep(self._settings.poll_interval)

    async def _run(self, *, until_empty: bool) -> None:
        s = self._settings
        while True:
            if until_empty and await _db(self._store.queued) == 0:
                return
            if not await _db(lambda: self._store.acquire(self.me, timeout=s.lease_timeout)):
                await anyio.sleep(s.poll_interval)
                continue
            try:
                if await self._hold(until_empty):
                    return
            finally:
                with anyio.CancelScope(shield=True), contextlib.suppress(sqlite3.Error):
                    await _db(lambda: self._store.release(self.me))

    async def _hold(self, until_empty: bool) -> bool:
        s = self._settings
        beat = Heartbeat(self._store, self.me, timeout=s.lease_timeout, every=s.renew_every)
        beat.start()
        self._more = False
        try:
            while not beat.lost:
                done = await self._round(beat, until_empty)
                if done is not None:
                    return done
            return False
        finally:
            beat.stop()
            with anyio.CancelScope(shield=True):  # what the server answered is kept
                await self._mark()

    async def _round(self, beat: Heartbeat, until_empty: bool) -> bool | None:
        """Claim (marking the last round's answers in the same transaction), send, or wait
        for work; True/False ends the hold."""
        s = self._settings
        now = time.time()
        if not self._more and not await _db(functools.partial(self._store.has_due, now)):
            with anyio.CancelScope(shield=True):
                await self._mark()
            if until_empty and await _db(self._store.queued) == 0:
                return True
            await anyio.sleep(await _db(functools.partial(self._idle_wait, now)))
            return None
        with anyio.CancelScope(shield=True):  # the answers it marks are not marked twice
            claimed = await _db(
                functools.partial(
                    self._store.claim,
                    self.me,
                    limit=s.concurrency,
                    lease_timeout=s.lease_timeout,
                    max_attempts=s.max_attempts,
                    done=self._unmarked,
                )
            )
            if self._unmarked:
                self._unmarked = []
                self._progressed()
        if claimed is None:
            return False
        beat.renewed(now + s.lease_timeout)
        self._more = len(claimed) == s.concurrency
        outcomes: list[Outcome] = []

        async def send(c: Claimed) -> None:
            if beat.safe():
                outcomes.append(await self._send(c))

        try:
            async with anyio.create_task_group() as tg:
                for c in claimed:
                    tg.start_soon(send, c)
        finally:
            self._unmarked = outcomes  # marked with the next claim, or when the hold ends
        retries = [o.delay for o in outcomes if o.kind == "retry"]
        if retries:  # the server is struggling or refusing: give it the time it asked
            with anyio.CancelScope(shield=True):
                await self._mark()
            self._more = False
            await anyio.sleep(min(retries))
        return None

    async def _mark(self) -> None:
        """Record (and forget) what the server answered, without waiting for a next claim."""
        if self._unmarked:
            outcomes, self._unmarked = self._unmarked, []
            await _db(functools.partial(self._store.mark, outcomes))
            self._progressed()

    async def _send(self, claimed: Claimed) -> Outcome:
        try:
            row = decode_row(claimed.row)
            await self._learn(row)
            await self._client.score_log(row.log_id, row.value, **score_log_kwargs(row))
        except Exception as e:
            return outcome_of(claimed, e, self._settings)
        return outcome_of(claimed, None, self._settings)

    async def _learn(self, row: ScoreRow) -> None:
        if row.value_type is not None:
            return
        key = evaluator_key(row)
        name = profile_key(key)
        ttl = self._settings.profile_ttl
        if time.time() - self._learned.get(name, -ttl) < ttl:
            return
        if await _db(lambda: self._store.profile(name, max_age=ttl)) is None:
            profile = await self._lookup(key)
            await _db(lambda: self._store.save_profile(name, profile))
        self._learned[name] = time.time()

    async def _lookup(self, key: Key) -> EvaluatorProfile:
        kind, ref = key
        if kind == "id":
            return profile_of(await self._client.evaluators.retrieve(ref))
        page = await self._client.evaluators.filter(filters=slug_filters(ref), page_size=1)
        return profile_of(slug_match(page, ref))

    def _idle_wait(self, now: float) -> float:
        due = self._store.next_due()
        wait = self._settings.poll_interval
        return wait if due is None else max(0.0, min(wait, due - now))
