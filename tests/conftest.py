"""Suite-wide: the reliability tables (from every xdist worker), serial nested pytest runs, and
retry waits scaled down for the tests that wait on backoff or Retry-After."""

from __future__ import annotations

import functools
import os

import pytest

from ._fault_table import (
    fault_table,
    pytest_sessionfinish,
    pytest_terminal_summary,
    pytest_testnodedown,
    summary_lines,
)

__all__ = [
    "fault_table",
    "pytest_sessionfinish",
    "pytest_terminal_summary",
    "pytest_testnodedown",
    "pytest_xdist_auto_num_workers",
    "scaled_waits",
    "summary_lines",
]

TIME_SCALE = 0.02  # retry waits in the tests that opt in: 50 times shorter than real ones


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` (addopts) means no workers for a pytest run that a test started (its outer run
    already uses every core) and for a cassette recording (one pacer for the real API)."""
    if "PYTEST_CURRENT_TEST" in os.environ or os.environ.get("RESPAN_CONTRACT_RECORD"):
        return 0
    return None  # xdist's own count: the machine's cores


@pytest.fixture
def scaled_waits(monkeypatch: pytest.MonkeyPatch) -> float:
    """Every client made during the test (the CLI's too) keeps its retry schedule, backoff and
    the server's Retry-After alike, but waits TIME_SCALE of each (RetryPolicy.time_scale)."""
    from respan_evals import _config, _retries

    scaled = functools.partial(_retries.RetryPolicy, time_scale=TIME_SCALE)
    monkeypatch.setattr(_config, "RetryPolicy", scaled)
    return TIME_SCALE
