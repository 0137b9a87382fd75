"""The default stack (no http_client): one httpx.Client over RetryingTransport over
DefaultTransport (httpx.HTTPTransports, one per route from the environment's proxy settings,
built on first use); and a light start-up."""

from __future__ import annotations

import asyncio
import json
import os
import ssl
import subprocess
import sys
import threading
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import respan_evals
from respan_evals import (
    APIConnectionError,
    AsyncRespan,
    InsecureTransportError,
    InternalServerError,
    Respan,
    RespanValidationError,
)
from respan_evals._transport import AsyncDefaultTransport, DefaultTransport

from ._httpx_sends import httpx_sends
from .conftest import KEY, SCORE, FakeAPI, Sleeps
from .local_servers import TLS, serve

ROOT = Path(__file__).resolve().parents[2]
# Every test starts from an environment without proxy settings (the runner's may have some).
pytestmark = pytest.mark.usefixtures("no_proxy_settings")


class Recorded(httpx.MockTransport):
    """A route's transport: answers with `handler`, remembers its proxy and whether it closed."""

    def __init__(
        self, handler: Callable[[httpx.Request], httpx.Response], proxy: httpx.Proxy | None
    ) -> None:
        super().__init__(handler)
        self.proxy = proxy
        self.closed = False

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


class Connect:
    """A `connect` for DefaultTransport recording every transport it builds."""

    def __init__(self, handler: Callable[[httpx.Request], httpx.Response] | None = None) -> None:
        self.handler = handler or FakeAPI()
        self.built: list[Recorded] = []
        self._lock = threading.Lock()

    def __call__(self, proxy: httpx.Proxy | None) -> Recorded:
        with self._lock:
            self.built.append(Recorded(self.handler, proxy))
            return self.built[-1]


def _default_client(api: Any, **kwargs: Any) -> Respan:
    """A client on the default stack, its routes' transports answered by `api`."""
    kwargs.setdefault("rate_limit", None)
    client = Respan(KEY, **kwargs)
    assert isinstance(client._transport.inner, DefaultTransport)
    client._transport.inner = DefaultTransport(Connect(api))
    client._transport.sleep = Sleeps()
    client._transport.random = lambda: 0.5
    return client


def _async_default_client(api: Any, **kwargs: Any) -> AsyncRespan:
    kwargs.setdefault("rate_limit", None)
    client = AsyncRespan(KEY, **kwargs)
    assert isinstance(client._transport.inner, AsyncDefaultTransport)
    client._transport.inner = AsyncDefaultTransport(Connect(api))
    client._transport.sleep = Sleeps().asleep
    client._transport.random = lambda: 0.5
    return client


def test_construction_builds_no_transport() -> None:
    connect = Connect()
    transport = DefaultTransport(connect)
    assert connect.built == []
    transport.route(httpx.URL("https://api.respan.ai/api/scores/"))
    assert len(connect.built) == 1
    client, aclient = Respan(KEY), AsyncRespan(KEY)
    assert isinstance(client._transport.inner, DefaultTransport)
    assert isinstance(aclient._transport.inner, AsyncDefaultTransport)
    assert client._transport.inner._routes._pools == {}
    assert aclient._transport.inner._routes._pools == {}
    client.close()


def test_the_default_routes_are_httpx_transports() -> None:
    transport = DefaultTransport()
    assert isinstance(transport.route(httpx.URL("https://api.respan.ai/")), httpx.HTTPTransport)
    transport.close()
    atransport = AsyncDefaultTransport()
    route = atransport.route(httpx.URL("https://api.respan.ai/"))
    assert isinstance(route, httpx.AsyncHTTPTransport)


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


def test_httpx_per_request_work_runs_once() -> None:
    # The client's own send (_http_client) does its part; httpx's runs only for a caller's client.
    client = _default_client(FakeAPI())
    assert httpx_sends(lambda: client.scores.retrieve("score_1")) == 0
    relayed = Respan(
        KEY, rate_limit=None, http_client=httpx.Client(transport=httpx.MockTransport(FakeAPI()))
    )
    assert httpx_sends(lambda: relayed.scores.retrieve("score_1")) == 1  # the check can tell


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


def test_first_requests_from_many_threads_build_one_transport() -> None:
    connect = Connect()
    transport = DefaultTransport(connect)
    gate = threading.Barrier(8)
    url = httpx.URL("https://api.respan.ai/api/scores/")

    def first() -> None:
        gate.wait()
        transport.route(url)

    threads = [threading.Thread(target=first) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(connect.built) == 1
    transport.close()
    assert connect.built[0].closed
    with pytest.raises(RuntimeError, match="closed"):
        transport.handle_request(httpx.Request("GET", "https://api.respan.ai/"))


def test_environment_proxies_choose_the_route(monkeypatch: pytest.MonkeyPatch) -> None:
    connect = Connect()
    transport = DefaultTransport(connect)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "internal.example")  # read on the first request, not before
    via_proxy = transport.route(httpx.URL("https://api.respan.ai/api/scores/"))
    assert isinstance(via_proxy, Recorded) and via_proxy.proxy is not None
    assert via_proxy.proxy.url == httpx.URL("http://proxy.example:3128")
    direct = transport.route(httpx.URL("http://api.respan.ai/"))  # no HTTP_PROXY: direct
    assert isinstance(direct, Recorded) and direct.proxy is None
    assert transport.route(httpx.URL("https://db.internal.example/")) is direct
    assert transport.route(httpx.URL("https://api.respan.ai/api/evaluators/")) is via_proxy
    assert len(connect.built) == 2  # one pool per route, shared by every URL on it
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    shared = DefaultTransport(connect)
    first = shared.route(httpx.URL("http://a.example/"))
    assert shared.route(httpx.URL("https://b.example/")) is first  # the same proxy: one pool
    transport.close()
    assert all(t.closed for t in connect.built[:2])


def test_a_bad_proxy_setting_is_a_clear_error_that_hides_the_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "ftp://user:hunter2@proxy.example")
    client = Respan(KEY, rate_limit=None, max_retries=0)
    with pytest.raises(RespanValidationError, match="HTTPS_PROXY") as info:
        client.scores.retrieve("s1")
    assert "hunter2" not in str(info.value)
    client.close()


def _get(transport: httpx.BaseTransport, url: str) -> dict[str, Any]:
    with httpx.Client(transport=transport, trust_env=False) as client:
        response = client.get(url)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result


def test_requests_cross_the_environments_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    remote = "http://scores.example/api/scores/s1/"  # never resolved: the proxy answers
    with serve() as origin, serve() as proxy:
        local = f"http://{origin.origin}/api/scores/s1/"
        monkeypatch.setenv("http_proxy", f"http://{proxy.origin}")
        assert _get(DefaultTransport(), remote)["target"] == remote  # absolute-form: a proxy's
        assert proxy.targets == [remote] and origin.targets == []
        # Loopback goes direct whatever the settings say, as in curl.
        assert _get(DefaultTransport(), local)["target"] == "/api/scores/s1/"
        assert origin.targets == ["/api/scores/s1/"] and len(proxy.targets) == 1
        monkeypatch.delenv("http_proxy")
        monkeypatch.setenv("ALL_PROXY", proxy.origin)  # no scheme: an http proxy
        _get(DefaultTransport(), remote)
        assert proxy.targets == [remote, remote]


async def test_async_requests_cross_the_environments_proxy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    remote = "http://scores.example/api/scores/s1/"
    with serve() as origin, serve() as proxy:
        local = f"http://{origin.origin}/api/scores/s1/"
        monkeypatch.setenv("HTTP_PROXY", f"http://{proxy.origin}")
        async with httpx.AsyncClient(transport=AsyncDefaultTransport(), trust_env=False) as c:
            assert (await c.get(remote)).json()["target"] == remote
            assert (await c.get(local)).json()["target"] == "/api/scores/s1/"
        assert proxy.targets == [remote] and origin.targets == ["/api/scores/s1/"]


def test_the_key_is_refused_on_a_route_that_would_expose_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://user:hunter2@proxy.example:3128")
    connect = Connect()
    transport = DefaultTransport(connect)
    keyed = {"authorization": f"Bearer {KEY}"}
    for url in ("http://scores.example/", "http://10.1.2.3/"):
        with pytest.raises(InsecureTransportError, match=r"proxy\.example:3128") as info:
            transport.handle_request(httpx.Request("GET", url, headers=keyed))
        assert "hunter2" not in str(info.value) and KEY not in str(info.value)
    transport.handle_request(httpx.Request("GET", "http://scores.example/"))  # no key: sent
    transport.handle_request(httpx.Request("GET", "http://localhost:8000/", headers=keyed))
    monkeypatch.delenv("HTTP_PROXY")
    direct = DefaultTransport(connect)
    with pytest.raises(InsecureTransportError, match=r"scores\.example"):
        direct.handle_request(httpx.Request("GET", "http://scores.example/", headers=keyed))
    allowed = DefaultTransport(connect, allow_insecure_http=True)
    allowed.handle_request(httpx.Request("GET", "http://scores.example/", headers=keyed))
    assert [t.proxy is None for t in connect.built] == [False, True, True, True]


def test_a_forked_child_builds_pools_of_its_own() -> None:
    connect = Connect()
    transport = DefaultTransport(connect)
    first = transport.route(httpx.URL("https://api.respan.ai/"))
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: always leaves through os._exit
        try:
            fresh = transport.route(httpx.URL("https://api.respan.ai/")) is not first
            os.write(write_end, b"1" if fresh and len(connect.built) == 2 else b"0")
        finally:
            os._exit(0)
    os.close(write_end)
    try:
        assert os.read(read_end, 1) == b"1"
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)
    assert transport.route(httpx.URL("https://api.respan.ai/")) is first  # the parent's stays


async def test_a_new_event_loop_gets_new_pools() -> None:
    connect = Connect()
    transport = AsyncDefaultTransport(connect)
    request = httpx.Request("GET", "https://api.respan.ai/api/scores/score_1/")
    await transport.handle_async_request(request)
    await transport.handle_async_request(request)
    assert len(connect.built) == 1

    async def elsewhere() -> None:
        await transport.handle_async_request(request)

    await asyncio.to_thread(asyncio.run, elsewhere())  # another loop, in another thread
    assert len(connect.built) == 2


@pytest.fixture
def tls_server() -> Iterator[str]:
    with serve(tls=True) as server:
        yield f"https://127.0.0.1:{server.port}/api/scores/s1/"


@pytest.mark.parametrize(
    ("variable", "value"), [("SSL_CERT_FILE", TLS / "ca.pem"), ("SSL_CERT_DIR", TLS / "capath")]
)
def test_certificates_from_the_environment_are_trusted(
    monkeypatch: pytest.MonkeyPatch, tls_server: str, variable: str, value: Path
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    with pytest.raises(httpx.ConnectError) as info:  # the default trust store lacks the test CA
        _get(DefaultTransport(), tls_server)
    assert isinstance(info.value.__context__, ssl.SSLCertVerificationError) or "CERTIFICATE" in (
        str(info.value).upper()
    )
    monkeypatch.setenv(variable, str(value))
    assert _get(DefaultTransport(), tls_server)["target"] == "/api/scores/s1/"


async def test_async_certificates_from_the_environment_are_trusted(
    monkeypatch: pytest.MonkeyPatch, tls_server: str
) -> None:
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    monkeypatch.setenv("SSL_CERT_FILE", str(TLS / "ca.pem"))
    async with httpx.AsyncClient(transport=AsyncDefaultTransport(), trust_env=False) as c:
        assert (await c.get(tls_server)).json()["target"] == "/api/scores/s1/"


async def test_async_default_stack() -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(502) if len(calls) < 2 else httpx.Response(200, json=SCORE)

    client = _async_default_client(handler, max_retries=2)
    assert (await client.scores.retrieve("s1")).id == SCORE["id"]
    assert len(calls) == 2 and calls[0].headers["authorization"] == f"Bearer {KEY}"
    inner = client._transport.inner
    assert isinstance(inner, AsyncDefaultTransport)
    built = inner._routes._pools.copy()
    await client.aclose()
    assert built and all(isinstance(t, Recorded) and t.closed for t in built.values())
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
    # The generated resources and facts are plain modules; the client, models and endpoint
    # modules (and attrs with them) wait for the first request.
    light = ("respan_evals_api.resources", "respan_evals_api.facts")
    heavy = (
        "respan_evals_api.client",
        "respan_evals_api.models",
        "respan_evals_api.api",
        "respan_evals_api.types",
        "attr",
        "asyncio",
        "concurrent",
        "importlib.metadata",
        "click",
        "rich",
        "anyio",
    )
    assert [m for m in result["new"] if m.startswith(heavy)] == []
    generated = {m for m in result["new"] if m.startswith("respan_evals_api.")}
    assert generated and all(m.startswith(light) for m in generated), generated
    assert result["ssl"] == 0
