"""The exception tree, the status -> exception mapping, and what messages may show."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from respan_evals import AsyncRespan, Respan
from respan_evals._errors import (
    MAX_TEXT_BODY,
    OUTCOME_UNKNOWN,
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RespanError,
    UnprocessableEntityError,
    error_from_response,
    error_from_transport,
    parse_retry_after,
)

from .conftest import FakeAPI

SECRET = "sk_live_4f3b2a1c9d8e7f6a5b4c3d2e"
NOW = 1_700_000_000.0  # a fixed wall clock: 2023-11-14T22:13:20Z


def request(method: str = "POST", url: str = "https://api.respan.ai/api/scores/") -> httpx.Request:
    return httpx.Request(method, url, headers={"Authorization": f"Bearer {SECRET}"})


def response(
    status: int,
    *,
    body: object = None,
    text: str | bytes | None = None,
    headers: dict[str, str] | None = None,
    req: httpx.Request | None = None,
) -> httpx.Response:
    content = text if text is not None else (b"" if body is None else json.dumps(body))
    return httpx.Response(status, content=content, headers=headers, request=req or request())


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (504, InternalServerError),
        (599, InternalServerError),
        (405, APIStatusError),
        (408, APIStatusError),
        (418, APIStatusError),
    ],
)
@pytest.mark.parametrize("text", ['{"detail": "x"}', "<html>Bad Gateway</html>", ""])
def test_status_picks_the_class_whatever_the_body(status: int, cls: type, text: str) -> None:
    error = error_from_response(response(status, text=text))
    assert type(error) is cls
    assert isinstance(error, APIStatusError)
    assert isinstance(error, RespanError)
    assert error.status_code == status


BODIES: list[tuple[str, object, str | None, dict[str, list[str]]]] = [
    ("detail", {"detail": "Invalid request format"}, "Invalid request format", {}),
    (
        "detail and errors",
        {"detail": "Validation error", "errors": {"field_name": ["Error message"]}},
        "Validation error",
        {"field_name": ["Error message"]},
    ),
    (
        "errors with a bare string",
        {"detail": "Validation error", "errors": {"a": "one", "b": ["two", "three"]}},
        "Validation error",
        {"a": ["one"], "b": ["two", "three"]},
    ),
    (
        "DRF bare field map",
        {"configurations": ["Configuration validation failed"], "name": ["Required."]},
        None,
        {"configurations": ["Configuration validation failed"], "name": ["Required."]},
    ),
    (
        "DRF nested field map",
        {"score_config": {"min_score": ["Must be a number."]}, "choices": [{}, {"value": ["Bad"]}]},
        None,
        {"score_config.min_score": ["Must be a number."], "choices.1.value": ["Bad"]},
    ),
    (
        "DRF nested several levels, lists inside",
        {"llm_config": {"tools": [{}, {"function": {"name": ["Required."]}}], "model": "Bad."}},
        None,
        {"llm_config.tools.1.function.name": ["Required."], "llm_config.model": ["Bad."]},
    ),
    (
        "errors map nested",
        {"detail": "Validation error", "errors": {"score_config": {"min_score": ["Bad."]}}},
        "Validation error",
        {"score_config.min_score": ["Bad."]},
    ),
    (
        "nested non_field_errors belong to the nested object",
        {"score_config": {"non_field_errors": ["min_score must not exceed max_score."]}},
        None,
        {"score_config": ["min_score must not exceed max_score."]},
    ),
    (
        "list of messages and item errors",
        {"categorical_choices": ["Duplicate values.", {}, {"value": ["Bad."]}]},
        None,
        {"categorical_choices": ["Duplicate values."], "categorical_choices.2.value": ["Bad."]},
    ),
    (
        "DRF non_field_errors",
        {"non_field_errors": ["Provide either evaluator_id or evaluator_slug."]},
        "Provide either evaluator_id or evaluator_slug.",
        {},
    ),
    (
        "legacy error",
        {"error": "A score already exists for this evaluator in this log."},
        "A score already exists for this evaluator in this log.",
        {},
    ),
    ("gateway-style error", {"error": {"message": "boom", "type": "x"}}, "boom", {}),
    ("429", {"detail": "Rate limit exceeded", "retry_after": 30}, "Rate limit exceeded", {}),
    ("DRF list body", ["Something went wrong.", 3], "Something went wrong.", {}),
    ("JSON string body", "plain words", "plain words", {}),
    ("detail as a list", {"detail": ["a", "b"]}, '["a", "b"]', {}),
    ("empty object", {}, None, {}),
    ("odd values", {"count": 3, "flag": True}, None, {}),
    ("null", None, None, {}),
]


@pytest.mark.parametrize(
    ("body", "detail", "fields"), [b[1:] for b in BODIES], ids=[b[0] for b in BODIES]
)
def test_json_bodies(body: object, detail: str | None, fields: dict[str, list[str]]) -> None:
    text = json.dumps(body)
    error = error_from_response(response(400, text=text))
    assert error.detail == detail
    assert error.field_errors == fields
    assert error.body == body
    if detail:
        assert detail in str(error)
    for name, messages in fields.items():
        assert f"{name}: {' '.join(messages)}" in str(error)


@pytest.mark.parametrize(
    ("text", "content_type"),
    [
        ("<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html"),
        ('{"detail": "cut off', "application/json"),
        ("NaN-ish garbage {", "text/plain"),
    ],
)
def test_non_json_body_keeps_text_and_never_raises(text: str, content_type: str) -> None:
    resp = response(502, text=text, headers={"Content-Type": content_type})
    error = error_from_response(resp)
    assert type(error) is InternalServerError
    assert error.detail is None
    assert error.field_errors == {}
    assert error.body == text
    assert f"body is not JSON: {content_type}" in str(error)


def test_empty_body() -> None:
    error = error_from_response(response(503, text=""))
    assert error.body == ""
    assert error.detail is None
    assert str(error) == "POST /api/scores/ -> 503 Service Unavailable"


def test_invalid_utf8_body_is_read_as_text() -> None:
    error = error_from_response(response(500, text=b"\xff\xfe\x00 broken"))
    assert isinstance(error.body, str)
    assert error.detail is None


def test_long_text_body_is_cut() -> None:
    error = error_from_response(response(500, text="x" * 50_000))
    assert error.body == "x" * MAX_TEXT_BODY


def test_long_detail_and_many_fields_are_cut_in_the_message() -> None:
    body = {"detail": "d" * 5000, "errors": {f"f{i}": ["bad"] for i in range(30)}}
    error = error_from_response(response(422, body=body))
    assert len(str(error)) < 1500
    assert "and 20 more" in str(error)
    assert len(error.field_errors) == 30


def test_unread_streamed_response_does_not_raise() -> None:
    resp = httpx.Response(500, stream=httpx.ByteStream(b"{}"), request=request())
    error = error_from_response(resp)
    assert type(error) is InternalServerError
    assert error.body is None


def test_response_without_request() -> None:
    error = error_from_response(httpx.Response(404, json={"detail": "Not found."}))
    assert str(error) == "HTTP 404 Not Found: Not found."


def test_message_format() -> None:
    req = request("PATCH", "https://api.respan.ai/api/logs/log_1/scores/score_2/")
    body = {"detail": "Validation error", "errors": {"numerical_value": ["Too big."]}}
    error = error_from_response(response(422, body=body, req=req))
    assert str(error) == (
        "PATCH /api/logs/log_1/scores/score_2/ -> 422 Unprocessable Entity: "
        "Validation error | numerical_value: Too big."
    )
    assert error.response is not None
    assert error.response.status_code == 422


def test_messages_never_show_headers_or_query_strings() -> None:
    req = request("GET", f"https://api.respan.ai/api/scores/?page=2&api_key={SECRET}")
    resp = response(
        401,
        body={"detail": "Your API key is invalid or expired"},
        headers={"Set-Cookie": f"session={SECRET}", "X-Secret": SECRET},
        req=req,
    )
    error = error_from_response(resp)
    for text in (str(error), repr(error), str(error.args)):
        assert SECRET not in text
        assert "page=2" not in text
        assert "Authorization" not in text
    assert str(error).startswith("GET /api/scores/ -> 401 Unauthorized")


RETRY_AFTER_CASES: list[tuple[str, object, dict[str, str], float | None]] = [
    ("body seconds", {"detail": "Rate limit exceeded", "retry_after": 30}, {}, 30.0),
    ("body float", {"retry_after": 1.5}, {}, 1.5),
    ("body string", {"retry_after": "12"}, {}, 12.0),
    ("body negative", {"retry_after": -3}, {}, 0.0),
    ("body wins over header", {"retry_after": 30}, {"Retry-After": "5"}, 30.0),
    ("header seconds", {"detail": "slow down"}, {"Retry-After": "7"}, 7.0),
    (
        "header HTTP-date",
        {"detail": "slow down"},
        {"Retry-After": "Tue, 14 Nov 2023 22:14:00 GMT"},
        40.0,
    ),
    ("body bool ignored", {"retry_after": True}, {"Retry-After": "2"}, 2.0),
    ("body garbage, header used", {"retry_after": "soon"}, {"Retry-After": "4"}, 4.0),
    ("header garbage", {"detail": "x"}, {"Retry-After": "whenever"}, None),
    ("nothing", {"detail": "x"}, {}, None),
]


@pytest.mark.parametrize(
    ("body", "headers", "expected"),
    [c[1:] for c in RETRY_AFTER_CASES],
    ids=[c[0] for c in RETRY_AFTER_CASES],
)
def test_rate_limit_retry_after(body: object, headers: dict[str, str], expected: float) -> None:
    error = error_from_response(response(429, body=body, headers=headers), now=lambda: NOW)
    assert isinstance(error, RateLimitError)
    assert error.retry_after == expected


def test_retry_after_header_on_a_503() -> None:
    error = error_from_response(response(503, text="down", headers={"Retry-After": "120"}))
    assert error.retry_after == 120.0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("30", 30.0),
        ("  30  ", 30.0),
        ("0", 0.0),
        ("2.5", 2.5),
        ("-5", 0.0),
        ("Tue, 14 Nov 2023 22:14:20 GMT", 60.0),
        ("Tue, 14 Nov 2023 22:14:20 -0000", 60.0),
        ("Tue, 14 Nov 2023 23:14:20 +0100", 60.0),
        ("Tue, 14 Nov 2023 22:00:00 GMT", 0.0),
        ("nan", None),
        ("inf", None),
        ("soon", None),
        ("", None),
        ("Tue, 99 Foo 2023", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, now=lambda: NOW) == expected


def test_mark_outcome_unknown() -> None:
    error = error_from_response(response(502, text="<html/>"))
    assert error.outcome_unknown is False
    error.mark_outcome_unknown()
    error.mark_outcome_unknown()
    assert error.outcome_unknown is True
    assert str(error).endswith(OUTCOME_UNKNOWN)
    assert str(error).count(OUTCOME_UNKNOWN) == 1
    assert RespanError.outcome_unknown is False


def test_connection_error_marked_unknown() -> None:
    error = error_from_transport(httpx.ReadError("reset", request=request()))
    error.mark_outcome_unknown()
    assert (
        str(error) == f"POST /api/scores/: connection failed (ReadError: reset) {OUTCOME_UNKNOWN}"
    )


TRANSPORT: list[tuple[httpx.TransportError, type[APIConnectionError], str]] = [
    (httpx.ConnectError("[Errno 111] Connection refused"), APIConnectionError, "ConnectError"),
    (httpx.ReadError("reset"), APIConnectionError, "ReadError: reset"),
    (httpx.RemoteProtocolError("Server disconnected"), APIConnectionError, "Server disconnected"),
    (httpx.ConnectTimeout("timed out"), APITimeoutError, "ConnectTimeout: timed out"),
    (httpx.ReadTimeout("timed out"), APITimeoutError, "ReadTimeout"),
    (httpx.WriteTimeout("timed out"), APITimeoutError, "WriteTimeout"),
    (httpx.PoolTimeout("timed out"), APITimeoutError, "PoolTimeout"),
    (httpx.ProxyError("proxy said no"), APIConnectionError, "(ProxyError)"),
]


@pytest.mark.parametrize(("exc", "cls", "shown"), TRANSPORT)
def test_error_from_transport(exc: httpx.TransportError, cls: type, shown: str) -> None:
    req = request("GET", f"https://api.respan.ai/api/evaluators/?token={SECRET}")
    exc.request = req
    error = error_from_transport(exc)
    assert type(error) is cls
    assert error.request is req
    assert shown in str(error)
    assert str(error).startswith("GET /api/evaluators/: ")
    assert SECRET not in str(error)
    assert SECRET not in repr(error)


def test_transport_error_text_that_could_hold_a_header_is_not_shown() -> None:
    # h11 quotes the offending header value, which may be the API key.
    exc = httpx.LocalProtocolError(f"Illegal header value b'Bearer {SECRET}\\n'", request=request())
    error = error_from_transport(exc)
    assert SECRET not in str(error)
    assert str(error) == "POST /api/scores/: connection failed (LocalProtocolError)"


def test_bearer_tokens_are_redacted_from_shown_text() -> None:
    error = error_from_transport(httpx.ReadError(f"oops Bearer {SECRET}", request=request()))
    assert SECRET not in str(error)
    assert "Bearer [redacted]" in str(error)


def test_transport_error_without_request() -> None:
    error = error_from_transport(httpx.ConnectError("refused"))
    assert error.request is None
    assert str(error) == "connection failed (ConnectError: refused)"


def test_response_validation_error() -> None:
    resp = response(200, text="{truncated", req=request("GET", "https://api.respan.ai/api/x/?q=1"))
    error = APIResponseValidationError(resp, "not JSON")
    assert str(error) == "GET /api/x/ -> 200 OK: response could not be read: not JSON"
    assert error.response is resp
    assert error.status_code == 200
    assert isinstance(error, RespanError)
    assert not isinstance(error, APIStatusError)


def test_status_errors_keep_what_was_parsed() -> None:
    body: dict[str, Any] = {"detail": "Not found."}
    resp = response(404, body=body)
    error = error_from_response(resp)
    assert error.response is resp
    assert error.body == body
    assert error.args == ("POST /api/scores/ -> 404 Not Found: Not found.",)


def test_a_key_echoed_by_the_server_is_not_repeated() -> None:
    key = "sk_test_echoed_key_123456"
    request = httpx.Request(
        "GET", "https://api.respan.ai/api/scores/", headers={"Authorization": f"Bearer {key}"}
    )
    body = {"detail": f"Invalid API key: {key}", "errors": {"auth": [f"Bearer {key}"]}}
    error = error_from_response(httpx.Response(401, json=body, request=request))
    assert isinstance(error, AuthenticationError)
    assert key not in str(error) and key not in repr(error) and key not in json.dumps(error.body)
    assert error.detail == "Invalid API key: [redacted]"


@pytest.mark.parametrize("cut", [0, 10, 21])
def test_a_key_in_a_validation_reason_is_redacted_even_when_cut(cut: int) -> None:
    request = httpx.Request(
        "GET", "https://api.respan.ai/api/scores/s/", headers={"Authorization": f"Bearer {SECRET}"}
    )
    reason = f"ValueError: 'bad {SECRET[: len(SECRET) - cut]}" + ("..." if cut else "'")
    error = APIResponseValidationError(httpx.Response(200, request=request), reason)
    assert SECRET[:10] not in str(error) and SECRET[:10] not in error.reason
    assert "[redacted]" in error.reason and "ValueError: 'bad " in error.reason


def test_pickled_errors_carry_no_key_and_keep_their_fields() -> None:
    import pickle

    request = httpx.Request("GET", "https://api.respan.ai/api/scores/s/?q=1")
    request.headers["Authorization"] = f"Bearer {SECRET}"
    body = {"detail": f"bad key {SECRET}", "errors": {"value": ["no"]}}
    error = error_from_response(httpx.Response(422, json=body, request=request))
    data = pickle.dumps(error)
    copy = pickle.loads(data)
    assert SECRET.encode() not in data
    assert isinstance(copy, UnprocessableEntityError)
    assert (copy.args, copy.detail, copy.field_errors) == (
        error.args,
        error.detail,
        error.field_errors,
    )
    assert (
        copy.response.request.url == request.url
        and copy.response.json()["errors"] == body["errors"]
    )


NESTED_400 = {
    "score_config": {"min_score": ["A valid number is required."]},
    "categorical_choices": [{}, {"value": ["This field is required."]}],
}
NESTED_FIELDS = {
    "score_config.min_score": ["A valid number is required."],
    "categorical_choices.1.value": ["This field is required."],
}


def test_nested_field_errors_reach_the_caller_as_dotted_paths(api: FakeAPI, client: Respan) -> None:
    api.script("POST", "/api/evaluators/", httpx.Response(400, json=NESTED_400))
    with pytest.raises(BadRequestError) as caught:
        client.evaluators.create(name="Q", type="llm", score_value_type="numerical")
    assert caught.value.field_errors == NESTED_FIELDS
    assert "score_config.min_score: A valid number is required." in str(caught.value)


async def test_nested_field_errors_reach_the_async_caller_as_dotted_paths(
    api: FakeAPI, aclient: AsyncRespan
) -> None:
    api.script("POST", "/api/evaluators/", httpx.Response(400, json=NESTED_400))
    with pytest.raises(BadRequestError) as caught:
        await aclient.evaluators.create(name="Q", type="llm", score_value_type="numerical")
    assert caught.value.field_errors == NESTED_FIELDS
    assert "categorical_choices.1.value: This field is required." in str(caught.value)
