"""The httpx transports where errors, retries and pacing happen: one attempt loop, sync and async.

    httpx.Client (base_url, auth header, timeout)
      -> RetryingTransport (pacing, error mapping, retries)
        -> DefaultTransport (no http_client given: httpx.HTTPTransports built as a default
           httpx.Client builds them, one per route, direct or through the environment's proxy,
           each on its first request; httpx's per-request work runs once)
        or ClientTransport (http_client given: sends through the caller's client, so its
           transport, proxies, mounts and hooks apply; httpx's per-request work runs twice)

Every response this layer hands back is a 2xx (or other < 300) with its body read; anything else
leaves as a RespanError. So the generated parser only ever sees success bodies.
"""

from __future__ import annotations

import logging
import random as _random
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextvars import ContextVar
from typing import Generic, TypeVar

import httpx

from ._errors import (
    APIStatusError,
    RateLimitError,
    RespanError,
    error_from_response,
    error_from_transport,
)
from ._operations import declared_idempotent
from ._pacing import Pacer, anyio_sleep
from ._retries import RetryPolicy, is_idempotent, may_have_been_applied, retry_delay
from ._routing import ProxyRules

__all__ = [
    "AsyncClientTransport",
    "AsyncDefaultTransport",
    "AsyncRetryingTransport",
    "ClientTransport",
    "DefaultTransport",
    "RetryingTransport",
    "last_response",
    "request_is_idempotent",
]

logger = logging.getLogger("respan_evals")

# The last successful response handed out in this thread or task: lets the one place that
# unwraps results (_call) name the response when its body cannot be parsed.
_LAST_RESPONSE: ContextVar[httpx.Response | None] = ContextVar(
    "respan_evals_last_response", default=None
)


def last_response() -> ContextVar[httpx.Response | None]:
    """The context variable holding the last successful response of this thread or task."""
    return _LAST_RESPONSE


def request_is_idempotent(request: httpx.Request) -> bool:
    """Whether sending `request` twice leaves the same state as sending it once.

    The spec's `x-respan-idempotent` decides for its operations; a request that is none of them
    (through `client.api` on a path the spec lacks) falls back to what its HTTP method says.
    """
    declared = declared_idempotent(request.method, request.url.raw_path)
    return is_idempotent(request.method) if declared is None else declared


class _Attempts:
    """The retry bookkeeping shared by the sync and async loops (no I/O here)."""

    def __init__(
        self,
        request: httpx.Request,
        policy: RetryPolicy,
        pacer: Pacer | None,
        random: Callable[[], float],
    ) -> None:
        self.request = request
        self.policy = policy
        self.pacer = pacer
        self.random = random
        self.idempotent = request_is_idempotent(request)
        self.attempt = 0

    def transport_error(self, exc: httpx.TransportError) -> RespanError:
        error = error_from_transport(exc)
        error.__cause__ = exc  # classify() reads the httpx cause: was the request ever sent?
        return error

    def succeeded(self, response: httpx.Response) -> httpx.Response:
        _LAST_RESPONSE.set(response)
        logger.debug(
            "%s %s -> %d", self.request.method, self.request.url.path, response.status_code
        )
        return response

    def status_error(self, response: httpx.Response) -> APIStatusError:
        response.request = self.request
        return error_from_response(response)

    def next_delay(self, error: RespanError) -> float | None:
        """Seconds to wait before retrying, or None after preparing `error` to be raised."""
        delay = retry_delay(
            self.policy,
            attempt=self.attempt,
            error=error,
            idempotent=self.idempotent,
            random=self.random,
        )
        if isinstance(error, RateLimitError) and self.pacer is not None:
            # Slow the whole client down, not just this request.
            hint = error.retry_after if error.retry_after is not None else delay
            self.pacer.pause(min(hint or 0.0, self.policy.max_retry_after))
        if delay is None:
            if not self.idempotent and may_have_been_applied(error):
                error.mark_outcome_unknown()
            logger.debug(
                "%s %s failed: %s", self.request.method, self.request.url.path, type(error).__name__
            )
            return None
        self.attempt += 1
        status = f" {error.status_code}" if isinstance(error, APIStatusError) else ""
        logger.debug(
            "retrying %s %s after %s%s (retry %d of %d) in %.2fs",
            self.request.method,
            self.request.url.path,
            type(error).__name__,
            status,
            self.attempt,
            self.policy.max_retries,
            delay,
        )
        return delay


class RetryingTransport(httpx.BaseTransport):
    """Paces, sends, maps errors to RespanError and retries what is safe to retry."""

    def __init__(
        self,
        inner: httpx.BaseTransport,
        *,
        policy: RetryPolicy,
        pacer: Pacer | None,
        sleep: Callable[[float], object] = time.sleep,
        random: Callable[[], float] = _random.random,
    ) -> None:
        self.inner = inner
        self.policy = policy
        self.pacer = pacer
        self.sleep = sleep
        self.random = random

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()  # the body is sent again on a retry
        attempts = _Attempts(request, self.policy, self.pacer, self.random)
        while True:
            if self.pacer is not None:
                self.pacer.wait(self.sleep)
            error: RespanError
            try:
                response = self.inner.handle_request(request)
                try:
                    response.read()
                finally:
                    response.close()
            except httpx.TransportError as exc:
                error = attempts.transport_error(exc)
            else:
                if response.status_code < 300:
                    return attempts.succeeded(response)
                error = attempts.status_error(response)
            delay = attempts.next_delay(error)
            if delay is None:
                raise error from error.__cause__
            self.sleep(delay)

    def close(self) -> None:
        self.inner.close()


class AsyncRetryingTransport(httpx.AsyncBaseTransport):
    """`RetryingTransport` for httpx.AsyncClient."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        *,
        policy: RetryPolicy,
        pacer: Pacer | None,
        sleep: Callable[[float], Awaitable[object]] = anyio_sleep,
        random: Callable[[], float] = _random.random,
    ) -> None:
        self.inner = inner
        self.policy = policy
        self.pacer = pacer
        self.sleep = sleep
        self.random = random

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        attempts = _Attempts(request, self.policy, self.pacer, self.random)
        while True:
            if self.pacer is not None:
                await self.pacer.wait_async(self.sleep)
            error: RespanError
            try:
                response = await self.inner.handle_async_request(request)
                try:
                    await response.aread()
                finally:
                    await response.aclose()
            except httpx.TransportError as exc:
                error = attempts.transport_error(exc)
            else:
                if response.status_code < 300:
                    return attempts.succeeded(response)
                error = attempts.status_error(response)
            delay = attempts.next_delay(error)
            if delay is None:
                raise error from error.__cause__
            await self.sleep(delay)

    async def aclose(self) -> None:
        await self.inner.aclose()


_T = TypeVar("_T")

# Origins remembered per client, beyond which routes are looked up afresh: a client talks to
# its base URL, and only absolute URLs given to `client.api` reach others.
_MAX_ORIGINS = 64


class _Routes(Generic[_T]):
    """The transport for each URL: one per route (direct, or each proxy), built on first use."""

    def __init__(
        self, connect: Callable[[httpx.Proxy | None], _T], rules: Callable[[], ProxyRules]
    ) -> None:
        self._connect = connect
        self._read_rules = rules
        self._rules: ProxyRules | None = None
        self._pools: dict[httpx.Proxy | None, _T] = {}
        self._by_origin: dict[tuple[bytes, bytes, int | None], _T] = {}
        self._closed = False
        self._lock = threading.Lock()

    def for_url(self, url: httpx.URL) -> _T:
        origin = (url.raw_scheme, url.raw_host, url.port)
        pool = self._by_origin.get(origin)
        if pool is not None:
            return pool
        with self._lock:  # the first requests of a thread pool: build one pool, not eight
            if self._closed:
                raise RuntimeError("Cannot send a request, as the client has been closed.")
            if self._rules is None:  # read on the first request, as httpx.Client() reads them
                self._rules = self._read_rules()
            proxy = self._rules.proxy_for(url)
            pool = self._pools.get(proxy)
            if pool is None:
                pool = self._pools[proxy] = self._connect(proxy)
            if len(self._by_origin) < _MAX_ORIGINS:
                self._by_origin[origin] = pool
            return pool

    def close(self) -> list[_T]:
        """Refuse further requests; the transports built so far, for the caller to close."""
        with self._lock:
            self._closed = True
            pools = list(self._pools.values())
            self._pools.clear()
            self._by_origin.clear()
        return pools


def http_transport(proxy: httpx.Proxy | None) -> httpx.BaseTransport:
    """The transport a default httpx.Client builds for a route (SSL_CERT_FILE/DIR honoured)."""
    return httpx.HTTPTransport(verify=True, trust_env=True, proxy=proxy)


def async_http_transport(proxy: httpx.Proxy | None) -> httpx.AsyncBaseTransport:
    """`http_transport` for httpx.AsyncClient."""
    return httpx.AsyncHTTPTransport(verify=True, trust_env=True, proxy=proxy)


class DefaultTransport(httpx.BaseTransport):
    """What a default `httpx.Client()` would send through, without its per-request work.

    Certificates are verified (SSL_CERT_FILE / SSL_CERT_DIR honoured) and each URL goes direct or
    through its proxy from the environment (`ProxyRules`: HTTP(S)_PROXY, ALL_PROXY, NO_PROXY),
    read on the first request; one transport, so one connection pool, per route. Requests skip
    a second pass through httpx.Client.send (hooks, cookies, logging). `connect` builds the
    transport of a route (tests pass one answering with a MockTransport); `rules` reads the
    proxy settings.
    """

    def __init__(
        self,
        connect: Callable[[httpx.Proxy | None], httpx.BaseTransport] = http_transport,
        rules: Callable[[], ProxyRules] = ProxyRules.from_environment,
    ) -> None:
        self._routes = _Routes(connect, rules)

    def route(self, url: httpx.URL) -> httpx.BaseTransport:
        """The transport a request for `url` is sent through (built if it is the first)."""
        return self._routes.for_url(url)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        transport = self._routes.for_url(request.url)
        try:
            return transport.handle_request(request)
        except httpx.RequestError as exc:
            exc.request = request  # as httpx.Client does: errors name their request
            raise

    def close(self) -> None:
        for transport in self._routes.close():
            transport.close()


class AsyncDefaultTransport(httpx.AsyncBaseTransport):
    """`DefaultTransport` for httpx.AsyncClient."""

    def __init__(
        self,
        connect: Callable[[httpx.Proxy | None], httpx.AsyncBaseTransport] = async_http_transport,
        rules: Callable[[], ProxyRules] = ProxyRules.from_environment,
    ) -> None:
        self._routes = _Routes(connect, rules)

    def route(self, url: httpx.URL) -> httpx.AsyncBaseTransport:
        """The transport a request for `url` is sent through (built if it is the first)."""
        return self._routes.for_url(url)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        transport = self._routes.for_url(request.url)
        try:
            return await transport.handle_async_request(request)
        except httpx.RequestError as exc:
            exc.request = request
            raise

    async def aclose(self) -> None:
        for transport in self._routes.close():
            await transport.aclose()


class ClientTransport(httpx.BaseTransport):
    """Sends through an httpx.Client, so its transport, proxies, mounts, auth and hooks apply.

    Headers the client sets by default are added when the request lacks them; ours win.
    The client is the caller's: closing this transport leaves it open.
    """

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        _add_missing_headers(request, self.client.headers)
        sent = self.client.send(request, stream=True)
        return _relay(sent) or httpx.Response(
            sent.status_code,
            headers=sent.headers,
            stream=_SyncStream(sent),
            extensions=sent.extensions,
        )


class AsyncClientTransport(httpx.AsyncBaseTransport):
    """`ClientTransport` for httpx.AsyncClient."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        _add_missing_headers(request, self.client.headers)
        sent = await self.client.send(request, stream=True)
        return _relay(sent) or httpx.Response(
            sent.status_code,
            headers=sent.headers,
            stream=_AsyncStream(sent),
            extensions=sent.extensions,
        )


# Headers that describe the bytes on the wire, not a body that was already decoded.
_WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def _relay(sent: httpx.Response) -> httpx.Response | None:
    """A response already read (by a MockTransport, or an event hook): its decoded body."""
    try:
        content = sent.content
    except httpx.ResponseNotRead:
        return None  # the usual case: relay the raw stream
    headers = [(k, v) for k, v in sent.headers.multi_items() if k.lower() not in _WIRE_HEADERS]
    return httpx.Response(
        sent.status_code, headers=headers, content=content, extensions=sent.extensions
    )


def _add_missing_headers(request: httpx.Request, defaults: httpx.Headers) -> None:
    for name, value in defaults.multi_items():
        if name not in request.headers:
            request.headers[name] = value


class _SyncStream(httpx.SyncByteStream):
    """The raw body of a response from the inner client; closing it closes that response."""

    def __init__(self, response: httpx.Response) -> None:
        self._response = response

    def __iter__(self) -> Iterator[bytes]:
        yield from self._response.iter_raw()

    def close(self) -> None:
        self._response.close()


class _AsyncStream(httpx.AsyncByteStream):
    def __init__(self, response: httpx.Response) -> None:
        self._response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._response.aiter_raw():
            yield chunk

    async def aclose(self) -> None:
        await self._response.aclose()
