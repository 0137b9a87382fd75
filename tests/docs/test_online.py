"""Online mode against a local HTTP server: pages fetched (markdown first), failures named."""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from docs_check.parse import ERRORS, FIELD_SECTIONS

from tests.docs import _pages
from tests.docs._run import Run, run, write_spec

Capture = pytest.CaptureFixture[str]


@dataclass
class Site:
    """A docs site on 127.0.0.1: path -> (status, content type, body, delay in seconds)."""

    base: str
    routes: dict[str, tuple[int, str, str, float]] = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)


@pytest.fixture
def site() -> Iterator[Site]:
    served = Site(base="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the name http.server calls
            served.requested.append(self.path)
            status, kind, body, delay = served.routes.get(self.path, (404, "text/plain", "", 0))
            time.sleep(delay)
            data = body.encode("utf-8")
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the client gave up first (the timeout test)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    served.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def rendered(text: str) -> str:
    """A page's text as the HTML a docs site would serve: headings apart, one block a line."""
    blocks = []
    for line in text.splitlines():
        if line in FIELD_SECTIONS or line == ERRORS:
            blocks.append(f"<h3>{html.escape(line)}</h3>")
        elif line.strip():
            blocks.append(f"<div>{html.escape(line)}</div>")
    return "<!DOCTYPE html><html><head><script>x()</script></head><body>" + "".join(blocks)


def serve_all(site: Site, create: str = _pages.CREATE) -> None:
    # create: HTML only (no markdown variant); retrieve: the markdown variant, the HTML
    # being something else; delete: nothing at all.
    site.routes["/docs/create-label"] = (200, "text/html", rendered(create), 0)
    site.routes["/docs/retrieve-label.md"] = (200, "text/markdown", _pages.RETRIEVE, 0)
    site.routes["/docs/retrieve-label"] = (200, "text/html", "<!DOCTYPE html><p>other</p>", 0)


def check_online(site: Site, tmp_path: Path, capsys: Capture, *args: str, spec: str = _pages.SPEC
                 ) -> Run:  # fmt: skip
    return run(capsys, "--spec", str(write_spec(tmp_path, spec, site.base)), *args)


def test_pages_are_fetched_compared_and_a_missing_one_is_named(
    site: Site, tmp_path: Path, capsys: Capture
) -> None:
    serve_all(site)
    result = check_online(site, tmp_path, capsys)
    assert result.code == 1
    assert result.found == []  # create and retrieve agree with the spec
    assert (
        f"delete_label (DELETE /api/labels/{{label_id}}/): cannot fetch {site.base}"
        "/docs/delete-label: HTTP 404 Not Found"
    ) in result.out
    assert "2 pages compared (2 agree with the spec)" in result.out
    assert "/docs/create-label.md" in site.requested  # the markdown variant was asked first
    assert "/docs/retrieve-label" not in site.requested  # ... and used when served


def test_a_fetched_page_that_differs_is_reported(
    site: Site, tmp_path: Path, capsys: Capture
) -> None:
    serve_all(site, _pages.CREATE.replace("weightdoubleOptional", "weightintegerOptional"))
    site.routes["/docs/delete-label.md"] = (200, "text/plain", _pages.DELETE, 0)
    result = check_online(site, tmp_path, capsys)
    assert (result.code, result.found) == (
        1,
        ["request field weight: type `integer` on the page, `double` in the spec"],
    )


def test_a_page_that_prints_another_route_is_reported(
    site: Site, tmp_path: Path, capsys: Capture
) -> None:
    serve_all(site, _pages.CREATE.replace("POST\n", "PUT\n"))
    site.routes["/docs/delete-label.md"] = (200, "text/plain", _pages.DELETE, 0)
    result = check_online(site, tmp_path, capsys)
    assert result.found == ["the page prints PUT /api/labels/"]


def test_a_page_that_does_not_answer_in_time_is_named(
    site: Site, tmp_path: Path, capsys: Capture
) -> None:
    serve_all(site)
    site.routes["/docs/delete-label"] = (200, "text/plain", "late", 1.0)
    site.routes["/docs/delete-label.md"] = (200, "text/plain", "late", 1.0)
    result = check_online(site, tmp_path, capsys, "--timeout", "0.2")
    assert result.code == 1
    assert "/docs/delete-label: no answer within 0.2 s" in result.out
    assert "2 pages compared" in result.out  # the others were not affected


def test_an_operation_allowlisted_as_having_no_page_is_not_fetched(
    site: Site, tmp_path: Path, capsys: Capture
) -> None:
    serve_all(site)
    spec = _pages.SPEC.replace(
        "      operationId: delete_label\n",
        "      operationId: delete_label\n"
        "      x-respan-docs-deviations: {page: Not published yet.}\n",
    )
    result = check_online(site, tmp_path, capsys, "--show-allowed", spec=spec)
    assert result.code == 0
    assert not [path for path in site.requested if "delete" in path]
    assert "not checked, no page: Not published yet." in result.out
