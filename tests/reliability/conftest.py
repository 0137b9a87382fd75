"""Shared pieces of the fault and abuse suite: the fake key, a recording MockTransport, clients
wired to it or to the emulator (the fault table's fixtures are in tests/conftest.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from respan_evals import AsyncRespan, Respan
from respan_evals.testing import Emulator

# The plugin is registered through the package's pytest11 entry point; importing it here keeps
# the fixture available when pytest runs with plugin autoloading off.
from respan_evals.testing.pytest_plugin import respan_emulator

__all__ = ["respan_emulator"]

KEY = "sk_test_SECRET_do_not_leak_42"
BASE = "https://api.respan.ai"
SCORE: dict[str, Any] = {
    "id": "score_1",
    "created_at": "2024-05-01T12:00:00Z",
    "numerical_value": 4.5,
    "evaluator_slug": "quality",
    "log_id": "log_1",
}

# ---- a recording MockTransport --------------------------------------------------------------
Reply = Callable[[httpx.Request], httpx.Response]


def created(request: httpx.Request) -> httpx.Response:
    """A 201 with a minimal score, whatever was asked."""
    return httpx.Response(201, json=SCORE)


@dataclass
class Recorder:
    """A fake server: records every request that reaches the wire and answers with `reply`."""

    reply: Reply = created
    requests: list[httpx.Request] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.reply(request)

    async def ahandle(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.requests.append(request)
        return self.reply(request)

    def client(self, **kwargs: Any) -> Respan:
        kwargs.setdefault("rate_limit", None)
        kwargs.setdefault("max_retries", 0)
        transport = httpx.MockTransport(self.handle)
        return Respan(KEY, http_client=httpx.Client(transport=transport), **kwargs)

    def aclient(self, **kwargs: Any) -> AsyncRespan:
        kwargs.setdefault("rate_limit", None)
        kwargs.setdefault("max_retries", 0)
        transport = httpx.MockTransport(self.ahandle)
        return AsyncRespan(KEY, http_client=httpx.AsyncClient(transport=transport), **kwargs)


# ---- counting what reaches the emulator -----------------------------------------------------
@dataclass
class Sends:
    """Every attempt the client put on the wire (retries included), with its send time.

    An attempt counts when httpx starts writing its request (httpx's `trace` extension), not
    when the client starts it: an attempt that never got a connection (a connect or pool
    timeout, which the client rightly retries as never sent) never reached the server.
    """

    times: list[float] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def sent(self, path: str) -> None:
        with self.lock:
            self.times.append(time.monotonic())
            self.paths.append(path)

    def hook(self, request: httpx.Request) -> None:
        path = request.url.path

        def trace(event: str, info: dict[str, Any]) -> None:
            if event.endswith(".send_request_headers.started"):
                self.sent(path)

        request.extensions["trace"] = trace

    async def ahook(self, request: httpx.Request) -> None:
        path = request.url.path

        async def trace(event: str, info: dict[str, Any]) -> None:  # httpx awaits it
            if event.endswith(".send_request_headers.started"):
                self.sent(path)

        request.extensions["trace"] = trace

    def __len__(self) -> int:
        return len(self.times)

    def sync_http(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(event_hooks={"request": [self.hook]}, **kwargs)

    def async_http(self, **kwargs: Any) -> httpx.AsyncClient:
        return httpx.AsyncClient(event_hooks={"request": [self.ahook]}, **kwargs)


def wait_until_settled(emu: Emulator, sends: Sends, limit: float = 3.0) -> None:
    """Wait for the emulator to finish every request the client sent (a timed-out request is
    still being served, and may still write, after the client gave up on it)."""
    deadline = time.monotonic() + limit
    while len(emu.requests) < len(sends) and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.05)


@pytest.fixture
def emu(respan_emulator: Emulator) -> Iterator[Emulator]:
    """The strict fixture emulator, rate limit off, faults cleared at the end."""
    respan_emulator.set_rate_limit(None)
    yield respan_emulator
    respan_emulator.clear_faults()
