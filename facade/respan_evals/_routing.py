"""Which proxy, if any, a URL is sent through: the environment's settings, read as httpx does.

    >>> rules = ProxyRules({"https": "proxy.corp:3128", "no": "localhost,.internal"})
    >>> rules.proxy_for(httpx.URL("https://api.respan.ai/")).url
    URL('http://proxy.corp:3128')
    >>> rules.proxy_for(httpx.URL("https://db.internal/")) is None
    True

The settings come from `urllib.request.getproxies()`, as a default httpx.Client takes them:
HTTP_PROXY, HTTPS_PROXY and ALL_PROXY (either case; the lower-case one wins) name the proxy for
http, https or any URL, the scheme's own before ALL_PROXY; a value without a scheme is an http
proxy. NO_PROXY is a comma-separated list of what goes direct (httpx's rules, after curl's):

    *                        everything (no proxy at all)
    example.com              example.com and every subdomain (not wwwexample.com)
    .example.com             the subdomains only
    localhost, 127.0.0.1, ::1   that host exactly
    10.0.0.0/8               that network (httpx reads only its first address; this reads it all)
    example.com:8443         that host, or domain, on that port only
    http://host[:port]       that scheme at that host; `all://` stands for any scheme

The most specific rule wins, in httpx's order: one with a port, then a longer host, then a
named scheme. Loopback hosts (localhost, 127.0.0.0/8, ::1) always go direct, as in curl: a
proxy elsewhere would otherwise read a local request, key and all, in plain http.

    >>> ProxyRules({"http": "proxy.corp:3128"}).proxy_for(httpx.URL("http://127.0.0.1:8000/"))
    >>> cleartext_hop(httpx.URL("http://api.example/"), None)
    'api.example'
"""

from __future__ import annotations

import ipaddress
import re
import urllib.request
from collections.abc import Mapping

import httpx

from ._errors import RespanValidationError

__all__ = ["ProxyRules", "cleartext_hop", "is_loopback"]

_IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
_IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class _Rule:
    """URLs matching scheme, host and port go through `proxy` (None: direct)."""

    __slots__ = ("host", "host_regex", "network", "port", "proxy", "scheme")

    def __init__(
        self,
        scheme: str,  # "" for any scheme
        host: str,  # "" for any host; else as written, for the ordering
        host_regex: re.Pattern[str] | None,
        network: _IPNetwork | None,
        port: int | None,
        proxy: httpx.Proxy | None,
    ) -> None:
        self.scheme = scheme
        self.host = host
        self.host_regex = host_regex
        self.network = network
        self.port = port
        self.proxy = proxy

    @property
    def priority(self) -> tuple[int, int, int, int]:
        """httpx's order (URLPattern.priority): a port first, then a longer host, then a scheme.

        On a tie, going direct wins: in httpx a NO_PROXY key replaces the same proxy key.
        """
        port = 0 if self.port is not None else 1
        return (port, -len(self.host), -len(self.scheme), 0 if self.proxy is None else 1)

    def matches(self, url: httpx.URL, address: _IPAddress | None) -> bool:
        if self.scheme and self.scheme != url.scheme:
            return False
        if self.port is not None and self.port != url.port:
            return False
        if self.network is not None:
            return address is not None and address in self.network
        return self.host_regex is None or self.host_regex.match(url.host) is not None


class ProxyRules:
    """The proxy, or none, for each URL: from a `urllib.request.getproxies()`-shaped mapping.

    Immutable once built: clients whose environment reads the same share one.
    """

    __slots__ = ("_any_network", "_rules")

    def __init__(self, settings: Mapping[str, str]) -> None:
        proxies: dict[str, httpx.Proxy] = {}  # one Proxy per distinct URL: one pool per proxy
        rules: list[_Rule] = []
        for scheme in ("http", "https", "all"):
            value = settings.get(scheme)
            if value:
                url = value if "://" in value else f"http://{value}"
                proxy = proxies.get(url) or proxies.setdefault(url, _proxy(scheme, url))
                pattern = "" if scheme == "all" else scheme
                rules.append(_Rule(pattern, "", None, None, None, proxy))
        for entry in (e.strip() for e in settings.get("no", "").split(",")):
            if entry == "*":
                rules = []  # as httpx: a `*` anywhere switches every proxy off
                break
            if entry:
                rules.append(_bypass(entry))
        rules.sort(key=lambda rule: rule.priority)
        self._rules = tuple(rules)
        self._any_network = any(rule.network is not None for rule in rules)

    @classmethod
    def from_environment(cls) -> ProxyRules:
        """The settings of this process's environment (and, on macOS and Windows, the system's)."""
        global _from_environment
        settings = urllib.request.getproxies()  # read afresh: the environment may have changed
        last = _from_environment
        if last is not None and type(last[1]) is cls and last[0] == settings:
            return last[1]  # as before: one set of rules per client costs memory, not safety
        rules = cls(settings)
        _from_environment = (settings, rules)
        return rules

    def proxy_for(self, url: httpx.URL) -> httpx.Proxy | None:
        """The proxy to send a request for `url` through, or None to connect directly."""
        if is_loopback(url.host):
            return None
        address = _address(url.host) if self._any_network else None
        for rule in self._rules:
            if rule.matches(url, address):
                return rule.proxy
        return None


# The last environment read and its rules (replaced whole: no lock needed).
_from_environment: tuple[dict[str, str], ProxyRules] | None = None


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine: localhost, 127.0.0.0/8 or ::1."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def cleartext_hop(url: httpx.URL, proxy: httpx.Proxy | None) -> str | None:
    """The host beyond this machine that a request for `url` via `proxy` reaches unencrypted.

    None when there is none: https is encrypted end to end (through a proxy, inside a CONNECT
    tunnel), and plain http to a loopback host never leaves the machine. Plain http through a
    proxy is read by the proxy whatever its scheme, so a proxy elsewhere is such a host.
    """
    if url.scheme != "http":
        return None
    if proxy is not None and not is_loopback(proxy.url.host):
        port = f":{proxy.url.port}" if proxy.url.port is not None else ""
        return f"the proxy {proxy.url.host}{port}"  # never its userinfo: it may hold a password
    return None if is_loopback(url.host) else url.host


def _proxy(scheme: str, url: str) -> httpx.Proxy:
    name = f"{scheme.upper()}_PROXY"
    try:
        return httpx.Proxy(url)
    except (ValueError, httpx.InvalidURL):
        # Never echo the value: a proxy URL may carry a password.
        raise RespanValidationError(
            f"{name} (or {name.lower()}) is not a proxy URL httpx can use: "
            "expected http://, https://, socks5:// or socks5h:// followed by a host"
        ) from None


def _bypass(entry: str) -> _Rule:
    """One NO_PROXY entry as a rule that sends matching URLs direct."""
    written = entry
    if "://" not in entry:
        network = _network(entry)
        if network is not None:
            return _Rule("", entry, None, network, None, None)
        if entry.lower() != "localhost":
            entry = f"*{entry}"  # a domain: itself and its subdomains (`.x` then: subdomains)
        entry = f"all://{entry}"
    try:
        url = httpx.URL(entry)
    except httpx.InvalidURL:
        raise RespanValidationError(
            f"NO_PROXY entry {written!r} is neither a host, a domain, an address nor a URL"
        ) from None
    host = url.host
    if not host or host == "*":
        regex = None
    elif host.startswith("*."):
        regex = re.compile(rf"^.+\.{re.escape(host[2:])}$")
    elif host.startswith("*"):
        regex = re.compile(rf"^(.+\.)?{re.escape(host[1:])}$")
    else:
        regex = re.compile(rf"^{re.escape(host)}$")
    scheme = "" if url.scheme == "all" else url.scheme
    return _Rule(scheme, "" if host == "*" else host, regex, None, url.port, None)


def _network(entry: str) -> _IPNetwork | None:
    """An IP address or network (`10.0.0.0/8`, `::1`, `[::1]`), or None if `entry` is not one."""
    try:
        return ipaddress.ip_network(entry.strip("[]"), strict=False)
    except ValueError:
        return None


def _address(host: str) -> _IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None
