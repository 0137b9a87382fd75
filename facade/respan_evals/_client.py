"""Respan and AsyncRespan: configuration, auth, the transport stack, and the resources.

    with Respan() as client:                 # RESPAN_API_KEY from the environment
        client.score_log("log_1", 4.5, evaluator="quality")

The API key lives only in the httpx client's headers (httpx shows it as [secure] in reprs).

Without `http_client`, one httpx.Client sends: its transport is RetryingTransport over the
transports of a default httpx.Client (built on the first request, so `Respan()` creates no SSL
context). With `http_client`, requests pass through the caller's client as well (its hooks,
mounts and transport apply), which runs httpx's per-request work twice: slower per call.
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
from types import TracebackType
from typing import TYPE_CHECKING, Self

import httpx

from ._call import LazyApi
from ._errors import InsecureTransportError, RespanValidationError
from ._pacing import Pacer
from ._resources import AsyncEvaluators, AsyncLogScores, AsyncScores, Evaluators, LogScores, Scores
from ._retries import RetryPolicy
from ._scoring import AsyncProfileCache, AsyncScoring, ProfileCache, SyncScoring
from ._transport import (
    AsyncClientTransport,
    AsyncDefaultTransport,
    AsyncRetryingTransport,
    ClientTransport,
    DefaultTransport,
    RetryingTransport,
)
from ._version import __version__

if TYPE_CHECKING:
    from respan_evals_api.client import Client

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "AsyncRespan",
    "Respan",
]

DEFAULT_BASE_URL = "https://api.respan.ai"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
_KEY_SHAPE = re.compile(r"[\x21-\x7e]+")  # printable ASCII, no spaces: safe in a header


class _Config:
    """The checked settings shared by both clients; the key is not among them (see _headers)."""

    def __init__(
        self,
        base_url: str | None,
        timeout: float | httpx.Timeout,
        max_retries: int,
        rate_limit: float | None,
        allow_insecure_http: bool,
    ) -> None:
        self.base_url = _base_url(base_url, allow_insecure_http)
        self.timeout = _timeout(timeout)
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise RespanValidationError(f"max_retries must be an int >= 0, got {max_retries!r}")
        self.policy = RetryPolicy(max_retries=max_retries)
        if rate_limit is not None and (
            isinstance(rate_limit, bool)
            or not isinstance(rate_limit, int | float)
            or not math.isfinite(rate_limit)
            or rate_limit <= 0
        ):
            raise RespanValidationError(
                f"rate_limit must be a positive number of requests per minute or None, "
                f"got {rate_limit!r}"
            )
        self.rate_limit = None if rate_limit is None else float(rate_limit)

    def pacer(self) -> Pacer | None:
        return None if self.rate_limit is None else Pacer(self.rate_limit)

    def describe(self, name: str) -> str:
        return (
            f"{name}(base_url={self.base_url!r}, max_retries={self.policy.max_retries}, "
            f"rate_limit={self.rate_limit!r})"
        )


def _headers(api_key: str | None) -> dict[str, str]:
    """The default headers, handed straight to httpx: the only place the key is kept."""
    return {
        "Authorization": f"Bearer {_api_key(api_key)}",
        "User-Agent": f"respan-evals/{__version__}",
        "Accept": "application/json",
    }


def _api_key(api_key: str | None) -> str:
    key = os.environ.get("RESPAN_API_KEY") if api_key is None else api_key
    if key is None or (isinstance(key, str) and not key.strip()):
        raise RespanValidationError(
            "no API key: pass Respan(api_key=...) or set the RESPAN_API_KEY environment variable"
        )
    if not isinstance(key, str) or not _KEY_SHAPE.fullmatch(key):
        # Never echo the key: say only what is wrong with it.
        raise RespanValidationError(
            "the API key must be a str of printable ASCII characters without spaces "
            "(check RESPAN_API_KEY for stray quotes or a trailing newline)"
        )
    return key


def _base_url(base_url: str | None, allow_insecure_http: bool) -> str:
    if base_url is None:
        base_url = os.environ.get("RESPAN_BASE_URL") or DEFAULT_BASE_URL
    if not isinstance(base_url, str):
        raise RespanValidationError(f"base_url must be a str, got {type(base_url).__name__}")
    try:
        url = httpx.URL(base_url.strip())
    except httpx.InvalidURL as e:
        raise RespanValidationError(f"base_url is not a valid URL: {e}") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise RespanValidationError(
            f"base_url must be an http(s) URL with a host, got {str(url.copy_with(query=None))!r}"
        )
    if url.userinfo or url.query or url.fragment:
        raise RespanValidationError("base_url cannot carry credentials, a query or a fragment")
    if url.scheme == "http" and not allow_insecure_http and not _is_loopback(url.host):
        raise InsecureTransportError(
            f"base_url {str(url)!r} is plain http to a host that is not local: the API key "
            "would travel unencrypted. Use https, or pass allow_insecure_http=True if you "
            "really mean it"
        )
    return str(url).rstrip("/")


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _timeout(timeout: float | httpx.Timeout) -> httpx.Timeout:
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if (
        isinstance(timeout, bool)
        or not isinstance(timeout, int | float)
        or not math.isfinite(timeout)
        or timeout <= 0
    ):
        raise RespanValidationError(
            f"timeout must be a positive number of seconds or an httpx.Timeout, got {timeout!r}"
        )
    return httpx.Timeout(
        float(timeout), connect=min(float(timeout), DEFAULT_TIMEOUT.connect or 10.0)
    )


class Respan(SyncScoring):
    """The client for Respan's scores and evaluators API.

    `http_client`: an httpx.Client to send through (its transport, proxies, mounts and event
    hooks apply); auth, timeouts, retries, pacing and error mapping are added on top, and
    closing this client leaves it open. Requests then pass through two httpx clients, which
    costs more per call than the default (one client, proxies and certificates from the
    environment as for any httpx client).
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        rate_limit: float | None = 60.0,
        http_client: httpx.Client | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        headers = _headers(api_key)
        config = _Config(base_url, timeout, max_retries, rate_limit, allow_insecure_http)
        if http_client is not None and not isinstance(http_client, httpx.Client):
            raise RespanValidationError(
                f"http_client must be an httpx.Client, got {type(http_client).__name__}"
                + (" (use AsyncRespan)" if isinstance(http_client, httpx.AsyncClient) else "")
            )
        self._config = config
        inner: httpx.BaseTransport = (
            DefaultTransport() if http_client is None else ClientTransport(http_client)
        )
        self._transport = RetryingTransport(inner, policy=config.policy, pacer=config.pacer())
        self._http = httpx.Client(
            base_url=config.base_url,
            headers=headers,
            timeout=config.timeout,
            transport=self._transport,
            trust_env=False,  # proxies and certificates belong to the inner transports
        )
        self._api = LazyApi(self._http, config.base_url, config.timeout)
        self.scores = Scores(self._api)
        self.log_scores = LogScores(self._api)
        self.evaluators = Evaluators(self._api)
        self._profiles = ProfileCache()

    @property
    def api(self) -> Client:
        """The generated low-level client, sharing this client's auth, retries and pacing."""
        return self._api.get()

    def close(self) -> None:
        """Close the connections this client opened (a caller's http_client stays open)."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return self._config.describe(type(self).__name__)


class AsyncRespan(AsyncScoring):
    """`Respan` for asyncio: the same resources, as coroutines. `http_client`: httpx.AsyncClient."""

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
    ) -> None:
        headers = _headers(api_key)
        config = _Config(base_url, timeout, max_retries, rate_limit, allow_insecure_http)
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise RespanValidationError(
                f"http_client must be an httpx.AsyncClient, got {type(http_client).__name__}"
                + (" (use Respan)" if isinstance(http_client, httpx.Client) else "")
            )
        self._config = config
        ainner: httpx.AsyncBaseTransport = (
            AsyncDefaultTransport() if http_client is None else AsyncClientTransport(http_client)
        )
        self._transport = AsyncRetryingTransport(ainner, policy=config.policy, pacer=config.pacer())
        self._http = httpx.AsyncClient(
            base_url=config.base_url,
            headers=headers,
            timeout=config.timeout,
            transport=self._transport,
            trust_env=False,
        )
        self._api = LazyApi(self._http, config.base_url, config.timeout)
        self.scores = AsyncScores(self._api)
        self.log_scores = AsyncLogScores(self._api)
        self.evaluators = AsyncEvaluators(self._api)
        self._profiles = AsyncProfileCache()

    @property
    def api(self) -> Client:
        """The generated low-level client (call its asyncio functions), sharing this stack."""
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
