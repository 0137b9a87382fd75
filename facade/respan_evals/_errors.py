"""The exception tree, and the one function that turns an HTTP error response into an exception.

    try:
        client.scores.retrieve("score_1")
    except NotFoundError as e:
        print(e.status_code, e.detail, e.request_id)

Messages name the method, the path, the status, what the server said and the request id the
server gave (for a support ticket). They never carry other headers, the Authorization value or
query strings; the response stays on the exception as an attribute for whoever needs more.
"""

from __future__ import annotations

import datetime
import email.utils
import json
import math
import pickle
import re
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from ._request_id import request_id_of

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InsecureTransportError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RespanError",
    "RespanValidationError",
    "ScoreValueError",
    "UnprocessableEntityError",
    "error_from_response",
    "error_from_transport",
    "parse_retry_after",
    "response_request_id",
]

OUTCOME_UNKNOWN = (
    "The request may have reached the server and been applied: check before sending it again."
)
REDACTED = "[redacted]"
MAX_TEXT_BODY = 2000  # characters of a non-JSON body kept on the exception
_MAX_DETAIL = 500  # characters of detail shown in a message
_MAX_FIELDS = 10  # field errors shown in a message (all are kept in field_errors)
_MAX_REQUEST_ID = 200  # characters of a request id kept: it comes from a header, unchecked


class RespanError(Exception):
    """Base of every error this package raises.

    `outcome_unknown` is True when a write that is not safe to repeat may have been applied
    (the connection dropped, or the server failed, after the request was sent).
    """

    outcome_unknown: bool = False

    def mark_outcome_unknown(self) -> None:
        """Flag the error and end its message with a sentence that says so.

        >>> e = RespanError("POST /api/scores/ -> 502 Bad Gateway")
        >>> e.mark_outcome_unknown(); e.outcome_unknown
        True
        """
        if self.outcome_unknown:
            return
        self.outcome_unknown = True
        first = str(self.args[0]) if self.args else ""
        self.args = (f"{first} {OUTCOME_UNKNOWN}".strip(), *self.args[1:])

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as class, args and attributes, so that every subclass survives a process pool.

        Exception's own pickling calls `cls(*args)`, which fails for keyword-only constructors.
        A request or response on the error travels as a copy without the key (see `_safe`).
        """
        return (_rebuild, (type(self), self.args, _picklable_state(vars(self))))


class RespanValidationError(RespanError, ValueError):
    """A check on the client side failed; nothing was sent."""


class InsecureTransportError(RespanValidationError):
    """A base_url would send the API key in clear text (http:// to a host that is not local)."""


class ScoreValueError(RespanValidationError):
    """A score value does not fit its evaluator.

    >>> str(ScoreValueError(evaluator="quality", value_type="boolean", value=1, expected="a bool"))
    "evaluator 'quality' (score_value_type 'boolean') cannot take 1: expected a bool"
    """

    def __init__(self, *, evaluator: str, value_type: str, value: object, expected: str) -> None:
        self.evaluator = evaluator
        self.value_type = str(value_type)  # a generated ScoreValueType reads as its value
        self.value = value
        self.expected = expected
        super().__init__(
            f"evaluator {evaluator!r} (score_value_type {self.value_type!r}) "
            f"cannot take {short_repr(value)}: expected {expected}"
        )


class APIConnectionError(RespanError):
    """The request failed before an HTTP response came back."""

    def __init__(
        self, message: str = "Connection error.", *, request: httpx.Request | None
    ) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request timed out (connecting, writing, reading, or waiting for a pooled connection)."""


class APIStatusError(RespanError):
    """The server answered with an error status. Built by `error_from_response`.

    `request_id` is the id the server gave the request (`x-request-id` or another common
    header, see `_request_id`), or None: quote it when asking Respan about a failure.
    """

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: object,
        detail: str | None,
        field_errors: dict[str, list[str]],
        retry_after: float | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.response = response
        self.status_code = response.status_code
        self.request_id = request_id if request_id is not None else response_request_id(response)
        self.body = body
        self.detail = detail
        self.field_errors = field_errors
        # The server's hint (body `retry_after` or a Retry-After header), in seconds.
        self.retry_after = retry_after


class BadRequestError(APIStatusError):
    """400."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, invalid or expired."""


class PermissionDeniedError(APIStatusError):
    """403: e.g. writing to a committed (read-only) evaluator version."""


class NotFoundError(APIStatusError):
    """404."""


class ConflictError(APIStatusError):
    """409."""


class UnprocessableEntityError(APIStatusError):
    """422."""


class RateLimitError(APIStatusError):
    """429: the request was refused, not applied. `retry_after` is the server's hint."""


class InternalServerError(APIStatusError):
    """Any 5xx."""


class APIResponseValidationError(RespanError):
    """A 2xx response whose body could not be read (not JSON, truncated, wrong shape).

    The request was applied; only the answer is lost. `request_id` as on APIStatusError.
    """

    def __init__(self, response: httpx.Response, reason: str) -> None:
        # The parser quotes what it could not read, which may be a key the server echoed.
        reason = _scrub(reason, _bearer_token(response))
        status = f"{response.status_code} {httpx.codes.get_reason_phrase(response.status_code)}"
        request_id = response_request_id(response)
        super().__init__(
            f"{_where(response)}{status}: response could not be read: {reason}"
            f"{_request_id_note(request_id)}"
        )
        self.response = response
        self.status_code = response.status_code
        self.reason = reason
        self.request_id = request_id


_STATUS_CLASSES: Mapping[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_from_response(
    response: httpx.Response, *, now: Callable[[], float] = time.time
) -> APIStatusError:
    """The exception for an error response. Never raises, whatever the body holds.

    >>> req = httpx.Request("GET", "https://api.respan.ai/api/scores/s1/")
    >>> error_from_response(httpx.Response(404, json={"detail": "Not found."}, request=req))
    NotFoundError('GET /api/scores/s1/ -> 404 Not Found: Not found.')
    >>> headers = {"x-request-id": "req_123"}
    >>> str(error_from_response(httpx.Response(500, headers=headers, request=req)))
    'GET /api/scores/s1/ -> 500 Internal Server Error (request id req_123)'
    """
    status = response.status_code
    cls = _STATUS_CLASSES.get(status) or (InternalServerError if status >= 500 else APIStatusError)
    body, is_json = _read_body(response)
    # Servers do echo keys ("Invalid API key: sk_..."): never carry one into a message.
    body = _without(body, _bearer_token(response))
    detail, field_errors = _detail_and_fields(body) if is_json else (None, {})
    message = f"{_where(response)}{status} {httpx.codes.get_reason_phrase(status)}"
    explained = _explain(detail, field_errors)
    if explained:
        message += f": {explained}"
    elif not is_json and body:
        content_type = response.headers.get("content-type", "unknown").split(";")[0]
        message += f" (body is not JSON: {content_type}, {len(str(body))} characters)"
    request_id = response_request_id(response)
    return cls(
        message + _request_id_note(request_id),
        response=response,
        body=body,
        detail=detail,
        field_errors=field_errors,
        retry_after=_retry_after(response, body, now),
        request_id=request_id,
    )


def response_request_id(response: httpx.Response) -> str | None:
    """The request id in `response`'s headers, made fit for a message (or None).

    >>> response_request_id(httpx.Response(200, headers={"x-request-id": " req_1 "}))
    'req_1'
    """
    found = request_id_of(response.headers)
    if found is None:
        return None
    # A header value, which nothing checked: one short line, and never the key.
    text = "".join(ch for ch in found if ch.isprintable())[:_MAX_REQUEST_ID].strip()
    return _scrub(text, _bearer_token(response)) or None


def _request_id_note(request_id: str | None) -> str:
    return "" if request_id is None else f" (request id {request_id})"


def error_from_transport(exc: httpx.TransportError) -> APIConnectionError:
    """The exception for a failed request; raise it `from exc`.

    >>> req = httpx.Request("GET", "https://api.respan.ai/api/scores/?page=2")
    >>> error_from_transport(httpx.ReadTimeout("timed out", request=req))
    APITimeoutError('GET /api/scores/: timed out (ReadTimeout: timed out)')
    """
    try:
        request: httpx.Request | None = exc.request
    except RuntimeError:  # httpx raises when the exception was built without a request
        request = None
    where = f"{request.method} {request.url.path}: " if request is not None else ""
    name = type(exc).__name__
    # Only errors that come from the socket or the server carry their text: h11's
    # LocalProtocolError, for one, quotes the offending header value, which may be the API key.
    safe = isinstance(exc, httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError)
    text = _redact(str(exc))[:200] if safe else ""
    cause = f"{name}: {text}" if text else name
    # Connecting failed: name the host (a mistyped one, or nothing listening), never more.
    target = _host_port(request) if isinstance(exc, _CONNECT_ERRORS) else None
    if target is not None and isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(
            f"{where}cannot connect to {target}: timed out ({cause})", request=request
        )
    if target is not None:
        return APIConnectionError(f"{where}cannot connect to {target} ({cause})", request=request)
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"{where}timed out ({cause})", request=request)
    return APIConnectionError(f"{where}connection failed ({cause})", request=request)


_CONNECT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _host_port(request: httpx.Request | None) -> str | None:
    """`host:port` of the request's URL (IPv6 in brackets); None without a request."""
    if request is None or not request.url.host:
        return None
    url = request.url
    host = f"[{url.host}]" if ":" in url.host else url.host
    port = url.port or _DEFAULT_PORTS.get(url.scheme)
    return host if port is None else f"{host}:{port}"


def parse_retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait from a Retry-After value: delay-seconds or an HTTP-date.

    >>> parse_retry_after("30"), parse_retry_after("-5"), parse_retry_after("soon")
    (30.0, 0.0, None)
    """
    if value is None:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        return _seconds_until_http_date(text, now)
    return max(0.0, seconds) if math.isfinite(seconds) else None


def short_repr(value: object, limit: int = 80) -> str:
    """repr(value), cut to `limit` characters so a huge value cannot flood a message."""
    try:
        text = repr(value)
    except Exception:  # an int past sys.get_int_max_str_digits(), a broken __repr__
        return f"<{type(value).__name__} that cannot be shown>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _seconds_until_http_date(text: str, now: Callable[[], float]) -> float | None:
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" means UTC with no zone given (RFC 5322)
        when = when.replace(tzinfo=datetime.UTC)
    return max(0.0, when.timestamp() - now())


def _bearer_token(response: httpx.Response) -> str | None:
    """The key the request carried, so that an error body echoing it can be cleaned."""
    try:
        request = response.request
    except RuntimeError:  # a Response built without a request
        return None
    return _token_of(request)


def _token_of(request: httpx.Request) -> str | None:
    token = request.headers.get("authorization", "").partition(" ")[2].strip()
    return token if len(token) >= 8 else None  # too short to search for without false hits


def _without(value: object, secret: str | None) -> object:
    """`value` (parsed JSON or text) with every occurrence of `secret` replaced."""
    if secret is None:
        return value
    if isinstance(value, str):
        return value.replace(secret, REDACTED)
    if isinstance(value, list):
        return [_without(item, secret) for item in value]
    if isinstance(value, dict):
        return {_without(k, secret): _without(v, secret) for k, v in value.items()}
    return value


def _scrub(text: str, secret: str | None) -> str:
    """`text` without `secret`, also where a cut (short_repr's "...") left only its start."""
    if secret is not None:
        text = text.replace(secret, REDACTED)
        body = text.removesuffix("...").rstrip("'\"")
        for size in range(min(len(secret) - 1, len(body)), 7, -1):
            if body.endswith(secret[:size]):
                text = body[:-size] + REDACTED + text[len(body) :]
                break
    return _redact(text)


def _where(response: httpx.Response) -> str:
    """ "GET /api/scores/ -> ", without the query string: it may hold secrets."""
    try:
        request = response.request
    except RuntimeError:  # a Response built without a request
        return "HTTP "
    return f"{request.method} {request.url.path} -> "


def _read_body(response: httpx.Response) -> tuple[object, bool]:
    """(parsed JSON, True), or (text cut to MAX_TEXT_BODY characters, False)."""
    try:
        content = response.content
    except httpx.ResponseNotRead:  # a streamed response nobody read: say nothing about it
        return None, False
    try:
        return json.loads(content), True
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return response.text[:MAX_TEXT_BODY], False


def _detail_and_fields(body: object) -> tuple[str | None, dict[str, list[str]]]:
    """Read the documented shapes: {"detail", "errors"}, DRF's bare field map, {"error"}."""
    if isinstance(body, str):
        return body or None, {}
    if isinstance(body, list):  # DRF: raise ValidationError(["msg"]) -> ["msg"]
        return "; ".join(_messages(body)) or None, {}
    if not isinstance(body, dict):
        return None, {}
    detail = next((_as_text(body[k]) for k in ("detail", "error", "message") if k in body), None)
    fields: dict[str, list[str]] = {}
    if isinstance(body.get("errors"), dict):
        _flatten(body["errors"], "", fields)
    elif detail is None:  # DRF's bare field map: {"field": ["msg", ...], ...}
        _flatten({k: v for k, v in body.items() if k != "retry_after"}, "", fields)
    non_field = fields.pop("non_field_errors", None)
    if detail is None and non_field:
        detail = "; ".join(non_field)
    return detail, fields


def _flatten(errors: Mapping[str, Any], prefix: str, into: dict[str, list[str]]) -> None:
    """DRF's nested field errors as dotted paths, list items by index.

    >>> found: dict[str, list[str]] = {}
    >>> _flatten({"score_config": {"min_score": ["bad"]}, "tools": [{}, {"type": "x"}]}, "", found)
    >>> found
    {'score_config.min_score': ['bad'], 'tools.1.type': ['x']}
    """
    for key, value in errors.items():
        # A nested serializer's own errors are about the nested object as a whole.
        nested_own = prefix and key == "non_field_errors"
        name = prefix.removesuffix(".") if nested_own else f"{prefix}{key}"
        if isinstance(value, dict):
            _flatten(value, f"{name}.", into)
            continue
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):  # a list serializer: one entry per item
            if isinstance(item, dict):
                _flatten(item, f"{name}.{i}.", into)
        if messages := _messages(items):
            into.setdefault(name, []).extend(messages)


def _messages(values: list[Any]) -> list[str]:
    return [v for v in values if isinstance(v, str)]


def _as_text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("message"), str):
        return str(value["message"])  # {"error": {"message": ..., "type": ...}}
    return json.dumps(value, ensure_ascii=False, default=str)[:_MAX_DETAIL]


def _explain(detail: str | None, field_errors: Mapping[str, list[str]]) -> str:
    parts = [detail[:_MAX_DETAIL]] if detail else []
    shown = [f"{name}: {' '.join(msgs)}"[:_MAX_DETAIL] for name, msgs in field_errors.items()]
    if len(shown) > _MAX_FIELDS:
        shown = [*shown[:_MAX_FIELDS], f"and {len(shown) - _MAX_FIELDS} more"]
    if shown:
        parts.append("; ".join(shown))
    return " | ".join(parts)


def _retry_after(response: httpx.Response, body: object, now: Callable[[], float]) -> float | None:
    """The body's `retry_after` (documented on 429) first, then the Retry-After header."""
    hint = body.get("retry_after") if isinstance(body, dict) else None
    if isinstance(hint, int | float) and not isinstance(hint, bool) and math.isfinite(hint):
        return max(0.0, float(hint))
    if isinstance(hint, str) and (seconds := parse_retry_after(hint, now)) is not None:
        return seconds
    return parse_retry_after(response.headers.get("retry-after"), now)


# Headers never carried into a pickled copy of a request or a response.
_SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"}
)
# Headers that describe the bytes on the wire, not the decoded body a copy holds.
_WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def _rebuild(cls: type[RespanError], args: tuple[Any, ...], state: dict[str, Any]) -> RespanError:
    """The other half of `RespanError.__reduce__`: the error, without calling its __init__."""
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


def _picklable_state(state: Mapping[str, Any]) -> dict[str, Any]:
    """An error's attributes, fit to be pickled: httpx objects as safe copies, the rest as is,
    or as its repr when it cannot be pickled (a lambda given as a score value)."""
    secret = next(
        (token for value in state.values() if (token := _secret_of(value)) is not None), None
    )
    out: dict[str, Any] = {}
    for name, value in state.items():
        if isinstance(value, httpx.Response | httpx.Request):
            out[name] = _safe(value, secret)
            continue
        value = _without(value, secret)
        try:
            pickle.dumps(value)
        except Exception:  # PicklingError, TypeError, AttributeError, RecursionError, ...
            value = short_repr(value)
        out[name] = value
    return out


def _secret_of(value: object) -> str | None:
    if isinstance(value, httpx.Response):
        return _bearer_token(value)
    if isinstance(value, httpx.Request):
        return _token_of(value)
    return None


def _safe(value: httpx.Response | httpx.Request, secret: str | None) -> Any:
    """A copy of a request (method, URL, headers without credentials, no body) or a response
    (status, headers, decoded body with `secret` replaced, its request made safe)."""
    if isinstance(value, httpx.Request):
        url = value.url.copy_with(username=None, password=None) if value.url.userinfo else value.url
        return httpx.Request(value.method, url, headers=_safe_headers(value.headers, (), secret))
    try:
        content = value.content
    except httpx.ResponseNotRead:
        content = b""
    if secret is not None:
        content = content.replace(secret.encode(), REDACTED.encode())
    try:
        request: httpx.Request | None = _safe(value.request, secret)
    except RuntimeError:  # a Response built without a request
        request = None
    headers = _safe_headers(value.headers, _WIRE_HEADERS, secret)
    return httpx.Response(value.status_code, headers=headers, content=content, request=request)


def _safe_headers(
    headers: httpx.Headers, drop: frozenset[str] | tuple[()], secret: str | None
) -> list[tuple[str, str]]:
    return [
        (name, value if secret is None else value.replace(secret, REDACTED))
        for name, value in headers.multi_items()
        if name.lower() not in _SECRET_HEADERS and name.lower() not in drop
    ]


_BEARER = re.compile(r"(?i)(bearer|api-key)\s+\S+")


def _redact(text: str) -> str:
    """Belt and braces: hide anything shaped like a credential."""
    return _BEARER.sub(r"\1 [redacted]", text)
