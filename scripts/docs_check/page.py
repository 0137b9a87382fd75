"""What a reference page says about its operation, as read from the page's text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from docs_check.vocabulary import Typed


@dataclass(frozen=True)
class PageField:
    """One entry of a field list: name, type, Required/Optional (None: not printed)."""

    name: str
    typed: Typed
    required: bool | None
    line: int
    description: str = ""


@dataclass(frozen=True)
class Unreadable:
    """A line the parser could not read, with why."""

    line: int
    text: str
    why: str


@dataclass
class Page:
    """A parsed page. Sections the page does not have are None."""

    source: str
    title: str | None = None
    method: str | None = None
    path: str | None = None
    path_params: list[PageField] | None = None
    query_params: list[PageField] | None = None
    headers: list[PageField] | None = None
    request: list[PageField] | None = None
    response: list[PageField] | None = None
    errors: list[tuple[int, str]] | None = None
    example_request: Any = None
    example_response: Any = None
    has_example_request: bool = False
    has_example_response: bool = False
    unreadable: list[Unreadable] = field(default_factory=list)
    candidate_titles: list[str] = field(default_factory=list)
