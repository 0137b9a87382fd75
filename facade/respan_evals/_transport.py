"""The httpx transports where errors, retries and pacing happen: one attempt loop, sync and async.

    _http_client.Client (an httpx.Client: base_url, auth header, timeout; a shorter send)
      -> RetryingTransport (pacing, error mapping, retries)
        -> DefaultTransport (no http_client given: httpx.HTTPTransports built as a default
           httpx.Client builds them, one per route, direct or through the environment's proxy,
           each on its first request; httpx.Client's per-request work does not run)
        or ClientTransport (http_client given: sends through the caller's client, so its
           transport, proxies, mounts and hooks apply; its per-request work runs once)

Every response this layer hands back is a 2xx (or other < 300) with its body read; anything else
leaves as a RespanError. So the generated parser only ever sees success bodies.
"""

from __future__ import annotations

import logging
import os
import random as _random
import sys
import threading
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from contextvars import ContextVar
from typing import Any, Generic, Self, TypeVar

import httpx

from ._errors import (
    APIStatusError,
    InsecureTransportError,
    RateLimitError,
    RespanError,
    error_from_response,
    error_from_transport,
)
from ._limits import (
    DEFAULT_MAX_RESPONSE_BYTES,
    WIRE_HEADERS,
    ResponseTooLargeError,
    attempt_seconds,
    read_error,
    read_error_async,
    read_success,
    read_success_async,
)
from ._options import current_call
from ._pacing import Pacer, anyio_sleep
from ._retries import (
    EARLIER_ATTEMPT,
    RetryPolicy,
    is_idempotent,
    may_have_been_applied,
    retry_delay,
)
from ._routing import ProxyRules, cleartext_hop
from ._stopping import current_stop

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
    from ._operations import declared_idempotent  # asked only after a failure: loaded then

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
        # A call's per-request options (_options) rewrite the request and its retry policy.
        self.state = current_call()
        if self.state is not None:
            request, policy = self.state.applied(request, policy)
        self.request = request
        self.policy = policy
        self.pacer = pacer
        self.random = random
        self._idempotent: bool | None = None  # looked up when a failure needs it
        self.attempt = 0  # the retries taken so far
        self.maybe_applied = False  # an earlier attempt may have changed state on the server
        self.started = time.monotonic()  # for the elapsed time its log line shows

    @property
    def idempotent(self) -> bool:
        """Whether the request may be sent twice (read only when an attempt fails)."""
        if self._idempotent is None:
            self._idempotent = request_is_idempotent(self.request)
        return self._idempotent

    def settled(self, response: httpx.Response) -> bool:
        """Whether `response` ends the request well: a 2xx, or the 404 of a DELETE retried
        after an attempt that may have deleted it (gone either way: the caller's aim)."""
        if response.status_code < 300:
            return True
        return (
            self.maybe_applied and response.status_code == 404 and self.request.method == "DELETE"
        )

    def stopped(self) -> RespanError:
        """The error for a request its bulk run stopped before (re)sending it."""
        error = RespanError(f"{self.request.method} {self.request.url.path} not sent: stopped")
        if self.maybe_applied and not self.idempotent:
            error.mark_outcome_unknown()  # an earlier attempt may have reached the server
        return error

    def transport_error(self, exc: httpx.TransportError) -> RespanError:
        error = error_from_transport(exc)
        error.__cause__ = exc  # classify() reads the httpx cause: was the request ever sent?
        return error

    def succeeded(self, response: httpx.Response) -> httpx.Response:
        if response.status_code >= 300:  # a settled DELETE: answer as its first attempt would
            path = self.request.url.path
            logger.debug("DELETE %s -> 404 after a lost answer: already deleted", path)
            response = httpx.Response(204, request=self.request)
        if self.maybe_applied:  # read by earlier_attempt_may_have_applied (an upsert's created)
            response.extensions[EARLIER_ATTEMPT] = True
        _LAST_RESPONSE.set(response)
        if self.state is not None:  # kept for a with_raw_response call
            self.state.succeeded(response, self.request, self.attempt)
        if logger.isEnabledFor(logging.DEBUG):  # its arguments cost a few µs a call
            logger.debug(
                "%s %s -> %d (attempt %d, %.3fs)",
                self.request.method,
                self.request.url.path,
                response.status_code,
                self.attempt + 1,
                time.monotonic() - self.started,
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
            status = f"{error.status_code} " if isinstance(error, APIStatusError) else ""
            logger.info(
                "%s %s -> %s%s (attempt %d, %.3fs)",
                self.request.method,
                self.request.url.path,
                status,
                type(error).__name__,
                self.attempt + 1,
                time.monotonic() - self.started,
            )
            return None
        self.attempt += 1
        self.maybe_applied = self.maybe_applied or may_have_been_applied(error)
        status = f" {error.status_code}" if isinstance(error, APIStatusError) else ""
        logger.info(
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


class RetryingTransport:
    """Paces, sends, maps errors to RespanError and retries what is safe to retry."""

    # One per client: slots, not httpx.BaseTransport's instance dict (an httpx transport by its
    # methods: handle_request, close and the context manager).
    __slots__ = ("inner", "max_response_bytes", "pacer", "policy", "random", "sleep")

    def __init__(
        self,
        inner: httpx.BaseTransport | DefaultTransport,
        *,
        policy: RetryPolicy,
        pacer: Pacer | None,
        sleep: Callable[[float], object] = time.sleep,
        random: Callable[[], float] = _random.random,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self.inner = inner
        self.max_response_bytes = max_response_bytes
        self.policy = policy
        self.pacer = pacer
        self.sleep = sleep
        self.random = random

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()  # the body is sent again on a retry
        attempts = _Attempts(request, self.policy, self.pacer, self.random)
        request = attempts.request  # with the call's per-request options
        # In a bulk run's worker thread: a stopped run wakes its sleepers and sends nothing more.
        stop = current_stop()
        sleep = self.sleep if stop is None else stop.wait
        while True:
            if self.pacer is not None:
                self.pacer.wait(sleep)
            if stop is not None and stop.is_set():
                raise attempts.stopped()
            error: RespanError
            try:
                response = self._send(request)
            except httpx.TransportError as exc:
                error = attempts.transport_error(exc)
            except ResponseTooLargeError as exc:
                error = exc
            else:
                if attempts.settled(response):
                    return attempts.succeeded(response)
                error = attempts.status_error(response)
            delay = attempts.next_delay(error)
            if delay is None:
                raise error from error.__cause__
            sleep(delay)

    def _send(self, request: httpx.Request) -> httpx.Response:
        """One attempt: the response, its body read within the limits of `_limits`."""
        started = time.monotonic()
        seconds = attempt_seconds(request)
        sent = self.inner.handle_request(request)
        try:
            if sent.status_code < 300:
                return read_success(sent, request, self.max_response_bytes, seconds, started)
            return read_error(sent, request, seconds, started)
        finally:
            sent.close()

    def close(self) -> None:
        self.inner.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncRetryingTransport:
    """`RetryingTransport` for httpx.AsyncClient."""

    # One per client: slots, not httpx.BaseTransport's instance dict (an httpx transport by its
    # methods: handle_async_request, aclose and the context manager).
    __slots__ = ("inner", "max_response_bytes", "pacer", "policy", "random", "sleep")

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport | AsyncDefaultTransport,
        *,
        policy: RetryPolicy,
        pacer: Pacer | None,
        sleep: Callable[[float], Awaitable[object]] = anyio_sleep,
        random: Callable[[], float] = _random.random,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self.inner = inner
        self.max_response_bytes = max_response_bytes
        self.policy = policy
        self.pacer = pacer
        self.sleep = sleep
        self.random = random

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        attempts = _Attempts(request, self.policy, self.pacer, self.random)
        request = attempts.request  # with the call's per-request options
        while True:
            if self.pacer is not None:
                await self.pacer.wait_async(self.sleep)
            error: RespanError
            try:
                response = await self._attempt(request)
            except httpx.TransportError as exc:
                error = attempts.transport_error(exc)
            except ResponseTooLargeError as exc:
                error = exc
            else:
                if attempts.settled(response):
                    return attempts.succeeded(response)
                error = attempts.status_error(response)
            delay = attempts.next_delay(error)
            if delay is None:
                raise error from error.__cause__
            await self.sleep(delay)

    async def _attempt(self, request: httpx.Request) -> httpx.Response:
        """One attempt, as a whole within the read timeout (see `_limits`)."""
        seconds = attempt_seconds(request)
        if seconds is None:
            return await self._send(request)
        try:
            async with _attempt_deadline(seconds):
                return await self._send(request)
        except TimeoutError:
            raise httpx.ReadTimeout(
                f"the answer was not complete within the attempt's deadline "
                f"({seconds:g} s, the read timeout)",
                request=request,
            ) from None

    async def _send(self, request: httpx.Request) -> httpx.Response:
        sent = await self.inner.handle_async_request(request)
        try:
            if sent.status_code < 300:
                return await read_success_async(sent, request, self.max_response_bytes)
            return await read_error_async(sent, request)
        finally:
            await sent.aclose()

    async def aclose(self) -> None:
        await self.inner.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


def _attempt_deadline(seconds: float) -> AbstractAsyncContextManager[object]:
    """A scope raising TimeoutError after `seconds`: asyncio's own timeout on asyncio (a few
    µs a call, against anyio's fifteen), anyio's under another event loop (trio)."""
    if _running_loop() is not None:
        import asyncio  # imported already: an asyncio loop is running

        return asyncio.timeout(seconds)
    import anyio

    return _AsyncScope(anyio.fail_after(seconds))


class _AsyncScope:
    """A sync context manager (anyio's cancel scope) entered with `async with`."""

    def __init__(self, scope: AbstractContextManager[object]) -> None:
        self._scope = scope

    async def __aenter__(self) -> object:
        return self._scope.__enter__()

    async def __aexit__(self, *exc: Any) -> bool | None:
        return self._scope.__exit__(*exc)


_T = TypeVar("_T")
_Origin = tuple[bytes, bytes, int | None]  # a URL's scheme, host and port

# Origins remembered per client, beyond which routes are looked up afresh: a client talks to
# its base URL, and only absolute URLs given to `client.api` reach others.
_MAX_ORIGINS = 64

# Bumped in a forked child: the routes built before belong to the parent's sockets (sharing
# them, each process would read the other's answers), so a child builds pools of its own.
_generation = 0
# Held while a client builds a route: rare (once per origin and client) and quick once the
# shared SSL context is loaded, so one lock serves every client, and none keeps its own.
_build_lock = threading.Lock()


def _after_fork_in_child() -> None:
    global _generation, _build_lock
    _generation += 1
    _build_lock = threading.Lock()  # one held by a parent's thread would never be released


if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork
    os.register_at_fork(after_in_child=_after_fork_in_child)


class _Route(Generic[_T]):
    """Where one origin's requests go: its pool, and why they may not carry the key, if so."""

    __slots__ = ("pool", "refusal")

    def __init__(self, pool: _T, refusal: str | None) -> None:
        self.pool = pool
        self.refusal = refusal


class _Routes(Generic[_T]):
    """The transport for each URL: one per route (direct, or each proxy), built on first use.

    A client talks to its base URL, through one pool: that first origin, its route and its pool
    are kept in slots (no tuple built per request), and dicts are made only for others.
    """

    __slots__ = (  # one per client: no __dict__
        "_allow_insecure_http",
        "_closed",
        "_connect",
        "_first_host",
        "_first_pool",
        "_first_port",
        "_first_proxy",
        "_first_route",
        "_first_scheme",
        "_generation",
        "_more_pools",
        "_more_routes",
        "_read_rules",
        "_rules",
    )

    def __init__(
        self,
        connect: Callable[[httpx.Proxy | None], _T],
        rules: Callable[[], ProxyRules],
        allow_insecure_http: bool,
    ) -> None:
        self._connect = connect
        self._read_rules = rules
        self._allow_insecure_http = allow_insecure_http
        self._rules: ProxyRules | None = None
        self._closed = False
        self._drop()

    def _drop(self) -> None:
        """Forget every route and pool (unclosed); the fork generation is this process's."""
        self._first_host = b""  # before the route: a reader then misses, and looks again
        self._first_route: _Route[_T] | None = None
        self._first_scheme = b""
        self._first_port: int | None = None
        self._first_proxy: httpx.Proxy | None = None
        self._first_pool: _T | None = None
        self._more_routes: dict[_Origin, _Route[_T]] | None = None
        self._more_pools: dict[httpx.Proxy | None, _T] | None = None
        self._generation = _generation

    @property
    def _pools(self) -> dict[httpx.Proxy | None, _T]:
        """The transports built so far, by proxy (None: direct); a copy."""
        pools = {} if self._first_pool is None else {self._first_proxy: self._first_pool}
        return {**pools, **(self._more_pools or {})}

    def _is_first(self, url: httpx.URL) -> bool:
        return (
            url.raw_host == self._first_host
            and url.port == self._first_port
            and url.raw_scheme == self._first_scheme
        )

    def for_url(self, url: httpx.URL) -> _Route[_T]:
        if self._generation == _generation:  # not in a child forked since they were built
            route = self._first_route  # read before the origin: written before it (below)
            if route is not None and self._is_first(url):
                return route
            others = self._more_routes
            if others is not None:
                route = others.get((url.raw_scheme, url.raw_host, url.port))
                if route is not None:
                    return route
        with _build_lock:  # the first requests of a thread pool: build one pool, not eight
            if self._closed:
                raise RuntimeError("Cannot send a request, as the client has been closed.")
            if self._generation != _generation:
                self._drop()  # the parent's pools: neither used nor closed here
            if self._first_route is not None and self._is_first(url):
                return self._first_route  # built by another thread while this one waited
            if self._rules is None:  # read on the first request, as httpx.Client() reads them
                self._rules = self._read_rules()
            proxy = self._rules.proxy_for(url)
            pool = self._pool(proxy)
            hop = None if self._allow_insecure_http else cleartext_hop(url, proxy)
            route = _Route(pool, None if hop is None else _refusal(url, hop))
            origin = (url.raw_scheme, url.raw_host, url.port)
            if self._first_route is None:
                self._first_route = route
                self._first_scheme, self._first_host, self._first_port = origin
            elif self._more_routes is None:
                self._more_routes = {origin: route}
            elif len(self._more_routes) < _MAX_ORIGINS - 1:
                self._more_routes[origin] = route
            return route

    def _pool(self, proxy: httpx.Proxy | None) -> _T:
        """The transport of the route through `proxy`, built if it is the first (locked)."""
        if self._first_pool is not None and proxy == self._first_proxy:
            return self._first_pool
        if self._more_pools is not None and (pool := self._more_pools.get(proxy)) is not None:
            return pool
        pool = self._connect(proxy)
        if self._first_pool is None:
            self._first_proxy, self._first_pool = proxy, pool
        elif self._more_pools is None:
            self._more_pools = {proxy: pool}
        else:
            self._more_pools[proxy] = pool
        return pool

    def forget(self) -> None:
        """Drop, unclosed, the transports built so far: their connections are another event
        loop's (or, after a fork, another process's); new ones are built on next use."""
        with _build_lock:
            self._drop()

    def close(self) -> list[_T]:
        """Refuse further requests; the transports built so far, for the caller to close."""
        with _build_lock:
            self._closed = True
            pools = list(self._pools.values()) if self._generation == _generation else []
            self._drop()
        return pools


def _refusal(url: httpx.URL, hop: str) -> str:
    return (
        f"refusing to send the API key unencrypted: a request for {url.scheme}://{url.host} "
        f"would travel in plain http to {hop} (base_url, HTTP_PROXY or ALL_PROXY). Use https, "
        "or pass allow_insecure_http=True if you really mean it"
    )


def _check_key(refusal: str | None, request: httpx.Request) -> None:
    """Refuse, before sending, a request carrying the key on a route that would expose it."""
    if refusal is not None and "authorization" in request.headers:
        raise InsecureTransportError(refusal)


def http_transport(proxy: httpx.Proxy | None) -> httpx.BaseTransport:
    """The transport a default httpx.Client builds for a route, on a shared SSL context (_ssl)."""
    from ._ssl import shared_ssl_context

    return httpx.HTTPTransport(verify=shared_ssl_context(), trust_env=True, proxy=proxy)


def async_http_transport(proxy: httpx.Proxy | None) -> httpx.AsyncBaseTransport:
    """`http_transport` for httpx.AsyncClient."""
    from ._ssl import shared_ssl_context

    return httpx.AsyncHTTPTransport(verify=shared_ssl_context(), trust_env=True, proxy=proxy)


class DefaultTransport:
    """What a default `httpx.Client()` would send through, without its per-request work.

    Certificates are verified (SSL_CERT_FILE / SSL_CERT_DIR honoured) and each URL goes direct or
    through its proxy from the environment (`ProxyRules`: HTTP(S)_PROXY, ALL_PROXY, NO_PROXY;
    loopback hosts always direct), read on the first request; one transport, so one connection
    pool, per route. A request carrying the key that would cross plain http to a host other
    than this one (the target or a proxy) is refused unless `allow_insecure_http`. After a fork
    the child builds pools of its own. Requests skip a second pass through httpx.Client.send
    (hooks, cookies, logging). `connect` builds the transport of a route (tests pass one
    answering with a MockTransport); `rules` reads the proxy settings.

    An httpx transport by its methods (an httpx.Client may send through it), not by class:
    httpx.BaseTransport has no slots, and every client keeps one of these.
    """

    __slots__ = ("_routes",)

    def __init__(
        self,
        connect: Callable[[httpx.Proxy | None], httpx.BaseTransport] = http_transport,
        rules: Callable[[], ProxyRules] = ProxyRules.from_environment,
        *,
        allow_insecure_http: bool = False,
    ) -> None:
        self._routes = _Routes(connect, rules, allow_insecure_http)

    def route(self, url: httpx.URL) -> httpx.BaseTransport:
        """The transport a request for `url` is sent through (built if it is the first)."""
        return self._routes.for_url(url).pool

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        route = self._routes.for_url(request.url)
        _check_key(route.refusal, request)
        try:
            return route.pool.handle_request(request)
        except httpx.RequestError as exc:
            exc.request = request  # as httpx.Client does: errors name their request
            raise

    def close(self) -> None:
        for transport in self._routes.close():
            transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncDefaultTransport:
    """`DefaultTransport` for httpx.AsyncClient (an httpx transport by its methods too).

    Connections belong to the event loop that opened them: when requests come from another
    loop (a second `asyncio.run()`), the pools are built afresh for it.
    """

    __slots__ = ("_loop", "_routes")

    def __init__(
        self,
        connect: Callable[[httpx.Proxy | None], httpx.AsyncBaseTransport] = async_http_transport,
        rules: Callable[[], ProxyRules] = ProxyRules.from_environment,
        *,
        allow_insecure_http: bool = False,
    ) -> None:
        self._routes = _Routes(connect, rules, allow_insecure_http)
        self._loop: weakref.ref[object] | None = None  # the loop the pools were built on

    def route(self, url: httpx.URL) -> httpx.AsyncBaseTransport:
        """The transport a request for `url` is sent through (built if it is the first)."""
        return self._routes.for_url(url).pool

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        loop = _running_loop()
        if loop is not None and (self._loop is None or self._loop() is not loop):
            if self._loop is not None:
                self._routes.forget()  # the old loop's sockets cannot be used (nor closed) here
            self._loop = weakref.ref(loop)
        route = self._routes.for_url(request.url)
        _check_key(route.refusal, request)
        try:
            return await route.pool.handle_async_request(request)
        except httpx.RequestError as exc:
            exc.request = request
            raise

    async def aclose(self) -> None:
        for transport in self._routes.close():
            await transport.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


def _running_loop() -> object | None:
    """The running asyncio loop; None under another async library (trio)."""
    asyncio = sys.modules.get("asyncio")
    if asyncio is None:
        return None
    try:
        loop: object = asyncio.get_running_loop()
    except RuntimeError:
        return None
    return loop


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


def _relay(sent: httpx.Response) -> httpx.Response | None:
    """A response already read (by a MockTransport, or an event hook): its decoded body."""
    if not sent.is_stream_consumed:
        return None  # the usual case: relay the raw stream (checked first: raising costs)
    try:
        content = sent.content
    except httpx.ResponseNotRead:
        return None  # streamed by a hook without keeping its body: relaying fails as before
    if "content-encoding" not in sent.headers:
        return sent  # its headers describe its body as it is: hand it on (as the default path)
    headers = [(k, v) for k, v in sent.headers.multi_items() if k.lower() not in WIRE_HEADERS]
    return httpx.Response(
        sent.status_code, headers=headers, content=content, extensions=sent.extensions
    )


def _add_missing_headers(request: httpx.Request, defaults: httpx.Headers) -> None:
    # The names present, read once and undecoded (each `name in headers` decodes them all).
    present = {name.lower() for name, _ in request.headers.raw}
    for name, value in defaults.raw:
        lowered = name.lower()
        if lowered not in present:
            request.headers[name.decode(defaults.encoding)] = value.decode(defaults.encoding)
            present.add(lowered)


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
