"""A base URL ending in /api is refused with the URL to use (the paths start with /api/)."""

from __future__ import annotations

import pytest

from respan_evals import AsyncRespan, Respan, RespanValidationError

CLIENTS = [Respan, AsyncRespan]


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize(
    ("given", "fix"),
    [
        ("https://api.respan.ai/api", "https://api.respan.ai"),
        ("https://api.respan.ai/api/", "https://api.respan.ai"),
        ("https://api.respan.ai/API", "https://api.respan.ai"),
        ("https://gateway.example:8443/respan/api/", "https://gateway.example:8443/respan"),
        ("http://127.0.0.1:8765/api", "http://127.0.0.1:8765"),
    ],
)
def test_a_base_url_ending_in_api_is_refused_with_the_fix(cls: type, given: str, fix: str) -> None:
    with pytest.raises(RespanValidationError) as caught:
        cls("sk_test_key", base_url=given)
    assert str(caught.value).startswith(f"base_url is the host, without /api: use {fix} (got ")


@pytest.mark.parametrize("cls", CLIENTS)
def test_the_environment_variable_is_checked_too(
    cls: type, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESPAN_BASE_URL", "https://api.respan.ai/api/")
    with pytest.raises(RespanValidationError) as caught:
        cls("sk_test_key")
    assert "without /api: use https://api.respan.ai (got " in str(caught.value)


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize(
    "url", ["https://api.respan.ai", "https://api.respan.ai/", "https://x.example/apis"]
)
def test_other_base_urls_are_kept(cls: type, url: str) -> None:
    client = cls("sk_test_key", base_url=url)
    assert repr(client).startswith(f"{cls.__name__}(base_url={url.rstrip('/')!r}")


def test_the_key_is_not_in_the_message() -> None:
    with pytest.raises(RespanValidationError) as caught:
        Respan("sk_test_SECRET_9c1", base_url="https://api.respan.ai/api")
    assert "sk_test_SECRET_9c1" not in str(caught.value)
