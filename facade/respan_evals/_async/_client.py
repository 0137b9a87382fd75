"""The client: configuration, auth, the transport stack, and the resources of the spec.

    async with AsyncRespan() as client:          # RESPAN_API_KEY from the environment
        await client.score_log("log_1", 4.5, evaluator="quality")

Without `http_client`, one httpx client sends (`_http_client`: httpx's, with a shorter send):
its transport is the retrying transport over the transports of a default httpx client (built on
the first request, so constructing a client creates no SSL context). With `http_client`,
requests pass through the caller's client as well (its hooks, mounts and transport apply), whose
per-request work then runs too: somewhat slower per call.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Self, TypeVar

import httpx

from respan_evals_api.resources import AsyncResources

from .. import _http_client
from .._call import LazyApi
from .._config import (
    DEFAULT_TIMEOUT,
    Config,
    Query,
    QueryView,
    authorization,
    check_http_client,
    headers,
    merged_headers,
    merged_query,
)
from .._limits import DEFAULT_MAX_RESPONSE_BYTES
from .._not_given import NOT_GIVEN, NotGiven
from .._pacing import Pacer
from .._profiles import AsyncProfileCache
from .._transport import AsyncClientTransport, AsyncDefaultTransport, AsyncRetryingTransport
from ._core import AsyncCore
from ._scoring import AsyncScoring

if TYPE_CHECKING:
    from respan_evals_api.client import Client

    from ._summaries import AsyncSummarizingScores

__all__ = ["AsyncRespan"]

T = TypeVar("T")


class AsyncRespan(AsyncScoring, AsyncResources):
    """The client for Respan's scores and evaluators API.

    `score_log` / `score_logs` / `iter_score_logs` write scores; `client.scores`,
    `client.log_scores`, `client.evaluators` (and `.versions`) hold every operation of the
    spec. See `__init__` for the arguments and the environment it reads.
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
        default_headers: Mapping[str, str] | None = None,
        default_query: Query | None = None,
    ) -> None:
        """A client; nothing is sent, and no connection opened, until the first request.

        Args:
            api_key: the Respan API key, sent as a Bearer token. Default: the
                RESPAN_API_KEY environment variable; neither given raises.
            base_url: where the API lives. Default: RESPAN_BASE_URL, else
                https://api.respan.ai. Plain http only to a local host, unless
                `allow_insecure_http=True`.
            timeout: seconds (or an httpx.Timeout) for each read, and for each attempt as
                a whole: connecting, sending and reading the answer (`timeout=2`: 2 s an
                attempt). Default: 30 s, 10 s to connect.
            max_retries: retries after a failure that may pass (a 429, a 5xx, a dropped
                connection; writes that may have been applied only if idempotent).
                Default: 2.
            rate_limit: requests per minute this client paces itself to (shared by the
                copies `with_options` makes); None: no pacing. Default: 60.
            http_client: an httpx.AsyncClient to send through (its transport, proxies,
                mounts and event hooks apply; closing this client leaves it open), at some
                cost per call. Default: one of this client's own.
            allow_insecure_http: let a plain http base_url that is not local carry the
                key in clear text. Default: False.
            max_response_bytes: the most a success body may decode to (past it,
                ResponseTooLargeError); of an error body only the first 8 KiB are read.
                Default: 50 MiB.
            default_headers: headers for every request (an Authorization header is
                refused: the key goes only through `api_key`). Default: none.
            default_query: query parameters for every request. Default: none.

        Environment:
            RESPAN_API_KEY: the key when `api_key` is not given.
            RESPAN_BASE_URL: the base URL when `base_url` is not given.
            RESPAN_LOG: `debug` (every request) or `info` (retries and failures) logs to
                stderr; read once, when respan_evals is imported.
            HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY: the proxy, as for any httpx
                client (without `http_client`).
            SSL_CERT_FILE, SSL_CERT_DIR: the certificates to trust (without
                `http_client`).

        Returns:
            None.

        Raises:
            RespanValidationError: an argument is wrong, or there is no API key (it never
                appears in the message); InsecureTransportError: a base_url that would
                send the key in clear text.

        Example:
            client = AsyncRespan(api_key="rsp_...", rate_limit=None, max_retries=0)
        """
        auth = authorization(api_key)
        config = Config(
            base_url,
            timeout,
            max_retries,
            rate_limit,
            allow_insecure_http,
            max_response_bytes,
            default_headers,
            default_query,
        )
        check_http_client(http_client, httpx.AsyncClient)
        inner: httpx.AsyncBaseTransport | AsyncDefaultTransport = (
            AsyncDefaultTransport(allow_insecure_http=config.allow_insecure_http)
            if http_client is None
            else AsyncClientTransport(http_client)
        )
        transport = AsyncRetryingTransport(
            inner,
            policy=config.policy,
            pacer=config.pacer(),
            max_response_bytes=config.max_response_bytes,
        )
        self._setup(config, auth, transport, AsyncProfileCache())

    def _setup(
        self,
        config: Config,
        auth: str,
        transport: AsyncRetryingTransport,
        profiles: AsyncProfileCache,
    ) -> None:
        self._config = config
        self._transport = transport
        self._http = _http_client.AsyncClient(  # httpx's, with a shorter send (see there)
            base_url=config.base_url,
            headers=headers(auth, config),
            params=dict(config.query),
            timeout=config.timeout,
            transport=transport,
            trust_env=False,  # proxies and certificates belong to the inner transports
        )
        self._api = LazyApi(self._http, config.base_url, config.timeout)
        self._core = self._resources_core = AsyncCore(self._api)  # what resources send through
        self._profiles = profiles

    @cached_property
    def scores(self) -> AsyncSummarizingScores:
        """client.scores: Scores by id, and listing or filtering them across logs."""
        from ._summaries import AsyncSummarizingScores  # loaded on first use, as the others

        return AsyncSummarizingScores(self._resources_core)

    @property
    def api(self) -> Client:
        """The generated low-level client, sharing this client's auth, retries and pacing."""
        return self._api.get()

    @property
    def default_headers(self) -> Mapping[str, str]:
        """The headers every request carries besides the key (read-only)."""
        return self._config.headers

    @property
    def default_query(self) -> QueryView:
        """The query parameters every request carries (read-only)."""
        return self._config.query

    def with_options(
        self,
        *,
        api_key: str | NotGiven = NOT_GIVEN,
        base_url: str | NotGiven = NOT_GIVEN,
        timeout: float | httpx.Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit: float | NotGiven | None = NOT_GIVEN,
        max_response_bytes: int | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str] | None = None,
        set_default_headers: Mapping[str, str] | None = None,
        default_query: Query | None = None,
        set_default_query: Query | None = None,
    ) -> Self:
        """A client with these settings changed, sending over this client's connections.

        Sends nothing. With the same key and base URL it shares this client's pacer (unless
        `rate_limit` differs) and evaluator cache, so both stay within one rate limit; another
        key or base URL is another account's limit and gets its own. `default_headers` /
        `default_query` add to this client's; `set_default_headers` / `set_default_query`
        replace them.
        `api_key` sends as another key (a copy's key is checked as the constructor's is).
        Closing the copy leaves the connections open; closing this client closes them for
        every copy too. `allow_insecure_http` and `http_client` come with the connections.
        `copy()` is the same method.

        Returns:
            The new client (of this client's class); this one is unchanged.

        Raises:
            RespanValidationError: a setting is wrong, as in the constructor.

        Example:
            patient = client.with_options(timeout=120, max_retries=5)
        """
        old = self._config
        old_timeout: float | httpx.Timeout = old.timeout  # a union, for _given's inference
        config = Config(
            _given(base_url, old.base_url),
            _given(timeout, old_timeout),
            _given(max_retries, old.policy.max_retries),
            _given(rate_limit, old.rate_limit),
            old.allow_insecure_http,
            _given(max_response_bytes, old.max_response_bytes),
            merged_headers(old.headers, default_headers, set_default_headers),
            merged_query(old.query, default_query, set_default_query),
        )
        import hmac  # here: only a copy compares keys

        current = self._http.headers["Authorization"]
        auth = current if isinstance(api_key, NotGiven) else authorization(api_key)
        # Same account: one rate limit and the same evaluators.
        same = config.base_url == old.base_url and hmac.compare_digest(auth, current)
        pacer: Pacer | None = (
            self._transport.pacer
            if same and config.rate_limit == old.rate_limit
            else config.pacer()
        )
        transport = _SharedPool(
            self._transport.inner,
            policy=config.policy,
            pacer=pacer,
            sleep=self._transport.sleep,
            random=self._transport.random,
            max_response_bytes=config.max_response_bytes,
        )
        copy = type(self).__new__(type(self))
        copy._setup(config, auth, transport, self._profiles if same else AsyncProfileCache())
        return copy

    copy = with_options  # openai-python's other name for it

    async def aclose(self) -> None:
        """Close the connections this client opened (a caller's http_client stays open).

        Sends nothing; `async with AsyncRespan() as client:` calls it on the way out.

        Returns:
            None.

        Raises:
            Nothing of its own.

        Example:
            await client.aclose()
        """
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


def _given(value: T | NotGiven, current: T) -> T:
    """An override, or the current setting when it was not given."""
    return current if isinstance(value, NotGiven) else value


class _SharedPool(AsyncRetryingTransport):
    """A copy's transport: sends over the original's connections and leaves them open."""

    __slots__ = ()

    async def aclose(self) -> None:
        """Nothing to close: the connections are the original client's."""
