"""Shared pieces of the outbox tests: a file per test, seeded evaluators, a sender script."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from respan_evals import Outbox

if TYPE_CHECKING:
    from respan_evals.testing import Emulator

HERE = Path(__file__).resolve().parent
SCRIPTS = HERE / "scripts"

# Fast settings: a dead sender is replaced within a second, idle senders look often.
FAST: dict[str, Any] = {"lease_timeout": 1.0, "poll_interval": 0.02, "retry_base": 0.05}


@pytest.fixture
def outbox_path(tmp_path: Path) -> Path:
    return tmp_path / "scores.outbox"


@pytest.fixture
def outbox(outbox_path: Path) -> Iterator[Outbox]:
    """An outbox without a sender."""
    box = Outbox(outbox_path, **FAST)
    yield box
    box.close(timeout=0)


@pytest.fixture
def quality(respan_emulator: Emulator) -> dict[str, Any]:
    """A numerical evaluator scored 1 to 5."""
    return respan_emulator.create_evaluator(
        evaluator_slug="quality",
        score_value_type="numerical",
        score_config={"min_score": 1, "max_score": 5},
    )


def count_sender_writes(box: Outbox, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The write transactions the outbox's store opens from now on, by thread name, but for
    the lease thread's (its renewals and checkpoints run on a clock, not per row)."""
    store = box._store
    write = store.write
    names: list[str] = []

    def counting() -> Any:
        name = threading.current_thread().name
        if name != "respan-outbox-lease":
            names.append(name)
        return write()

    monkeypatch.setattr(store, "write", counting)
    return names


def script_env(emu: Emulator) -> dict[str, str]:
    """The environment of a sender subprocess: the key travels here, never in argv."""
    return {
        **os.environ,
        "RESPAN_API_KEY": emu.api_key,
        "RESPAN_BASE_URL": emu.base_url,
        "PYTHONUNBUFFERED": "1",
    }


def wait_child(pid: int, timeout: float = 20.0) -> int:
    """A forked child's exit code; killed (and the test failed) if it hangs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise AssertionError("the forked child hung")


def start_script(name: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(SCRIPTS / name), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
