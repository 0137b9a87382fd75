"""The API key never shows: not in reprs, exception messages, or log records (at DEBUG, for
every logger, over a real local socket too). And plain http only to loopback."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import httpx
import pytest

from respan_evals import (
    AsyncRespan,
    InsecureTransportError,
    Respan,
    RespanError,
    RespanValidationError,
    ScoreRow,
)

from .conftest import KEY, SCORE, FakeAPI, Sleeps, make_async_client, make_client


def assert_no_key(*things: Any) -> None:
    for thing in things:
        assert KEY not in str(thing), thing
        assert KEY not in repr(thing), thing


def test_reprs_do_not_show_the_key(client: Respan, aclient: AsyncRespan) -> None:
    assert (
        repr(client) == "Respan(base_url='https://api.respan.ai', max_retries=2, rate_limit=None)"
    )
    assert_no_key(client, client.api, client._http.headers, client._transport, client.scores)
    assert_no_key(aclient, aclient.api, aclient._http.headers)
    assert "[secure]" in repr(client._http.headers)
    # Only the httpx headers hold it: no attribute of the client or its parts does.
    for part in (client, client._config, client._transport, client.scores):
        for value in _fields(part):
            assert_no_key(value)


def _fields(part: object) -> list[object]:
    """Every attribute an object holds: its instance dict's and its slots' (the MRO's)."""
    values = list(getattr(part, "__dict__", {}).values())
    for cls in type(part).__mro__:
        slots = cls.__dict__.get("__slots__", ())
        for name in (slots,) if isinstance(slots, str) else slots:
            if name not in ("__dict__", "__weakref__") and hasattr(part, name):
                values.append(getattr(part, name))
    return values


ERRORS = [
    httpx.Response(401, json={"detail": "Invalid API key"}),
    httpx.Response(500, text="<html>boom</html>"),
    httpx.Response(429, json={"retry_after": 1}),
    httpx.ReadTimeout("timed out"),
    httpx.ConnectError("refused"),
    httpx.Response(200, text="not json"),
]


@pytest.mark.parametrize("reply", ERRORS, ids=["401", "500", "429", "timeout", "connect", "2xx"])
def test_errors_do_not_show_the_key(
    api: FakeAPI, sleeps: Sleeps, reply: Any, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client(api, sleeps, max_retries=1)
    api.script("POST", "/api/scores/", reply, reply)
    with caplog.at_level(logging.DEBUG), pytest.raises(RespanError) as info:
        client.scores.create(numerical_value=1.0, log_id="l")
    error = info.value
    assert_no_key(error, error.args, error.__cause__, error.__context__)
    assert_no_key(*(r.getMessage() for r in caplog.records))


def test_bulk_outcomes_do_not_show_the_key(api: FakeAPI, sleeps: Sleeps) -> None:
    api.script("POST", r"/api/logs/l1/scores/", httpx.Response(403, json={"detail": "no"}))
    outcomes = make_client(api, sleeps).score_logs(
        [ScoreRow("l1", 1, evaluator="q", value_type="numerical"), {"bad": 1}]
    )
    assert all(not o.ok for o in outcomes)
    assert_no_key(*outcomes)


async def test_async_errors_and_logs_do_not_show_the_key(
    api: FakeAPI, sleeps: Sleeps, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_async_client(api, sleeps)
    api.script("GET", "/api/scores/s/", httpx.Response(503), httpx.Response(404))
    with caplog.at_level(logging.DEBUG), pytest.raises(RespanError) as info:
        await client.scores.retrieve("s")
    assert_no_key(info.value, *(r.getMessage() for r in caplog.records))
    await client.aclose()


class _Handler(BaseHTTPRequestHandler):
    hits: ClassVar[int] = 0
    auth: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).hits += 1
        type(self).auth.append(self.headers.get("Authorization", ""))
        status, body = (
            (503, b"<html>busy</html>") if self.hits == 1 else (200, json.dumps(SCORE).encode())
        )
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if status == 200 else "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    _Handler.hits, _Handler.auth = 0, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_real_socket_debug_logs_do_not_show_the_key(
    local_server: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG), Respan(KEY, base_url=local_server, rate_limit=None) as c:
        c._transport.sleep = Sleeps()
        assert c.scores.retrieve("s1").id == SCORE["id"]
    assert _Handler.hits == 2 and _Handler.auth == [f"Bearer {KEY}"] * 2
    messages = [r.getMessage() for r in caplog.records]
    assert any(r.name.startswith("httpcore") for r in caplog.records)  # the logs did run
    assert_no_key(*messages)
    assert not any("authorization" in m.lower() for m in messages)


async def test_real_socket_async(local_server: str) -> None:
    async with AsyncRespan(KEY, base_url=local_server, rate_limit=None) as client:
        client._transport.sleep = Sleeps().asleep
        assert (await client.scores.retrieve("s1")).id == SCORE["id"]
    assert _Handler.hits == 2


@pytest.mark.parametrize("cls", [Respan, AsyncRespan])
def test_insecure_http_is_refused_for_remote_hosts(cls: Any) -> None:
    with pytest.raises(InsecureTransportError) as info:
        cls(KEY, base_url="http://api.respan.ai")
    assert isinstance(info.value, RespanValidationError)
    assert_no_key(info.value)
    cls(KEY, base_url="http://127.0.0.1:1")  # loopback: fine
    cls(KEY, base_url="http://api.respan.ai", allow_insecure_http=True)


def test_missing_key_error_is_clear() -> None:
    with pytest.raises(RespanValidationError, match="RESPAN_API_KEY"):
        Respan()
