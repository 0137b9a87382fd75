"""Issue 13, items 3, 11, 13, 14 and 16: what a call reports is what is known, and nothing
in it (message, pickle) carries the key.

- 3: a key echoed in a 2xx body never reaches APIResponseValidationError's message;
- 11: NaN, Infinity or 1e400 in a 2xx body is refused, not passed on as nan / inf;
- 13: a task cancelled while it waits in the pacer gives its send slot back;
- 14: every exception of the RespanError tree survives pickle (a process pool), key-free;
- 16: a retried write says what is known: an upsert whose first answer was lost reports
  `created=None` (unknown), and a DELETE whose first answer was lost is a success on its 404.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import json
import multiprocessing
import pickle
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

import respan_evals
from respan_evals import (
    APIResponseValidationError,
    AsyncRespan,
    NotFoundError,
    Respan,
    RespanError,
    ScoreRow,
)
from respan_evals._errors import error_from_response
from respan_evals._pacing import Pacer

from .conftest import KEY, SCORE

# ---- 3: a key echoed inside a 2xx body --------------------------------------------------------


def _reply_with(body: bytes, status: int = 200) -> httpx.MockTransport:
    headers = {"content-type": "application/json"}
    return httpx.MockTransport(
        lambda request: httpx.Response(status, content=body, headers=headers)
    )


@pytest.mark.parametrize("pad", [0, 150, 170], ids=["whole", "cut-mid-key", "cut-near-start"])
def test_key_echoed_in_a_2xx_body_is_not_in_the_validation_error(pad: int) -> None:
    # The generated parser quotes the bad value ("Invalid isoformat string: 'sk_...'"), and the
    # reason is cut to 200 characters: the cut may fall inside the key.
    body = json.dumps({**SCORE, "created_at": "x" * pad + KEY}).encode()
    client = Respan(KEY, http_client=httpx.Client(transport=_reply_with(body)), rate_limit=None)
    with client, pytest.raises(APIResponseValidationError) as caught:
        client.scores.retrieve("score_1")
    error = caught.value
    shown = [str(error), repr(error), error.reason, *map(str, error.args)]
    for text in shown:
        assert KEY not in text
        assert KEY[:14] not in text, f"a piece of the key is shown: {text!r}"
    assert "could not be read" in str(error)


# ---- 11: non-finite numbers in a 2xx body -------------------------------------------------------

NON_FINITE = ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"]


def _score_with_number(number: str) -> bytes:
    text = json.dumps({**SCORE, "numerical_value": 0.5})
    return text.replace("0.5", number).encode()


@pytest.mark.parametrize("number", NON_FINITE)
def test_non_finite_number_in_a_2xx_body_is_refused(number: str) -> None:
    transport = _reply_with(_score_with_number(number))
    client = Respan(KEY, http_client=httpx.Client(transport=transport), rate_limit=None)
    with client, pytest.raises(APIResponseValidationError) as caught:
        score = client.scores.retrieve("score_1")
        pytest.fail(f"{number} was passed on as {score.numerical_value!r}")
    assert "non-finite" in str(caught.value)


@pytest.mark.parametrize("number", ["NaN", "1e400"])
async def test_non_finite_number_is_refused_async(number: str) -> None:
    transport = _reply_with(_score_with_number(number))
    client = AsyncRespan(KEY, http_client=httpx.AsyncClient(transport=transport), rate_limit=None)
    async with client:
        with pytest.raises(APIResponseValidationError):
            await client.scores.retrieve("score_1")


@pytest.mark.parametrize("number", ["4.5", "-0.0", "1e308", "12345678901234567890123", "7"])
def test_finite_numbers_still_read(number: str) -> None:
    transport = _reply_with(_score_with_number(number))
    client = Respan(KEY, http_client=httpx.Client(transport=transport), rate_limit=None)
    with client:
        assert client.scores.retrieve("score_1").numerical_value == json.loads(number)


# ---- 13: cancelled pacer waiters ----------------------------------------------------------------


class StoppedClock:
    """A clock that never moves, and a sleep that never ends (until cancelled)."""

    def __init__(self) -> None:
        self.sleeping = 0
        self.all_asleep = asyncio.Event()
        self.expected = 0

    def __call__(self) -> float:
        return 1000.0

    async def sleep_forever(self, seconds: float) -> None:
        self.sleeping += 1
        if self.sleeping == self.expected:
            self.all_asleep.set()
        await asyncio.Event().wait()


async def _waiters(pacer: Pacer, clock: StoppedClock, count: int) -> list[asyncio.Task[None]]:
    clock.expected = count
    tasks = [asyncio.create_task(pacer.wait_async(clock.sleep_forever)) for _ in range(count)]
    await asyncio.wait_for(clock.all_asleep.wait(), 10)
    return tasks


async def _cancel(tasks: Sequence[asyncio.Task[Any]]) -> None:
    for task in tasks:
        task.cancel()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert all(isinstance(r, asyncio.CancelledError) for r in results)


@pytest.mark.parametrize("order", ["as-queued", "reversed", "shuffled"])
async def test_cancelled_waiters_give_their_slots_back(order: str) -> None:
    clock = StoppedClock()
    pacer = Pacer(60, clock=clock)  # a burst of 10, then one a second
    assert [pacer.reserve() for _ in range(10)] == [0.0] * 10
    tasks = await _waiters(pacer, clock, 30)  # queued for seconds 1 .. 30
    if order == "reversed":
        tasks.reverse()
    elif order == "shuffled":
        random.Random(13).shuffle(tasks)
    await _cancel(tasks)
    # As if the 30 had never queued: the next send is a second away, not 31.
    assert pacer.reserve() == pytest.approx(1.0)
    assert pacer.reserve() == pytest.approx(2.0)


async def test_a_slot_behind_a_live_waiter_stays_taken() -> None:
    """Giving a slot back never lets a new request jump ahead of one still waiting."""
    clock = StoppedClock()
    pacer = Pacer(60, clock=clock)
    for _ in range(10):
        pacer.reserve()
    tasks = await _waiters(pacer, clock, 5)  # seconds 1 .. 5
    await _cancel(tasks[:4])  # the one at second 5 still waits
    assert pacer.reserve() == pytest.approx(6.0)
    await _cancel(tasks[4:])
    # The slot at 6 is held by the caller above; everything before it is free again, but the
    # pacer never reorders: the next send follows it.
    assert pacer.reserve() == pytest.approx(7.0)


def test_an_interrupted_sync_waiter_gives_its_slot_back() -> None:
    clock = StoppedClock()
    pacer = Pacer(60, clock=clock)
    for _ in range(10):
        pacer.reserve()

    def interrupted(seconds: float) -> None:
        raise KeyboardInterrupt

    for _ in range(5):
        with pytest.raises(KeyboardInterrupt):
            pacer.wait(interrupted)
    assert pacer.reserve() == pytest.approx(1.0)


async def test_cancelled_retrieve_tasks_do_not_delay_the_next_request() -> None:
    """The issue's case: 30 `retrieve` tasks cancelled while paced; the next call is not held."""

    def reply(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=SCORE)

    client = AsyncRespan(
        KEY, http_client=httpx.AsyncClient(transport=httpx.MockTransport(reply)), rate_limit=60
    )
    async with client:
        await asyncio.gather(*(client.scores.retrieve("score_1") for _ in range(10)))  # the burst
        tasks = [asyncio.create_task(client.scores.retrieve("score_1")) for _ in range(30)]

        for _ in range(100):  # let every task run up to its wait in the pacer (no clock involved)
            await asyncio.sleep(0)
        assert not any(t.done() for t in tasks), "the burst is spent: these must be waiting"
        await _cancel(tasks)
        started = time.monotonic()
        await asyncio.wait_for(client.scores.retrieve("score_1"), 10)
        assert time.monotonic() - started < 5.0


# ---- 14: pickle ---------------------------------------------------------------------------------


def _error_classes() -> list[type[RespanError]]:
    found: list[type[RespanError]] = []
    todo = [RespanError]
    while todo:
        cls = todo.pop()
        if cls not in found:
            found.append(cls)
            todo.extend(cls.__subclasses__())
    return sorted(found, key=lambda c: c.__name__)


def _request() -> httpx.Request:
    return httpx.Request(
        "POST",
        "https://api.respan.ai/api/scores/?page=2",
        headers={"Authorization": f"Bearer {KEY}", "X-Trace": "t-1"},
        content=b'{"log_id": "log_1"}',
    )


def _response(status: int = 404) -> httpx.Response:
    body = {"detail": f"Invalid key {KEY}", "errors": {"value": ["too big"]}, "retry_after": 3}
    return httpx.Response(
        status, json=body, headers={"Retry-After": "3", "X-Request-Id": "r-1"}, request=_request()
    )


# A value for each constructor parameter, by name, then by annotation.
SAMPLES: dict[str, Callable[[], object]] = {
    "message": lambda: "POST /api/scores/ -> something failed",
    "response": _response,
    "request": _request,
    "body": lambda: {"detail": "nope"},
    "detail": lambda: "nope",
    "field_errors": lambda: {"value": ["too big"]},
    "retry_after": lambda: 2.5,
    "reason": lambda: "ValueError: bad",
    "evaluator": lambda: "quality",
    "value_type": lambda: "numerical",
    "value": lambda: 11.5,
    "expected": lambda: "a number from 0 to 10",
}
BY_ANNOTATION: dict[str, Callable[[], object]] = {
    "str": lambda: "sample",
    "str | None": lambda: "sample",
    "int": lambda: 7,
    "int | None": lambda: 7,
    "float": lambda: 1.5,
    "float | None": lambda: 1.5,
    "bool": lambda: True,
    "object": lambda: "sample",
    "httpx.Response": _response,
    "httpx.Request": _request,
    "httpx.Request | None": _request,
}


def _instance(cls: type[RespanError]) -> RespanError:
    args: list[object] = []
    kwargs: dict[str, object] = {}
    try:
        params = inspect.signature(cls).parameters
    except ValueError:  # no __init__ of its own: Exception's (*args)
        return cls(SAMPLES["message"]())
    for name, param in params.items():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        make = SAMPLES.get(name) or BY_ANNOTATION.get(str(param.annotation))
        if make is None:
            if param.default is not param.empty:
                continue
            pytest.fail(f"{cls.__name__}({name}: {param.annotation}): add a sample to SAMPLES")
        if param.kind is param.KEYWORD_ONLY:
            kwargs[name] = make()
        else:
            args.append(make())
    return cls(*args, **kwargs)


def _comparable(value: object) -> object:
    if isinstance(value, httpx.Response):
        return ("response", value.status_code, value.request.method, str(value.request.url))
    if isinstance(value, httpx.Request):
        return ("request", value.method, str(value.url))
    return value


def _same_state(a: BaseException, b: BaseException) -> None:
    assert type(b) is type(a)
    assert str(b) == str(a)
    assert b.args == a.args
    assert {k: _comparable(v) for k, v in vars(b).items()} == {
        k: _comparable(v) for k, v in vars(a).items()
    }


@pytest.mark.parametrize("cls", _error_classes(), ids=lambda c: c.__name__)
@pytest.mark.parametrize("unknown", [False, True], ids=["plain", "outcome-unknown"])
def test_every_error_survives_pickle(cls: type[RespanError], unknown: bool) -> None:
    error = _instance(cls)
    if unknown:
        error.mark_outcome_unknown()
    data = pickle.dumps(error)
    assert KEY.encode() not in data, "the key is in the pickled bytes"
    copy = pickle.loads(data)
    _same_state(error, copy)
    assert copy.outcome_unknown is unknown


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 429, 500, 418])
def test_status_errors_keep_what_matters_through_pickle(status: int) -> None:
    error = error_from_response(_response(status))
    copy = pickle.loads(pickle.dumps(error))
    _same_state(error, copy)
    assert (copy.status_code, copy.detail, copy.field_errors, copy.retry_after) == (
        status,
        error.detail,
        {"value": ["too big"]},
        3.0,
    )
    assert copy.response.headers["x-request-id"] == "r-1"
    assert copy.response.json()["errors"] == {"value": ["too big"]}
    assert KEY not in copy.response.text
    assert "authorization" not in copy.response.request.headers
    assert copy.response.request.headers["x-trace"] == "t-1"


def test_an_unpicklable_attribute_does_not_break_pickling() -> None:
    error = respan_evals.ScoreValueError(
        evaluator="quality", value_type="numerical", value=lambda: 1, expected="a number"
    )
    copy = pickle.loads(pickle.dumps(error))
    assert str(copy) == str(error)
    assert isinstance(copy.value, str)  # shown as its repr


def _raise_in_worker(status: int) -> None:
    raise error_from_response(_response(status))


def test_errors_cross_a_process_pool() -> None:
    """ProcessPoolExecutor pickles a worker's exception: it reaches the caller, as itself."""
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        future = pool.submit(_raise_in_worker, 404)
        with pytest.raises(NotFoundError) as caught:
            future.result(timeout=60)
    assert caught.value.status_code == 404


# ---- 16: a retried write reports what is known --------------------------------------------------


@dataclass
class DropsFirstAnswer:
    """A fake server that applies every write, and loses the answer to the first one."""

    scores: dict[str, dict[str, Any]] = field(default_factory=dict)
    attempts: int = 0
    drop: int = 1  # how many answers are lost, after their write was applied
    drop_with: Callable[[], BaseException | httpx.Response] = lambda: httpx.ReadError("gone")
    applies_lost: bool = True  # False: a lost attempt never reached the server

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.attempts += 1
        if self.attempts <= self.drop:
            if self.applies_lost:
                self._apply(request)
            lost = self.drop_with()
            if isinstance(lost, BaseException):
                raise lost
            return lost
        return self._apply(request)

    async def ahandle(self, request: httpx.Request) -> httpx.Response:
        return self.handle(request)

    def _apply(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if request.method == "POST" and path.startswith("/api/logs/"):
            log_id = path.split("/")[3]
            new = log_id not in self.scores
            self.scores[log_id] = {**SCORE, "id": f"score-{log_id}", "log_id": log_id}
            return httpx.Response(201 if new else 200, json=self.scores[log_id])
        if request.method == "DELETE" and path.startswith("/api/scores/"):
            score_id = path.split("/")[3]
            for log_id, score in list(self.scores.items()):
                if score["id"] == score_id:
                    del self.scores[log_id]
                    return httpx.Response(204)
            return httpx.Response(404, json={"detail": "Not found."})
        return httpx.Response(400, json={"detail": f"unexpected {request.method} {path}"})

    def client(self) -> Respan:
        transport = httpx.MockTransport(self.handle)
        return Respan(KEY, http_client=httpx.Client(transport=transport), rate_limit=None)

    def aclient(self) -> AsyncRespan:
        transport = httpx.MockTransport(self.ahandle)
        return AsyncRespan(KEY, http_client=httpx.AsyncClient(transport=transport), rate_limit=None)


def _row(log_id: str) -> ScoreRow:
    return ScoreRow(log_id=log_id, value=4.5, evaluator="quality", value_type="numerical")


@pytest.fixture
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from respan_evals import _retries

    real = _retries.retry_delay

    def at_once(*args: Any, **kwargs: Any) -> float | None:
        delay = real(*args, **kwargs)
        return None if delay is None else 0.0

    monkeypatch.setattr("respan_evals._transport.retry_delay", at_once)
    yield


LOST_ANSWERS: dict[str, Callable[[], BaseException | httpx.Response]] = {
    "drop": lambda: httpx.ReadError("connection reset"),
    "502": lambda: httpx.Response(502, text="<html>Bad Gateway</html>"),
}


@pytest.mark.parametrize("lost", LOST_ANSWERS, ids=list(LOST_ANSWERS))
def test_upsert_whose_first_answer_was_lost_reports_created_unknown(
    lost: str, fast_retries: None, fault_table: list[dict[str, Any]]
) -> None:
    server = DropsFirstAnswer(drop_with=LOST_ANSWERS[lost])
    with server.client() as client:
        [outcome] = client.score_logs([_row("log_new")])
    assert outcome.ok and server.attempts == 2 and "log_new" in server.scores
    _table_row(fault_table, f"answer lost ({lost})", "upsert (sync)", server, outcome.created)
    # The score is new, but the retry found it and answered 200: nobody knows who created it.
    assert outcome.created is None, f"reported created={outcome.created!r}"


async def test_upsert_whose_first_answer_was_lost_async(
    fast_retries: None, fault_table: list[dict[str, Any]]
) -> None:
    server = DropsFirstAnswer()
    async with server.aclient() as client:
        [outcome] = await client.score_logs([_row("log_new")])
    assert outcome.ok and server.attempts == 2
    _table_row(fault_table, "answer lost (drop)", "upsert (async)", server, outcome.created)
    assert outcome.created is None, f"reported created={outcome.created!r}"


def test_retry_that_creates_still_reports_created(fast_retries: None) -> None:
    """A 201 on the retry proves the lost attempt did not apply: created=True is known."""
    server = DropsFirstAnswer(drop_with=lambda: httpx.ConnectError("refused"), applies_lost=False)
    with server.client() as client:
        [outcome] = client.score_logs([_row("log_new")])
    assert outcome.ok and outcome.created is True


def test_upsert_without_a_lost_answer_reports_what_it_did() -> None:
    server = DropsFirstAnswer(drop=0)
    with server.client() as client:
        first, second = client.score_logs([_row("log_a"), _row("log_a")], concurrency=1)
    assert (first.created, second.created) == (True, False)


@pytest.mark.parametrize("lost", LOST_ANSWERS, ids=list(LOST_ANSWERS))
def test_delete_whose_first_answer_was_lost_succeeds(
    lost: str, fast_retries: None, fault_table: list[dict[str, Any]]
) -> None:
    server = DropsFirstAnswer(drop=0)
    with server.client() as client:
        client.score_log("log_1", 4.5, evaluator="quality", value_type="numerical")
        server.drop, server.attempts = 1, 0
        server.drop_with = LOST_ANSWERS[lost]
        error: RespanError | None = None
        try:
            client.scores.delete("score-log_1")
        except RespanError as e:
            error = e
        _table_row(fault_table, f"answer lost ({lost})", "delete (sync)", server, error)
        assert error is None, f"the score is gone, yet: {error!r}"
    assert server.scores == {} and server.attempts == 2


async def test_delete_whose_first_answer_was_lost_succeeds_async(fast_retries: None) -> None:
    server = DropsFirstAnswer(drop=0)
    async with server.aclient() as client:
        await client.score_log("log_1", 4.5, evaluator="quality", value_type="numerical")
        server.drop, server.attempts = 1, 0
        await client.scores.delete("score-log_1")
    assert server.scores == {} and server.attempts == 2


def test_delete_of_a_missing_score_is_still_not_found(fast_retries: None) -> None:
    """Without a lost attempt, a 404 means what it says."""
    server = DropsFirstAnswer(drop=0)
    with server.client() as client, pytest.raises(NotFoundError):
        client.scores.delete("score-nope")


def test_delete_retried_after_a_429_is_still_not_found(fast_retries: None) -> None:
    """A 429 proves the first attempt was not applied: the retry's 404 stands."""
    server = DropsFirstAnswer(drop_with=lambda: httpx.Response(429, json={}), applies_lost=False)
    with server.client() as client, pytest.raises(NotFoundError):
        client.scores.delete("score-nope")
    assert server.attempts == 2


def _table_row(
    table: list[dict[str, Any]], fault: str, call: str, server: DropsFirstAnswer, result: object
) -> None:
    """One row of the fault table: one call, whose first answer was lost after it applied.

    `result` is the upsert's `created` (False misreports a new score) or the delete's error
    (any misreports a deleted score)."""
    failed = isinstance(result, RespanError)
    misreported = result is False or failed
    table.append(
        {
            "fault": fault,
            "call": call,
            "calls": 1,
            "faults injected": 1,
            "retries": server.attempts - 1,
            "succeeded": 0 if failed else 1,
            "outcome-unknown": 0,
            "failed": 1 if failed else 0,
            "lost": 0,
            "duplicated": 0,
            "misreported": 1 if misreported else 0,
        }
    )
