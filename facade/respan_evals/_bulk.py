"""Running score_log over many rows with at most `limit` in flight: threads, or asyncio tasks.

Both hand over each outcome as soon as it is done, read the rows lazily, and finish what is in
flight when the input itself fails (then raise that error).
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable, Coroutine, Iterable, Iterator
from typing import Any

from ._rows import ScoreOutcome

__all__ = ["anumbered", "numbered", "run_in_tasks", "run_in_threads"]


def run_in_threads(
    score_item: Callable[[int, object], ScoreOutcome],
    source: Iterator[tuple[int, object]],
    limit: int,
) -> Iterator[ScoreOutcome]:
    """`score_item(index, item)` for each of `source` in a pool of `limit` threads."""
    import concurrent.futures

    source_error: Exception | None = None
    pool = concurrent.futures.ThreadPoolExecutor(limit, thread_name_prefix="respan-evals")
    pending: set[concurrent.futures.Future[ScoreOutcome]] = set()

    def refill() -> None:
        nonlocal source_error
        while source_error is None and len(pending) < limit:
            try:
                index, item = next(source)
            except StopIteration:
                return
            except Exception as e:  # the input itself failed: finish what is in flight
                source_error = e
                return
            pending.add(pool.submit(score_item, index, item))

    try:
        refill()
        while pending:
            done, _ = concurrent.futures.wait(
                pending, return_when=concurrent.futures.FIRST_COMPLETED
            )
            pending.difference_update(done)
            for future in done:
                yield future.result()
            # Refill only once `done` is handed over: a caller that stops mid-batch then
            # leaves at most `limit` rows landed but unreported, as the async twin does.
            refill()
        if source_error is not None:
            raise source_error
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


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
