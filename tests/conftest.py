"""Suite-wide: the reliability tables (from every xdist worker), serial nested pytest runs,
retry waits scaled down for the tests that wait on backoff or Retry-After, what collection
built left out of garbage collection, and the line that says a test was deselected for want of
the captured docs pages."""

from __future__ import annotations

import functools
import gc
import os
from pathlib import Path
from typing import Any

import pytest

from ._fault_table import (
    fault_table,
    pytest_sessionfinish,
    pytest_testnodedown,
    summary_lines,
)
from ._fault_table import pytest_terminal_summary as _fault_table_summary

__all__ = [
    "fault_table",
    "no_proxy_settings",
    "pytest_collection_finish",
    "pytest_sessionfinish",
    "pytest_terminal_summary",
    "pytest_testnodedown",
    "pytest_xdist_auto_num_workers",
    "scaled_waits",
    "summary_lines",
]

# The published pages as captured, next to the repository when the machine has them
# (tests/docs deselects its test of them otherwise).
CAPTURED_DOCS = Path(__file__).resolve().parents[1].parent / "shared" / "api-docs" / "captured"

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
TIME_SCALE = 0.02  # retry waits in the tests that opt in: 50 times shorter than real ones


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection built (the test items, the modules and what they loaded: most of a
    worker's heap) lives until the run ends. Frozen, the collector's full passes no longer walk
    it: they took 9 CPU-s of a run (3.5 after), a fifth of a second each in the benchmarks'
    smoke run, which collects before each timed round."""
    gc.freeze()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` (addopts) means one worker more than the machine has cores, and none for a
    pytest run that a test started (its outer run already uses every core) or for a cassette
    recording (one pacer for the real API)."""
    if "PYTEST_CURRENT_TEST" in os.environ or os.environ.get("RESPAN_CONTRACT_RECORD"):
        return 0
    # Tests wait about a tenth of their time (timeouts, servers, the programs they run): a
    # worker more fills those gaps (on 2 cores, 61 s against 67-71 s with one per core).
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) + 1


@pytest.fixture
def no_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """An environment without proxy settings, either case (the runner's may have some)."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
def scaled_waits(monkeypatch: pytest.MonkeyPatch) -> float:
    """Every client made during the test (the CLI's too) keeps its retry schedule, backoff and
    the server's Retry-After alike, but waits TIME_SCALE of each (RetryPolicy.time_scale)."""
    from respan_evals import _config, _retries

    scaled = functools.partial(_retries.RetryPolicy, time_scale=TIME_SCALE)
    monkeypatch.setattr(_config, "RetryPolicy", scaled)
    return TIME_SCALE


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    _fault_table_summary(terminalreporter, exitstatus, config)
    # Here, not in tests/docs/conftest.py: under xdist only this process writes the summary,
    # and it collects no tests.
    if not hasattr(config, "workeroutput") and not CAPTURED_DOCS.is_dir():
        terminalreporter.write_line(
            "deselected: tests/docs' test of the captured reference pages "
            "(no ../shared/api-docs/captured next to the repository)"
        )
