"""client.with_options() / copy(): other settings over the same connections, and over the same
pacer and evaluator cache while the key and base URL stay the same."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from respan_evals import (
    AsyncRespan,
    InternalServerError,
    Respan,
    RespanValidationError,
    ResponseTooLargeError,
)
from respan_evals._pacing import Pacer
from respan_evals._transport import AsyncDefaultTransport, DefaultTransport

from .conftest import BASE, EVALUATOR, KEY, SCORE, FakeAPI, Sleeps, page

OTHER_KEY = "sk_test_OTHER_org_key"


class Pool(httpx.MockTransport):
    """A route's transport: answers with `handler`, and remembers being closed."""

    def __init__(self, handler: Callable[[httpx.Request], httpx.Response]) -> None:
        super().__init__(handler)
        self.closed = False

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


class Connect:
    """A `connect` for DefaultTransport: every route's transport answered by `api`."""

    def __init__(self, api: FakeAPI) -> None:
        self.api = api
        self.built: list[Pool] = []
        self._lock = threading.Lock()

    def __call__(self, proxy: httpx.Proxy | None) -> Pool:
        with self._lock:
            self.built.append(Pool(self.api))
            return self.built[-1]


class SafeSleeps(Sleeps):
    """Sleeps recorded from many threads at once."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()

    def __call__(self, seconds: float) -> None:
        with self._lock:
            self.append(seconds)


def default_client(api: FakeAPI, **kwargs: Any) -> tuple[Respan, Connect]:
    """A client on the default stack (no http_client), its routes answered by `api`."""
    kwargs.setdefault("rate_limit", None)
    client = Respan(KEY, **kwargs)
    connect = Connect(api)
    client._transport.inner = DefaultTransport(connect)
    client._transport.sleep = Sleeps()
    client._transport.random = lambda: 0.5
    return client, connect


def async_default_client(api: FakeAPI, **kwargs: Any) -> tuple[AsyncRespan, Connect]:
    kwargs.setdefault("rate_limit", None)
    client = AsyncRespan(KEY, **kwargs)
    connect = Connect(api)
    client._transport.inner = AsyncDefaultTransport(connect)
    client._transport.sleep = Sleeps().asleep
    client._transport.random = lambda: 0.5
    return client, connect


# --- settings ----------------------------------------------------------------------------


def test_copy_changes_only_what_it_is_given(api: FakeAPI) -> None:
    client, _ = default_client(api, rate_limit=60, default_headers={"X-Team": "evals"})
    copy = client.with_options(timeout=5, max_retries=0)
    assert type(copy) is Respan and copy is not client
    assert copy._http.timeout == httpx.Timeout(5.0)
    assert copy._transport.policy.max_retries == 0
    assert client._http.timeout == httpx.Timeout(30.0, connect=10.0)  # the original unchanged
    assert client._transport.policy.max_retries == 2
    assert copy._config.base_url == client._config.base_url
    assert copy._config.rate_limit == 60.0
    assert copy.default_headers["X-Team"] == "evals"
    assert copy._http.headers["authorization"] == f"Bearer {KEY}"
    copy.scores.retrieve("s1")
    assert api.seen[-1].headers["authorization"] == f"Bearer {KEY}"
    assert api.seen[-1].headers["x-team"] == "evals"
    client.close()


def test_copy_is_the_same_as_with_options(api: FakeAPI) -> None:
    client, _ = default_client(api)
    copy = client.copy(max_retries=1)
    assert copy._transport.policy.max_retries == 1
    assert copy._transport.inner is client._transport.inner
    assert Respan.copy is Respan.with_options and AsyncRespan.copy is AsyncRespan.with_options
    client.close()


def test_copy_settings_take_effect_on_the_wire(api: FakeAPI) -> None:
    client, _ = default_client(api)
    api.script("GET", "/api/scores/s1/", *[httpx.Response(503)] * 5)
    with pytest.raises(InternalServerError):
        client.with_options(max_retries=0).scores.retrieve("s1")
    assert len(api.seen) == 1  # no retry on the copy
    api.seen.clear()
    with pytest.raises(InternalServerError):
        client.scores.retrieve("s1")
    assert len(api.seen) == 3  # the original still retries twice
    api.scripts.clear()

    seen: list[httpx.Request] = []
    api.script(
        "GET", "/api/scores/s3/", lambda r: seen.append(r) or httpx.Response(200, json=SCORE)
    )
    client.with_options(timeout=7).scores.retrieve("s3")
    assert seen[0].extensions["timeout"] == httpx.Timeout(7.0).as_dict()

    big = json.dumps(SCORE | {"padding": "x" * 5000}).encode()
    api.script("GET", "/api/scores/s4/", httpx.Response(200, content=iter([big])))  # streamed
    with pytest.raises(ResponseTooLargeError):
        client.with_options(max_response_bytes=1024).scores.retrieve("s4")
    client.close()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"timeout": 0}, "timeout"),
        ({"timeout": "30"}, "timeout"),
        ({"max_retries": -1}, "max_retries"),
        ({"max_retries": True}, "max_retries"),
        ({"rate_limit": 0}, "rate_limit"),
        ({"rate_limit": float("nan")}, "rate_limit"),
        ({"base_url": "ftp://api.respan.ai"}, "base_url"),
        ({"base_url": "http://api.respan.ai"}, "allow_insecure_http"),
        ({"max_response_bytes": 0}, "max_response_bytes"),
        ({"api_key": "has space"}, "API key"),
        ({"default_headers": {"Authorization": "Bearer x"}}, "api_key"),
        ({"set_default_headers": {"authorization": "Bearer x"}}, "api_key"),
        ({"default_headers": {"X-A": "1"}, "set_default_headers": {}}, "not both"),
        ({"default_query": {"a": 1}}, "default_query"),
        ({"default_query": {}, "set_default_query": {}}, "not both"),
    ],
)
@pytest.mark.parametrize("cls", [Respan, AsyncRespan])
def test_copy_settings_are_checked_as_the_constructor_checks_them(
    cls: Any, kwargs: dict[str, Any], match: str
) -> None:
    client = cls(KEY)
    with pytest.raises(RespanValidationError, match=match) as info:
        client.with_options(**kwargs)
    assert KEY not in str(info.value)


@pytest.mark.parametrize("cls", [Respan, AsyncRespan])
def test_unknown_or_positional_overrides_are_type_errors(cls: Any) -> None:
    client = cls(KEY)
    with pytest.raises(TypeError, match="unexpected keyword argument 'retries'"):
        client.with_options(retries=3)
    with pytest.raises(TypeError, match="http_client"):
        client.with_options(http_client=httpx.Client())  # the connections come with the copy
    with pytest.raises(TypeError, match="allow_insecure_http"):
        client.with_options(allow_insecure_http=True)
    with pytest.raises(TypeError):
        client.with_options(5)


def test_a_copy_keeps_the_originals_insecure_http_permission(api: FakeAPI) -> None:
    client, _ = default_client(api)
    with pytest.raises(RespanValidationError, match="allow_insecure_http"):
        client.with_options(base_url="http://10.0.0.5")
    insecure = Respan(KEY, allow_insecure_http=True)
    insecure.with_options(base_url="http://10.0.0.5").close()
    client.close()


# --- the connection pool -----------------------------------------------------------------


def test_a_copy_sends_through_the_same_connections(api: FakeAPI) -> None:
    client, connect = default_client(api)
    copy = client.with_options(timeout=5)
    other = client.with_options(api_key=OTHER_KEY, base_url="https://eu.respan.example")
    assert copy._transport.inner is client._transport.inner is other._transport.inner
    client.scores.retrieve("s1")
    copy.scores.retrieve("s1")
    copy.with_options(max_retries=0).scores.retrieve("s1")  # a copy of a copy
    assert len(connect.built) == 1  # one route, one pool, for all three
    other.scores.retrieve("s1")
    assert len(connect.built) == 1  # another origin, still the same (direct) pool
    assert [s.headers["authorization"] for s in api.seen] == [f"Bearer {KEY}"] * 3 + [
        f"Bearer {OTHER_KEY}"
    ]
    client.close()


def test_closing_a_copy_leaves_the_original_working(api: FakeAPI) -> None:
    client, connect = default_client(api)
    copy = client.with_options(max_retries=0)
    copy.scores.retrieve("s1")
    copy.close()
    assert copy._http.is_closed
    assert not connect.built[0].closed
    assert client.scores.retrieve("s1").id == SCORE["id"]
    with pytest.raises(RuntimeError, match="closed"):
        copy.scores.retrieve("s1")
    with client.with_options(timeout=3) as scoped:
        scoped.scores.retrieve("s1")
    assert client.scores.retrieve("s1").id == SCORE["id"]
    assert not connect.built[0].closed


def test_closing_the_original_closes_the_copies_connections(api: FakeAPI) -> None:
    client, connect = default_client(api)
    copy = client.with_options(max_retries=0)
    copy.scores.retrieve("s1")
    client.close()
    assert connect.built[0].closed
    with pytest.raises(RuntimeError, match="closed"):
        copy.scores.retrieve("s1")


def test_a_copy_of_a_client_over_a_callers_http_client_shares_it() -> None:
    api = FakeAPI()
    mine = httpx.Client(transport=httpx.MockTransport(api))
    client = Respan(KEY, http_client=mine, rate_limit=None)
    copy = client.with_options(timeout=2)
    copy.scores.retrieve("s1")
    copy.close()
    client.scores.retrieve("s1")
    assert len(api.seen) == 2
    client.close()
    assert not mine.is_closed  # still the caller's
    mine.close()


async def test_async_copy_shares_the_connections_and_closing_it_leaves_them(
    api: FakeAPI,
) -> None:
    client, connect = async_default_client(api)
    copy = client.copy(timeout=5, max_retries=0)
    assert copy._transport.inner is client._transport.inner
    await copy.scores.retrieve("s1")
    await client.scores.retrieve("s1")
    assert len(connect.built) == 1
    await copy.aclose()
    assert not connect.built[0].closed
    assert (await client.scores.retrieve("s1")).id == SCORE["id"]
    with pytest.raises(RuntimeError, match="closed"):
        await copy.scores.retrieve("s1")
    survivor = client.with_options(max_retries=1)
    await client.aclose()
    assert connect.built[0].closed
    with pytest.raises(RuntimeError, match="closed"):
        await survivor.scores.retrieve("s1")


async def test_async_copy_settings_take_effect(api: FakeAPI) -> None:
    client, _ = async_default_client(api)
    api.script("GET", "/api/scores/s1/", *[httpx.Response(503)] * 5)
    with pytest.raises(InternalServerError):
        await client.with_options(max_retries=0).scores.retrieve("s1")
    assert len(api.seen) == 1
    with pytest.raises(RespanValidationError, match="timeout"):
        client.with_options(timeout=-1)
    await client.aclose()


# --- pacing and the evaluator cache ------------------------------------------------------

RATE = 6.0  # a send every 10 s, burst 1: the n-th send is due at 10 * n s
SENDS = 24


def _frozen_pacer() -> Pacer:
    """A pacer whose clock stands still: each wait it asks for is its send time."""
    return Pacer(RATE, clock=lambda: 0.0)


def _one_schedule(sleeps: list[float]) -> None:
    """The waits of SENDS requests through one pacer: each send 10 s after the one before."""
    assert sorted(sleeps) == pytest.approx([10.0 * n for n in range(1, SENDS)])


def test_copies_with_the_same_key_share_one_pacer_across_threads(api: FakeAPI) -> None:
    client, _ = default_client(api, rate_limit=RATE)
    client._transport.pacer = _frozen_pacer()
    sleeps = SafeSleeps()
    client._transport.sleep = sleeps
    copies = [
        client,
        client.with_options(timeout=5),
        client.copy(max_retries=0, default_headers={"X-Copy": "1"}),
        client.with_options(api_key=KEY, rate_limit=RATE),  # the same key, given again
    ]
    assert all(c._transport.pacer is client._transport.pacer for c in copies)
    barrier = threading.Barrier(8)

    def send(worker: int) -> None:
        barrier.wait()
        for n in range(SENDS // 8):
            copies[(worker + n) % len(copies)].scores.retrieve("s1")

    threads = [threading.Thread(target=send, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(api.seen) == SENDS
    _one_schedule(sleeps)  # one limit over all of them: no second burst, no shared slot
    client.close()


async def test_async_copies_share_one_pacer_across_tasks(api: FakeAPI) -> None:
    client, _ = async_default_client(api, rate_limit=RATE)
    client._transport.pacer = _frozen_pacer()
    sleeps = Sleeps()
    client._transport.sleep = sleeps.asleep
    copies = [client, client.with_options(timeout=5), client.copy(max_retries=1)]
    await asyncio.gather(*(copies[n % 3].scores.retrieve("s1") for n in range(SENDS)))
    assert len(api.seen) == SENDS
    _one_schedule(sleeps)
    await client.aclose()


@pytest.mark.parametrize(
    "overrides",
    [
        {"api_key": OTHER_KEY},
        {"base_url": "https://eu.respan.example"},
        {"rate_limit": 12.0},
    ],
    ids=["another-key", "another-base-url", "another-rate"],
)
def test_another_key_base_url_or_rate_gets_a_pacer_of_its_own(
    api: FakeAPI, overrides: dict[str, Any]
) -> None:
    client, _ = default_client(api, rate_limit=RATE)
    client._transport.pacer = _frozen_pacer()
    sleeps = SafeSleeps()
    client._transport.sleep = sleeps
    other = client.with_options(**overrides)
    assert other._transport.pacer is not None
    assert other._transport.pacer is not client._transport.pacer
    assert other._transport.pacer.rate_per_minute == overrides.get("rate_limit", RATE)
    client.scores.retrieve("s1")
    client.scores.retrieve("s1")
    assert sleeps == [pytest.approx(10.0)]  # the original's second send waits its turn
    other.scores.retrieve("s1")
    assert len(sleeps) == 1  # the other's first send does not queue behind the original's
    client.close()


def test_a_copy_without_a_rate_limit_is_not_paced(api: FakeAPI) -> None:
    client, _ = default_client(api, rate_limit=RATE)
    copy = client.with_options(rate_limit=None)
    assert copy._transport.pacer is None and client._transport.pacer is not None
    assert copy.with_options(rate_limit=RATE)._transport.pacer is not client._transport.pacer
    client.close()


async def test_async_another_key_gets_a_pacer_and_cache_of_its_own(api: FakeAPI) -> None:
    client, _ = async_default_client(api, rate_limit=RATE)
    other = client.with_options(api_key=OTHER_KEY)
    same = client.with_options(api_key=KEY)
    assert other._transport.pacer is not client._transport.pacer
    assert other._profiles is not client._profiles
    assert same._transport.pacer is client._transport.pacer
    assert same._profiles is client._profiles
    await other.scores.retrieve("s1")
    assert api.seen[-1].headers["authorization"] == f"Bearer {OTHER_KEY}"
    await client.aclose()


def _evaluator_lookups(api: FakeAPI) -> int:
    return sum(1 for s in api.seen if s.path.startswith("/api/evaluators/"))


def test_copies_share_the_evaluator_cache_of_one_account(api: FakeAPI) -> None:
    api.script("POST", "/api/evaluators/list/", *[httpx.Response(200, json=page([EVALUATOR]))] * 3)
    client, _ = default_client(api)
    client.score_log("log_1", 4.5, evaluator="quality")
    client.with_options(timeout=5).score_log("log_2", 4.0, evaluator="quality")
    assert _evaluator_lookups(api) == 1  # looked up once for both
    client.with_options(api_key=OTHER_KEY).score_log("log_3", 4.0, evaluator="quality")
    assert _evaluator_lookups(api) == 2  # another account: its evaluators are its own
    client.with_options(base_url="https://eu.respan.example").score_log(
        "log_4", 4.0, evaluator="quality"
    )
    assert _evaluator_lookups(api) == 3
    client.close()


async def test_async_copies_share_the_evaluator_cache(api: FakeAPI) -> None:
    client, _ = async_default_client(api)
    await client.score_log("log_1", 4.5, evaluator="quality")
    await client.copy(max_retries=0).score_log("log_2", 4.0, evaluator="quality")
    assert _evaluator_lookups(api) == 1
    await client.aclose()


# --- default headers and query on copies -------------------------------------------------


def test_copy_headers_add_to_or_replace_the_originals(api: FakeAPI) -> None:
    client, _ = default_client(api, default_headers={"X-Team": "evals", "X-Env": "prod"})
    added = client.with_options(default_headers={"x-env": "staging", "X-New": "1"})
    assert {k.lower(): v for k, v in added.default_headers.items()}.items() >= {
        ("x-team", "evals"),
        ("x-env", "staging"),
        ("x-new", "1"),
    }
    replaced = client.with_options(set_default_headers={"X-Only": "1"})
    assert "X-Team" not in replaced.default_headers and replaced.default_headers["X-Only"] == "1"
    assert replaced.default_headers["User-Agent"].startswith("respan-evals/")
    replaced.scores.retrieve("s1")
    assert "x-team" not in api.seen[-1].headers and api.seen[-1].headers["x-only"] == "1"
    assert api.seen[-1].headers["authorization"] == f"Bearer {KEY}"
    for c in (client, added, replaced):
        assert not any(k.lower() == "authorization" for k in c.default_headers)
        assert KEY not in repr(c) and KEY not in str(dict(c.default_headers))
    client.close()


async def test_async_copy_query_adds_to_or_replaces_the_originals(api: FakeAPI) -> None:
    client, _ = async_default_client(api, default_query={"team": "evals", "tag": ["a", "b"]})
    added = client.with_options(default_query={"env": "staging"})
    assert dict(added.default_query) == {"team": "evals", "tag": ("a", "b"), "env": "staging"}
    sent: list[httpx.Request] = []
    api.script(
        "GET", "/api/scores/s1/", *[lambda r: sent.append(r) or httpx.Response(200, json=SCORE)] * 2
    )
    await added.scores.retrieve("s1")
    assert sent[0].url.params.multi_items() == [
        ("team", "evals"),
        ("tag", "a"),
        ("tag", "b"),
        ("env", "staging"),
    ]
    replaced = client.with_options(set_default_query={"only": "1"})
    await replaced.scores.retrieve("s1")
    assert sent[1].url.params.multi_items() == [("only", "1")]
    assert dict(client.default_query) == {"team": "evals", "tag": ("a", "b")}
    await client.aclose()


def test_copy_of_the_base_url_reaches_the_new_host(api: FakeAPI) -> None:
    client, _ = default_client(api)
    eu = client.with_options(base_url="https://eu.respan.example/")
    eu.scores.retrieve("s1")
    assert api.seen[-1].headers["host"] == "eu.respan.example"
    client.scores.retrieve("s1")
    assert api.seen[-1].headers["host"] == httpx.URL(BASE).host
    client.close()
