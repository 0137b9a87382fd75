"""Error mapping, retries and pacing, as seen through the client and at the transport."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import httpx
import pytest

from respan_evals import (
    APIConnectionError,
    APITimeoutError,
    AsyncRespan,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    Respan,
    RespanError,
    UnprocessableEntityError,
)
from respan_evals._errors import APIStatusError
from respan_evals._pacing import Pacer
from respan_evals._retries import RetryPolicy
from respan_evals._transport import AsyncRetryingTransport, RetryingTransport
from respan_evals_api import facts

from .conftest import SCORE, FakeAPI, Sleeps, make_client

MAPPING = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (409, ConflictError),
    (422, UnprocessableEntityError),
    (429, RateLimitError),
    (500, InternalServerError),
    (502, InternalServerError),
    (503, InternalServerError),
]


@pytest.mark.parametrize(("status", "cls"), MAPPING)
def test_status_maps_to_its_error(
    api: FakeAPI, sleeps: Sleeps, status: int, cls: type[APIStatusError]
) -> None:
    client = make_client(api, sleeps, max_retries=0)
    api.script("GET", "/api/scores/s1/", httpx.Response(status, json={"detail": "nope"}))
    with pytest.raises(cls) as info:
        client.scores.retrieve("s1")
    assert info.value.status_code == status
    assert info.value.detail == "nope"
    assert "GET /api/scores/s1/" in str(info.value)


@pytest.mark.parametrize(("status", "cls"), MAPPING)
@pytest.mark.parametrize(
    "body",
    [
        b"<html><body><h1>Bad gateway</h1></body></html>",
        b"",
        b'{"detail": "trunc',
    ],
    ids=["html", "empty", "truncated-json"],
)
def test_unreadable_error_bodies_still_give_the_typed_error(
    api: FakeAPI, sleeps: Sleeps, status: int, cls: type[APIStatusError], body: bytes
) -> None:
    client = make_client(api, sleeps, max_retries=0)
    reply = httpx.Response(status, content=body, headers={"content-type": "text/html"})
    api.script("POST", "/api/logs/l1/scores/", reply)
    with pytest.raises(cls) as info:
        client.log_scores.upsert("l1", numerical_value=1.0, evaluator_slug="q")
    assert not isinstance(info.value.__cause__, json.JSONDecodeError)
    assert info.value.status_code == status


async def test_async_error_mapping(aclient: AsyncRespan, api: FakeAPI) -> None:
    api.script("GET", "/api/scores/s1/", httpx.Response(404, text="<html>gone</html>"))
    with pytest.raises(NotFoundError):
        await aclient.scores.retrieve("s1")


RETRIED_ROUTES = [
    ("GET", "/api/scores/s1/", lambda c: c.scores.retrieve("s1")),
    ("PUT", "/api/scores/s1/", lambda c: c.scores.replace("s1", numerical_value=1.0)),
    ("PATCH", "/api/scores/s1/", lambda c: c.scores.update("s1", numerical_value=1.0)),
    ("DELETE", "/api/scores/s1/", lambda c: c.scores.delete("s1")),
    (
        "POST",
        "/api/logs/l1/scores/",
        lambda c: c.log_scores.upsert("l1", numerical_value=1.0, evaluator_slug="q"),
    ),
    # POSTs that only read are as safe to repeat as a GET.
    ("POST", "/api/scores/list/", lambda c: c.scores.filter(filters={})),
    ("POST", "/api/evaluators/list/", lambda c: c.evaluators.filter(filters={})),
    ("POST", "/api/evaluators/summary/", lambda c: c.evaluators.filter_summary(filters={})),
]
CREATES = [
    ("POST", "/api/scores/", lambda c: c.scores.create(numerical_value=1.0, log_id="l1")),
    (
        "POST",
        "/api/evaluators/",
        lambda c: c.evaluators.create(name="Q", type="llm", score_value_type="numerical"),
    ),
    ("POST", "/api/evaluators/evl_1/versions/", lambda c: c.evaluators.versions.create("evl_1")),
    ("POST", "/api/evaluators/evl_1/run/", lambda c: c.evaluators.run("evl_1", inputs={})),
]
FAILURES: list[tuple[str, Any]] = [
    ("503", httpx.Response(503, json={"detail": "down"})),
    ("500-html", httpx.Response(500, text="<html>oops</html>")),
    ("read-timeout", httpx.ReadTimeout("slow")),
    ("dropped", httpx.RemoteProtocolError("Server disconnected without sending a response.")),
    ("read-error", httpx.ReadError("connection reset")),
]


@pytest.mark.parametrize(
    ("method", "path", "call"), RETRIED_ROUTES, ids=[f"{r[0]} {r[1]}" for r in RETRIED_ROUTES]
)
@pytest.mark.parametrize(("name", "failure"), FAILURES, ids=[f[0] for f in FAILURES])
def test_idempotent_requests_are_retried(
    client: Respan,
    api: FakeAPI,
    sleeps: Sleeps,
    method: str,
    path: str,
    call: Any,
    name: str,
    failure: Any,
) -> None:
    api.script(method, path, failure, failure)  # two failures, then the default success
    call(client)
    assert api.count(method, path) == 3
    assert sleeps == [0.375, 0.75]  # 0.5 * 2**n, jitter factor 0.75 with random() = 0.5


@pytest.mark.parametrize(
    ("method", "path", "call"), CREATES, ids=["score", "evaluator", "version", "run"]
)
@pytest.mark.parametrize(("name", "failure"), FAILURES, ids=[f[0] for f in FAILURES])
def test_plain_creates_are_not_retried_once_they_may_have_been_applied(
    client: Respan,
    api: FakeAPI,
    sleeps: Sleeps,
    method: str,
    path: str,
    call: Any,
    name: str,
    failure: Any,
) -> None:
    api.script(method, path, failure)
    with pytest.raises(RespanError) as info:
        call(client)
    assert api.count(method, path) == 1
    assert sleeps == []
    assert info.value.outcome_unknown is True
    assert "may have reached the server" in str(info.value)


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("refused"),
        httpx.ConnectTimeout("connect timed out"),
        httpx.Response(429, json={"detail": "Rate limit exceeded", "retry_after": 2}),
    ],
    ids=["connect-error", "connect-timeout", "429"],
)
def test_plain_creates_are_retried_when_they_never_arrived(
    client: Respan, api: FakeAPI, failure: Any
) -> None:
    api.script("POST", "/api/scores/", failure)
    client.scores.create(numerical_value=1.0, log_id="l1")
    assert api.count("POST", "/api/scores/") == 2


def test_outcome_is_known_for_errors_that_were_not_applied(client: Respan, api: FakeAPI) -> None:
    api.script("POST", "/api/scores/", httpx.Response(400, json={"detail": "bad"}))
    with pytest.raises(BadRequestError) as info:
        client.scores.create(numerical_value=1.0, log_id="l1")
    assert info.value.outcome_unknown is False
    assert api.count("POST", "/api/scores/") == 1


def test_client_errors_are_not_retried(client: Respan, api: FakeAPI, sleeps: Sleeps) -> None:
    api.script("GET", "/api/scores/s1/", httpx.Response(404, json={"detail": "Not found."}))
    with pytest.raises(NotFoundError):
        client.scores.retrieve("s1")
    assert len(api.seen) == 1 and sleeps == []


def test_retry_after_header_is_honoured(client: Respan, api: FakeAPI, sleeps: Sleeps) -> None:
    api.script("GET", "/api/scores/", httpx.Response(503, headers={"Retry-After": "7"}))
    client.scores.list()
    assert sleeps == [7.0]


def test_retry_after_in_the_429_body_is_honoured(
    client: Respan, api: FakeAPI, sleeps: Sleeps
) -> None:
    body = {"detail": "Rate limit exceeded", "retry_after": 30}
    api.script("GET", "/api/scores/", httpx.Response(429, json=body))
    client.scores.list()
    assert sleeps == [30.0]


def test_a_retry_after_past_the_cap_is_raised_not_slept(
    client: Respan, api: FakeAPI, sleeps: Sleeps
) -> None:
    api.script("GET", "/api/scores/", httpx.Response(429, json={"retry_after": 3600}))
    with pytest.raises(RateLimitError) as info:
        client.scores.list()
    assert info.value.retry_after == 3600 and sleeps == []


@pytest.mark.parametrize("max_retries", [0, 1, 3])
def test_max_retries_is_respected(api: FakeAPI, sleeps: Sleeps, max_retries: int) -> None:
    client = make_client(api, sleeps, max_retries=max_retries)
    api.script("GET", "/api/scores/", *[httpx.Response(502)] * 10)
    with pytest.raises(InternalServerError) as info:
        client.scores.list()
    assert len(api.seen) == max_retries + 1
    assert len(sleeps) == max_retries
    assert info.value.outcome_unknown is False  # a GET: safe, nothing to warn about


def test_timeouts_become_api_timeout_errors_keeping_the_cause(api: FakeAPI, sleeps: Sleeps) -> None:
    client = make_client(api, sleeps, max_retries=0)
    cause = httpx.ReadTimeout("timed out")
    api.script("GET", "/api/scores/", cause)
    with pytest.raises(APITimeoutError) as info:
        client.scores.list()
    assert info.value.__cause__ is cause
    api.script("GET", "/api/scores/", httpx.ConnectError("refused"))
    with pytest.raises(APIConnectionError) as conn:
        client.scores.list()
    assert not isinstance(conn.value, APITimeoutError)


async def test_async_retries_and_outcome_unknown(
    aclient: AsyncRespan, api: FakeAPI, sleeps: Sleeps
) -> None:
    api.script("GET", "/api/scores/", httpx.Response(503), httpx.ReadTimeout("slow"))
    await aclient.scores.list()
    assert len(api.seen) == 3 and len(sleeps) == 2
    api.script("POST", "/api/scores/", httpx.Response(502))
    with pytest.raises(InternalServerError) as info:
        await aclient.scores.create(numerical_value=1.0, log_id="l1")
    assert info.value.outcome_unknown and api.count("POST", "/api/scores/") == 1


def test_requests_and_retries_are_logged_without_headers(
    client: Respan, api: FakeAPI, caplog: pytest.LogCaptureFixture
) -> None:
    api.script("GET", "/api/scores/", httpx.Response(503))
    with caplog.at_level(logging.DEBUG, logger="respan_evals"):
        client.scores.list(page=2)
    messages = [r.getMessage() for r in caplog.records if r.name == "respan_evals"]
    assert len(messages) == 2
    retry, done = messages
    assert "GET /api/scores/" in retry and "InternalServerError 503" in retry
    assert "retry 1 of 2" in retry
    assert done.startswith("GET /api/scores/ -> 200 (attempt 2, ")
    assert not any("Bearer" in m or "page=2" in m for m in messages)


@pytest.mark.parametrize("op", list(facts.OPERATIONS.values()), ids=lambda op: op.operation_id)
def test_the_retry_loop_follows_each_operations_declaration(op: facts.Operation) -> None:
    """A 503 (may have been applied) is retried exactly when the spec says the call repeats."""
    replies = [httpx.Response(503)]

    def handler(request: httpx.Request) -> httpx.Response:
        return replies.pop(0) if replies else httpx.Response(200, json=SCORE)

    sleeps = Sleeps()
    transport = RetryingTransport(
        httpx.MockTransport(handler), policy=RetryPolicy(), pacer=None, sleep=sleeps
    )
    path = re.sub(r"\{[^{}/]+\}", "p_1", op.path)
    with httpx.Client(transport=transport, base_url="https://x") as http:
        if op.idempotent:
            assert http.request(op.method, path).status_code == 200
            assert len(sleeps) == 1
        else:
            with pytest.raises(InternalServerError) as info:
                http.request(op.method, path)
            assert sleeps == [] and info.value.outcome_unknown


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=SCORE)


def test_pacing_spaces_requests_at_the_rate() -> None:
    clock = FakeClock()
    pacer = Pacer(60.0, burst=1, clock=clock)
    transport = RetryingTransport(
        httpx.MockTransport(ok), policy=RetryPolicy(), pacer=pacer, sleep=clock.sleep
    )
    with httpx.Client(transport=transport, base_url="https://x") as http:
        for _ in range(3):
            http.get("/api/scores/s/")
    assert clock.now == pytest.approx(2.0)  # one a second at 60/min, the first at once


def test_no_pacing_when_rate_limit_is_none(api: FakeAPI, sleeps: Sleeps) -> None:
    client = make_client(api, sleeps, rate_limit=None)
    for _ in range(20):
        client.scores.list()
    assert sleeps == [] and client._transport.pacer is None


def test_rate_limit_builds_a_pacer(api: FakeAPI, sleeps: Sleeps) -> None:
    client = make_client(api, sleeps, rate_limit=6.0)
    assert client._transport.pacer is not None
    assert client._transport.pacer.rate_per_minute == 6.0
    for _ in range(3):
        client.scores.list()
    # burst of 1 at 6/min: the 2nd and 3rd requests wait for the bucket
    assert len(sleeps) == 2 and all(s > 0 for s in sleeps)


def test_a_429_pauses_the_whole_client() -> None:
    clock = FakeClock()
    pacer = Pacer(600.0, clock=clock)
    replies = [httpx.Response(429, json={"retry_after": 5})]

    def handler(request: httpx.Request) -> httpx.Response:
        return replies.pop(0) if replies else httpx.Response(200, json=SCORE)

    transport = RetryingTransport(
        httpx.MockTransport(handler), policy=RetryPolicy(), pacer=pacer, sleep=clock.sleep
    )
    with httpx.Client(transport=transport, base_url="https://x") as http:
        http.get("/api/scores/s/")
        assert clock.now == pytest.approx(5.0)
        assert pacer.reserve() > 0  # the bucket restarted empty: others wait too


async def test_async_pacing() -> None:
    clock = FakeClock()

    async def asleep(seconds: float) -> None:
        clock.sleep(seconds)

    pacer = Pacer(60.0, burst=1, clock=clock)
    transport = AsyncRetryingTransport(
        httpx.MockTransport(ok), policy=RetryPolicy(), pacer=pacer, sleep=asleep
    )
    async with httpx.AsyncClient(transport=transport, base_url="https://x") as http:
        for _ in range(3):
            await http.get("/api/scores/s/")
    assert clock.now == pytest.approx(2.0)


def test_success_is_returned_untouched() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"a": 1}, headers={"x-request-id": "r1"})

    transport = RetryingTransport(httpx.MockTransport(handler), policy=RetryPolicy(), pacer=None)
    with httpx.Client(transport=transport, base_url="https://x") as http:
        response = http.get("/anything")
    assert response.json() == {"a": 1} and response.headers["x-request-id"] == "r1"


def test_a_redirect_is_an_error_not_followed(client: Respan, api: FakeAPI) -> None:
    api.script("GET", "/api/scores/", httpx.Response(301, headers={"Location": "http://evil/"}))
    with pytest.raises(APIStatusError) as info:
        client.scores.list()
    assert info.value.status_code == 301 and len(api.seen) == 1


class _BrokenBody(httpx.SyncByteStream):
    def __iter__(self) -> Any:
        yield b'{"id": "s'
        raise httpx.ReadError("connection reset mid-body")


def test_a_success_whose_body_breaks_off_is_retried_when_safe() -> None:
    replies: list[httpx.Response] = [httpx.Response(200, stream=_BrokenBody())]

    def handler(request: httpx.Request) -> httpx.Response:
        return replies.pop(0) if replies else httpx.Response(200, json=SCORE)

    sleeps = Sleeps()
    transport = RetryingTransport(
        httpx.MockTransport(handler), policy=RetryPolicy(), pacer=None, sleep=sleeps
    )
    with httpx.Client(transport=transport, base_url="https://x") as http:
        assert http.get("/api/scores/s/").json() == SCORE
    assert len(sleeps) == 1


def test_a_create_whose_success_body_breaks_off_has_an_unknown_outcome() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(201, stream=_BrokenBody())

    transport = RetryingTransport(httpx.MockTransport(handler), policy=RetryPolicy(), pacer=None)
    with (
        httpx.Client(transport=transport, base_url="https://x") as http,
        pytest.raises(APIConnectionError) as info,
    ):
        http.post("/api/scores/", json={})
    assert info.value.outcome_unknown
