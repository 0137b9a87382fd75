"""Shared pieces of the fault and abuse suite: the fake key, a recording MockTransport, clients
wired to it or to the emulator, and the fault table written at the end of every test run."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from respan_evals import AsyncRespan, Respan
from respan_evals.testing import Emulator

# The plugin is registered through the package's pytest11 entry point; importing it here keeps
# the fixture available when pytest runs with plugin autoloading off.
from respan_evals.testing.pytest_plugin import respan_emulator

__all__ = ["respan_emulator"]

KEY = "sk_test_SECRET_do_not_leak_42"
BASE = "https://api.respan.ai"
SCORE: dict[str, Any] = {
    "id": "score_1",
    "created_at": "2024-05-01T12:00:00Z",
    "numerical_value": 4.5,
    "evaluator_slug": "quality",
    "log_id": "log_1",
}

# ---- the fault table ----------------------------------------------------------------------
TABLE = pytest.StashKey[list[dict[str, Any]]]()
LINES = pytest.StashKey[list[str]]()
COLUMNS = (
    ("fault", 18),
    ("call", 14),
    ("calls", 5),
    ("faults injected", 15),
    ("retries", 7),
    ("succeeded", 9),
    ("outcome-unknown", 15),
    ("failed", 6),
    ("lost", 4),
    ("duplicated", 10),
    ("misreported", 11),
)


@pytest.fixture
def fault_table(request: pytest.FixtureRequest) -> list[dict[str, Any]]:
    """Rows appended here are written as one table to TABLE_FILE (and printed with -v)."""
    stash = request.config.stash
    if TABLE not in stash:
        stash[TABLE] = []
    return stash[TABLE]


@pytest.fixture
def summary_lines(request: pytest.FixtureRequest) -> list[str]:
    """Lines appended here go above the table (the concurrency figures)."""
    stash = request.config.stash
    if LINES not in stash:
        stash[LINES] = []
    return stash[LINES]


# Where the tables go: a file beside pyproject.toml, so that `make test` ends on pytest's own
# pass line; `-v` prints them in the terminal too.
TABLE_FILE = ".pytest-fault-table.txt"


def _tables(config: pytest.Config) -> list[str]:
    """The concurrency figures and the fault table, as lines (none when no test added a row)."""
    out: list[str] = []
    lines = config.stash.get(LINES, [])
    if lines:
        out += ["== respan-evals reliability: one client, many callers ==", *lines]
    rows = config.stash.get(TABLE, [])
    if rows:
        out.append("== respan-evals reliability: injected faults vs. what was stored ==")
        out.append(" | ".join(name.ljust(width) for name, width in COLUMNS))
        out.append("-+-".join("-" * width for _, width in COLUMNS))
        for row in rows:
            out.append(" | ".join(str(row.get(name, "")).ljust(width) for name, width in COLUMNS))
        out.append(
            "lost = reported success not stored; duplicated = stored more than once; "
            "misreported = failure reported with outcome_unknown=False, yet stored (plain creates)"
        )
    return out


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    tables = _tables(config)
    if not tables:
        return
    path = config.rootpath / TABLE_FILE
    try:
        path.write_text("\n".join(line.rstrip() for line in tables) + "\n", encoding="utf-8")
    except OSError:  # a read-only checkout: the terminal is the only place left
        written = False
    else:
        written = True
    if config.get_verbosity() > 0 or not written:
        terminalreporter.section("respan-evals reliability")
        for line in tables:
            terminalreporter.write_line(line)
    if written:
        terminalreporter.write_line(f"respan-evals reliability tables: {path} (-v prints them)")


# ---- a recording MockTransport --------------------------------------------------------------
Reply = Callable[[httpx.Request], httpx.Response]


def created(request: httpx.Request) -> httpx.Response:
    """A 201 with a minimal score, whatever was asked."""
    return httpx.Response(201, json=SCORE)


@dataclass
class Recorder:
    """A fake server: records every request that reaches the wire and answers with `reply`."""

    reply: Reply = created
    requests: list[httpx.Request] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.reply(request)

    async def ahandle(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.requests.append(request)
        return self.reply(request)

    def client(self, **kwargs: Any) -> Respan:
        kwargs.setdefault("rate_limit", None)
        kwargs.setdefault("max_retries", 0)
        transport = httpx.MockTransport(self.handle)
        return Respan(KEY, http_client=httpx.Client(transport=transport), **kwargs)

    def aclient(self, **kwargs: Any) -> AsyncRespan:
        kwargs.setdefault("rate_limit", None)
        kwargs.setdefault("max_retries", 0)
        transport = httpx.MockTransport(self.ahandle)
        return AsyncRespan(KEY, http_client=httpx.AsyncClient(transport=transport), **kwargs)


# ---- counting what reaches the emulator -----------------------------------------------------
@dataclass
class Sends:
    """Every attempt the client put on the wire (retries included), with its send time."""

    times: list[float] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def hook(self, request: httpx.Request) -> None:
        with self.lock:
            self.times.append(time.monotonic())
            self.paths.append(request.url.path)

    async def ahook(self, request: httpx.Request) -> None:
        self.hook(request)

    def __len__(self) -> int:
        return len(self.times)

    def sync_http(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(event_hooks={"request": [self.hook]}, **kwargs)

    def async_http(self, **kwargs: Any) -> httpx.AsyncClient:
        return httpx.AsyncClient(event_hooks={"request": [self.ahook]}, **kwargs)


def wait_until_settled(emu: Emulator, sends: Sends, limit: float = 3.0) -> None:
    """Wait for the emulator to finish every request the client sent (a timed-out request is
    still being served, and may still write, after the client gave up on it)."""
    deadline = time.monotonic() + limit
    while len(emu.requests) < len(sends) and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.05)


@pytest.fixture
def emu(respan_emulator: Emulator) -> Iterator[Emulator]:
    """The strict fixture emulator, rate limit off, faults cleared at the end."""
    respan_emulator.set_rate_limit(None)
    yield respan_emulator
    respan_emulator.clear_faults()
