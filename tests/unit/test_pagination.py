"""Page walks, sync and async, and the guard against a server that loops."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pytest

from respan_evals import _pagination
from respan_evals._errors import RespanError, RespanValidationError
from respan_evals._pagination import aiterate, apages, iterate, pages


class Unset:
    """Stands in for the generated client's UNSET sentinel."""


UNSET = Unset()


@dataclass
class Page:
    results: list[int]
    next_: str | Unset | None


class Server:
    """Serves a fixed list of pages and records which page numbers were asked for."""

    def __init__(self, pages: Sequence[Page]) -> None:
        self._pages = {i + 1: p for i, p in enumerate(pages)}
        self.asked: list[int] = []

    def fetch(self, page: int) -> Page:
        self.asked.append(page)
        return self._pages[page]

    async def afetch(self, page: int) -> Page:
        return self.fetch(page)


def link(n: int) -> str:
    return f"https://api.respan.ai/api/scores/list/?page={n}"


CASES: list[tuple[str, list[Page], list[int], list[int]]] = [
    ("one page, next null", [Page([1, 2], None)], [1, 2], [1]),
    ("one page, next unset", [Page([1, 2], UNSET)], [1, 2], [1]),
    ("one page, next empty", [Page([1, 2], "")], [1, 2], [1]),
    ("empty list", [Page([], None)], [], [1]),
    (
        "three pages",
        [Page([1, 2], link(2)), Page([3, 4], link(3)), Page([5], None)],
        [1, 2, 3, 4, 5],
        [1, 2, 3],
    ),
    (
        "one empty page with next is skipped",
        [Page([1], link(2)), Page([], link(3)), Page([2], None)],
        [1, 2],
        [1, 2, 3],
    ),
    (
        "empty pages with next, not in a row",
        [Page([], link(2)), Page([1], link(3)), Page([], link(4)), Page([2], None)],
        [1, 2],
        [1, 2, 3, 4],
    ),
    (
        "stops at the first page without next",
        [Page([1], None), Page([2], None)],
        [1],
        [1],
    ),
]


@pytest.mark.parametrize(
    ("served", "items", "asked"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_iterate(served: list[Page], items: list[int], asked: list[int]) -> None:
    server = Server(served)
    assert list(iterate(server.fetch)) == items
    assert server.asked == asked


@pytest.mark.parametrize(
    ("served", "items", "asked"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
async def test_aiterate(served: list[Page], items: list[int], asked: list[int]) -> None:
    server = Server(served)
    assert [item async for item in aiterate(server.afetch)] == items
    assert server.asked == asked


def test_pages_yields_whole_pages() -> None:
    served = [Page([1, 2], link(2)), Page([3], None)]
    assert list(pages(Server(served).fetch)) == served


async def test_apages_yields_whole_pages() -> None:
    served = [Page([1, 2], link(2)), Page([3], None)]
    assert [p async for p in apages(Server(served).afetch)] == served


def test_start_page() -> None:
    server = Server([Page([1], link(2)), Page([2], link(3)), Page([3], None)])
    assert list(iterate(server.fetch, start_page=2)) == [2, 3]
    assert server.asked == [2, 3]


def test_fetches_lazily_one_page_at_a_time() -> None:
    server = Server([Page([1, 2], link(2)), Page([3], None)])
    items = iterate(server.fetch)
    assert server.asked == []
    assert next(items) == 1
    assert next(items) == 2
    assert server.asked == [1]
    assert next(items) == 3
    assert server.asked == [1, 2]


def test_two_empty_pages_with_next_in_a_row_stop_with_an_error() -> None:
    server = Server([Page([1], link(2)), Page([], link(3)), Page([], link(4)), Page([9], None)])
    got: list[int] = []
    with pytest.raises(RespanError, match="pages 2 and 3 were empty"):
        got.extend(iterate(server.fetch))
    assert got == [1]
    assert server.asked == [1, 2, 3]


async def test_async_loop_guard() -> None:
    server = Server([Page([], link(2)), Page([], link(3)), Page([1], None)])
    with pytest.raises(RespanError, match="empty but linked"):
        [item async for item in aiterate(server.afetch)]


def test_page_number_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_pagination, "MAX_PAGE", 5)

    def endless(page: int) -> Page:
        return Page([page], link(page + 1))

    got: list[int] = []
    with pytest.raises(RespanError, match="more than 5 pages"):
        got.extend(iterate(endless))
    assert got == [1, 2, 3, 4, 5]


def test_the_default_page_bound() -> None:
    assert _pagination.MAX_PAGE == 1_000_000


@pytest.mark.parametrize("start_page", [0, -1, True, 1.5, "2"])
def test_rejects_a_bad_start_page(start_page: object) -> None:
    with pytest.raises(RespanValidationError, match="start_page"):
        list(iterate(Server([]).fetch, start_page=start_page))  # type: ignore[arg-type]


def test_errors_from_fetch_pass_through() -> None:
    def broken(page: int) -> Page:
        raise KeyError("boom")

    with pytest.raises(KeyError):
        list(iterate(broken))


def endless_pages(last: int) -> tuple[list[weakref.ref[Page]], Callable[[int], Page]]:
    """A fetch that builds each page fresh and checks no earlier page is still alive."""
    made: list[weakref.ref[Page]] = []

    def fetch(page: int) -> Page:
        assert [ref() for ref in made if ref() is not None] == [], "an old page is still held"
        built = Page([page], link(page + 1) if page < last else None)
        made.append(weakref.ref(built))
        return built

    return made, fetch


def test_holds_one_page_at_most() -> None:
    made, fetch = endless_pages(4)
    assert list(iterate(fetch)) == [1, 2, 3, 4]
    assert len(made) == 4


async def test_async_holds_one_page_at_most() -> None:
    made, fetch = endless_pages(3)

    async def afetch(page: int) -> Page:
        return fetch(page)

    assert [item async for item in aiterate(afetch)] == [1, 2, 3]
    assert len(made) == 3
