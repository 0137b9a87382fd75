"""Per-request options (timeout, max_retries, extra_headers/query/body): checked, then applied.

    client.scores.retrieve("score_1", timeout=5, max_retries=0, extra_headers={"X-Trace": "1"})

The generated method hands its options to the core, which checks them here before anything is
sent (RespanValidationError) and holds them in a context variable for the duration of the call;
the retrying transport, which sees the `httpx.Request`, applies them to it: headers added, query
parameters merged (the option wins), `extra_body` merged into the JSON object at top level (the
option wins; a request without a body gets it as its body, as openai-python does), the timeout
as the request's `timeout` extension, and max_retries for this request's retries. A call without
options sets nothing: the transport reads one context variable and goes on.

`extra_headers` cannot carry Authorization (the key is the client's, and is only ever sent as
its route allows) nor the headers that frame the body (Content-Length, Transfer-Encoding, Host).
"""

from __future__ import annotations

import datetime
import json
import time
from collections.abc import Mapping
from contextvars import ContextVar, Token
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple

import httpx

from respan_evals_api.resources.support import NotGiven

from ._config import (  # the client's own rules
    FRAMING_HEADERS,
    HEADER_NAME,
    checked_max_retries,
    checked_timeout,
)
from ._errors import RespanError, RespanValidationError, short_repr

if TYPE_CHECKING:
    from respan_evals_api.resources.support import RequestOptions

    from ._retries import RetryPolicy

__all__ = [
    "CallState",
    "Capture",
    "Captured",
    "Prepared",
    "captured",
    "capturing",
    "current_call",
    "prepare",
    "using",
]

# Headers the caller may not set: the key, and what httpx derives from the URL and the body.
_REFUSED_HEADERS = FRAMING_HEADERS | {"authorization"}


class Prepared:
    """Checked options, in the form the transport applies them (None: the client's own)."""

    __slots__ = ("body", "headers", "max_retries", "query", "timeout")

    def __init__(
        self,
        timeout: dict[str, float | None] | None,
        max_retries: int | None,
        headers: list[tuple[str, str]] | None,
        query: httpx.QueryParams | None,
        body: dict[str, Any] | None,
    ) -> None:
        self.timeout = timeout
        self.max_retries = max_retries
        self.headers = headers
        self.query = query
        self.body = body

    def apply(self, request: httpx.Request) -> httpx.Request:
        """`request` with these options (the same object, unless the body changes)."""
        if self.timeout is not None:
            request.extensions["timeout"] = self.timeout  # what httpcore reads for each phase
        if self.headers is not None:
            for name, value in self.headers:
                request.headers[name] = value
        if self.query is not None:
            request.url = request.url.copy_merge_params(self.query)
        if self.body is not None:
            request = _with_body(request, self.body)
        return request

    def policy(self, policy: RetryPolicy) -> RetryPolicy:
        if self.max_retries is None or self.max_retries == policy.max_retries:
            return policy
        return policy.replace(max_retries=self.max_retries)


class Capture:
    """What a `with_raw_response` call keeps of its request's success."""

    __slots__ = ("elapsed", "request", "response", "retries", "started")

    def __init__(self) -> None:
        self.response: httpx.Response | None = None
        self.request: httpx.Request | None = None
        self.retries = 0
        self.started = 0.0
        self.elapsed = datetime.timedelta(0)


class CallState:
    """The options and the capture of the call in progress in this thread or task."""

    __slots__ = ("capture", "options")

    def __init__(self, options: Prepared | None, capture: Capture | None) -> None:
        self.options = options
        self.capture = capture

    def applied(
        self, request: httpx.Request, policy: RetryPolicy
    ) -> tuple[httpx.Request, RetryPolicy]:
        """The request and retry policy of this call (the transport's, with the options)."""
        if self.capture is not None:  # elapsed runs from here, as httpx's own would
            self.capture.started = time.perf_counter()
        if self.options is None:
            return request, policy
        return self.options.apply(request), self.options.policy(policy)

    def succeeded(self, response: httpx.Response, request: httpx.Request, retries: int) -> None:
        capture = self.capture
        if capture is not None:
            capture.response = response
            capture.request = request
            capture.retries = retries
            capture.elapsed = datetime.timedelta(seconds=time.perf_counter() - capture.started)


_STATE: ContextVar[CallState | None] = ContextVar("respan_evals_call", default=None)


def current_call() -> CallState | None:
    """The state of the call in progress, None outside one (or for a call without options)."""
    return _STATE.get()


class _Scope:
    """Sets the call state for a `with` block, and puts the previous one back."""

    __slots__ = ("_state", "_token")

    def __init__(self, state: CallState) -> None:
        self._state = state
        self._token: Token[CallState | None] | None = None

    def __enter__(self) -> CallState:
        self._token = _STATE.set(self._state)
        return self._state

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._token is not None:
            _STATE.reset(self._token)


def using(options: RequestOptions) -> _Scope:
    """A scope sending with `options` (checked now: RespanValidationError before sending)."""
    outer = _STATE.get()
    return _Scope(CallState(prepare(options), None if outer is None else outer.capture))


def capturing() -> _Scope:
    """A scope keeping the response of the request made within (for `with_raw_response`)."""
    outer = _STATE.get()
    return _Scope(CallState(None if outer is None else outer.options, Capture()))


def captured(state: CallState) -> Captured:
    """What a `capturing()` scope kept of its request's success."""
    capture = state.capture
    if capture is None or capture.response is None or capture.request is None:
        raise RespanError("with_raw_response: the call made no request")
    return Captured(capture.response, capture.request, capture.retries, capture.elapsed)


class Captured(NamedTuple):
    """The success a `with_raw_response` call answers with."""

    response: httpx.Response
    request: httpx.Request  # as last sent, with the options applied
    retries: int
    elapsed: datetime.timedelta


def prepare(options: RequestOptions) -> Prepared:
    """Check the caller's options and put them in the form the transport applies."""
    return Prepared(
        timeout=_timeout(options.timeout),
        max_retries=_max_retries(options.max_retries),
        headers=_headers(options.extra_headers),
        query=_query(options.extra_query),
        body=_body(options.extra_body),
    )


def _timeout(value: float | httpx.Timeout | NotGiven) -> dict[str, float | None] | None:
    if isinstance(value, NotGiven):
        return None
    return checked_timeout(value).as_dict()


def _max_retries(value: object) -> int | None:
    if isinstance(value, NotGiven):
        return None
    return checked_max_retries(value)


def _headers(value: object) -> list[tuple[str, str]] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise RespanValidationError(f"extra_headers must be a dict, got {short_repr(value)}")
    headers = []
    for name, text in value.items():
        if not isinstance(name, str) or not HEADER_NAME.fullmatch(name):
            raise RespanValidationError(f"extra_headers: {short_repr(name)} is not a header name")
        if name.lower() in _REFUSED_HEADERS:
            why = " (the key is the client's api_key)" if name.lower() == "authorization" else ""
            raise RespanValidationError(f"extra_headers cannot set {name}: the client sets it{why}")
        if not isinstance(text, str) or any(c in text for c in "\r\n\0"):
            # The value is not echoed: it may be a secret of the caller's.
            raise RespanValidationError(
                f"extra_headers[{name!r}] must be a str without line breaks"
            )
        headers.append((name, text))
    return headers


def _query(value: object) -> httpx.QueryParams | None:
    if value is None:
        return None
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise RespanValidationError(
            f"extra_query must be a dict with str keys, got {short_repr(value)}"
        )
    for name, given in value.items():
        items = given if isinstance(given, list | tuple) else [given]
        if not all(isinstance(v, str | int | float) for v in items):  # bool is an int
            # httpx would send str(value): an object's repr is never what was meant.
            raise RespanValidationError(
                f"extra_query[{name!r}] must be a str, int, float or bool (or a list of them), "
                f"got {short_repr(given)}"
            )
    return httpx.QueryParams(value)


def _body(value: object) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise RespanValidationError(
            f"extra_body must be a dict with str keys, got {short_repr(value)}"
        )
    body = dict(value)
    try:
        json.dumps(body, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as e:
        raise RespanValidationError(
            f"extra_body cannot be sent as JSON: {type(e).__name__}: {short_repr(str(e), 200)}"
        ) from None
    return body


def _with_body(request: httpx.Request, extra: dict[str, Any]) -> httpx.Request:
    """A copy of `request` whose JSON object body has `extra` merged in at top level."""
    content = request.content
    body: object = json.loads(content) if content else {}
    if not isinstance(body, dict):
        raise RespanValidationError(
            f"extra_body cannot be merged: the body of {request.method} {request.url.path} "
            "is not a JSON object"
        )
    # Content-Length is recomputed for the new body; the others (the key included) stay.
    headers = [(k, v) for k, v in request.headers.multi_items() if k.lower() != "content-length"]
    return httpx.Request(
        request.method,
        request.url,
        headers=headers,
        json={**body, **extra},
        extensions=request.extensions,
    )
