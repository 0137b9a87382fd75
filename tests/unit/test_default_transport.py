"""The default stack (no http_client): one httpx.Client over RetryingTransport over the
transports of a default httpx.Client, built on the first request; and a light start-up."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

import respan_evals
from respan_evals import APIConnectionError, AsyncRespan, InternalServerError, Respan
from respan_evals._transport import AsyncDefaultTransport, DefaultTransport

from .conftest import KEY, SCORE, FakeAPI, Sleeps

ROOT = Path(__file__).resolve().parents[2]


def _mock_factory(handler: Callable[[httpx.Request], httpx.Response]) -> Callable[[], httpx.Client]:
    return lambda: httpx.Client(transport=httpx.MockTransport(handler))


def _default_client(api: Any, **kwargs: Any) -> Respan:
    """A client on the default stack, its default transports answered by `api`."""
    kwargs.setdefault("rate_limit", None)
    client = Respan(KEY, **kwargs)
    assert isinstance(client._transport.inner, DefaultTransport)
    client._transport.inner = DefaultTransport(_mock_factory(api))
    client._transport.sleep = Sleeps()
    client._transport.random = lambda: 0.5
    return client


def _async_default_client(api: Any, **kwargs: Any) -> AsyncRespan:
    kwargs.setdefault("rate_limit", None)
    client = AsyncRespan(KEY, **kwargs)
    assert isinstance(client._transport.inner, AsyncDefaultTransport)
    client._transport.inner = AsyncDefaultTransport(
        lambda: httpx.AsyncClient(transport=httpx.MockTransport(api))
    )
    client._transport.sleep = Sleeps().asleep
    client._transport.random = lambda: 0.5
    return client


def test_construction_builds_no_inner_client() -> None:
    client, aclient = Respan(KEY), AsyncRespan(KEY)
    assert client._transport.inner._client is None  # type: ignore[attr-defined]
    assert aclient._transport.inner._client is None  # type: ignore[attr-defined]
    client.close()


def test_http_client_given_keeps_sending_through_it() -> None:
    api = FakeAPI()
    mine = httpx.Client(transport=httpx.MockTransport(api))
    client = Respan(KEY, http_client=mine, rate_limit=None)
    assert not isinstance(client._transport.inner, DefaultTransport)
    assert client.scores.retrieve("score_1").id == SCORE["id"]
    client.close()
    assert not mine.is_closed


def test_default_stack_sends_the_same_request_as_through_a_callers_client() -> None:
    seen: dict[str, list[httpx.Request]] = {"default": [], "given": []}

    def handler(into: list[httpx.Request]) -> Callable[[httpx.Request], httpx.Response]:
        def answer(request: httpx.Request) -> httpx.Response:
            request.read()
            into.append(request)
            return httpx.Response(201 if request.method == "POST" else 200, json=SCORE)

        return answer

    default = _default_client(handler(seen["default"]))
    given = Respan(
        KEY,
        rate_limit=None,
        http_client=httpx.Client(transport=httpx.MockTransport(handler(seen["given"]))),
    )
    for c in (default, given):
        c.score_log("log_1", 4.5, evaluator="quality", value_type="numerical")
        c.scores.retrieve("score_1")
    for a, b in zip(seen["default"], seen["given"], strict=True):
        assert (a.method, str(a.url), a.content) == (b.method, str(b.url), b.content)
        assert sorted(a.headers.multi_items()) == sorted(b.headers.multi_items())
    assert seen["default"][0].headers["authorization"] == f"Bearer {KEY}"


def test_httpx_per_request_work_runs_once(monkeypatch: pytest.MonkeyPatch) -> None:
    runs = []
    original = httpx.Client._send_single_request

    def counted(self: httpx.Client, request: httpx.Request) -> httpx.Response:
        runs.append(request)
        return original(self, request)

    monkeypatch.setattr(httpx.Client, "_send_single_request", counted)
    client = _default_client(FakeAPI())
    client.scores.retrieve("score_1")
    assert len(runs) == 1


def test_retries_and_errors_on_the_default_stack() -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(503) if len(calls) < 3 else httpx.Response(200, json=SCORE)

    client = _default_client(handler, max_retries=2)
    assert client.scores.retrieve("s1").id == SCORE["id"]
    assert len(calls) == 3
    calls.clear()
    client = _default_client(handler, max_retries=1)
    with pytest.raises(InternalServerError):
        client.scores.retrieve("s1")


def test_transport_error_names_its_request() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")  # no request attached, as httpcore's are not

    client = _default_client(refuse, max_retries=1)
    with pytest.raises(APIConnectionError) as info:
        client.scores.retrieve("s1")
    cause = info.value.__cause__
    assert isinstance(cause, httpx.ConnectError)
    assert cause.request.url.path == "/api/scores/s1/"


def test_first_requests_from_many_threads_build_one_client() -> None:
    built: list[httpx.Client] = []
    gate = threading.Barrier(8)

    def factory() -> httpx.Client:
        built.append(httpx.Client(transport=httpx.MockTransport(FakeAPI())))
        return built[-1]

    transport = DefaultTransport(factory)

    def first() -> None:
        gate.wait()
        transport._routes()

    threads = [threading.Thread(target=first) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(built) == 1
    transport.close()
    assert built[0].is_closed
    with pytest.raises(RuntimeError, match="closed"):
        transport.handle_request(httpx.Request("GET", "https://api.respan.ai/"))


def test_environment_proxies_are_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    url = httpx.URL("https://api.respan.ai/api/scores/")
    plain = DefaultTransport()
    routes = plain._routes()
    assert routes._transport_for_url(url) is routes._transport
    plain.close()
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    client = Respan(KEY)  # read on the first request, as a default httpx.Client reads it
    routes = client._transport.inner._routes()  # type: ignore[attr-defined]
    assert routes.trust_env
    assert routes._transport_for_url(url) is not routes._transport
    monkeypatch.setenv("NO_PROXY", "api.respan.ai")
    routes = DefaultTransport()._routes()
    assert routes._transport_for_url(url) is routes._transport
    client.close()


async def test_async_default_stack() -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(502) if len(calls) < 2 else httpx.Response(200, json=SCORE)

    client = _async_default_client(handler, max_retries=2)
    assert (await client.scores.retrieve("s1")).id == SCORE["id"]
    assert len(calls) == 2 and calls[0].headers["authorization"] == f"Bearer {KEY}"
    inner = client._transport.inner
    await client.aclose()
    with pytest.raises(RuntimeError, match="closed"):
        await inner.handle_async_request(httpx.Request("GET", "https://api.respan.ai/"))


async def test_async_transport_error_names_its_request() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    client = _async_default_client(refuse, max_retries=0)
    with pytest.raises(APIConnectionError) as info:
        await client.scores.retrieve("s1")
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    assert info.value.__cause__.request.url.path == "/api/scores/s1/"
    await client.aclose()


def test_version_matches_pyproject() -> None:
    with (ROOT / "pyproject.toml").open("rb") as f:
        assert respan_evals.__version__ == tomllib.load(f)["project"]["version"]


def test_start_up_imports_nothing_heavy() -> None:
    """No generated package (nor attrs), asyncio, thread pools, importlib.metadata or SSL
    context until they are needed (beyond what httpx itself imports)."""
    code = """
import json, ssl, sys
import httpx
before = set(sys.modules)
contexts = []
original = ssl.SSLContext.__new__
def counted(cls, *a, **k):
    contexts.append(1)
    return original(cls, *a, **k)
ssl.SSLContext.__new__ = counted
from respan_evals import Respan, AsyncRespan
c = Respan(api_key="x"); c.scores; c.log_scores; c.evaluators.versions
AsyncRespan(api_key="x").scores
print(json.dumps({"new": sorted(set(sys.modules) - before), "ssl": len(contexts)}))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    result = json.loads(out)
    heavy = (
        "respan_evals_api",  # and attrs with it: the generated client is built on first use
        "attr",
        "asyncio",
        "concurrent",
        "importlib.metadata",
        "click",
        "rich",
        "anyio",
    )
    assert [m for m in result["new"] if m.startswith(heavy)] == []
    assert result["ssl"] == 0
