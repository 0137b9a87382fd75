"""The client: configuration, auth, the transport stack, and the resources of the spec.

    async with AsyncRespan() as client:          # RESPAN_API_KEY from the environment
        await client.score_log("log_1", 4.5, evaluator="quality")

Without `http_client`, one httpx client sends: its transport is the retrying transport over
the transports of a default httpx client (built on the first request, so constructing a client
creates no SSL context). With `http_client`, requests pass through the caller's client as well
(its hooks, mounts and transport apply), which runs httpx's per-request work twice: slower per
call.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Self

import httpx

from respan_evals_api.resources import AsyncResources

from .._call import LazyApi
from .._config import DEFAULT_TIMEOUT, Config, check_http_client, headers
from .._limits import DEFAULT_MAX_RESPONSE_BYTES
from .._profiles import AsyncProfileCache
from .._transport import AsyncClientTransport, AsyncDefaultTransport, AsyncRetryingTransport
from ._core import AsyncCore
from ._scoring import AsyncScoring

if TYPE_CHECKING:
    from respan_evals_api.client import Client

__all__ = ["AsyncRespan"]


class AsyncRespan(AsyncScoring, AsyncResources):
    """The client for Respan's scores and evaluators API.

    `http_client`: an httpx client to send through (its transport, proxies, mounts and event
    hooks apply); auth, timeouts, retries, pacing and error mapping are added on top, and
    closing this client leaves it open. Requests then pass through two httpx clients, which
    costs more per call than the default (one client, proxies and certificates from the
    environment as for any httpx client).

    `timeout` bounds each read, and each attempt as a whole: connecting, sending and reading
    the whole answer must end within the read timeout (`timeout=2`: 2 s an attempt; the
    default 30 s). `max_response_bytes` caps what a success body may decode to (50 MiB by
    default; past it, ResponseTooLargeError); of an error body only the first 8 KiB are read.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        rate_limit: float | None = 60.0,
        http_client: httpx.AsyncClient | None = None,
        allow_insecure_http: bool = False,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        default_headers = headers(api_key)
        config = Config(
            base_url, timeout, max_retries, rate_limit, allow_insecure_http, max_response_bytes
        )
        check_http_client(http_client, httpx.AsyncClient)
        self._config = config
        inner: httpx.AsyncBaseTransport = (
            AsyncDefaultTransport(allow_insecure_http=config.allow_insecure_http)
            if http_client is None
            else AsyncClientTransport(http_client)
        )
        self._transport = AsyncRetryingTransport(
            inner,
            policy=config.policy,
            pacer=config.pacer(),
            max_response_bytes=config.max_response_bytes,
        )
        self._http = httpx.AsyncClient(
            base_url=config.base_url,
            headers=default_headers,
            timeout=config.timeout,
            transport=self._transport,
            trust_env=False,  # proxies and certificates belong to the inner transports
        )
        self._api = LazyApi(self._http, config.base_url, config.timeout)
        self._core = self._resources_core = AsyncCore(self._api)  # what resources send through
        self._profiles = AsyncProfileCache()

    @property
    def api(self) -> Client:
        """The generated low-level client, sharing this client's auth, retries and pacing."""
        return self._api.get()

    async def aclose(self) -> None:
        """Close the connections this client opened (a caller's http_client stays open)."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return self._config.describe(type(self).__name__)
