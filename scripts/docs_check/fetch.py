"""Online mode: each operation's reference page by plain HTTP GET (markdown variant first)."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from docs_check.html_text import html_to_text, looks_like_html

USER_AGENT = "respan-evals check-docs"


class FetchError(Exception):
    """A page could not be fetched; the message says why."""


def markdown_variant(url: str) -> str:
    """The site's markdown rendering of a page: its address plus `.md`."""
    return url.rstrip("/") + ".md"


def fetch_page(client: httpx.Client, url: str, usable: Callable[[str], bool]) -> tuple[str, str]:
    """(text, address it came from): the markdown variant if served and `usable`, else the page."""
    try:
        answer = client.get(markdown_variant(url))
    except httpx.HTTPError:
        answer = None
    if answer is not None and answer.status_code == 200:
        text = answer.text
        if not looks_like_html(text) and usable(text):
            return text, str(answer.url)
    try:
        answer = client.get(url)
    except httpx.TimeoutException:
        raise FetchError(f"no answer within {client.timeout.read} s") from None
    except httpx.HTTPError as error:
        raise FetchError(f"{type(error).__name__}: {error}".rstrip(": ")) from None
    if answer.status_code != 200:
        raise FetchError(f"HTTP {answer.status_code} {answer.reason_phrase}".rstrip())
    text = answer.text
    return (html_to_text(text) if looks_like_html(text) else text), str(answer.url)


def client(timeout: float) -> httpx.Client:
    """A plain client: the timeout on connect and on each read, redirects followed."""
    return httpx.Client(
        timeout=httpx.Timeout(timeout),
        follow_redirects=True,
        headers={"User-Agent": USER_AGENT, "Accept": "text/markdown, text/plain, text/html"},
    )
