"""pytest plugin: the `respan_emulator` fixture (a running Emulator per test, strict, no rate
limit) and `respan_client` / `async_respan_client` (a client bound to it, pacing off).

Registered through the `pytest11` entry point. Loading it needs nothing beyond pytest; the
emulator's own dependencies (the `respan-evals[emulator]` extra) are imported only when a test
asks for a fixture.

    def test_my_code_scores(respan_emulator, respan_client):
        respan_emulator.create_evaluator(evaluator_slug="quality")
        my_code.score_all(respan_client)
        assert respan_emulator.score_count() == 3

Options go in a marker: `@pytest.mark.respan_emulator(rate_limit=60, faults=FaultPlan(...))`
(any `Emulator` keyword argument). Unlike `Emulator(...)`, the fixture serves without a rate
limit unless the marker asks for one; the clients then pace at that rate, as in production.
`async_respan_client` is an async fixture: it needs pytest-asyncio (or anyio's plugin).
"""

from __future__ import annotations

import atexit
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from respan_evals import AsyncRespan, Respan

    from ._emulator import Emulator
    from ._server import ServerThread

try:  # the client must be closed on the loop the test used, so the fixture runs on it
    from pytest_asyncio import fixture as _async_fixture
except ImportError:  # anyio's pytest plugin runs plain async fixtures in anyio tests
    _async_fixture = pytest.fixture  # type: ignore[assignment]  # same use, other overloads

# One loopback server for the whole session; each test gets a fresh Emulator attached to it
# (starting and stopping a server per test would cost milliseconds each).
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


__all__ = [
    "async_respan_client",
    "client_options",
    "pytest_configure",
    "respan_client",
    "respan_emulator",
    "running_emulator",
]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "respan_emulator(**kwargs): Emulator keyword arguments for the respan_emulator fixture "
        "(rate_limit defaults to None: off)",
    )


@pytest.fixture
def respan_emulator(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """A started Emulator (strict: spec-breaking responses become 500s; no rate limit unless
    the marker sets one); teardown fails the test if any response broke the spec."""
    marker = request.node.get_closest_marker("respan_emulator")
    yield from running_emulator(dict(marker.kwargs) if marker is not None else {})


@pytest.fixture
def respan_client(respan_emulator: Emulator) -> Iterator[Respan]:
    """A `Respan` bound to `respan_emulator` with its key; closed at teardown."""
    from respan_evals import Respan

    with Respan(**client_options(respan_emulator)) as client:
        yield client


@_async_fixture
async def async_respan_client(respan_emulator: Emulator) -> AsyncIterator[AsyncRespan]:
    """An `AsyncRespan` bound to `respan_emulator` with its key; closed at teardown."""
    from respan_evals import AsyncRespan

    async with AsyncRespan(**client_options(respan_emulator)) as client:
        yield client


def client_options(emu: Emulator) -> dict[str, Any]:
    """The client keywords for `emu`: its URL and first key, pacing at its rate limit (off
    when it has none, so tests go as fast as the emulator answers)."""
    return {"api_key": emu.api_key, "base_url": emu.base_url, "rate_limit": emu.rate_limit}


def running_emulator(options: dict[str, Any]) -> Iterator[Emulator]:
    """The fixture's body: start (or attach) an Emulator, yield it, check it afterwards."""
    try:
        from ._emulator import Emulator
    except ImportError as exc:  # the extra is not installed
        from . import EXTRA_HINT

        pytest.fail(
            f"respan_emulator needs the emulator extra ({EXTRA_HINT}): {exc}", pytrace=False
        )
    options.setdefault("strict", True)
    options.setdefault("rate_limit", None)  # tests are fast by default; the marker can set one
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
