"""Building the clients: configuration, auth, the caller's http_client, closing, and what a
2xx with an unreadable body becomes."""

from __future__ import annotations

import socket
from typing import Any

import httpx
import pytest

from respan_evals import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    AsyncRespan,
    InsecureTransportError,
    InternalServerError,
    NotFoundError,
    Respan,
    RespanValidationError,
)
from respan_evals._config import DEFAULT_TIMEOUT
from respan_evals._errors import OUTCOME_UNKNOWN, error_from_transport
from respan_evals._transport import AsyncDefaultTransport, DefaultTransport
from respan_evals_api.client import Client

from .conftest import BASE, KEY, SCORE, FakeAPI, Sleeps, make_client


def test_defaults() -> None:
    client = Respan(KEY)
    assert str(client._http.base_url).rstrip("/") == "https://api.respan.ai"
    assert client._http.timeout == httpx.Timeout(30.0, connect=10.0) == DEFAULT_TIMEOUT
    assert client._transport.policy.max_retries == 2
    assert client._transport.pacer is not None
    assert client._transport.pacer.rate_per_minute == 60.0
    assert client._http.headers["user-agent"].startswith("respan-evals/")
    assert client._http.headers["authorization"] == f"Bearer {KEY}"
    assert isinstance(client.api, Client)
    client.close()


def test_environment_fallbacks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESPAN_API_KEY", KEY)
    monkeypatch.setenv("RESPAN_BASE_URL", "https://eu.respan.example/")
    with Respan() as client:
        assert client._http.headers["authorization"] == f"Bearer {KEY}"
        assert str(client._http.base_url).rstrip("/") == "https://eu.respan.example"
    with Respan("sk_other", base_url="https://other.example") as client:
        assert client._http.headers["authorization"] == "Bearer sk_other"
        assert str(client._http.base_url).rstrip("/") == "https://other.example"


@pytest.mark.parametrize("cls", [Respan, AsyncRespan])
def test_missing_key_names_the_environment_variable(cls: Any) -> None:
    with pytest.raises(RespanValidationError, match="RESPAN_API_KEY"):
        cls()
    with pytest.raises(RespanValidationError, match="RESPAN_API_KEY"):
        cls("   ")


def test_empty_env_key_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESPAN_API_KEY", "")
    with pytest.raises(RespanValidationError, match="RESPAN_API_KEY"):
        Respan()


@pytest.mark.parametrize("key", [f"{KEY}\n", f"'{KEY}'x y", f"{KEY}é"])
def test_malformed_key_is_refused_without_echoing_it(key: str) -> None:
    with pytest.raises(RespanValidationError) as info:
        Respan(key)
    assert KEY not in str(info.value) and KEY not in repr(info.value)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8080", "http://localhost:8000/", "http://[::1]:9000", "http://127.1.2.3"],
)
def test_plain_http_is_allowed_to_loopback(url: str) -> None:
    Respan(KEY, base_url=url).close()


@pytest.mark.parametrize(
    "url", ["http://api.respan.ai", "http://10.0.0.5", "http://localhost.evil.com"]
)
def test_plain_http_elsewhere_is_refused(url: str) -> None:
    with pytest.raises(InsecureTransportError, match="allow_insecure_http"):
        Respan(KEY, base_url=url)
    with pytest.raises(RespanValidationError):
        AsyncRespan(KEY, base_url=url)
    Respan(KEY, base_url=url, allow_insecure_http=True).close()


@pytest.mark.parametrize(
    "url", ["ftp://api.respan.ai", "api.respan.ai", "https://", "https://u:p@api.respan.ai"]
)
def test_bad_base_urls_are_refused(url: str) -> None:
    with pytest.raises(RespanValidationError):
        Respan(KEY, base_url=url)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"timeout": 0}, "timeout"),
        ({"timeout": "30"}, "timeout"),
        ({"max_retries": -1}, "max_retries"),
        ({"max_retries": True}, "max_retries"),
        ({"rate_limit": 0}, "rate_limit"),
        ({"rate_limit": float("inf")}, "rate_limit"),
        ({"http_client": httpx.AsyncClient()}, "use AsyncRespan"),
    ],
)
def test_bad_settings_are_refused(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(RespanValidationError, match=match):
        Respan(KEY, **kwargs)


def test_async_client_refuses_a_sync_http_client() -> None:
    with pytest.raises(RespanValidationError, match="use Respan"):
        AsyncRespan(KEY, http_client=httpx.Client())


def test_float_timeout() -> None:
    with Respan(KEY, timeout=5) as client:
        assert client._http.timeout == httpx.Timeout(5.0)
    timeout = httpx.Timeout(1.0, read=60.0)
    with Respan(KEY, timeout=timeout) as client:
        assert client._http.timeout == timeout


def test_requests_carry_auth_user_agent_and_timeout(client: Respan, api: FakeAPI) -> None:
    seen: list[httpx.Request] = []
    api.script(
        "GET", "/api/scores/s1/", lambda r: seen.append(r) or httpx.Response(200, json=SCORE)
    )
    client.scores.retrieve("s1")
    request = seen[0]
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["user-agent"].startswith("respan-evals/")
    assert request.extensions["timeout"] == DEFAULT_TIMEOUT.as_dict()


def test_a_callers_http_client_gets_auth_retries_and_error_mapping() -> None:
    hooked: list[str] = []
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            return httpx.Response(503, text="<html>busy</html>")
        if request.url.path == "/api/scores/missing/":
            return httpx.Response(404, json={"detail": "Not found."})
        return httpx.Response(200, json=SCORE)

    mine = httpx.Client(
        transport=httpx.MockTransport(handler),
        headers={"X-Team": "evals"},
        event_hooks={"request": [lambda r: hooked.append(r.url.path)]},
    )
    client = Respan(KEY, http_client=mine, rate_limit=None)
    client._transport.sleep = Sleeps()
    assert client.scores.retrieve("s1").id == SCORE["id"]
    assert len(calls) == 2  # the 503 was retried
    assert all(c.headers["authorization"] == f"Bearer {KEY}" for c in calls)
    assert calls[0].headers["x-team"] == "evals"  # the caller's own default header
    assert hooked == ["/api/scores/s1/"] * 2  # the caller's event hooks ran
    with pytest.raises(NotFoundError):
        client.scores.retrieve("missing")
    client.close()
    assert not mine.is_closed  # not ours to close
    mine.close()


async def test_a_callers_async_http_client_gets_the_same() -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(502) if len(calls) < 3 else httpx.Response(200, json=SCORE)

    mine = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    client = AsyncRespan(KEY, http_client=mine, rate_limit=None, max_retries=1)
    client._transport.sleep = Sleeps().asleep
    with pytest.raises(InternalServerError):
        await client.scores.retrieve("s1")
    assert len(calls) == 2
    assert calls[0].headers["authorization"] == f"Bearer {KEY}"
    await client.aclose()
    assert not mine.is_closed
    await mine.aclose()


def test_close_closes_what_the_client_created() -> None:
    client = Respan(KEY)
    inner = client._transport.inner
    assert isinstance(inner, DefaultTransport)
    inner.route(httpx.URL(BASE))  # as a request would
    client.close()
    assert client._http.is_closed
    with pytest.raises(RuntimeError, match="closed"):
        inner.route(httpx.URL(BASE))


async def test_async_context_manager_closes() -> None:
    async with AsyncRespan(KEY) as client:
        inner = client._transport.inner
        assert isinstance(inner, AsyncDefaultTransport)
        inner.route(httpx.URL(BASE))
    assert client._http.is_closed
    with pytest.raises(RuntimeError, match="closed"):
        inner.route(httpx.URL(BASE))


@pytest.mark.parametrize(
    "reply",
    [
        httpx.Response(200, text="<html>maintenance</html>"),
        httpx.Response(200, content=b""),
        httpx.Response(200, json={"id": "s1"}),  # created_at missing
        httpx.Response(200, json=["not", "an", "object"]),
        httpx.Response(202, json=SCORE),  # a 2xx with no documented body
    ],
    ids=["html", "empty", "missing-field", "wrong-shape", "undocumented-2xx"],
)
def test_unreadable_success_body_is_a_response_validation_error(
    client: Respan, api: FakeAPI, reply: httpx.Response
) -> None:
    api.script("GET", "/api/scores/s1/", reply)
    with pytest.raises(APIResponseValidationError) as info:
        client.scores.retrieve("s1")
    assert info.value.status_code == reply.status_code
    assert "GET /api/scores/s1/" in str(info.value)
    assert len(api.seen) == 1  # applied, so never retried
    assert not info.value.outcome_unknown  # a read changed nothing


def test_unreadable_success_body_of_a_create_says_the_outcome_is_unknown(
    client: Respan, api: FakeAPI
) -> None:
    api.script("POST", "/api/scores/", httpx.Response(201, text='{"id": "score_1", "crea'))
    with pytest.raises(APIResponseValidationError) as info:
        client.scores.create(log_id="l1", evaluator_slug="q", numerical_value=1.0)
    assert info.value.outcome_unknown  # the score exists: resending would make a second one
    assert str(info.value).endswith(OUTCOME_UNKNOWN)
    assert len(api.seen) == 1


async def test_async_unreadable_success_body(aclient: Any, api: FakeAPI) -> None:
    api.script("GET", "/api/scores/s1/", httpx.Response(200, text="<html/>"))
    with pytest.raises(APIResponseValidationError):
        await aclient.scores.retrieve("s1")


def test_delete_accepts_any_2xx(client: Respan, api: FakeAPI) -> None:
    api.script("DELETE", "/api/scores/s1/", httpx.Response(200, json={"deleted": True}))
    assert client.scores.delete("s1") is None


def test_generated_client_shares_the_stack(client: Respan, api: FakeAPI) -> None:
    from respan_evals_api.api.scores import retrieve_score

    api.script("GET", "/api/scores/s1/", httpx.Response(404, json={"detail": "x"}))
    with pytest.raises(NotFoundError):
        retrieve_score.sync_detailed("s1", client=client.api)
    assert api.seen[0].headers["authorization"] == f"Bearer {KEY}"


def test_make_client_helper_is_isolated(api: FakeAPI, sleeps: Sleeps) -> None:
    a, b = make_client(api, sleeps), make_client(api, sleeps)
    assert a._transport is not b._transport and a._profiles is not b._profiles


# --- default headers and query -----------------------------------------------------------


def test_default_headers_and_query_reach_the_wire(api: FakeAPI, sleeps: Sleeps) -> None:
    client = make_client(
        api,
        sleeps,
        default_headers={"X-Team": "evals", "User-Agent": "my-app/1.0"},
        default_query={"workspace": "w1", "tag": ["a", "b"]},
    )
    client.scores.retrieve("s1")
    client.scores.list(page=2)
    for seen in api.seen:
        assert seen.headers["x-team"] == "evals"
        assert seen.headers["user-agent"] == "my-app/1.0"  # the caller's wins over ours
        assert seen.headers["authorization"] == f"Bearer {KEY}"
        assert seen.query["workspace"] == "w1"
    assert len(api.seen) == 2
    assert api.seen[-1].query["page"] == "2"  # the operation's own query is kept
    client.close()


async def test_async_default_headers_and_query_reach_the_wire(api: FakeAPI) -> None:
    seen: list[httpx.Request] = []
    api.script(
        "GET", "/api/scores/s1/", lambda r: seen.append(r) or httpx.Response(200, json=SCORE)
    )
    mine = httpx.AsyncClient(transport=httpx.MockTransport(api))
    async with AsyncRespan(
        KEY,
        http_client=mine,
        rate_limit=None,
        default_headers={"X-Team": "evals"},
        default_query={"tag": ("a", "b")},
    ) as client:
        await client.scores.retrieve("s1")
    assert seen[0].headers["x-team"] == "evals"
    assert seen[0].url.params.get_list("tag") == ["a", "b"]
    await mine.aclose()


@pytest.mark.parametrize("cls", [Respan, AsyncRespan])
def test_default_headers_and_query_are_read_only_views(cls: Any) -> None:
    client = cls(KEY, default_headers={"X-Team": "evals"}, default_query={"tag": ["a"]})
    assert client.default_headers["X-Team"] == "evals"
    assert client.default_headers["User-Agent"].startswith("respan-evals/")
    assert not any(name.lower() == "authorization" for name in client.default_headers)
    assert KEY not in repr(client.default_headers)
    assert dict(client.default_query) == {"tag": ("a",)}
    with pytest.raises(TypeError):
        client.default_headers["X-Team"] = "other"
    with pytest.raises(TypeError):
        client.default_query["tag"] = "b"
    with pytest.raises(AttributeError):
        client.default_headers = {}
    assert cls(KEY).default_query == {}


def test_the_callers_mappings_are_copied() -> None:
    given_headers = {"X-Team": "evals"}
    given_query = {"tag": ["a"]}
    client = Respan(KEY, default_headers=given_headers, default_query=given_query)
    given_headers["X-Team"] = "changed"
    given_query["tag"].append("b")
    assert client.default_headers["X-Team"] == "evals"
    assert client.default_query["tag"] == ("a",)


@pytest.mark.parametrize("name", ["Authorization", "authorization", "AUTHORIZATION"])
@pytest.mark.parametrize("cls", [Respan, AsyncRespan])
def test_an_authorization_default_header_is_refused(cls: Any, name: str) -> None:
    with pytest.raises(RespanValidationError, match="api_key") as info:
        cls(KEY, default_headers={name: "Bearer sk_smuggled_secret"})
    assert "sk_smuggled_secret" not in str(info.value)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"default_headers": {"X-A": 1}}, r"default_headers\['X-A'\]"),
        ({"default_headers": {"X-A": "a\r\nX-Injected: 1"}}, "printable ASCII"),
        ({"default_headers": {"X-A": "café"}}, "printable ASCII"),
        ({"default_headers": {"bad name": "1"}}, "header name"),
        ({"default_headers": {"": "1"}}, "header name"),
        ({"default_headers": {"Host": "evil.example"}}, "cannot set Host"),
        ({"default_headers": {"content-length": "3"}}, "cannot set content-length"),
        ({"default_headers": [("X-A", "1")]}, "mapping"),
        ({"default_query": {"a": 1}}, r"default_query\['a'\]"),
        ({"default_query": {"a": ["x", 2]}}, "list of str"),
        ({"default_query": {"a": None}}, "list of str"),
        ({"default_query": {"": "x"}}, "parameter name"),
        ({"default_query": "a=1"}, "mapping"),
    ],
)
@pytest.mark.parametrize("cls", [Respan, AsyncRespan])
def test_bad_default_headers_and_query_are_refused(
    cls: Any, kwargs: dict[str, Any], match: str
) -> None:
    with pytest.raises(RespanValidationError, match=match):
        cls(KEY, **kwargs)


def test_a_header_value_is_never_echoed() -> None:
    with pytest.raises(RespanValidationError) as info:
        Respan(KEY, default_headers={"X-Proxy-Token": "tok_secret\n"})
    assert "tok_secret" not in str(info.value)


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_a_connection_error_names_the_host_and_port() -> None:
    port = _closed_port()
    client = Respan(KEY, base_url=f"http://127.0.0.1:{port}", max_retries=0)
    with client, pytest.raises(APIConnectionError) as caught:
        client.evaluators.list()
    message = str(caught.value)
    assert message.startswith(f"GET /api/evaluators/: cannot connect to 127.0.0.1:{port} (")
    assert "ConnectError" in message and KEY not in message and KEY not in repr(caught.value)


async def test_an_async_connection_error_names_the_host_and_port() -> None:
    port = _closed_port()
    async with AsyncRespan(KEY, base_url=f"http://127.0.0.1:{port}", max_retries=0) as client:
        with pytest.raises(APIConnectionError) as caught:
            await client.evaluators.list()
    assert f"cannot connect to 127.0.0.1:{port} (" in str(caught.value)
    assert KEY not in str(caught.value)


@pytest.mark.parametrize(
    ("exc", "shown"),
    [
        (httpx.ConnectError("[Errno -2] Name or service not known"), "(ConnectError: "),
        (httpx.ConnectTimeout("timed out"), ": timed out (ConnectTimeout: timed out)"),
    ],
)
def test_the_host_is_named_with_the_schemes_default_port(
    exc: httpx.TransportError, shown: str
) -> None:
    exc.request = httpx.Request("GET", "https://api.respan.example/api/scores/?page=2")
    error = error_from_transport(exc)
    assert str(error).startswith("GET /api/scores/: cannot connect to api.respan.example:443")
    assert shown in str(error)
    assert isinstance(error, APITimeoutError) == isinstance(exc, httpx.TimeoutException)
