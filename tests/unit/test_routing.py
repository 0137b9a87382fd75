"""ProxyRules: the proxy, or none, for each URL, from getproxies()-shaped settings, as httpx reads
them (https://www.python-httpx.org/environment_variables/ and httpx's NO_PROXY notes)."""

from __future__ import annotations

import httpx
import pytest

from respan_evals import RespanValidationError
from respan_evals._routing import ProxyRules, cleartext_hop

HTTP = "http://http-proxy:1"
HTTPS = "http://https-proxy:2"
ALL = "http://all-proxy:3"


def via(settings: dict[str, str], url: str) -> str | None:
    """The proxy URL `url` is sent through under `settings`, or None for direct."""
    proxy = ProxyRules(settings).proxy_for(httpx.URL(url))
    return None if proxy is None else str(proxy.url)


@pytest.mark.parametrize(
    ("settings", "url", "expected"),
    [
        ({}, "https://api.respan.ai/", None),
        ({"https": HTTPS}, "https://api.respan.ai/", HTTPS),
        ({"https": HTTPS}, "http://api.respan.ai/", None),  # only https URLs
        ({"http": HTTP}, "http://api.respan.ai/", HTTP),
        ({"http": HTTP}, "https://api.respan.ai/", None),
        ({"all": ALL}, "https://api.respan.ai/", ALL),
        ({"all": ALL}, "http://api.respan.ai/", ALL),
        ({"all": ALL, "https": HTTPS}, "https://x/", HTTPS),  # the scheme's own first
        ({"all": ALL, "https": HTTPS}, "http://x/", ALL),
        ({"https": "https-proxy:2"}, "https://x/", HTTPS),  # no scheme: an http proxy
        ({"https": "https://secure-proxy"}, "https://x/", "https://secure-proxy"),
        ({"https": ""}, "https://x/", None),  # set but empty: no proxy
    ],
)
def test_which_proxy(settings: dict[str, str], url: str, expected: str | None) -> None:
    assert via(settings, url) == expected


@pytest.mark.parametrize(
    ("no_proxy", "url", "direct"),
    [
        ("*", "https://anything.example/", True),
        ("other.example, *", "https://anything.example/", True),  # anywhere in the list
        ("example.com", "https://example.com/", True),
        ("example.com", "https://www.example.com/", True),
        ("example.com", "https://a.b.example.com/", True),
        ("example.com", "https://wwwexample.com/", False),
        ("example.com", "https://example.com.evil/", False),
        (".example.com", "https://www.example.com/", True),
        (".example.com", "https://example.com/", False),  # a leading dot: subdomains only
        ("EXAMPLE.com", "https://www.example.COM/", True),  # hosts have no case
        ("localhost", "http://localhost:8000/", True),
        ("localhost", "http://my.localhost/", False),
        ("127.0.0.1", "http://127.0.0.1:8000/", True),
        ("10.0.0.1", "http://10.0.0.2/", False),
        ("::1", "http://[::1]:8000/", True),
        ("[::1]", "http://[::1]/", True),
        ("10.0.0.0/8", "http://10.20.30.40/", True),  # a network (httpx: its first address)
        ("10.0.0.0/8", "http://11.0.0.1/", False),
        ("fd00::/8", "http://[fd12::1]/", True),
        ("10.0.0.0/8", "http://ten.example/", False),  # a name is no address
        ("example.com:8443", "https://example.com:8443/", True),
        ("example.com:8443", "https://example.com/", False),
        ("http://example.com", "http://example.com/", True),
        ("http://example.com", "https://example.com/", False),  # that scheme only
        ("all://example.com", "https://example.com/", True),
        ("https://example.com:8443", "https://example.com:8443/", True),
        ("https://example.com:8443", "https://example.com/", False),
        ("a.example, b.example", "https://b.example/", True),
        (" a.example ,, ", "https://a.example/", True),  # blanks are skipped
        ("", "https://a.example/", False),
    ],
)
def test_what_goes_direct(no_proxy: str, url: str, direct: bool) -> None:
    settings = {"all": ALL, "no": no_proxy}
    assert via(settings, url) == (None if direct else ALL)


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8000/",
        "http://LOCALHOST/",
        "http://127.0.0.1:8000/",
        "http://127.0.0.2/",
        "http://[::1]:8000/",
        "https://127.0.0.1/",
    ],
)
def test_loopback_always_goes_direct(url: str) -> None:
    # As curl: a proxy would otherwise read a local request, key and all, in plain http.
    assert via({"http": HTTP, "https": HTTPS, "all": ALL}, url) is None


@pytest.mark.parametrize(
    ("url", "proxy", "hop"),
    [
        ("https://api.respan.ai/", None, None),
        ("https://api.respan.ai/", "http://proxy.corp:3128", None),  # inside a CONNECT tunnel
        ("http://127.0.0.1:8000/", None, None),
        ("http://localhost/", "http://127.0.0.1:3128", None),
        ("http://api.example/", None, "api.example"),
        ("http://api.example/", "http://me:s3cret@proxy.corp:3128", "the proxy proxy.corp:3128"),
        ("http://api.example/", "https://proxy.corp", "the proxy proxy.corp"),  # it reads it
        ("http://api.example/", "http://127.0.0.1:3128", "api.example"),  # it forwards it
    ],
)
def test_where_a_request_travels_in_clear_text(url: str, proxy: str | None, hop: str) -> None:
    route = None if proxy is None else httpx.Proxy(proxy)
    assert cleartext_hop(httpx.URL(url), route) == hop


def test_a_no_proxy_url_for_a_scheme_replaces_its_proxy() -> None:
    # As httpx: the NO_PROXY key `http://` overwrites the HTTP_PROXY mount of the same key.
    settings = {"http": HTTP, "https": HTTPS, "no": "http://"}
    assert via(settings, "http://x/") is None
    assert via(settings, "https://x/") == HTTPS


def test_one_proxy_per_distinct_url() -> None:
    rules = ProxyRules({"http": HTTP, "https": HTTP, "all": ALL})
    http = rules.proxy_for(httpx.URL("http://x/"))
    assert http is not None and http is rules.proxy_for(httpx.URL("https://x/"))
    assert rules.proxy_for(httpx.URL("ws://x/")) is not http


def test_proxy_credentials_become_proxy_auth() -> None:
    proxy = ProxyRules({"https": "http://me:s3cret@proxy:8080"}).proxy_for(httpx.URL("https://x/"))
    assert proxy is not None
    assert proxy.auth == ("me", "s3cret")
    assert "s3cret" not in str(proxy.url)


@pytest.mark.parametrize("value", ["ftp://me:s3cret@proxy", "gopher://proxy"])
def test_an_unusable_proxy_url_is_a_typed_error_naming_the_variable(value: str) -> None:
    with pytest.raises(RespanValidationError, match="HTTPS_PROXY") as info:
        ProxyRules({"https": value})
    assert "s3cret" not in str(info.value)


def test_an_unreadable_no_proxy_entry_is_a_typed_error() -> None:
    with pytest.raises(RespanValidationError, match=r"NO_PROXY entry .example\.com:notaport."):
        ProxyRules({"https": HTTPS, "no": "example.com:notaport"})


def test_from_environment_reads_both_cases(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("HTTPS_PROXY", HTTPS)
    monkeypatch.setenv("no_proxy", "internal.example")
    rules = ProxyRules.from_environment()
    assert rules.proxy_for(httpx.URL("https://internal.example/")) is None
    proxy = rules.proxy_for(httpx.URL("https://api.respan.ai/"))
    assert proxy is not None and str(proxy.url) == HTTPS
    monkeypatch.setenv("https_proxy", ALL)  # the lower-case one wins
    proxy = ProxyRules.from_environment().proxy_for(httpx.URL("https://api.respan.ai/"))
    assert proxy is not None and str(proxy.url) == ALL
