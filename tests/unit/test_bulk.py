"""score_logs / iter_score_logs: one outcome per row, no row lost or stored twice, rows read
lazily with at most `concurrency` in flight."""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from respan_evals import (
    AsyncRespan,
    InternalServerError,
    Respan,
    RespanError,
    RespanValidationError,
    ScoreOutcome,
    ScoreRow,
    ScoreValueError,
)

from .conftest import EVALUATOR, KEY, SCORE, Sleeps, page

UPSERT = re.compile(r"/api/logs/([^/]+)/scores/$")


class Store:
    """A server that keeps one score per (log, evaluator), and fails on cue.

    `flaky` maps a log ID to how its first attempt fails: "applied-503" stores the score and
    then answers 503 (the reply is lost); "dropped" stores it and drops the connection;
    "refused" fails before anything arrives.
    """

    def __init__(self, flaky: dict[str, str] | None = None, delay: float = 0.0) -> None:
        self.scores: dict[tuple[str, str], dict[str, Any]] = {}
        self.flaky = dict(flaky or {})
        self.attempts: dict[str, int] = {}
        self.lookups = 0
        self.delay = delay
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/evaluators/list/":
            with self.lock:
                self.lookups += 1
            return httpx.Response(200, json=page([EVALUATOR]))
        match = UPSERT.match(request.url.path)
        assert match and request.method == "POST", request.url.path
        log_id = match.group(1)
        body = json.loads(request.content)
        with self.lock:
            self.attempts[log_id] = self.attempts.get(log_id, 0) + 1
            failure = self.flaky.pop(log_id, None)
        if failure == "refused":
            raise httpx.ConnectError("refused")
        key = (log_id, body.get("evaluator_slug") or body.get("evaluator_id"))
        with self.lock:
            created = key not in self.scores
            self.scores[key] = body
        if failure == "applied-503":
            return httpx.Response(503, text="<html>upstream timeout</html>")
        if failure == "dropped":
            raise httpx.RemoteProtocolError("Server disconnected")
        return httpx.Response(201 if created else 200, json={**SCORE, "log_id": log_id})

    def sync_handler(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            time.sleep(self.delay)
            return self.handle(request)
        finally:
            with self.lock:
                self.in_flight -= 1

    async def async_handler(self, request: httpx.Request) -> httpx.Response:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
            return self.handle(request)
        finally:
            self.in_flight -= 1


def sync_client(store: Store, **kwargs: Any) -> Respan:
    http = httpx.Client(transport=httpx.MockTransport(store.sync_handler))
    client = Respan(KEY, http_client=http, rate_limit=None, **kwargs)
    client._transport.sleep = Sleeps()
    return client


def async_client(store: Store, **kwargs: Any) -> AsyncRespan:
    http = httpx.AsyncClient(transport=httpx.MockTransport(store.async_handler))
    client = AsyncRespan(KEY, http_client=http, rate_limit=None, **kwargs)
    client._transport.sleep = Sleeps().asleep
    return client


def mixed_rows() -> tuple[list[Any], set[int], dict[str, str]]:
    """40 rows: most valid, some invalid in several ways, some hitting transient failures."""
    rows: list[Any] = []
    invalid: set[int] = set()
    for i in range(40):
        log_id = f"log_{i}"
        if i % 10 == 3:
            rows.append({"log_id": log_id, "value": 4, "evaluator": "quality", "colour": "red"})
            invalid.add(i)
        elif i % 10 == 5:
            rows.append(ScoreRow(log_id, "high", evaluator="quality"))  # not a number
            invalid.add(i)
        elif i % 10 == 7:
            rows.append(ScoreRow(log_id, 4))  # no evaluator
            invalid.add(i)
        elif i == 9:
            rows.append(["not", "a", "row"])
            invalid.add(i)
        elif i % 2:
            rows.append({"log_id": log_id, "value": 4, "evaluator": "quality"})
        else:
            rows.append(ScoreRow(log_id, 3, evaluator="quality", environment="test"))
    flaky = {
        "log_0": "applied-503",
        "log_2": "dropped",
        "log_4": "refused",
        "log_11": "applied-503",
    }
    return rows, invalid, flaky


def check_outcomes(
    outcomes: list[ScoreOutcome], rows: list[Any], invalid: set[int], store: Store
) -> None:
    assert sorted(o.index for o in outcomes) == list(range(len(rows)))
    for o in outcomes:
        if o.index in invalid:
            assert not o.ok and isinstance(o.error, RespanValidationError)
            assert o.score is None and o.created is None
        else:
            assert o.ok, o.error
            assert o.score is not None and o.score.log_id == f"log_{o.index}"
            assert isinstance(o.row, ScoreRow) and o.row.log_id == f"log_{o.index}"
    valid = [i for i in range(len(rows)) if i not in invalid]
    assert sorted(store.scores) == sorted((f"log_{i}", "quality") for i in valid)
    assert all(f"log_{i}" not in store.attempts for i in invalid)  # nothing sent for them
    assert store.lookups == 1


def test_every_row_yields_one_outcome_and_each_valid_row_is_stored_once() -> None:
    rows, invalid, flaky = mixed_rows()
    store = Store(flaky)
    outcomes = sync_client(store).score_logs(rows, concurrency=4)
    assert [o.index for o in outcomes] == list(range(40))  # score_logs: input order
    check_outcomes(outcomes, rows, invalid, store)
    assert store.attempts["log_0"] == 2 and store.attempts["log_4"] == 2
    assert outcomes[0].created is None  # its first, lost attempt may have created it
    assert outcomes[1].created is True


async def test_async_every_row_yields_one_outcome_and_each_valid_row_is_stored_once() -> None:
    rows, invalid, flaky = mixed_rows()
    store = Store(flaky)
    client = async_client(store)
    outcomes = await client.score_logs(rows, concurrency=4)
    assert [o.index for o in outcomes] == list(range(40))
    check_outcomes(outcomes, rows, invalid, store)
    await client.aclose()


def test_errors_that_outlast_the_retries_become_outcomes() -> None:
    store = Store({"log_1": "applied-503"})
    outcomes = sync_client(store, max_retries=0).score_logs(
        [ScoreRow(f"log_{i}", 4, evaluator="quality") for i in range(3)]
    )
    assert [o.ok for o in outcomes] == [True, False, True]
    assert isinstance(outcomes[1].error, InternalServerError)
    assert outcomes[1].error.outcome_unknown is False  # the upsert is safe to send again


def test_iter_score_logs_reads_rows_lazily_and_bounds_work_in_flight() -> None:
    store = Store(delay=0.005)
    taken = 0

    def rows() -> Iterator[ScoreRow]:
        nonlocal taken
        for i in range(1_000_000):
            taken += 1
            yield ScoreRow(f"log_{i}", 4, evaluator="quality", value_type="numerical")

    outcomes = sync_client(store).iter_score_logs(rows(), concurrency=3)
    first = [next(outcomes) for _ in range(20)]
    assert len(first) == 20 and all(o.ok for o in first)
    assert taken <= 20 + 2 * 3  # no read-ahead beyond the work in flight
    outcomes.close()  # stop early: waits for what is in flight, reads no more
    assert taken <= 20 + 2 * 3
    assert store.max_in_flight <= 3


def test_a_caller_that_stops_early_leaves_no_more_than_the_rows_in_flight_unreported() -> None:
    # The rows sent but never handed to the caller are the ones it must resend: at most
    # `concurrency` of them, so nothing is refilled until a finished batch is handed over.
    store = Store(delay=0.01)
    rows = (ScoreRow(f"log_{i}", 4, evaluator="q", value_type="numerical") for i in range(100))
    outcomes = sync_client(store).iter_score_logs(rows, concurrency=4)
    first = next(outcomes)
    time.sleep(0.05)  # what was sent by now has landed
    outcomes.close()
    assert first.ok
    assert len(store.scores) == 4  # the first four in flight; none sent after the first answer


async def test_async_iter_score_logs_is_lazy_bounded_and_takes_async_rows() -> None:
    store = Store(delay=0.002)
    taken = 0

    async def rows() -> AsyncIterator[dict[str, Any]]:
        nonlocal taken
        for i in range(1_000_000):
            taken += 1
            yield {"log_id": f"log_{i}", "value": True, "evaluator": "q", "value_type": "boolean"}

    client = async_client(store)
    seen = 0
    stream = client.iter_score_logs(rows(), concurrency=5)
    async for outcome in stream:
        assert outcome.ok
        seen += 1
        if seen == 30:
            break
    await stream.aclose()  # type: ignore[attr-defined]
    assert taken <= 30 + 2 * 5
    assert 1 < store.max_in_flight <= 5
    await client.aclose()


def test_concurrency_is_used() -> None:
    store = Store(delay=0.02)
    rows = [
        ScoreRow(f"log_{i}", 4, evaluator_id="evl_1", value_type="numerical") for i in range(16)
    ]
    outcomes = list(sync_client(store).iter_score_logs(rows, concurrency=8))
    assert len(outcomes) == 16 and all(o.ok for o in outcomes)
    assert 1 < store.max_in_flight <= 8


def test_a_failing_input_finishes_work_in_flight_then_raises() -> None:
    store = Store()

    def rows() -> Iterator[ScoreRow]:
        for i in range(5):
            yield ScoreRow(f"log_{i}", 4, evaluator="q", value_type="numerical")
        raise OSError("the file went away")

    client = sync_client(store)
    got: list[ScoreOutcome] = []
    with pytest.raises(OSError, match="went away"):
        for outcome in client.iter_score_logs(rows(), concurrency=2):
            got.append(outcome)
    assert sorted(o.index for o in got) == list(range(5))


@pytest.mark.parametrize("concurrency", [0, -1, 1.5, True])
def test_bad_concurrency_is_refused(concurrency: Any) -> None:
    client = sync_client(Store())
    with pytest.raises(RespanValidationError, match="concurrency"):
        client.score_logs([], concurrency=concurrency)


async def test_async_bad_concurrency_is_refused() -> None:
    client = async_client(Store())
    with pytest.raises(RespanValidationError, match="concurrency"):
        client.iter_score_logs([], concurrency=0)
    assert await client.score_logs([]) == []
    await client.aclose()


def test_row_conversion_errors_are_explained() -> None:
    client = sync_client(Store())
    outcomes = client.score_logs(
        [
            {"log_id": "l", "value": 1, "evaluator": "q", "colour": 1},
            {"value": 1, "evaluator": "q"},
            42,
            ScoreRow("l", 1, evaluator="q", value_type="boolean"),
        ]
    )
    messages = [str(o.error) for o in outcomes]
    assert "unknown row keys ['colour']" in messages[0]
    assert "needs ['log_id']" in messages[1]
    assert "ScoreRow or a mapping" in messages[2]
    assert isinstance(outcomes[3].error, ScoreValueError)
    assert [o.row for o in outcomes[:3]] == [None, None, None]
    assert outcomes[3].row == ScoreRow("l", 1, evaluator="q", value_type="boolean")


def test_an_unexpected_exception_in_one_row_does_not_stop_the_batch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = sync_client(Store())
    real = client._core.call_detailed

    def call_detailed(operation_id: str, send: Any, expect: Any, path: Any = (), **kw: Any) -> Any:
        if path == ("log_1",):
            raise KeyError("surprise")
        return real(operation_id, send, expect, path, **kw)

    monkeypatch.setattr(client._core, "call_detailed", call_detailed)
    rows = [ScoreRow(f"log_{i}", 4, evaluator="q", value_type="numerical") for i in range(3)]
    outcomes = client.score_logs(rows)
    assert [o.ok for o in outcomes] == [True, False, True]
    error = outcomes[1].error
    assert isinstance(error, RespanError) and isinstance(error.__cause__, KeyError)


def test_workers_of_a_stopped_run_wake_from_the_pacer_and_send_nothing_more() -> None:
    store = Store()
    http = httpx.Client(transport=httpx.MockTransport(store.sync_handler))
    # 6 a minute, a burst of 1: every row after the first waits about 10 s in the pacer.
    client = Respan(KEY, http_client=http, rate_limit=6)
    rows = [ScoreRow(f"log_{i}", 3, evaluator="q", value_type="numerical") for i in range(4)]
    before = set(threading.enumerate())
    outcomes = client.iter_score_logs(rows, concurrency=4)
    first = next(outcomes)
    assert first.ok
    outcomes.close()  # the caller stops: the three workers are asleep in the pacer
    workers = [t for t in threading.enumerate() if t not in before]
    for worker in workers:
        worker.join(timeout=5)  # they wake at once instead of after their turn (~10 s)
    assert not any(w.is_alive() for w in workers)
    assert sum(store.attempts.values()) == 1  # none of them sent its row once woken
