"""A scripted fake of the API behind httpx.MockTransport, and clients wired to it (no network)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from respan_evals import AsyncRespan, Respan

KEY = "sk_test_SECRET_do_not_leak"
BASE = "https://api.respan.ai"

SCORE: dict[str, Any] = {
    "id": "score_1",
    "created_at": "2024-05-01T12:00:00Z",
    "numerical_value": 4.5,
    "evaluator_slug": "quality",
    "log_id": "log_1",
}
EVALUATOR: dict[str, Any] = {
    "id": "evl_1",
    "name": "Quality",
    "type": "llm",
    "score_value_type": "numerical",
    "evaluator_slug": "quality",
    "score_config": {"min_score": 1, "max_score": 5},
}
VERSION: dict[str, Any] = {
    "id": "evl_1",
    "version_id": "evv_1",
    "version": 1,
    "is_read_only": True,
    "name": "Quality",
    "type": "llm",
    "score_value_type": "numerical",
}


def page(results: list[Any], next_url: str | None = None) -> dict[str, Any]:
    return {"count": len(results), "results": results, "next": next_url, "previous": None}


@dataclass
class Seen:
    """One request as the server saw it."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    headers: httpx.Headers

    @property
    def route(self) -> str:
        return f"{self.method} {self.path}"


Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


@dataclass
class FakeAPI:
    """Answers each request with the next scripted reply for its route, else a success.

    script("POST", r"/api/scores/", httpx.Response(503), ...) queues replies (or exceptions to
    raise) for requests whose "METHOD path" matches; unscripted requests get `default()`.
    """

    seen: list[Seen] = field(default_factory=list)
    scripts: list[tuple[re.Pattern[str], list[Reply]]] = field(default_factory=list)

    def script(self, method: str, path: str, *replies: Reply) -> None:
        self.scripts.append((re.compile(f"{method} {path}$"), list(replies)))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        seen = Seen(
            request.method,
            request.url.path,
            dict(request.url.params),
            body,
            request.headers,
        )
        self.seen.append(seen)
        for pattern, replies in self.scripts:
            if replies and pattern.match(seen.route):
                reply = replies.pop(0)
                if isinstance(reply, Exception):
                    raise reply
                return reply if isinstance(reply, httpx.Response) else reply(request)
        return self.default(seen)

    def default(self, seen: Seen) -> httpx.Response:
        method, path = seen.method, seen.path
        if method == "DELETE":
            return httpx.Response(204)
        if path.endswith("/summary/"):
            return httpx.Response(200, json={"total_count": 3})
        if path.endswith("/run/"):
            return httpx.Response(200, json={"numerical_value": 4.0, "evaluator_id": "evl_1"})
        if "/versions/" in path:
            if method == "GET" and path.endswith("/versions/"):
                return httpx.Response(200, json=page([VERSION]))
            return httpx.Response(201 if method == "POST" else 200, json=VERSION)
        if path.startswith("/api/evaluators/"):
            if path in ("/api/evaluators/", "/api/evaluators/list/") and (
                method == "GET" or path.endswith("/list/")
            ):
                return httpx.Response(200, json=page([EVALUATOR]))
            return httpx.Response(201 if method == "POST" else 200, json=EVALUATOR)
        if (method == "GET" and path.endswith("/scores/")) or path == "/api/scores/list/":
            return httpx.Response(200, json=page([SCORE]))
        return httpx.Response(201 if method == "POST" else 200, json=SCORE)

    def routes(self) -> list[str]:
        return [s.route for s in self.seen]

    def count(self, method: str, path_pattern: str) -> int:
        pattern = re.compile(f"{method} {path_pattern}$")
        return sum(1 for s in self.seen if pattern.match(s.route))


class Sleeps(list[float]):
    """A fake sleep that records the waits instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def api() -> FakeAPI:
    return FakeAPI()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def make_client(api: FakeAPI, sleeps: Sleeps, **kwargs: Any) -> Respan:
    kwargs.setdefault("rate_limit", None)
    client = Respan(KEY, http_client=httpx.Client(transport=httpx.MockTransport(api)), **kwargs)
    client._transport.sleep = sleeps
    client._transport.random = lambda: 0.5
    return client


def make_async_client(api: FakeAPI, sleeps: Sleeps, **kwargs: Any) -> AsyncRespan:
    kwargs.setdefault("rate_limit", None)
    client = AsyncRespan(
        KEY, http_client=httpx.AsyncClient(transport=httpx.MockTransport(api)), **kwargs
    )
    client._transport.sleep = sleeps.asleep
    client._transport.random = lambda: 0.5
    return client


@pytest.fixture
def client(api: FakeAPI, sleeps: Sleeps) -> Iterator[Respan]:
    with make_client(api, sleeps) as c:
        yield c


@pytest.fixture
async def aclient(api: FakeAPI, sleeps: Sleeps) -> AsyncIterator[AsyncRespan]:
    async with make_async_client(api, sleeps) as c:
        yield c


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read a real key or base URL from the environment."""
    monkeypatch.delenv("RESPAN_API_KEY", raising=False)
    monkeypatch.delenv("RESPAN_BASE_URL", raising=False)
