"""Outbox: score from inside an app without waiting and without losing a score.

    outbox = Outbox("scores.db", client=Respan())
    outbox.score_log("log_1", True, evaluator="thumbs_up")   # queued on disk; no request
    outbox.flush(timeout=5)                                   # how many are left

`score_log` checks the row and writes it to a SQLite file (WAL) in one short transaction; a
sender (a thread here, `run()` in a process of its own, or `sending()` for asyncio) sends it
through the client at the client's pace. Many processes may queue into one file; one sender at
a time sends, holding a lease in the file that a dead sender's successor takes over.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime
import os
import threading
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .._errors import RespanValidationError
from .._rows import ScoreRequest, ScoreRow
from .._values import score_value_fields
from ._codec import encode_row
from ._errors import OutboxClosedError, OutboxFullError
from ._fork import reset_in_forked_child
from ._records import FailedScore, OutboxStats
from ._rowsend import evaluator_key, profile_key
from ._settings import SenderSettings, check_positive

if TYPE_CHECKING:
    from .._async._client import AsyncRespan
    from .._sync._client import Respan
    from ._store import Store
    from ._thread_sender import ThreadSender

__all__ = ["Outbox"]

_FULL_POLL = 0.01  # seconds between looks for room, when score_log waits for it
_FLUSH_POLL = 0.02


class Outbox:
    """A durable queue of scores in a SQLite file, sent in the background at the rate limit."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        client: Respan | None = None,
        *,
        max_rows: int | None = 100_000,
        max_bytes: int | None = 256 * 1024 * 1024,
        wait_when_full: float = 0.0,
        exit_timeout: float = 5.0,
        lease_timeout: float = 30.0,
        poll_interval: float = 0.25,
        concurrency: int = 1,
        max_attempts: int = 25,
        retry_base: float = 1.0,
        retry_cap: float = 300.0,
        profile_ttl: float = 3600.0,
        busy_timeout: float = 10.0,
        durability: Literal["process", "power"] = "process",
    ) -> None:
        """Open (or create, mode 0600) the outbox file; with `client`, send in a thread.

        Args:
            path: the SQLite file; every process that names it shares the queue.
            client: a `Respan` to send through, from a background thread of this process,
                started now (what an earlier run left is sent too). A forked child only
                queues: its copy of the client shares the parent's connections, so the
                parent sends (or call `start(Respan())` in the child). Default: none; send
                with `run()`, `sending()` or `respan-evals outbox drain FILE`.
            max_rows, max_bytes: how many unsent scores (and bytes of them) the file may
                hold; past either, `score_log` raises OutboxFullError. None: no bound.
            wait_when_full: seconds `score_log` waits for room before raising. Default: 0.
            exit_timeout: seconds of sending at interpreter exit (and on `close()`); what
                is left stays in the file for the next sender.
            lease_timeout: seconds after which a sender that stopped renewing (it died) is
                replaced by another.
            poll_interval: seconds between a sender's looks for rows queued by other
                processes (rows queued by this process wake it at once).
            concurrency: requests in flight, for distinct (log, evaluator) pairs; the
                client's pacer still sets the rate. Default: 1.
            max_attempts: attempts after which a retryable failure is final.
            retry_base, retry_cap: the wait before a row's second attempt (doubling
                after each, jittered) and the longest wait; a server's Retry-After wins.
            profile_ttl: seconds an evaluator's profile, looked up by a sender, checks
                values at `score_log` in every process.
            busy_timeout: seconds a write waits for another process's transaction.
            durability: "process" (default): a queued score survives the process being
                killed; "power": also a power loss or an OS crash (an fsync per score:
                slower).

        Raises:
            RespanValidationError: a setting is wrong. OSError or sqlite3.Error: the file
                cannot be opened or is not an outbox.
        """
        for name, value in (("max_rows", max_rows), ("max_bytes", max_bytes)):
            check_positive(name, value, allow_none=True, integer=True)
        check_positive("wait_when_full", wait_when_full, allow_zero=True)
        check_positive("exit_timeout", exit_timeout, allow_zero=True)
        check_positive("busy_timeout", busy_timeout)
        if durability not in ("process", "power"):
            raise RespanValidationError(
                f'durability must be "process" or "power", got {durability!r}'
            )
        self.settings = SenderSettings(
            lease_timeout=lease_timeout,
            poll_interval=poll_interval,
            concurrency=concurrency,
            max_attempts=max_attempts,
            retry_base=retry_base,
            retry_cap=retry_cap,
            profile_ttl=profile_ttl,
        )
        from ._store import Store

        self.path = Path(path)
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        self.wait_when_full = wait_when_full
        self.exit_timeout = exit_timeout
        self._store: Store = Store(
            self.path,
            busy_timeout=busy_timeout,
            synchronous="FULL" if durability == "power" else "NORMAL",
        )
        self._client = client
        self._client_pid = os.getpid()  # a forked child must not send through a copy
        self._wake = threading.Event()  # a local enqueue: the sender need not wait its poll
        self._progress = threading.Condition()
        self._lock = threading.Lock()
        self._sender: tuple[int, threading.Thread, threading.Event, ThreadSender] | None = None
        self._closed = False
        reset_in_forked_child(self)
        atexit.register(self._at_exit)
        self._ensure_sender()

    def __repr__(self) -> str:
        return f"Outbox({str(self.path)!r})"

    def reset_after_fork(self) -> None:
        # The parent's sender thread is not in the child: its locks may be held for ever.
        self._wake = threading.Event()
        self._progress = threading.Condition()
        self._lock = threading.Lock()

    # ---- queueing ---------------------------------------------------------------------
    def score_log(
        self,
        log_id: str,
        value: object,
        *,
        evaluator: str | None = None,
        evaluator_id: str | None = None,
        value_type: str | None = None,
        timestamp: datetime.datetime | str | None = None,
        environment: str | None = None,
        explanation: str | None = None,
        prompt_id: str | None = None,
        prompt_version_number: int | None = None,
        dataset_id: str | None = None,
        automation_id: str | None = None,
    ) -> int:
        """Queue a score for `client.score_log` (same arguments); its row id. No request.

        The row is checked as `score_log` checks it: the value against the evaluator when
        `value_type` is given or a sender has looked the evaluator up (otherwise at send
        time, where a bad value ends the row as failed).

        Raises:
            ScoreValueError: the value does not fit the evaluator; nothing was queued.
            RespanValidationError: another argument is wrong, or the value is of a type the
                outbox cannot store; nothing was queued.
            OutboxFullError: the outbox is at its bound (after `wait_when_full`).
            OutboxClosedError: the outbox was closed.
        """
        row = ScoreRow(
            log_id=log_id,
            value=value,
            evaluator=evaluator,
            evaluator_id=evaluator_id,
            value_type=value_type,
            timestamp=timestamp,
            environment=environment,
            explanation=explanation,
            prompt_id=prompt_id,
            prompt_version_number=prompt_version_number,
            dataset_id=dataset_id,
            automation_id=automation_id,
        )
        request = ScoreRequest.check(row)
        store = self._open_store()
        key = evaluator_key(row)
        profile = request.given_profile() or store.profile(
            profile_key(key), max_age=self.settings.profile_ttl
        )
        if profile is not None:
            score_value_fields(value, profile)
        text = encode_row(row)
        deadline = time.monotonic() + self.wait_when_full
        while True:
            try:
                row_id = store.enqueue(
                    key=f"{log_id}\x1f{profile_key(key)}",  # the order is kept per this key
                    row=text,
                    max_rows=self.max_rows,
                    max_bytes=self.max_bytes,
                )
                break
            except OutboxFullError:
                if time.monotonic() >= deadline:
                    raise
                self._ensure_sender()
                time.sleep(min(_FULL_POLL, max(0.0, deadline - time.monotonic())))
        self._ensure_sender()
        self._wake.set()
        return row_id

    # ---- sending ----------------------------------------------------------------------
    def start(self, client: Respan | None = None) -> None:
        """Start the background sender thread (through `client`, or the outbox's own)."""
        if client is not None:
            self._client, self._client_pid = client, os.getpid()
        if self._client is None or self._client_pid != os.getpid():
            raise RespanValidationError(
                "start() needs a client of this process: outbox.start(Respan())"
            )
        self._ensure_sender()

    def run(
        self, client: Respan, *, until_empty: bool = False, timeout: float | None = None
    ) -> int:
        """Send in this thread: for ever, or until nothing is queued (`until_empty`) or
        `timeout` seconds passed; how many scores are left queued. Ctrl-C stops it."""
        from ._thread_sender import ThreadSender

        stop = threading.Event()
        sender = ThreadSender(
            self._open_store(), client, self.settings, wake=self._wake, progressed=self._notify
        )
        timer = None
        if timeout is not None:

            def stop_now() -> None:
                stop.set()
                self._wake.set()

            timer = threading.Timer(timeout, stop_now)
            timer.daemon = True
            timer.start()
        try:
            sender.run(stop, until_empty=until_empty)
        finally:
            if timer is not None:
                timer.cancel()
        return self._store.queued()

    async def run_async(self, client: AsyncRespan, *, until_empty: bool = False) -> None:
        """Send through an `AsyncRespan` in this task, until cancelled (or nothing is
        queued, with `until_empty`)."""
        from ._async_sender import AsyncSender

        sender = AsyncSender(self._open_store(), client, self.settings, progressed=self._notify)
        await sender.run(until_empty=until_empty)

    @contextlib.asynccontextmanager
    async def sending(self, client: AsyncRespan) -> AsyncIterator[Outbox]:
        """Send through `client` in a task while the block runs; at its end, flush for up to
        `exit_timeout` seconds and stop (the rest stays queued). For an app's lifespan."""
        import anyio

        async with anyio.create_task_group() as tg:
            tg.start_soon(self.run_async, client)
            try:
                yield self
            finally:
                with anyio.CancelScope(shield=True):
                    await self.aflush(self.exit_timeout)
                tg.cancel_scope.cancel()

    def flush(self, timeout: float | None = None) -> int:
        """Wait until every score queued before this call is sent or failed, or `timeout`
        seconds (None: no limit); how many of them are still queued."""
        store = self._open_store()
        self._ensure_sender()
        last = store.last_id()
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = store.pending_through(last)
            if left == 0:
                return 0
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return left
            with self._progress:
                wait = _FLUSH_POLL if remaining is None else min(_FLUSH_POLL, remaining)
                self._progress.wait(wait)

    async def aflush(self, timeout: float | None = None) -> int:
        """`flush` for async code (the event loop keeps running while it waits)."""
        import anyio
        import anyio.to_thread

        store = self._open_store()
        last = await anyio.to_thread.run_sync(store.last_id)
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = await anyio.to_thread.run_sync(lambda: store.pending_through(last))
            remaining = None if deadline is None else deadline - time.monotonic()
            if left == 0 or (remaining is not None and remaining <= 0):
                return left
            await anyio.sleep(_FLUSH_POLL if remaining is None else min(_FLUSH_POLL, remaining))

    # ---- operators --------------------------------------------------------------------
    def stats(self) -> OutboxStats:
        """Counts: queued (and bytes), retrying, failed, sent; the oldest wait; the sender."""
        return self._open_store().stats()

    def failed(
        self, *, include_retrying: bool = False, limit: int | None = None
    ) -> list[FailedScore]:
        """The scores that failed for good, oldest first (with `include_retrying`, also those
        waiting for another attempt), each with its error class name and message."""
        return self._open_store().failed(include_retrying=include_retrying, limit=limit)

    def retry_failed(self, ids: Sequence[int] | None = None) -> int:
        """Queue failed scores again (all, or those `ids`); how many. A failed score that a
        later send for the same log and evaluator superseded stays failed: sending it would
        overwrite the newer value."""
        count = self._open_store().retry_failed(ids)
        self._wake.set()
        return count

    # ---- life cycle -------------------------------------------------------------------
    def close(self, timeout: float | None = None) -> int:
        """Flush for `timeout` seconds (default `exit_timeout`) if this process sends, stop
        sending and close the file; how many scores are left queued."""
        if self._closed:
            return 0
        left = self._stop_sender(self.exit_timeout if timeout is None else timeout)
        self._closed = True
        self._store.close()
        atexit.unregister(self._at_exit)
        return left

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _at_exit(self) -> None:
        # Bounded: a flush of at most exit_timeout, then a daemon thread left behind.
        with contextlib.suppress(Exception):
            self.close()

    def _open_store(self) -> Store:
        if self._closed:
            raise OutboxClosedError(f"the outbox {str(self.path)!r} is closed")
        return self._store

    def _notify(self) -> None:
        with self._progress:
            self._progress.notify_all()

    def _ensure_sender(self) -> None:
        """Start the thread sender if this outbox has a client of this process, and no sender."""
        if self._client is None or self._client_pid != os.getpid():
            return
        current = self._sender
        if current is not None and current[0] == os.getpid() and current[1].is_alive():
            return
        from ._thread_sender import ThreadSender

        with self._lock:
            current = self._sender
            if current is not None and current[0] == os.getpid() and current[1].is_alive():
                return
            stop = threading.Event()
            sender = ThreadSender(
                self._store, self._client, self.settings, wake=self._wake, progressed=self._notify
            )
            thread = threading.Thread(
                target=sender.run, args=(stop,), name="respan-outbox-sender", daemon=True
            )
            self._sender = (os.getpid(), thread, stop, sender)
            thread.start()

    def _stop_sender(self, flush_timeout: float) -> int:
        current = self._sender
        if current is None or current[0] != os.getpid() or not current[1].is_alive():
            return self._store.queued()
        left = self.flush(flush_timeout)
        _pid, thread, stop, _sender = current
        stop.set()
        self._wake.set()
        thread.join(timeout=max(0.1, flush_timeout))  # a request in flight is not waited for
        self._sender = None
        return left
