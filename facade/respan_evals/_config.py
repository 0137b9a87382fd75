"""The settings both clients check and share (no I/O): base URL, key header, timeout, limits,
default headers and query.

The API key is checked here and goes straight into the httpx client's default headers: it is
kept nowhere else (httpx shows it as [secure] in reprs).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType

import httpx

from ._errors import InsecureTransportError, RespanValidationError, short_repr
from ._limits import DEFAULT_MAX_RESPONSE_BYTES, check_max_response_bytes
from ._pacing import Pacer
from ._retries import RetryPolicy
from ._routing import is_loopback
from ._version import __version__

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "FRAMING_HEADERS",
    "HEADER_NAME",
    "Config",
    "Query",
    "QueryView",
    "authorization",
    "check_http_client",
    "checked_max_retries",
    "checked_timeout",
    "headers",
    "merged_headers",
    "merged_query",
]

DEFAULT_BASE_URL = "https://api.respan.ai"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
_KEY_SHAPE = re.compile(r"[\x21-\x7e]+")  # printable ASCII, no spaces: safe in a header
HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # an RFC 9110 token
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")  # no CR/LF (no header injection), ASCII as httpx
# Derived by httpx from the URL and the body of each request: a fixed value would break them.
FRAMING_HEADERS = frozenset({"host", "content-length", "transfer-encoding"})
_BASE_HEADERS = {"User-Agent": f"respan-evals/{__version__}", "Accept": "application/json"}

# A default query as given (a value or a list of values per name), and as a client shows it.
Query = Mapping[str, str | Sequence[str]]
QueryView = Mapping[str, str | tuple[str, ...]]


class Config:
    """The checked settings shared by both clients; the key is not among them (see headers)."""

    # One per client: slots, and the defaults' immutable parts are shared (below).
    __slots__ = (
        "allow_insecure_http",
        "base_url",
        "headers",
        "max_response_bytes",
        "policy",
        "query",
        "rate_limit",
        "timeout",
    )

    def __init__(
        self,
        base_url: str | None,
        timeout: float | httpx.Timeout,
        max_retries: int,
        rate_limit: float | None,
        allow_insecure_http: bool,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Query | None = None,
    ) -> None:
        self.base_url = _base_url(base_url, allow_insecure_http)
        # Held for the transport: the same rule for where each request is really routed.
        self.allow_insecure_http = bool(allow_insecure_http)
        self.max_response_bytes = check_max_response_bytes(max_response_bytes)
        self.timeout = checked_timeout(timeout)
        self.policy = RetryPolicy(max_retries=checked_max_retries(max_retries))
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
        # What every request carries besides the key: ours, then the caller's (theirs win).
        extra_headers, query = _headers(default_headers), _query(default_query)
        self.headers: Mapping[str, str] = (
            MappingProxyType(_merged(_BASE_HEADERS, extra_headers))
            if extra_headers
            else _DEFAULT_HEADERS
        )
        self.query: QueryView = MappingProxyType(query) if query else _NO_QUERY

    def pacer(self) -> Pacer | None:
        return None if self.rate_limit is None else Pacer(self.rate_limit)

    def describe(self, name: str) -> str:
        return (
            f"{name}(base_url={self.base_url!r}, max_retries={self.policy.max_retries}, "
            f"rate_limit={self.rate_limit!r})"
        )


# Read-only views shared by every client with the default headers and query.
_DEFAULT_HEADERS: Mapping[str, str] = MappingProxyType(dict(_BASE_HEADERS))
_NO_QUERY: QueryView = MappingProxyType({})
_DEFAULT_HEADER_BYTES = {name.encode(): value.encode() for name, value in _BASE_HEADERS.items()}
_AUTHORIZATION = b"Authorization"


def authorization(api_key: str | None) -> str:
    """The Authorization header's value for `api_key` (else RESPAN_API_KEY), checked."""
    return f"Bearer {_api_key(api_key)}"


def headers(authorization: str, config: Config) -> dict[bytes, bytes]:
    """The default headers, handed straight to httpx: the only place the key is kept.

    As bytes: httpx keeps bytes as given, so every default client's httpx headers share the
    same names and values (only the key's value is its own); str would be encoded per client.
    """
    encoded = (
        _DEFAULT_HEADER_BYTES
        if config.headers is _DEFAULT_HEADERS
        else {name.encode(): value.encode() for name, value in config.headers.items()}
    )
    return {_AUTHORIZATION: authorization.encode(), **encoded}


def merged_headers(
    current: Mapping[str, str],
    more: Mapping[str, str] | None,
    replacement: Mapping[str, str] | None,
) -> Mapping[str, str] | None:
    """A copy's own default headers: `current` updated with `more`, or `replacement` instead."""
    if more is not None and replacement is not None:
        raise RespanValidationError("pass default_headers or set_default_headers, not both")
    if replacement is not None:
        return replacement
    return current if more is None else _merged(current, _headers(more))


def merged_query(current: Query, more: Query | None, replacement: Query | None) -> Query:
    """A copy's default query: `current` updated with `more`, or `replacement` instead."""
    if more is not None and replacement is not None:
        raise RespanValidationError("pass default_query or set_default_query, not both")
    if replacement is not None:
        return replacement
    return current if more is None else {**current, **_query(more)}


def _merged(base: Mapping[str, str], more: Mapping[str, str]) -> dict[str, str]:
    """`base` updated with `more`, header names compared without case (the caller's spelling)."""
    names = {name.lower() for name in more}
    return {**{k: v for k, v in base.items() if k.lower() not in names}, **more}


def _headers(given: Mapping[str, str] | None) -> dict[str, str]:
    if given is None:
        return {}
    if not isinstance(given, Mapping):
        raise RespanValidationError(
            f"default_headers must be a mapping of str to str, got {type(given).__name__}"
        )
    checked: dict[str, str] = {}
    for name, value in given.items():
        if not isinstance(name, str) or not HEADER_NAME.fullmatch(name):
            raise RespanValidationError(f"default_headers: {name!r} is not a header name")
        if name.lower() == "authorization":
            raise RespanValidationError(
                "default_headers cannot set Authorization: pass the key as api_key "
                "(or RESPAN_API_KEY), which sends it as a Bearer token"
            )
        if name.lower() in FRAMING_HEADERS:
            raise RespanValidationError(f"default_headers cannot set {name}: httpx sets it")
        # Never echo a value: a proxy's token may be among them.
        if not isinstance(value, str) or not _HEADER_VALUE.fullmatch(value):
            raise RespanValidationError(
                f"default_headers[{name!r}] must be a str of printable ASCII characters"
            )
        checked[name] = value
    return checked


def _query(given: Query | None) -> dict[str, str | tuple[str, ...]]:
    if given is None:
        return {}
    if not isinstance(given, Mapping):
        raise RespanValidationError(
            f"default_query must be a mapping of str to str or list of str, "
            f"got {type(given).__name__}"
        )
    checked: dict[str, str | tuple[str, ...]] = {}
    for name, value in given.items():
        if not isinstance(name, str) or not name:
            raise RespanValidationError(f"default_query: {name!r} is not a parameter name")
        if isinstance(value, str):
            checked[name] = value
        elif isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            checked[name] = tuple(value)
        else:
            raise RespanValidationError(
                f"default_query[{name!r}] must be a str or a list of str, "
                f"got {type(value).__name__}"
            )
    return checked


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
    if url.scheme == "http" and not allow_insecure_http and not is_loopback(url.host):
        raise InsecureTransportError(
            f"base_url {str(url)!r} is plain http to a host that is not local: the API key "
            "would travel unencrypted. Use https, or pass allow_insecure_http=True if you "
            "really mean it"
        )
    path = url.path.rstrip("/")
    if path.lower().endswith("/api"):
        # The operations' paths start with /api/: this would send GET /api/api/... -> 404.
        fixed = str(url.copy_with(path=path[: -len("/api")] or "/")).rstrip("/")
        raise RespanValidationError(
            f"base_url is the host, without /api: use {fixed} (got {str(url)!r})"
        )
    return str(url).rstrip("/")


def checked_max_retries(max_retries: object) -> int:
    """`max_retries` if it is an int >= 0 (the client's, or one call's)."""
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise RespanValidationError(
            f"max_retries must be an int >= 0, got {short_repr(max_retries)}"
        )
    return max_retries


def checked_timeout(timeout: float | httpx.Timeout) -> httpx.Timeout:
    """`timeout` as an httpx.Timeout, if it is one or a positive number of seconds."""
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


def check_http_client(
    given: object, expected: type[httpx.Client] | type[httpx.AsyncClient]
) -> None:
    """Refuse an `http_client` of the wrong kind, naming the client that takes it."""
    if given is None or isinstance(given, expected):
        return
    other = {httpx.Client: "Respan", httpx.AsyncClient: "AsyncRespan"}
    hint = next((f" (use {name})" for kind, name in other.items() if isinstance(given, kind)), "")
    raise RespanValidationError(
        f"http_client must be an httpx.{expected.__name__}, got {type(given).__name__}{hint}"
    )
