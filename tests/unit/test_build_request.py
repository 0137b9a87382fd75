"""The generated layer builds each request itself (its URL parsed once, its body encoded once):
the request must be the one httpx's own build_request makes, for any client it is given."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from respan_evals_api.client import build_request


def _same(a: httpx.Request, b: httpx.Request) -> None:
    assert a.method == b.method
    assert str(a.url) == str(b.url)
    assert a.url.raw_path == b.url.raw_path
    assert a.headers.multi_items() == b.headers.multi_items()
    assert a.read() == b.read()
    assert a.extensions == b.extensions


# These clients build requests and never connect: no CA store to load (20 ms a client).
OFFLINE = {"verify": False}
CLIENTS = [
    {"base_url": "https://api.respan.ai"},
    {"base_url": "https://api.respan.ai/"},
    {"base_url": "https://host.example/prefix"},
    {"base_url": "http://127.0.0.1:8080/a/b/"},
    {"base_url": "https://api.respan.ai", "params": {"tenant": "t1", "page": "9"}},
    {"base_url": "https://api.respan.ai", "cookies": {"session": "abc"}},
    {"base_url": "https://api.respan.ai", "headers": {"X-Team": "evals", "Accept": "text/x"}},
    {"base_url": "https://api.respan.ai", "timeout": httpx.Timeout(3, connect=1)},
    {"base_url": "https://bücher.example/ä"},
]
KWARGS: list[dict[str, Any]] = [
    {"method": "get", "url": "/api/scores/score%2F1/"},
    {"method": "get", "url": "/api/scores/", "params": {"page": 2, "page_size": 10}},
    {
        "method": "post",
        "url": "/api/logs/log_1/scores/",
        "json": {"numerical_value": 4.5, "note": "é ✓", "nested": {"a": [1, None]}},
        "headers": {"Content-Type": "application/json"},
    },
    {"method": "post", "url": "/api/x/", "headers": {"Accept": "application/json"}},
    {"method": "delete", "url": "/api/scores/s/"},
]


@pytest.mark.parametrize("settings", CLIENTS, ids=range(len(CLIENTS)))
@pytest.mark.parametrize("kwargs", KWARGS, ids=range(len(KWARGS)))
def test_the_request_is_the_one_httpx_builds(settings: dict[str, Any], kwargs: Any) -> None:
    for http in (httpx.Client(**settings, **OFFLINE), httpx.AsyncClient(**settings, **OFFLINE)):
        _same(build_request(http, dict(kwargs)), http.build_request(**kwargs))


def test_a_json_body_is_encoded_as_httpx_encodes_it() -> None:
    http = httpx.Client(base_url="https://api.respan.ai", **OFFLINE)
    body = {"text": "naïve ✓", "n": 1.5, "list": [True, None]}
    built = build_request(http, {"method": "post", "url": "/x/", "json": body})
    assert built.read() == http.build_request("POST", "/x/", json=body).read()
    assert json.loads(built.read()) == body


@pytest.mark.parametrize(
    ("settings", "kwargs"),
    [
        ({"base_url": "https://h.example/?v=1"}, {"method": "get", "url": "/x/"}),
        ({"base_url": "https://h.example"}, {"method": "get", "url": "https://other.example/x"}),
        ({"base_url": "https://h.example"}, {"method": "post", "url": "/x/", "data": {"a": "1"}}),
        ({"base_url": "https://h.example"}, {"method": "get", "url": "/x/", "cookies": {"c": "1"}}),
    ],
)
def test_what_it_does_not_build_is_left_to_httpx(
    settings: dict[str, Any], kwargs: dict[str, Any]
) -> None:
    http = httpx.Client(**settings, **OFFLINE)
    _same(build_request(http, dict(kwargs)), http.build_request(**kwargs))


@pytest.mark.parametrize("value", [float("nan"), float("inf"), object()])
def test_a_body_json_cannot_hold_raises_before_anything_is_built(value: object) -> None:
    http = httpx.Client(base_url="https://h.example", **OFFLINE)
    with pytest.raises((ValueError, TypeError)):
        build_request(http, {"method": "post", "url": "/x/", "json": {"v": value}})
