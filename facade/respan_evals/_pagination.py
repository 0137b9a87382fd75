"""Walk a paginated list one page at a time, sync or async.

    >>> for score in iterate(lambda page: client_list_scores(page=page)):
    ...     print(score.id)                                   # doctest: +SKIP

A page is anything with `results` and `next_` (the generated list envelopes, whose generator
spells the `next` field `next_`), or anything else given `items=` and `next_link=` to read its
items and its link (the generated resources pass both, from the spec's x-respan-paginate).
The walk stops after a page whose link is null or absent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import Any, Protocol, TypeVar, overload

from ._errors import RespanError, RespanValidationError

__all__ = ["MAX_PAGE", "PageLike", "aiterate", "apages", "iterate", "pages"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
P = TypeVar("P")

# Infinite-loop guard: at 100 items a page this is 100 million items, far past any real list.
MAX_PAGE = 1_000_000


class PageLike(Protocol[T_co]):
    """A page of a list: its items and the link to the next page (None/Unset on the last)."""

    @property
    def results(self) -> Sequence[T_co]: ...

    @property
    def next_(self) -> object: ...


def pages(
    fetch: Callable[[int], P],
    *,
    start_page: int = 1,
    items: Callable[[P], Sequence[object]] | None = None,
    next_link: Callable[[P], object] | None = None,
) -> Iterator[P]:
    """Yield whole pages: fetch(start_page), fetch(start_page + 1), ... up to the last."""
    walk = _Walk(start_page)
    while (number := walk.number) is not None:
        page = fetch(number)
        yield page
        walk.advance(_read(page, items, next_link))
        del page  # hold one page at most: drop it before fetching the next


@overload
def iterate(fetch: Callable[[int], PageLike[T]], *, start_page: int = 1) -> Iterator[T]: ...
@overload
def iterate(
    fetch: Callable[[int], P],
    *,
    items: Callable[[P], Sequence[T]],
    next_link: Callable[[P], object],
    start_page: int = 1,
) -> Iterator[T]: ...
def iterate(
    fetch: Callable[[int], Any],
    *,
    items: Callable[[Any], Sequence[Any]] | None = None,
    next_link: Callable[[Any], object] | None = None,
    start_page: int = 1,
) -> Iterator[Any]:
    """Yield every item of every page, fetching a page only when the previous one is used up."""
    get = items or _results
    for page in pages(fetch, start_page=start_page, items=items, next_link=next_link):
        yield from get(page)
        del page  # so the next fetch runs with no page held here


async def apages(
    afetch: Callable[[int], Awaitable[P]],
    *,
    start_page: int = 1,
    items: Callable[[P], Sequence[object]] | None = None,
    next_link: Callable[[P], object] | None = None,
) -> AsyncIterator[P]:
    """`pages` for a coroutine fetch."""
    walk = _Walk(start_page)
    while (number := walk.number) is not None:
        page = await afetch(number)
        yield page
        walk.advance(_read(page, items, next_link))
        del page


@overload
def aiterate(
    afetch: Callable[[int], Awaitable[PageLike[T]]], *, start_page: int = 1
) -> AsyncIterator[T]: ...
@overload
def aiterate(
    afetch: Callable[[int], Awaitable[P]],
    *,
    items: Callable[[P], Sequence[T]],
    next_link: Callable[[P], object],
    start_page: int = 1,
) -> AsyncIterator[T]: ...
async def aiterate(
    afetch: Callable[[int], Awaitable[Any]],
    *,
    items: Callable[[Any], Sequence[Any]] | None = None,
    next_link: Callable[[Any], object] | None = None,
    start_page: int = 1,
) -> AsyncIterator[Any]:
    """`iterate` for a coroutine fetch."""
    get = items or _results
    async for page in apages(afetch, start_page=start_page, items=items, next_link=next_link):
        for item in get(page):
            yield item
        del page


def _results(page: Any) -> Sequence[object]:
    return page.results  # type: ignore[no-any-return]


def _read(
    page: Any,
    items: Callable[[Any], Sequence[object]] | None,
    next_link: Callable[[Any], object] | None,
) -> tuple[bool, object]:
    """(whether the page has items, its link to the next page)."""
    return bool((items or _results)(page)), (next_link(page) if next_link else page.next_)


class _Walk:
    """Which page comes next, shared by the sync and async walks.

    The walk ends after a page with no `next`. An empty page that still links to a next page is
    skipped once (items may have moved while we walked); two in a row, or a page number past
    MAX_PAGE, mean the server is looping, and the walk stops with a RespanError rather than
    spin forever or end quietly with a silently short list.
    """

    def __init__(self, start_page: int) -> None:
        if isinstance(start_page, bool) or not isinstance(start_page, int) or start_page < 1:
            raise RespanValidationError(f"start_page must be an int >= 1, got {start_page!r}")
        self.number: int | None = start_page
        self._empty_with_next = 0

    def advance(self, read: tuple[bool, object]) -> None:
        has_items, link = read
        number = self.number
        assert number is not None, "advance() after the last page"
        if not _has_next(link):
            self.number = None
            return
        self._empty_with_next = 0 if has_items else self._empty_with_next + 1
        if self._empty_with_next > 1:
            raise RespanError(
                f"pages {number - 1} and {number} were empty but linked to a next page: "
                "stopping rather than looping forever"
            )
        if number >= MAX_PAGE:
            raise RespanError(f"more than {MAX_PAGE} pages: stopping rather than looping forever")
        self.number = number + 1


def _has_next(link: object) -> bool:
    """A `next` link that is a non-empty str; None, Unset and "" mean this is the last page."""
    return isinstance(link, str) and link != ""
