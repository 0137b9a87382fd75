"""The httpx clients a Respan client sends through: httpx's, with a shorter `send`.

Every request of a Respan client goes to one transport (the retrying transport), which hands back
a response already read or raises a RespanError. For such a request httpx's `Client.send` runs
auth, redirect and hook machinery that has nothing to do, and parses cookies from a response
that sets none: about a third of a call. `send` here does what is left to do (the timeout, the
transport, the response's request, elapsed and cookies, httpx's log line) and hands anything it
does not cover (stream=True, auth, redirects, event hooks, credentials in the URL, a closed
client) to httpx's own `send`. Named `Client` / `AsyncClient` so scripts/unasync maps them.
"""

from __future__ import annotations

import datetime
import logging
import time
from typing import TYPE_CHECKING, Any, cast

import httpx

if TYPE_CHECKING:
    from ._transport import AsyncRetryingTransport, RetryingTransport

__all__ = ["AsyncClient", "Client"]

_httpx_logger = logging.getLogger("httpx")  # the logger httpx.Client logs each request to


def _log(request: httpx.Request, response: httpx.Response) -> None:
    if _httpx_logger.isEnabledFor(logging.INFO):  # the line httpx.Client logs
        _httpx_logger.info(
            'HTTP Request: %s %s "%s %d %s"',
            request.method,
            request.url,
            response.http_version,
            response.status_code,
            response.reason_phrase,
        )


def _finish(
    client: httpx.Client | httpx.AsyncClient,
    request: httpx.Request,
    response: httpx.Response,
    started: float,
) -> httpx.Response:
    response.request = request
    if "set-cookie" in response.headers:  # without one, httpx's extraction finds nothing
        client.cookies.extract_cookies(response)
    response.elapsed = datetime.timedelta(seconds=time.perf_counter() - started)
    _log(request, response)
    return response


def _with_timeout(client: httpx.Client | httpx.AsyncClient, request: httpx.Request) -> None:
    if "timeout" not in request.extensions:  # as httpx.Client.send sets it
        request.extensions = {**request.extensions, "timeout": client.timeout.as_dict()}


def _plain(
    client: httpx.Client | httpx.AsyncClient,
    request: httpx.Request,
    stream: bool,
    auth: object,
    follow_redirects: object,
) -> bool:
    """Whether this send is one `send` here covers (else httpx's own runs)."""
    return not (
        stream
        or auth is not httpx.USE_CLIENT_DEFAULT
        or follow_redirects is not httpx.USE_CLIENT_DEFAULT
        or client.auth is not None
        or client.follow_redirects
        or client.event_hooks["request"]
        or client.event_hooks["response"]
        or client.is_closed
        or request.url.userinfo  # httpx sends these as basic auth
    )


class Client(httpx.Client):
    """An httpx.Client over one transport, whose plain sends skip httpx's idle machinery."""

    def __init__(self, *, transport: RetryingTransport, **kwargs: Any) -> None:
        # An httpx transport by its methods, not its class (it keeps slots, not a dict).
        super().__init__(transport=cast(httpx.BaseTransport, transport), **kwargs)
        self._respan_transport = transport

    def send(
        self,
        request: httpx.Request,
        *,
        stream: bool = False,
        auth: Any = httpx.USE_CLIENT_DEFAULT,
        follow_redirects: Any = httpx.USE_CLIENT_DEFAULT,
    ) -> httpx.Response:
        if not _plain(self, request, stream, auth, follow_redirects):
            return super().send(
                request, stream=stream, auth=auth, follow_redirects=follow_redirects
            )
        if not isinstance(request.stream, httpx.SyncByteStream):
            raise RuntimeError("Attempted to send an async request with a sync Client instance.")
        _with_timeout(self, request)
        started = time.perf_counter()
        try:
            response = self._respan_transport.handle_request(request)
        except httpx.RequestError as exc:
            exc.request = request  # as httpx.Client does: errors name their request
            raise
        response.read()  # read already by the transport: this returns its body
        return _finish(self, request, response, started)


class AsyncClient(httpx.AsyncClient):
    """`Client` for httpx.AsyncClient."""

    def __init__(self, *, transport: AsyncRetryingTransport, **kwargs: Any) -> None:
        super().__init__(transport=cast(httpx.AsyncBaseTransport, transport), **kwargs)
        self._respan_transport = transport

    async def send(
        self,
        request: httpx.Request,
        *,
        stream: bool = False,
        auth: Any = httpx.USE_CLIENT_DEFAULT,
        follow_redirects: Any = httpx.USE_CLIENT_DEFAULT,
    ) -> httpx.Response:
        if not _plain(self, request, stream, auth, follow_redirects):
            return await super().send(
                request, stream=stream, auth=auth, follow_redirects=follow_redirects
            )
        if not isinstance(request.stream, httpx.AsyncByteStream):
            raise RuntimeError("Attempted to send a sync request with an AsyncClient instance.")
        _with_timeout(self, request)
        started = time.perf_counter()
        try:
            response = await self._respan_transport.handle_async_request(request)
        except httpx.RequestError as exc:
            exc.request = request
            raise
        await response.aread()
        return _finish(self, request, response, started)
