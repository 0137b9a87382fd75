"""score_log, and scoring many logs at once: the value goes into the field its evaluator expects.

    client.score_log("log_1", 4.5, evaluator="quality")
    for outcome in client.iter_score_logs(rows, concurrency=8):
        print(outcome.index, outcome.ok)

Every score goes through the log-scoped upsert (POST /api/logs/{log_id}/scores/): one score per
log, evaluator and scorer, so a retry or a re-run never duplicates. An evaluator is looked up
once per client for its score_value_type, bounds and choices; concurrent first lookups of the
same evaluator share one request.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    Mapping,
)
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._call import check_path
from ._errors import RespanError, RespanValidationError, short_repr
from ._not_given import NOT_GIVEN, NotGiven
from ._resources._base import checked_body
from ._values import EvaluatorProfile, check_value_type, score_value_fields

if TYPE_CHECKING:
    # asyncio, concurrent.futures, anyio and the generated models are imported where used:
    # none of them is needed at start-up.
    import asyncio
    import concurrent.futures

    import anyio

    from respan_evals_api.models import (
        Evaluator,
        LogScoreUpsertRequest,
        PaginatedEvaluatorList,
        Score,
    )

    from ._resources import AsyncEvaluators, AsyncLogScores, Evaluators, LogScores

__all__ = [
    "AsyncProfileCache",
    "AsyncScoring",
    "ProfileCache",
    "ScoreOutcome",
    "ScoreRow",
    "SyncScoring",
]

Rows = Iterable["ScoreRow | Mapping[str, object]"]
_Key = tuple[str, str]  # ("slug", "quality") or ("id", "evl_1")


@dataclass(frozen=True)
class ScoreRow:
    """One score to write: the arguments of `score_log`, as data."""

    log_id: str
    value: object
    evaluator: str | None = None
    evaluator_id: str | None = None
    value_type: str | None = None
    timestamp: datetime.datetime | str | None = None
    environment: str | None = None
    explanation: str | None = None
    prompt_id: str | None = None
    prompt_version_number: int | None = None
    dataset_id: str | None = None
    automation_id: str | None = None


@dataclass(frozen=True)
class ScoreOutcome:
    """What became of one input row: a score, or the error that stopped it."""

    index: int  # position of the row in the input
    row: ScoreRow | None  # None when the input item could not be read as a ScoreRow
    score: Score | None  # set on success
    error: RespanError | None  # set on failure (validation or API)
    created: bool | None  # True: new score (201); False: updated (200); None: failed

    @property
    def ok(self) -> bool:
        return self.error is None


def to_row(item: object) -> ScoreRow:
    """A ScoreRow from a ScoreRow or a mapping with ScoreRow's field names."""
    if isinstance(item, ScoreRow):
        return item
    if not isinstance(item, Mapping):
        raise RespanValidationError(
            f"a row must be a ScoreRow or a mapping, got {type(item).__name__}"
        )
    names = {f.name for f in fields(ScoreRow)}
    unknown = sorted(str(k) for k in item if k not in names)
    if unknown:
        raise RespanValidationError(f"unknown row keys {unknown}; known: {sorted(names)}")
    missing = [k for k in ("log_id", "value") if k not in item]
    if missing:
        raise RespanValidationError(f"a row needs {missing}")
    return ScoreRow(**{str(k): v for k, v in item.items()})


@dataclass(frozen=True)
class _Request:
    """The checked arguments of one score_log call, short of the value's field."""

    log_id: str
    key: _Key
    value_type: str | None
    extra: Mapping[str, Any]  # the other upsert body fields

    @classmethod
    def check(cls, row: ScoreRow) -> _Request:
        if not isinstance(row.log_id, str):
            raise RespanValidationError(f"log_id must be a str, got {short_repr(row.log_id)}")
        check_path(row.log_id)
        if (row.evaluator is None) == (row.evaluator_id is None):
            raise RespanValidationError(
                "pass exactly one of evaluator (the slug) or evaluator_id; got "
                + ("both" if row.evaluator is not None else "neither")
            )
        key = ("slug", row.evaluator) if row.evaluator is not None else ("id", row.evaluator_id)
        if not isinstance(key[1], str) or not key[1].strip():
            raise RespanValidationError(f"evaluator {key[0]} must be a non-empty str")
        if row.value_type is not None:
            if not isinstance(row.value_type, str):
                raise RespanValidationError(f"value_type must be a str, got {row.value_type!r}")
            check_value_type(row.value_type)
        extra: dict[str, Any] = {
            "evaluator_slug" if key[0] == "slug" else "evaluator_id": key[1],
            "timestamp": _timestamp(row.timestamp),
        }
        for name in ("environment", "explanation", "prompt_id", "dataset_id", "automation_id"):
            extra[name] = _optional(name, getattr(row, name), str)
        extra["prompt_version_number"] = _optional(
            "prompt_version_number", row.prompt_version_number, int
        )
        return cls(row.log_id, (key[0], key[1]), row.value_type, extra)

    def given_profile(self) -> EvaluatorProfile | None:
        """With value_type given, no lookup: bounds and choices are then not checked."""
        if self.value_type is None:
            return None
        return EvaluatorProfile(self.key[1], self.value_type, None, None, None)

    def body(self, value: object, profile: EvaluatorProfile) -> LogScoreUpsertRequest:
        from respan_evals_api.models import LogScoreUpsertRequest

        return checked_body(
            LogScoreUpsertRequest, {**score_value_fields(value, profile), **self.extra}
        )


def _timestamp(value: object) -> datetime.datetime | NotGiven:
    if value is None:
        return NOT_GIVEN
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            pass
    raise RespanValidationError(
        f"timestamp must be a datetime or an ISO 8601 str, got {short_repr(value)}"
    )


def _optional(name: str, value: object, kind: type) -> Any:
    if value is None:
        return NOT_GIVEN
    if isinstance(value, bool) or not isinstance(value, kind):
        raise RespanValidationError(f"{name} must be a {kind.__name__}, got {short_repr(value)}")
    return value


def _slug_filters(slug: str) -> dict[str, dict[str, object]]:
    return {"evaluator_slug": {"operator": "", "value": [slug]}}


def _slug_match(page: PaginatedEvaluatorList, slug: str) -> Evaluator:
    # Check the slug: a server that ignored the filter would hand back some other evaluator.
    for evaluator in page.results:
        if evaluator.evaluator_slug == slug:
            return evaluator
    raise RespanValidationError(
        f"no evaluator with slug {slug!r} was found; nothing was sent for this score"
    )


def _profile(evaluator: Evaluator) -> EvaluatorProfile:
    # Only what a profile reads: Evaluator.to_dict() fails on odd items elsewhere that the
    # generated parser kept (e.g. "tags": [null]), and those must not stop a score.
    return EvaluatorProfile.from_evaluator_dict(
        {
            "id": evaluator.id,
            "evaluator_slug": evaluator.evaluator_slug,
            "name": evaluator.name,
            "score_value_type": evaluator.score_value_type,
            "score_config": _plain(evaluator.score_config),
            "categorical_choices": _plain(evaluator.categorical_choices),
        }
    )


def _plain(value: object) -> object:
    """A generated model (or a list of them) as plain JSON; what cannot be read becomes None."""
    if isinstance(value, list):
        return [_plain(item) for item in value]
    to_dict = getattr(value, "to_dict", None)
    if not callable(to_dict):
        return value
    try:
        return to_dict()
    except (AttributeError, TypeError, ValueError):
        return None


F = TypeVar("F")


class _Flight(Generic[F]):
    """One lookup in progress: its waiters read the result or the error when `done` is set."""

    def __init__(self, done: F) -> None:
        self.done = done
        self.profile: EvaluatorProfile | None = None
        self.error: Exception | None = None


class ProfileCache:
    """Evaluator profiles by key, for threads: concurrent first lookups share one request.

    Failures are not cached: they reach the callers waiting at the time, and the next call
    looks up again.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._profiles: dict[_Key, EvaluatorProfile] = {}
        self._flights: dict[_Key, _Flight[threading.Event]] = {}

    def get(self, key: _Key, load: Callable[[], EvaluatorProfile]) -> EvaluatorProfile:
        while True:
            with self._lock:
                if (profile := self._profiles.get(key)) is not None:
                    return profile
                flight = self._flights.get(key)
                if flight is None:
                    flight = self._flights[key] = _Flight(threading.Event())
                    break
            flight.done.wait()
            if flight.error is not None:
                raise flight.error
            if flight.profile is not None:
                return flight.profile
            # The leading caller was interrupted before it finished: look up again.
        try:
            flight.profile = load()
        except Exception as e:
            flight.error = e
            raise
        finally:
            with self._lock:
                if flight.profile is not None:
                    self._profiles[key] = flight.profile
                del self._flights[key]
            flight.done.set()
        return flight.profile


class AsyncProfileCache:
    """`ProfileCache` for tasks (one event loop); a cancelled leader hands over to a waiter."""

    def __init__(self) -> None:
        self._profiles: dict[_Key, EvaluatorProfile] = {}
        self._flights: dict[_Key, _Flight[anyio.Event]] = {}

    async def get(
        self, key: _Key, load: Callable[[], Awaitable[EvaluatorProfile]]
    ) -> EvaluatorProfile:
        while True:
            if (profile := self._profiles.get(key)) is not None:
                return profile
            flight = self._flights.get(key)
            if flight is None:
                break
            await flight.done.wait()
            if flight.error is not None:
                raise flight.error
            if flight.profile is not None:
                return flight.profile
        import anyio

        flight = self._flights[key] = _Flight(anyio.Event())
        try:
            flight.profile = await load()
        except Exception as e:
            flight.error = e
            raise
        finally:
            if flight.profile is not None:
                self._profiles[key] = flight.profile
            del self._flights[key]
            flight.done.set()
        return flight.profile


def _check_concurrency(concurrency: object) -> int:
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise RespanValidationError(f"concurrency must be an int >= 1, got {concurrency!r}")
    return concurrency


def _failed(index: int, row: ScoreRow | None, error: Exception) -> ScoreOutcome:
    if not isinstance(error, RespanError):
        # A bulk run never stops on one row: an unexpected error is that row's outcome.
        wrapped = RespanError(f"unexpected {type(error).__name__}: {short_repr(str(error), 200)}")
        wrapped.__cause__ = error
        error = wrapped
    return ScoreOutcome(index, row, None, error, None)


class SyncScoring:
    """score_log and the bulk helpers of `Respan`."""

    evaluators: Evaluators
    log_scores: LogScores
    _profiles: ProfileCache

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
    ) -> Score:
        """Score a log with an evaluator (by slug or ID), the value in the field it expects.

        A value that does not fit the evaluator raises ScoreValueError before the score is sent.
        """
        row = ScoreRow(
            log_id,
            value,
            evaluator,
            evaluator_id,
            value_type,
            timestamp,
            environment,
            explanation,
            prompt_id,
            prompt_version_number,
            dataset_id,
            automation_id,
        )
        return self._score(row)[0]

    def _score(self, row: ScoreRow) -> tuple[Score, bool]:
        request = _Request.check(row)
        profile = request.given_profile() or self._profiles.get(
            request.key, lambda: self._lookup(request.key)
        )
        return self.log_scores.upsert_detailed(request.log_id, request.body(row.value, profile))

    def _lookup(self, key: _Key) -> EvaluatorProfile:
        kind, ref = key
        if kind == "id":
            return _profile(self.evaluators.retrieve(ref))
        return _profile(
            _slug_match(self.evaluators.filter(filters=_slug_filters(ref), page_size=1), ref)
        )

    def _score_item(self, index: int, item: object) -> ScoreOutcome:
        row = None
        try:
            row = to_row(item)
            score, created = self._score(row)
        except Exception as e:
            return _failed(index, row, e)
        return ScoreOutcome(index, row, score, None, created)

    def iter_score_logs(self, rows: Rows, *, concurrency: int = 8) -> Iterator[ScoreOutcome]:
        """One outcome per row, in completion order, with at most `concurrency` in flight.

        `rows` is read lazily, so it may be a generator over millions of rows. A row that
        fails becomes an outcome with its error; the rest go on.
        """
        limit = _check_concurrency(concurrency)
        return self._iter_score_logs(rows, limit)

    def _iter_score_logs(self, rows: Rows, limit: int) -> Iterator[ScoreOutcome]:
        import concurrent.futures

        source = enumerate(rows)
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
                pending.add(pool.submit(self._score_item, index, item))

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

    def score_logs(self, rows: Rows, *, concurrency: int = 8) -> list[ScoreOutcome]:
        """Every row's outcome, in input order (outcome.index == position)."""
        return sorted(self.iter_score_logs(rows, concurrency=concurrency), key=lambda o: o.index)


class AsyncScoring:
    """score_log and the bulk helpers of `AsyncRespan`."""

    evaluators: AsyncEvaluators
    log_scores: AsyncLogScores
    _profiles: AsyncProfileCache

    async def score_log(
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
    ) -> Score:
        """Score a log with an evaluator (by slug or ID), the value in the field it expects.

        A value that does not fit the evaluator raises ScoreValueError before the score is sent.
        """
        row = ScoreRow(
            log_id,
            value,
            evaluator,
            evaluator_id,
            value_type,
            timestamp,
            environment,
            explanation,
            prompt_id,
            prompt_version_number,
            dataset_id,
            automation_id,
        )
        return (await self._score(row))[0]

    async def _score(self, row: ScoreRow) -> tuple[Score, bool]:
        request = _Request.check(row)
        profile = request.given_profile() or await self._profiles.get(
            request.key, lambda: self._lookup(request.key)
        )
        return await self.log_scores.upsert_detailed(
            request.log_id, request.body(row.value, profile)
        )

    async def _lookup(self, key: _Key) -> EvaluatorProfile:
        kind, ref = key
        if kind == "id":
            return _profile(await self.evaluators.retrieve(ref))
        page = await self.evaluators.filter(filters=_slug_filters(ref), page_size=1)
        return _profile(_slug_match(page, ref))

    async def _score_item(self, index: int, item: object) -> ScoreOutcome:
        row = None
        try:
            row = to_row(item)
            score, created = await self._score(row)
        except Exception as e:
            return _failed(index, row, e)
        return ScoreOutcome(index, row, score, None, created)

    def iter_score_logs(
        self,
        rows: Rows | AsyncIterable[ScoreRow | Mapping[str, object]],
        *,
        concurrency: int = 8,
    ) -> AsyncIterator[ScoreOutcome]:
        """One outcome per row, in completion order, with at most `concurrency` in flight.

        `rows` (an iterable or async iterable) is read lazily. A row that fails becomes an
        outcome with its error; the rest go on.
        """
        limit = _check_concurrency(concurrency)
        return self._iter_score_logs(_aenumerate(rows), limit)

    async def _iter_score_logs(
        self, source: AsyncIterator[tuple[int, object]], limit: int
    ) -> AsyncIterator[ScoreOutcome]:
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
                        pending.add(asyncio.create_task(self._score_item(index, item)))
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

    async def score_logs(
        self,
        rows: Rows | AsyncIterable[ScoreRow | Mapping[str, object]],
        *,
        concurrency: int = 8,
    ) -> list[ScoreOutcome]:
        """Every row's outcome, in input order (outcome.index == position)."""
        outcomes = [o async for o in self.iter_score_logs(rows, concurrency=concurrency)]
        return sorted(outcomes, key=lambda o: o.index)


async def _aenumerate(
    rows: Iterable[object] | AsyncIterable[object],
) -> AsyncIterator[tuple[int, object]]:
    index = 0
    if isinstance(rows, AsyncIterable):
        async for item in rows:
            yield index, item
            index += 1
    else:
        for item in rows:
            yield index, item
            index += 1
