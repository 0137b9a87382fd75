"""The one place a generated operation is called and its result unwrapped, sync and async.

Transport errors and error statuses arrive here already as RespanError (raised by the
transport). What is left: checking path parameters and request bodies before anything is sent,
and turning a 2xx body that cannot be parsed into APIResponseValidationError.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, overload

import httpx

from respan_evals_api.resources.support import ConversionError

from ._errors import (
    APIConnectionError,
    APIResponseValidationError,
    RespanError,
    RespanValidationError,
    short_repr,
)
from ._transport import last_response, request_is_idempotent

if TYPE_CHECKING:
    from respan_evals_api.client import Client
    from respan_evals_api.types import Response

__all__ = ["LazyApi", "acall", "call", "check_path", "checked_body"]

T = TypeVar("T")
B = TypeVar("B")

# What a generated parser raises on a body that does not have the documented shape.
_PARSE_ERRORS = (
    json.JSONDecodeError,
    KeyError,
    TypeError,
    ValueError,
    AttributeError,
    RecursionError,  # JSON nested deeper than Python recurses
)


_UNUSED: dict[str, Any] = {}


class LazyApi:
    """The generated Client over the facade's httpx client, built on first use.

    Importing the generated package (and attrs with it) costs start-up time that a script
    which never sends a request should not pay. Two threads may both build one; either is fine.
    """

    __slots__ = ("_base_url", "_client", "_http", "_timeout")  # one per client: no __dict__

    def __init__(
        self, http: httpx.Client | httpx.AsyncClient, base_url: str, timeout: httpx.Timeout
    ) -> None:
        self._http = http
        self._base_url = base_url
        self._timeout = timeout
        self._client: Client | None = None

    def get(self) -> Client:
        if self._client is None:
            from respan_evals_api.client import Client

            # Its cookies, headers and httpx_args would only build an httpx client, and ours
            # is set instead: one empty dict serves every client (a Client never writes them).
            client = Client(
                base_url=self._base_url,
                timeout=self._timeout,
                cookies=_UNUSED,
                headers=_UNUSED,
                httpx_args=_UNUSED,
            )
            if isinstance(self._http, httpx.AsyncClient):
                self._client = client.set_async_httpx_client(self._http)
            else:
                self._client = client.set_httpx_client(self._http)
        return self._client


def check_path(*params: object) -> None:
    """Refuse a path parameter that would not name one path segment.

    The generated code percent-encodes "/", but "." and ".." survive as dot segments, which
    change the path ("/api/scores/../" is "/api/"), so they are refused like empty strings.

    >>> check_path("log_1", 2)
    >>> check_path("..")
    Traceback (most recent call last):
    ...
    respan_evals._errors.RespanValidationError: a path parameter cannot be '..'
    """
    for value in params:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise RespanValidationError(
                f"a path parameter must be a str (or int), got {short_repr(value)}"
            )
        if isinstance(value, int):
            if value < 0:
                raise RespanValidationError(f"a path parameter cannot be negative, got {value}")
        elif value.strip() in ("", ".", ".."):
            raise RespanValidationError(f"a path parameter cannot be {value!r}")


@overload
def call(
    api: Client, send: Callable[[Client], Response[Any]], expect: type[T], path: Sequence[object]
) -> tuple[T, int]: ...
@overload
def call(
    api: Client, send: Callable[[Client], Response[Any]], expect: None, path: Sequence[object]
) -> tuple[None, int]: ...
def call(
    api: Client,
    send: Callable[[Client], Response[Any]],
    expect: type[T] | None,
    path: Sequence[object],
) -> tuple[T | None, int]:
    """`send(api)` (a generated `sync_detailed` call): (the parsed model, or None; status)."""
    check_path(*path)
    token = last_response().set(None)
    try:
        return _unwrap(send(api), expect)
    except RespanError:
        raise
    except httpx.InvalidURL as e:  # not an httpx.HTTPError: raised building the request
        raise _bad_url(e, path) from None
    except ConversionError as e:  # an argument that could not become a wire value
        raise RespanValidationError(str(e)) from None
    except (httpx.HTTPError, *_PARSE_ERRORS) as exc:
        unencodable = _unencodable(exc)
        if unencodable is not None:
            raise unencodable from None
        raise _failure(exc) from exc
    finally:
        last_response().reset(token)


@overload
async def acall(
    api: Client,
    send: Callable[[Client], Awaitable[Response[Any]]],
    expect: type[T],
    path: Sequence[object],
) -> tuple[T, int]: ...
@overload
async def acall(
    api: Client,
    send: Callable[[Client], Awaitable[Response[Any]]],
    expect: None,
    path: Sequence[object],
) -> tuple[None, int]: ...
async def acall(
    api: Client,
    send: Callable[[Client], Awaitable[Response[Any]]],
    expect: type[T] | None,
    path: Sequence[object],
) -> tuple[T | None, int]:
    """`call` for a generated `asyncio_detailed` call."""
    check_path(*path)
    token = last_response().set(None)
    try:
        return _unwrap(await send(api), expect)
    except RespanError:
        raise
    except httpx.InvalidURL as e:  # not an httpx.HTTPError: raised building the request
        raise _bad_url(e, path) from None
    except ConversionError as e:
        raise RespanValidationError(str(e)) from None
    except (httpx.HTTPError, *_PARSE_ERRORS) as exc:
        unencodable = _unencodable(exc)
        if unencodable is not None:
            raise unencodable from None
        raise _failure(exc) from exc
    finally:
        last_response().reset(token)


def checked_body(build: Callable[[], B]) -> B:
    """The request body `build()` makes: a plain value that cannot become the generated type
    (ConversionError) raises RespanValidationError naming it.

    The body is encoded once, as the request is built (generated `build_request`): None where
    the field is not nullable, NaN, or an object JSON cannot encode raise UnencodableBody
    there, before anything is sent, which `call` turns into RespanValidationError.
    """
    try:
        return build()
    except ConversionError as e:
        raise RespanValidationError(str(e)) from None


def _unwrap(result: Response[Any], expect: type[T] | None) -> tuple[T | None, int]:
    status = int(result.status_code)
    if expect is None:  # a delete: any 2xx is success, whatever the body
        return None, status
    parsed = result.parsed
    if not isinstance(parsed, expect):
        response = last_response().get()
        reason = (
            f"status {status} has no documented body"
            if parsed is None
            else f"expected {expect.__name__}, got {type(parsed).__name__}"
        )
        if response is None:  # cannot happen through our transport; keep the message useful
            raise RespanError(f"response could not be read: {reason}")
        raise _unreadable(response, reason)
    return parsed, status


def _unreadable(response: httpx.Response, reason: str) -> APIResponseValidationError:
    """A 2xx whose body could not be read: the server did act, so a create must not be resent."""
    error = APIResponseValidationError(response, reason)
    if not request_is_idempotent(response.request):
        error.mark_outcome_unknown()
    return error


def _bad_url(exc: httpx.InvalidURL, path: Sequence[object]) -> RespanValidationError:
    """The error for a URL httpx cannot build (nothing was sent); the values are not echoed."""
    longest = max((len(str(p)) for p in path), default=0)
    hint = f" (a path parameter has {longest:,} characters)" if longest > 1000 else ""
    return RespanValidationError(
        f"the request URL cannot be built: {short_repr(str(exc), 120)}{hint}; "
        "check the ids and filters passed"
    )


def _failure(exc: BaseException) -> RespanError:
    """The error for an exception raised by generated code or httpx outside the transport."""
    response = last_response().get()
    reason = f"{type(exc).__name__}: {short_repr(str(exc), 200)}"
    if response is not None:  # a success came back, and its body did not parse
        return _unreadable(response, reason)
    if isinstance(exc, httpx.HTTPError):
        return APIConnectionError(f"request failed ({type(exc).__name__})", request=None)
    return RespanValidationError(f"the request could not be built: {reason}")


def _unencodable(exc: BaseException) -> RespanValidationError | None:
    """The error for a request body that cannot become JSON (nothing was sent), if `exc` is one."""
    # Imported here: importing respan_evals stays free of the generated client (start-up).
    from respan_evals_api.errors import UnencodableBody

    if not isinstance(exc, UnencodableBody):
        return None
    return RespanValidationError(
        f"{exc.body_type} cannot be sent: "
        f"{type(exc.error).__name__}: {short_repr(str(exc.error), 200)}"
    )
