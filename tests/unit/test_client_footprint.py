"""What each client keeps: its per-client parts in slots, the immutable defaults shared.

A client's memory after its first request is mostly httpx's (benchmarks/bench_memory.py); the
facade's own parts keep no instance dicts, and what every default client would build alike
(headers, query, proxy rules) is built once.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from typing import Any, cast

import httpx
import pytest

from respan_evals import AsyncRespan, Respan
from respan_evals import _profiles as profiles_module
from respan_evals._call import LazyApi
from respan_evals._profiles import AsyncProfileCache, ProfileCache
from respan_evals._retries import RetryPolicy
from respan_evals._routing import ProxyRules
from respan_evals._transport import AsyncDefaultTransport, DefaultTransport
from respan_evals._values import EvaluatorProfile

from .conftest import KEY

pytestmark = pytest.mark.usefixtures("no_proxy_settings")


def _has_no_instance_dict(thing: object) -> bool:
    try:
        thing.not_an_attribute = 1  # type: ignore[attr-defined]
    except AttributeError:
        return True
    return False


def test_per_client_parts_keep_no_instance_dict() -> None:
    client = Respan(KEY, rate_limit=None)
    aclient = AsyncRespan(KEY, rate_limit=None)
    inner = client._transport.inner
    assert isinstance(inner, DefaultTransport)
    parts = [
        client._config,
        client._api,
        client._profiles,
        aclient._profiles,
        client._config.policy,
        client._transport,
        inner,
        inner._routes,
        ProxyRules({}),
    ]
    assert all(_has_no_instance_dict(part) for part in parts), [
        type(p).__name__ for p in parts if not _has_no_instance_dict(p)
    ]
    assert isinstance(client._api, LazyApi) and client._core.api is client._api
    # Sent through by an httpx.Client, as any httpx transport (the test CA is not needed).
    transport = cast(httpx.BaseTransport, client._transport)
    with httpx.Client(transport=transport, base_url="https://api.respan.ai") as http:
        assert http.base_url.host == "api.respan.ai"
    with pytest.raises(RuntimeError, match="closed"):  # closing the httpx.Client closed it
        inner.route(httpx.URL("https://api.respan.ai/"))

    async def close_async() -> None:
        ainner = aclient._transport.inner
        assert isinstance(ainner, AsyncDefaultTransport) and _has_no_instance_dict(ainner)
        atransport = cast(httpx.AsyncBaseTransport, aclient._transport)
        async with httpx.AsyncClient(transport=atransport):
            pass
        with pytest.raises(RuntimeError, match="closed"):
            ainner.route(httpx.URL("https://api.respan.ai/"))

    asyncio.run(close_async())


def test_a_config_holds_every_setting_in_its_slots() -> None:
    client = Respan(KEY, base_url="http://localhost:8000", max_retries=4, rate_limit=30)
    config = client._config
    assert config.base_url == "http://localhost:8000"
    assert config.policy.max_retries == 4 and config.rate_limit == 30.0
    assert all(hasattr(config, name) for name in type(config).__slots__)


def test_default_clients_share_their_headers_and_query() -> None:
    one, two = Respan(KEY), Respan(KEY)
    assert one._config.headers is two._config.headers
    assert one._config.query is two._config.query
    custom = Respan(KEY, default_headers={"X-Team": "evals"}, default_query={"team": "a"})
    assert custom._config.headers is not one._config.headers
    assert dict(custom._config.headers) == {**one._config.headers, "X-Team": "evals"}
    assert dict(custom._config.query) == {"team": "a"} and dict(one._config.query) == {}
    # The shared views cannot be changed through a client.
    with pytest.raises(TypeError):
        one._config.headers["X-Team"] = "other"  # type: ignore[index]


def test_default_clients_share_their_httpx_header_bytes() -> None:
    one, two = Respan(KEY), Respan("sk_other_key")
    raw_one, raw_two = dict(one._http.headers.raw), dict(two._http.headers.raw)
    assert raw_one[b"User-Agent"] is raw_two[b"User-Agent"]  # one object, not one per client
    assert raw_one[b"Accept"] is raw_two[b"Accept"] and raw_one[b"Accept"] == b"application/json"
    assert raw_one[b"Authorization"] == f"Bearer {KEY}".encode()
    assert raw_two[b"Authorization"] == b"Bearer sk_other_key"
    custom = Respan(KEY, default_headers={"X-Team": "evals", "Accept": "text/csv"})
    assert custom._http.headers["x-team"] == "evals"
    assert custom._http.headers["accept"] == "text/csv"
    assert "[secure]" in repr(one._http.headers) and KEY not in repr(one._http.headers)


def test_bad_default_headers_are_still_refused_when_empty_looking() -> None:
    from respan_evals import RespanValidationError

    with pytest.raises(RespanValidationError, match="mapping"):
        Respan(KEY, default_headers="")  # type: ignore[arg-type]
    with pytest.raises(RespanValidationError, match="mapping"):
        Respan(KEY, default_query=[])  # type: ignore[arg-type]


def test_proxy_rules_from_the_same_environment_are_shared(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = ProxyRules.from_environment()
    assert ProxyRules.from_environment() is first
    url = httpx.URL("https://api.respan.ai/api/scores/")
    assert first.proxy_for(url) is None
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    changed = ProxyRules.from_environment()
    assert changed is not first
    proxy = changed.proxy_for(url)
    assert proxy is not None and proxy.url.host == "proxy.example"
    monkeypatch.delenv("HTTPS_PROXY")
    assert ProxyRules.from_environment().proxy_for(url) is None


class _Built:
    """A `connect` recording the transports it builds, each answering 200."""

    def __init__(self) -> None:
        self.transports: list[httpx.MockTransport] = []

    def __call__(self, proxy: httpx.Proxy | None) -> httpx.MockTransport:
        self.transports.append(httpx.MockTransport(lambda request: httpx.Response(200)))
        return self.transports[-1]


def test_routes_keep_the_first_origin_in_slots_and_others_in_dicts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built = _Built()
    transport = DefaultTransport(built)
    routes = transport._routes
    base = httpx.URL("https://api.respan.ai/api/scores/")
    pool = transport.route(base)
    assert transport.route(httpx.URL("https://api.respan.ai/api/evaluators/")) is pool
    assert routes._more_routes is None and routes._more_pools is None  # one origin: no dict
    assert routes._pools == {None: pool}
    other = httpx.URL("https://eu.respan.ai/api/scores/")
    assert transport.route(other) is pool  # another origin, the same route (direct): one pool
    assert routes._more_routes is not None and len(routes._more_routes) == 1
    assert routes._more_pools is None and len(built.transports) == 1
    # A second route (through a proxy) gets a pool of its own; the first keeps its own.
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    proxied = DefaultTransport(built)
    assert proxied.route(base) is not pool
    assert proxied.route(httpx.URL("https://localhost:8443/")) is not proxied.route(base)
    assert len(proxied._routes._pools) == 2 and len(built.transports) == 3
    assert transport.handle_request(httpx.Request("GET", base)).status_code == 200
    routes.forget()  # as for a new event loop: pools built afresh on next use
    assert routes._pools == {}
    assert transport.route(base) is not pool and len(built.transports) == 4
    transport.close()
    with pytest.raises(RuntimeError, match="closed"):
        transport.route(base)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork: POSIX only")
def test_a_forked_child_gets_a_fresh_route_lock_and_pools() -> None:
    from respan_evals import _transport

    built = _Built()
    transport = DefaultTransport(built)
    base = httpx.URL("https://api.respan.ai/api/scores/")
    parents = transport.route(base)
    with _transport._build_lock:  # held by "another thread" of the parent at fork time
        pid = os.fork()
        if pid == 0:  # the child: its own pool, built without waiting for that lock
            try:
                ok = transport.route(base) is not parents and len(built.transports) == 2
            except BaseException:
                os._exit(2)
            os._exit(0 if ok else 1)
    _wait_for_child(pid)
    assert transport.route(base) is parents  # the parent's own is untouched


def _wait_for_child(pid: int) -> None:
    deadline = time.monotonic() + 30  # generous: a blocked child never exits by itself
    while (done := os.waitpid(pid, os.WNOHANG))[0] == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    if done[0] == 0:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        pytest.fail("the forked child blocked on a lock held by the parent")
    assert os.waitstatus_to_exitcode(done[1]) == 0


def test_retry_policy_is_immutable_comparable_and_replaceable() -> None:
    policy = RetryPolicy(max_retries=3, time_scale=0.5)
    with pytest.raises(AttributeError, match="immutable"):
        policy.max_retries = 9
    with pytest.raises(AttributeError, match="immutable"):
        del policy.max_delay
    assert policy == RetryPolicy(max_retries=3, time_scale=0.5) != RetryPolicy()
    assert hash(policy) == hash(RetryPolicy(max_retries=3, time_scale=0.5))
    fewer = policy.replace(max_retries=1)
    assert (fewer.max_retries, fewer.time_scale, policy.max_retries) == (1, 0.5, 3)
    assert repr(fewer).startswith("RetryPolicy(max_retries=1, base_delay=0.5")
    with pytest.raises(ValueError, match="time_scale"):
        policy.replace(time_scale=0)


def _profile() -> EvaluatorProfile:
    return EvaluatorProfile.from_evaluator_dict(
        {"id": "evl_1", "evaluator_slug": "quality", "score_value_type": "numerical"}
    )


def test_profile_caches_make_their_dicts_on_the_first_lookup() -> None:
    cache = ProfileCache()
    assert cache._profiles is None
    loads: list[int] = []

    def load() -> EvaluatorProfile:
        loads.append(1)
        return _profile()

    first = cache.get(("slug", "quality"), load)
    assert cache.get(("slug", "quality"), load) is first and loads == [1]

    async def run() -> Any:
        acache = AsyncProfileCache()
        assert acache._profiles is None

        async def aload() -> EvaluatorProfile:
            loads.append(2)
            return _profile()

        got = await acache.get(("slug", "quality"), aload)
        return got, await acache.get(("slug", "quality"), aload)

    got, again = asyncio.run(run())
    assert got is again and loads == [1, 2]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork: POSIX only")
def test_a_forked_child_gets_a_fresh_profile_lock() -> None:
    # A lock held by another thread of the parent at fork time would block the child for ever.
    with profiles_module._lock:
        pid = os.fork()
        if pid == 0:  # the child: it must look up without waiting for the parent's holder
            try:
                ProfileCache().get(("slug", "quality"), _profile)
            except BaseException:
                os._exit(1)
            os._exit(0)
    _wait_for_child(pid)
