"""The reliability tables: fault rows and concurrency figures that tests add, written once per run.

Under pytest-xdist each worker keeps what its tests added and hands it to the controller when it
finishes (`workeroutput`); only the process that reports the run writes TABLE_FILE and prints.
Rows come out in collection order whichever worker ran them, as in a serial run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

__all__ = [
    "TABLE_FILE",
    "fault_table",
    "pytest_sessionfinish",
    "pytest_terminal_summary",
    "pytest_testnodedown",
    "summary_lines",
]

# Where the tables go: a file beside pyproject.toml, so that `make test` ends on pytest's own
# pass line; `-v` prints them in the terminal too.
TABLE_FILE = ".pytest-fault-table.txt"

# (position of the test in the collection, position within the test, the row or line)
Entry = tuple[int, int, Any]
TABLE = pytest.StashKey[list[Entry]]()
LINES = pytest.StashKey[list[Entry]]()
ORDER = pytest.StashKey[dict[str, int]]()
WORKER_OUTPUT = "respan_evals_reliability_tables"  # the key in xdist's workeroutput
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


def _entries(config: pytest.Config, key: pytest.StashKey[list[Entry]]) -> list[Entry]:
    if key not in config.stash:
        config.stash[key] = []
    return config.stash[key]


def _position(request: pytest.FixtureRequest) -> int:
    """Where the test is in the collection (every xdist worker collects the same list)."""
    config = request.config
    if ORDER not in config.stash:
        config.stash[ORDER] = {item.nodeid: i for i, item in enumerate(request.session.items)}
    return config.stash[ORDER].get(request.node.nodeid, len(config.stash[ORDER]))


def _kept(request: pytest.FixtureRequest, key: pytest.StashKey[list[Entry]]) -> Iterator[list[Any]]:
    added: list[Any] = []
    yield added
    position = _position(request)
    _entries(request.config, key).extend((position, i, x) for i, x in enumerate(added))


@pytest.fixture
def fault_table(request: pytest.FixtureRequest) -> Iterator[list[dict[str, Any]]]:
    """Rows appended here are written as one table to TABLE_FILE (and printed with -v)."""
    yield from _kept(request, TABLE)


@pytest.fixture
def summary_lines(request: pytest.FixtureRequest) -> Iterator[list[str]]:
    """Lines appended here go above the table (the concurrency figures)."""
    yield from _kept(request, LINES)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """In an xdist worker: hand the entries to the controller."""
    config = session.config
    output = getattr(config, "workeroutput", None)
    if output is not None:
        output[WORKER_OUTPUT] = {
            "rows": [list(e) for e in config.stash.get(TABLE, [])],
            "lines": [list(e) for e in config.stash.get(LINES, [])],
        }


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """In the xdist controller: take a finished worker's entries."""
    handed = getattr(node, "workeroutput", {}).get(WORKER_OUTPUT)
    if handed:
        config: pytest.Config = node.config
        _entries(config, TABLE).extend(tuple(e) for e in handed["rows"])
        _entries(config, LINES).extend(tuple(e) for e in handed["lines"])


def _tables(config: pytest.Config) -> list[str]:
    """The concurrency figures and the fault table, as lines (none when no test added a row)."""
    out: list[str] = []
    lines = [line for *_, line in sorted(config.stash.get(LINES, []), key=lambda e: e[:2])]
    if lines:
        out += ["== respan-evals reliability: one client, many callers ==", *lines]
    rows = [row for *_, row in sorted(config.stash.get(TABLE, []), key=lambda e: e[:2])]
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
    if hasattr(config, "workeroutput"):  # a worker: the controller writes the tables
        return
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
