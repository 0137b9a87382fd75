"""pytest plugin: the `respan_emulator` fixture, a running Emulator per test in strict mode.

Registered through the `pytest11` entry point. Loading it needs nothing beyond pytest; the
emulator's own dependencies (the `respan-evals[emulator]` extra) are imported only when a test
asks for the fixture.

    def test_create(respan_emulator):
        client = httpx.Client(base_url=respan_emulator.base_url, headers=respan_emulator.headers)
        ...

Options go in a marker: `@pytest.mark.respan_emulator(rate_limit=None, faults=FaultPlan(...))`
(any `Emulator` keyword argument).
"""

from __future__ import annotations

import atexit
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ._emulator import Emulator
    from ._server import ServerThread

# One loopback server for the whole session; each test gets a fresh Emulator attached to it
# (starting and stopping uvicorn per test would cost ~0.1 s each).
_shared: list[ServerThread] = []


def _shared_server() -> ServerThread:
    from ._server import Mux, ServerThread

    if _shared and _shared[0].running:
        return _shared[0]
    server = ServerThread(Mux())
    server.start()
    _shared[:] = [server]
    atexit.register(server.stop)
    return server


__all__ = ["pytest_configure", "respan_emulator", "running_emulator"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "respan_emulator(**kwargs): Emulator keyword arguments for the respan_emulator fixture",
    )


@pytest.fixture
def respan_emulator(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """A started Emulator (strict: spec-breaking responses become 500s); teardown fails the
    test if any response broke the spec."""
    marker = request.node.get_closest_marker("respan_emulator")
    yield from running_emulator(dict(marker.kwargs) if marker is not None else {})


def running_emulator(options: dict[str, Any]) -> Iterator[Emulator]:
    """The fixture's body: start (or attach) an Emulator, yield it, check it afterwards."""
    try:
        from ._emulator import Emulator
    except ImportError as exc:  # the extra is not installed
        pytest.fail(
            "respan_emulator needs the emulator extra "
            f"(pip install 'respan-evals[emulator]'): {exc}",
            pytrace=False,
        )
    options.setdefault("strict", True)
    emu = Emulator(**options)
    if "host" in options or "port" in options:
        emu.start()  # a server of its own on the requested address
    else:
        emu.attach(_shared_server())
    try:
        yield emu
    finally:
        emu.stop()
    if emu.violations:
        lines = "\n".join(f"  - {v}" for v in emu.violations)
        pytest.fail(f"emulator responses broke the API spec:\n{lines}", pytrace=False)
