"""The facade's httpx client: its short `send` keeps what httpx.Client.send does for a request
(timeout, cookies, elapsed, the log line, errors naming their request), and hands what it does not
cover to httpx's own."""

from __future__ import annotations

import base64
import gzip
import json
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from respan_evals import AsyncRespan, Respan, _http_client

from ._httpx_sends import httpx_sends
from .conftest import KEY, SCORE

BASE = "https://api.respan.ai"


Handler = Callable[[httpx.Request], httpx.Response]


def _answer(seen: list[httpx.Request], **response: Any) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True}, **response)

    return handler


def _sync(handler: Callable[[httpx.Request], httpx.Response], **kwargs: Any) -> httpx.Client:
    return _http_client.Client(transport=httpx.MockTransport(handler), base_url=BASE, **kwargs)


def _async(handler: Callable[[httpx.Request], httpx.Response], **kwargs: Any) -> httpx.AsyncClient:
    return _http_client.AsyncClient(transport=httpx.MockTransport(handler), base_url=BASE, **kwargs)


def test_a_plain_send_skips_httpx_send_and_keeps_its_results() -> None:
    seen: list[httpx.Request] = []
    client = _sync(_answer(seen), timeout=7)
    request = client.build_request("GET", "/x/")
    del request.extensions["timeout"]  # a request built elsewhere: the client's timeout applies
    responses: list[httpx.Response] = []
    assert httpx_sends(lambda: responses.append(client.send(request))) == 0
    response = responses[0]
    assert response.json() == {"ok": True}
    assert response.request is request
    assert response.elapsed.total_seconds() >= 0
    assert seen[0].extensions["timeout"] == httpx.Timeout(7).as_dict()


async def test_a_plain_async_send_keeps_its_results() -> None:
    seen: list[httpx.Request] = []
    client = _async(_answer(seen), timeout=7)
    request = client.build_request("GET", "/x/")
    del request.extensions["timeout"]
    response = await client.send(request)
    assert response.json() == {"ok": True}
    assert response.request is request
    assert response.elapsed.total_seconds() >= 0
    assert seen[0].extensions["timeout"] == httpx.Timeout(7).as_dict()


def test_cookies_a_response_sets_are_sent_on_the_next_request() -> None:
    seen: list[httpx.Request] = []
    client = _sync(_answer(seen, headers={"Set-Cookie": "lb=node-3; Path=/"}))
    client.get("/x/")
    client.get("/y/")
    assert client.cookies["lb"] == "node-3"
    assert seen[1].headers["cookie"] == "lb=node-3"


async def test_async_cookies_a_response_sets_are_kept() -> None:
    seen: list[httpx.Request] = []
    client = _async(_answer(seen, headers={"Set-Cookie": "lb=node-3; Path=/"}))
    await client.get("/x/")
    await client.get("/y/")
    assert seen[1].headers["cookie"] == "lb=node-3"


def test_httpx_log_line_is_kept(caplog: pytest.LogCaptureFixture) -> None:
    client = _sync(_answer([]))
    with caplog.at_level(logging.INFO, logger="httpx"):
        client.get("/x/")
    assert [r.getMessage() for r in caplog.records if r.name == "httpx"] == [
        f'HTTP Request: GET {BASE}/x/ "HTTP/1.1 200 OK"'
    ]


def test_transport_errors_name_their_request() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    client = _sync(refuse)
    request = client.build_request("GET", "/x/")
    with pytest.raises(httpx.ConnectError) as info:
        client.send(request)
    assert info.value.request is request


@pytest.mark.parametrize(
    ("settings", "send"),
    [
        ({"event_hooks": {"request": [lambda r: None]}}, {}),
        ({"event_hooks": {"response": [lambda r: None]}}, {}),
        ({"auth": ("u", "p")}, {}),
        ({"follow_redirects": True}, {}),
        ({}, {"stream": True}),
        ({}, {"auth": ("u", "p")}),
        ({}, {"follow_redirects": True}),
    ],
)
def test_what_it_does_not_cover_goes_to_httpx_send(
    settings: dict[str, Any], send: dict[str, Any]
) -> None:
    client = _sync(_answer([]), **settings)
    responses: list[httpx.Response] = []
    request = client.build_request("GET", "/x/")
    assert httpx_sends(lambda: responses.append(client.send(request, **send))) == 1
    response = responses[0]
    response.read()
    assert response.json() == {"ok": True}


def test_credentials_in_the_url_are_sent_as_basic_auth_as_httpx_does() -> None:
    seen: list[httpx.Request] = []
    client = _sync(_answer(seen))
    client.get("https://user:pw@api.respan.ai/x/")
    assert seen[0].headers["authorization"] == "Basic " + base64.b64encode(b"user:pw").decode()


def test_a_closed_client_refuses_as_httpx_does() -> None:
    client = _sync(_answer([]))
    client.close()
    with pytest.raises(RuntimeError, match="client has been closed"):
        client.get("/x/")


def _through_callers_client(
    handler: Handler, **settings: Any
) -> tuple[Respan, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def recording(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    caller = httpx.Client(transport=httpx.MockTransport(recording), **settings)
    return Respan(KEY, base_url=BASE, rate_limit=None, http_client=caller), seen


def test_a_callers_default_headers_are_added_when_missing_and_ours_win() -> None:
    client, seen = _through_callers_client(
        lambda r: httpx.Response(200, json=SCORE),
        headers=[("X-Team", "evals"), ("X-Team", "second"), ("User-Agent", "caller/1")],
    )
    client.scores.retrieve("score_1")
    sent = seen[0].headers
    assert sent.get_list("x-team") == ["evals"]  # once: the first value, as before
    assert sent["user-agent"] != "caller/1"  # ours
    assert sent["authorization"] == f"Bearer {KEY}"


def test_a_read_answer_is_handed_on_as_it_is_and_an_encoded_one_rebuilt() -> None:
    plain = json.dumps(SCORE).encode()
    answers: list[httpx.Response] = []

    def answer(request: httpx.Request) -> httpx.Response:
        answers.append(httpx.Response(200, headers={"X-Request-Id": "req_1"}, content=plain))
        return answers[-1]

    client, _ = _through_callers_client(answer)
    raw = client.scores.with_raw_response.retrieve("score_1")
    assert raw.http_response is answers[0]  # not copied
    assert raw.parse().id == SCORE["id"]
    assert raw.http_response.headers["content-length"] == str(len(plain))
    assert raw.request_id == "req_1"

    zipped = gzip.compress(plain)
    client, _ = _through_callers_client(
        lambda r: httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=zipped)
    )
    raw = client.scores.with_raw_response.retrieve("score_1")
    assert raw.parse().id == SCORE["id"]
    assert "content-encoding" not in raw.http_response.headers  # the body is decoded
    assert raw.http_response.content == plain


async def test_async_a_read_answer_is_handed_on() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=SCORE)

    caller = httpx.AsyncClient(transport=httpx.MockTransport(handler), headers={"X-Team": "e"})
    client = AsyncRespan(KEY, base_url=BASE, rate_limit=None, http_client=caller)
    assert (await client.scores.retrieve("score_1")).id == SCORE["id"]
    assert seen[0].headers["x-team"] == "e"
