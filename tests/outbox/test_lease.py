"""One sender at a time: two started at once take turns through the lease, never overlapping."""

from __future__ import annotations

import itertools
import time
from pathlib import Path
from typing import Any

from respan_evals import Outbox
from respan_evals.testing import Emulator

from .conftest import FAST, script_env, start_script

ROWS = 200


def test_two_senders_started_at_once_never_send_at_the_same_time(
    respan_emulator: Emulator, outbox_path: Path, tmp_path: Path, quality: dict[str, Any]
) -> None:
    with Outbox(outbox_path, **FAST) as box:
        for i in range(ROWS):
            box.score_log(f"log_{i}", 3, evaluator="quality", value_type="numerical")
    intervals = tmp_path / "intervals.txt"
    go = tmp_path / "go"
    env = {**script_env(respan_emulator), "OUTBOX_TEST_GO": str(go)}
    # Each runs 0.3 s at a time and then gives the lease up, so the other gets turns; each
    # send takes at least 5 ms, so two senders at once would overlap.
    senders = [
        start_script("sender.py", str(outbox_path), "1", str(intervals), "0.005", "6", env=env)
        for _ in range(2)
    ]
    for proc in senders:  # both up, then both go at once
        assert proc.stdout is not None and proc.stdout.readline() == "started\n"
    go.touch()
    for proc in senders:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err

    spans = sorted(
        (float(start), float(end), pid)
        for pid, start, end in (line.split() for line in intervals.read_text().splitlines())
    )
    assert len(spans) >= ROWS
    assert len({pid for _, _, pid in spans}) == 2  # both had turns
    for (_, end, pid), (start, _, next_pid) in itertools.pairwise(spans):
        assert start >= end, f"{pid} and {next_pid} sent at the same time"
    assert respan_emulator.score_count() == ROWS


def test_a_successor_waits_for_a_live_lease_and_takes_a_lapsed_one(outbox: Outbox) -> None:
    store = outbox._store
    assert store.acquire("first", timeout=0.2)
    assert not store.acquire("second", timeout=0.2)
    assert outbox.stats().sender == "first"
    time.sleep(0.25)  # "first" died: it stopped renewing
    assert outbox.stats().sender is None
    assert store.acquire("second", timeout=5)
    assert not store.renew("first", timeout=5)
    assert store.claim("first", limit=1, lease_timeout=5, max_attempts=3) is None
