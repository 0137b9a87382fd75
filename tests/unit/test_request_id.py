"""The server's request id: read from headers, kept on errors, printed, pickled; sync and async."""

from __future__ import annotations

import pickle
from typing import Any

import httpx
import pytest

from respan_evals import (
    APIResponseValidationError,
    APIStatusError,
    AsyncRespan,
    NotFoundError,
    RateLimitError,
    Respan,
)
from respan_evals._errors import error_from_response, response_request_id
from respan_evals._request_id import REQUEST_ID_HEADERS, request_id_of

from .conftest import KEY, FakeAPI

URL = "https://api.respan.ai/api/scores/score_1/"


def _answer(status: int, headers: dict[str, str], json: Any = None) -> httpx.Response:
    request = httpx.Request("GET", URL, headers={"Authorization": f"Bearer {KEY}"})
    return httpx.Response(status, json=json, headers=headers, request=request)


@pytest.mark.parametrize("name", REQUEST_ID_HEADERS)
def test_every_named_header_is_read(name: str) -> None:
    assert request_id_of(httpx.Headers({name.upper(): "req_9"})) == "req_9"
    assert request_id_of({name.title(): "req_9"}) == "req_9"
    error = error_from_response(_answer(404, {name: "req_9"}, {"detail": "Not found."}))
    assert error.request_id == "req_9"


def test_x_request_id_comes_first_and_none_is_none() -> None:
    assert request_id_of({"cf-ray": "ray_1", "x-request-id": "req_1"}) == "req_1"
    assert request_id_of({}) is None and request_id_of(None) is None
    error = error_from_response(_answer(404, {}, {"detail": "Not found."}))
    assert error.request_id is None
    assert str(error) == "GET /api/scores/score_1/ -> 404 Not Found: Not found."


def test_the_id_is_in_the_message_and_survives_pickle() -> None:
    error = error_from_response(_answer(422, {"x-request-id": "req_123"}, {"detail": "Bad."}))
    assert str(error) == (
        "GET /api/scores/score_1/ -> 422 Unprocessable Entity: Bad. (request id req_123)"
    )
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.request_id, copy.args) == (type(error), "req_123", error.args)
    assert copy.response.headers["x-request-id"] == "req_123"


def test_the_id_stays_in_the_message_of_an_outcome_unknown_error() -> None:
    error = error_from_response(_answer(502, {"x-request-id": "req_5"}))
    error.mark_outcome_unknown()
    assert "(request id req_5) The request may have reached the server" in str(error)


def test_a_hostile_header_is_cut_cleaned_and_never_shows_the_key() -> None:
    error = error_from_response(_answer(400, {"x-request-id": f"req_1\x1b[2J {KEY} " + "x" * 500}))
    assert error.request_id is not None
    assert KEY not in str(error) and KEY not in error.request_id
    assert "\x1b" not in error.request_id and len(error.request_id) <= 200
    assert error.request_id.startswith("req_1[2J [redacted]")


def test_a_whitespace_header_is_no_id() -> None:
    assert response_request_id(_answer(500, {"x-request-id": "  "})) is None


def test_an_unreadable_success_keeps_the_id_too() -> None:
    error = APIResponseValidationError(_answer(200, {"x-request-id": "req_7"}), "not JSON")
    assert error.request_id == "req_7"
    assert str(error).endswith("not JSON (request id req_7)")


def test_an_error_built_by_hand_reads_the_id_from_its_response() -> None:
    response = _answer(409, {"request-id": "req_8"})
    error = APIStatusError("conflict", response=response, body=None, detail=None, field_errors={})
    assert error.request_id == "req_8"


def _fake(api: FakeAPI) -> None:
    api.script(
        "GET",
        "/api/scores/missing/",
        httpx.Response(404, json={"detail": "Not found."}, headers={"x-request-id": "req_404"}),
    )


def test_a_4xx_through_the_client_carries_the_id(api: FakeAPI) -> None:
    _fake(api)
    http = httpx.Client(transport=httpx.MockTransport(api))
    with Respan(KEY, http_client=http) as client, pytest.raises(NotFoundError) as caught:
        client.scores.retrieve("missing")
    assert caught.value.request_id == "req_404"
    assert str(caught.value).endswith("(request id req_404)")


async def test_a_4xx_through_the_async_client_carries_the_id(api: FakeAPI) -> None:
    _fake(api)
    transport = httpx.MockTransport(api)
    async with AsyncRespan(KEY, http_client=httpx.AsyncClient(transport=transport)) as client:
        with pytest.raises(NotFoundError) as caught:
            await client.scores.retrieve("missing")
    assert caught.value.request_id == "req_404"
    assert str(caught.value).endswith("(request id req_404)")


def test_the_last_attempts_id_is_the_one_kept(api: FakeAPI) -> None:
    """After retries, the error names the attempt that failed last (the one support can find)."""
    api.script(
        "GET",
        "/api/scores/busy/",
        *(
            httpx.Response(429, json={"retry_after": 0}, headers={"x-request-id": f"req_{n}"})
            for n in range(3)
        ),
    )
    http = httpx.Client(transport=httpx.MockTransport(api))
    with Respan(KEY, http_client=http, rate_limit=None, max_retries=2) as client:
        client._transport.sleep = lambda _seconds: None
        with pytest.raises(RateLimitError) as caught:
            client.scores.retrieve("busy")
    assert caught.value.request_id == "req_2"
