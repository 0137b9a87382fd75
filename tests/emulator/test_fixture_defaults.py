"""The pytest fixtures are fast by default, and the package says what to install without
the emulator extra."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from respan_evals import AsyncRespan, Respan
from respan_evals.testing import Emulator

# Also registered by the pytest11 entry point once installed; imported for a source checkout.
from respan_evals.testing.pytest_plugin import async_respan_client, respan_client

__all__ = ["async_respan_client", "respan_client"]

ROWS = 80  # more than a minute's worth at the real limit: 429s or pacing would show


def test_the_fixture_serves_without_a_rate_limit(respan_emulator: Emulator) -> None:
    assert respan_emulator.rate_limit is None


@pytest.mark.respan_emulator(rate_limit=60)
def test_the_marker_can_ask_for_one(respan_emulator: Emulator, respan_client: Respan) -> None:
    assert respan_emulator.rate_limit == 60
    assert "rate_limit=60.0" in repr(respan_client)  # the client paces at the server's limit


def test_respan_client_is_bound_and_unpaced(
    respan_emulator: Emulator, respan_client: Respan
) -> None:
    assert "rate_limit=None" in repr(respan_client)
    respan_emulator.create_evaluator(evaluator_slug="quality", score_value_type="numerical")
    rows = [{"log_id": f"log_{n}", "value": n % 5, "evaluator": "quality"} for n in range(ROWS)]
    outcomes = list(respan_client.score_logs(rows, concurrency=8))
    assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok][:3]
    assert respan_emulator.score_count() == ROWS
    assert 429 not in {r.status for r in respan_emulator.requests}


async def test_async_respan_client_is_bound_and_unpaced(
    respan_emulator: Emulator, async_respan_client: AsyncRespan
) -> None:
    assert "rate_limit=None" in repr(async_respan_client)
    respan_emulator.create_evaluator(evaluator_slug="safe", score_value_type="boolean")
    rows = [{"log_id": f"log_{n}", "value": n % 2 == 0, "evaluator": "safe"} for n in range(ROWS)]
    outcomes = await async_respan_client.score_logs(rows, concurrency=8)
    assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok][:3]
    assert respan_emulator.score_count() == ROWS
    assert 429 not in {r.status for r in respan_emulator.requests}


def test_the_clients_are_closed_at_teardown(request: pytest.FixtureRequest) -> None:
    client = request.getfixturevalue("respan_client")
    assert not client._http.is_closed
    request.node.stash[_CLIENT] = client


_CLIENT = pytest.StashKey[Respan]()


@pytest.fixture(autouse=True)
def _closed_after(request: pytest.FixtureRequest) -> object:
    # Runs its teardown after the test's own fixtures: the client must be closed by then.
    yield
    client = request.node.stash.get(_CLIENT, None)
    if client is not None:
        assert client._http.is_closed


# Hides the extra's packages the way a machine without them would not find them.
HIDE_EXTRA = textwrap.dedent(
    """
    import sys

    class Hide:
        names = {"starlette", "h11", "openapi_core"}

        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in self.names:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, Hide())
    """
)


def hidden_run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", HIDE_EXTRA + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_the_extra_the_import_says_what_to_install() -> None:
    process = hidden_run(
        """
        import respan_evals.testing
        from respan_evals.testing import FaultPlan  # needs nothing of the extra
        try:
            from respan_evals.testing import Emulator
        except ImportError as e:
            print(type(e).__name__, "|", e)
        else:
            print("imported")
        """
    )
    assert process.returncode == 0, process.stderr
    kind, _, message = process.stdout.strip().partition(" | ")
    assert kind == "ImportError", process.stdout  # not the raw ModuleNotFoundError
    assert "pip install 'respan-evals[emulator]'" in message
    assert "is not installed" in message


def test_with_the_extra_the_import_works() -> None:
    process = subprocess.run(
        [sys.executable, "-c", "from respan_evals.testing import Emulator; print(Emulator)"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert process.returncode == 0 and "Emulator" in process.stdout, process.stderr
