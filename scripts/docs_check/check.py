"""The two modes: saved pages matched to operations by what they print, or each page fetched."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from docs_check import fetch
from docs_check.compare import Difference, compare
from docs_check.html_text import html_to_text, looks_like_html
from docs_check.page import Page, Unreadable
from docs_check.parse import parse_page
from docs_check.spec_model import Operation

# The allowlist key on an operation whose reference page is known not to exist.
NO_PAGE = "page"
_PARAM = re.compile(r"\{[^}]*\}")


@dataclass
class Checked:
    """One operation compared with one page."""

    op: Operation
    source: str
    differences: list[Difference]
    unreadable: list[Unreadable]
    note: str | None = None


@dataclass
class Outcome:
    """Everything a run found."""

    checked: list[Checked] = field(default_factory=list)
    # Pages that match no operation: (source, why), with the lines that could not be read.
    unmatched: list[tuple[str, str, list[Unreadable]]] = field(default_factory=list)
    failed: list[tuple[Operation, str]] = field(default_factory=list)  # could not fetch
    skipped: list[tuple[Operation, str]] = field(default_factory=list)  # allowlisted: no page
    uncovered: list[Operation] = field(default_factory=list)  # offline: no page given

    def problems(self) -> int:
        """How many things differ beyond the allowlist (the exit status is 1 when any)."""
        return (
            sum(
                len([d for d in one.differences if d.allowed is None]) + len(one.unreadable)
                for one in self.checked
            )
            + sum(1 + len(lines) for _, _, lines in self.unmatched)
            + len(self.failed)
        )


def route(method: str, path: str) -> tuple[str, str]:
    """A method and path with the parameter names left out (`:id` and `{id}` alike)."""
    return method, _PARAM.sub("{}", path)


def read_page(path: Path) -> Page:
    """A saved page (text, markdown or HTML), parsed."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return parse_page(html_to_text(text) if looks_like_html(text) else text, path.name)


def check_saved(pages: list[Page], ops: list[Operation]) -> Outcome:
    """Each saved page compared with the operation whose method and path it prints."""
    outcome = Outcome()
    by_route = {route(op.method, op.path): op for op in ops}
    by_title = {op.summary.casefold(): op for op in ops if op.summary}
    taken: dict[str, str] = {}
    for page in pages:
        note = None
        if page.method and page.path:
            op = by_route.get(route(page.method, page.path))
            if op is None:
                why = f"prints {page.method} {page.path}, which is no operation of the spec"
                outcome.unmatched.append((page.source, why, page.unreadable))
                continue
        else:
            # Some renderings start at the title: no method, no URL. Fall back to the title.
            titles = [line.casefold() for line in page.candidate_titles]
            titled = [by_title[title] for title in titles if title in by_title]
            if not titled:
                why = "prints no method and path, and no line of it is an operation's summary"
                outcome.unmatched.append((page.source, why, page.unreadable))
                continue
            op = titled[0]
            note = f"the page prints no method and path; matched by its title {op.summary!r}"
        if op.op_id in taken:
            why = f"a second page for {op.label()} (the first: {taken[op.op_id]})"
            outcome.unmatched.append((page.source, why, page.unreadable))
            continue
        taken[op.op_id] = page.source
        outcome.checked.append(
            Checked(op, page.source, compare(page, op), list(page.unreadable), note)
        )
    outcome.uncovered = [op for op in ops if op.op_id not in taken]
    return outcome


def check_online(ops: list[Operation], timeout: float) -> Outcome:
    """Each operation's `externalDocs.url` fetched and compared; a page that fails is named."""
    outcome = Outcome()
    with fetch.client(timeout) as client:
        for op in ops:
            if NO_PAGE in op.deviations:
                outcome.skipped.append((op, op.deviations[NO_PAGE]))
                continue
            if not op.docs_url:
                outcome.failed.append((op, "no externalDocs.url in the spec"))
                continue
            try:
                text, source = fetch.fetch_page(client, op.docs_url, _prints_route)
            except fetch.FetchError as error:
                outcome.failed.append((op, f"cannot fetch {op.docs_url}: {error}"))
                continue
            page = parse_page(text, source)
            differences = _route_differences(page, op) + compare(page, op)
            note = None if page.method else "the page prints no method and path"
            outcome.checked.append(Checked(op, source, differences, list(page.unreadable), note))
    return outcome


def _route_differences(page: Page, op: Operation) -> list[Difference]:
    # The page an operation links to must be about that operation.
    if not (page.method and page.path) or route(page.method, page.path) == route(
        op.method, op.path
    ):
        return []
    return [
        Difference(
            key="method and path",
            message=f"the page prints {page.method} {page.path}",
            allowed=op.deviations.get("method and path"),
        )
    ]


def _prints_route(text: str) -> bool:
    page = parse_page(text, "")
    return page.method is not None
