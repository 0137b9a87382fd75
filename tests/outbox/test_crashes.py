"""Many processes, one file: 10,000 scores from 4 processes, a sender killed -9 three times."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from respan_evals import Outbox
from respan_evals.testing import Emulator

from .conftest import FAST, script_env, start_script

ROWS = 10_000
PROCESSES = 4
CONCURRENCY = 3  # sends in flight: more only adds thread switching in the sender


def _wait_for(predicate: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


# The schema checks of every request are this test's slowest part, and other tests make them.
@pytest.mark.respan_emulator(validate=False)
def test_every_score_lands_once_through_enqueuers_and_killed_senders(
    respan_emulator: Emulator, outbox_path: Path, quality: dict[str, Any]
) -> None:
    share = ROWS // PROCESSES
    enqueuers = [
        start_script("enqueue.py", str(outbox_path), str(n * share), str(share), "2")
        for n in range(PROCESSES)
    ]
    for proc in enqueuers:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    with Outbox(outbox_path, **FAST) as box:
        assert box.stats().queued == ROWS

    env = script_env(respan_emulator)
    rng = random.Random(17)
    sender_args = (str(outbox_path), str(CONCURRENCY), "", "0", "1")  # no recording, 1 round
    for kill in range(3):
        sender = start_script("sender.py", *sender_args, env=env)
        # Let it get some way in, then kill it at a moment nobody chose.
        target = (kill + 1) * ROWS // 5 + rng.randrange(ROWS // 10)
        _wait_for(lambda t=target: respan_emulator.score_count() >= t, 60)  # type: ignore[misc]
        time.sleep(rng.uniform(0, 0.05))
        os.kill(sender.pid, signal.SIGKILL)
        sender.communicate(timeout=10)
        assert sender.returncode == -signal.SIGKILL
    last = start_script("sender.py", *sender_args, env=env)
    _, err = last.communicate(timeout=120)
    assert last.returncode == 0, err

    assert respan_emulator.score_count() == ROWS
    logs = sorted(rec["log_id"] for _, rec in respan_emulator.store.score_rows())
    assert logs == sorted(f"log_{i}" for i in range(ROWS))
    posts = sum(1 for r in respan_emulator.requests if r.method == "POST")
    assert ROWS <= posts <= ROWS + 3 * CONCURRENCY  # at most a claimed batch sent twice per kill
    with Outbox(outbox_path, **FAST) as box:
        stats = box.stats()
    assert (stats.queued, stats.failed, stats.sent) == (0, 0, ROWS)
