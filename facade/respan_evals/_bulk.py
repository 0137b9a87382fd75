"""Running score_log over many rows with at most `limit` in flight: threads, or asyncio tasks.

Both hand over each outcome as soon as it is done, read the rows lazily, and finish what is in
flight when the input itself fails (then raise that error).

A caller that stops early (`break`, `close()`, or `ThreadRun.stop()`) never waits for the
threads: rows not yet started are dropped, and threads still working (perhaps waiting their
turn in the pacer) are left to finish alone. They are daemon threads, so they do not hold up
the interpreter's exit either.
"""

from __future__ import annotations

import contextlib
import itertools
import queue
import threading
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Callable, Coroutine, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._stopping import STOP, current_stop

if TYPE_CHECKING:
    from ._rows import ScoreOutcome

__all__ = [
    "Stopped",
    "ThreadRun",
    "anumbered",
    "current_stop",
    "numbered",
    "run_in_tasks",
    "run_in_threads",
]

_thread_ids = itertools.count(1)


@dataclass(frozen=True)
class Stopped:
    """What a stopped run leaves behind, by row index."""

    finished: list[ScoreOutcome]  # done, not handed over before the stop: handed over now
    unfinished: list[int]  # started, no outcome yet: may still land, and nobody will know
    cancelled: list[int]  # never started: not sent


class _Shared:
    """The state the workers see (not the iterator, so dropping the iterator stops the run)."""

    def __init__(self, score_item: Callable[[int, object], ScoreOutcome]) -> None:
        self.score_item = score_item
        self.cond = threading.Condition()
        self.todo: deque[tuple[int, object]] = deque()
        self.done: queue.SimpleQueue[ScoreOutcome] = queue.SimpleQueue()
        self.running: set[int] = set()
        self.closing = False
        self.stop_event = threading.Event()

    def work(self) -> None:
        STOP.set(self.stop_event)
        while True:
            with self.cond:
                while not self.todo and not self.closing:
                    self.cond.wait()
                if not self.todo:
                    return
                index, item = self.todo.popleft()
                self.running.add(index)
            try:
                outcome = self.score_item(index, item)
            except Exception as e:  # score_item keeps its errors; this is a last resort
                from ._rows import failed

                outcome = failed(index, None, e)
            with self.cond:  # atomic with stop(): an index is running, or its outcome is done
                self.running.discard(index)
                self.done.put(outcome)


class ThreadRun(Iterator["ScoreOutcome"]):
    """The outcomes of a run in threads, as they come; `stop()` ends it at once."""

    def __init__(
        self,
        score_item: Callable[[int, object], ScoreOutcome],
        source: Iterator[tuple[int, object]],
        limit: int,
    ) -> None:
        self._shared = _Shared(score_item)
        self._source = source
        self._limit = limit
        self._in_flight = 0  # submitted, outcome not yet handed over
        self._workers = 0
        self._exhausted = False
        self._source_error: Exception | None = None
        self._stopped = False

    def __iter__(self) -> ThreadRun:
        return self

    def __next__(self) -> ScoreOutcome:
        if self._stopped:
            raise StopIteration
        # Refill only once the last outcome is handed over: a caller that stops then leaves
        # at most `limit` rows landed but unreported, as the async twin does.
        self._refill()
        if self._in_flight == 0:
            self._end()
            if self._source_error is not None:
                error, self._source_error = self._source_error, None
                raise error
            raise StopIteration
        outcome = self._shared.done.get()
        self._in_flight -= 1
        return outcome

    def _refill(self) -> None:
        shared = self._shared
        while not self._exhausted and self._in_flight < self._limit:
            try:
                index, item = next(self._source)
            except StopIteration:
                self._exhausted = True
                return
            except Exception as e:  # the input itself failed: finish what is in flight
                self._source_error, self._exhausted = e, True
                return
            with shared.cond:
                shared.todo.append((index, item))
                shared.cond.notify()
            self._in_flight += 1
            if self._workers < self._in_flight:
                self._workers += 1
                name = f"respan-evals_{next(_thread_ids)}"
                threading.Thread(target=shared.work, name=name, daemon=True).start()

    def _end(self) -> None:
        self._stopped = True
        shared = self._shared
        with shared.cond:
            shared.closing = True
            shared.cond.notify_all()

    def stop(self) -> Stopped:
        """Stop at once, waiting for nothing: start no row, drop the queued ones."""
        shared = self._shared
        with shared.cond:
            shared.closing = True
            cancelled = [index for index, _ in shared.todo]
            shared.todo.clear()
            unfinished = sorted(shared.running)
            finished: list[ScoreOutcome] = []
            if not self._stopped:
                while True:
                    try:
                        finished.append(shared.done.get_nowait())
                    except queue.Empty:
                        break
            shared.cond.notify_all()
        shared.stop_event.set()
        self._stopped = True
        self._in_flight = 0
        return Stopped(finished, unfinished, cancelled)

    def close(self) -> None:
        """Stop (see `stop`); outcomes not handed over are dropped."""
        if not self._stopped:
            self.stop()

    def __del__(self) -> None:
        # `break` out of a for loop drops the iterator: stop, so nothing more is started.
        with contextlib.suppress(Exception):  # at interpreter exit, the lock may be gone
            self.close()


def run_in_threads(
    score_item: Callable[[int, object], ScoreOutcome],
    source: Iterator[tuple[int, object]],
    limit: int,
) -> ThreadRun:
    """`score_item(index, item)` for each of `source` in up to `limit` threads."""
    return ThreadRun(score_item, source, limit)


async def run_in_tasks(
    score_item: Callable[[int, object], Coroutine[Any, Any, ScoreOutcome]],
    source: AsyncIterator[tuple[int, object]],
    limit: int,
) -> AsyncIterator[ScoreOutcome]:
    """`score_item(index, item)` for each of `source` as up to `limit` asyncio tasks."""
    import asyncio

    pending: set[asyncio.Task[ScoreOutcome]] = set()
    source_error: Exception | None = None
    exhausted = False
    try:
        while True:
            while not exhausted and len(pending) < limit:
                try:
                    index, item = await anext(source)
                except StopAsyncIteration:
                    exhausted = True
                except Exception as e:  # the input itself failed: finish what is in flight
                    source_error, exhausted = e, True
                else:
                    pending.add(asyncio.create_task(score_item(index, item)))
            if not pending:
                break
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                yield task.result()
        if source_error is not None:
            raise source_error
    finally:
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)


def numbered(rows: Iterable[object]) -> Iterator[tuple[int, object]]:
    """(index, row) for each row."""
    return enumerate(rows)


async def anumbered(
    rows: Iterable[object] | AsyncIterable[object],
) -> AsyncIterator[tuple[int, object]]:
    """(index, row) for each row of an iterable or an async iterable."""
    index = 0
    if isinstance(rows, AsyncIterable):
        async for item in rows:
            yield index, item
            index += 1
    else:
        for item in rows:
            yield index, item
            index += 1
