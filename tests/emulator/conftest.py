"""Emulator tests: plain httpx against a real loopback server (the facade is not used here)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from respan_evals.testing import Emulator

# The plugin is registered by the package's pytest11 entry point once installed; importing it
# here makes the fixture and its marker available when running from a source checkout.
from respan_evals.testing.pytest_plugin import pytest_configure, respan_emulator

__all__ = ["pytest_configure", "respan_emulator"]


@pytest.fixture
def emu(respan_emulator: Emulator) -> Emulator:
    """The strict fixture emulator with the rate limit off (most tests send many requests)."""
    respan_emulator.set_rate_limit(None)
    return respan_emulator


@pytest.fixture
def client(emu: Emulator) -> Iterator[httpx.Client]:
    with emu.client() as c:
        yield c


@pytest.fixture
def make_evaluator(client: httpx.Client) -> Callable[..., dict[str, Any]]:
    def make(**fields: Any) -> dict[str, Any]:
        body = {"name": "Quality", "type": "llm", "score_value_type": "numerical"}
        body.update(fields)
        r = client.post("/api/evaluators/", json=body)
        assert r.status_code == 201, r.text
        return r.json()

    return make
