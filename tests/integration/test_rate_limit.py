"""The emulator's rate limit against the client: unpaced bursts get 429s that are retried with
nothing lost; the client's pacer at the emulator's rate gets none.

The emulator's token bucket holds one minute's worth of requests, so at real speed a test would
need a minute to see a refill. Its clock runs `speed` times faster instead: a limit of R per
(emulator) minute with capacity R refills at r = R * speed / 60 requests per real second. The
client's pacer is set to that same real rate, r * 60 per minute; its own burst is 10 s worth
(rate // 6), i.e. 10 * r, so R = 10 * r + MARGIN keeps the pacer's burst inside the bucket.

Retry-After comes in whole seconds, so each round of 429s costs the unpaced client one second.
The rate r is chosen from the emulator's measured speed, so that the unpaced burst of N outruns
the bucket by a clear margin even on a slow machine, and the paced run stays short.
"""

from __future__ import annotations

import threading
import time

import pytest

from respan_evals import ScoreRow
from respan_evals.testing import Emulator

from ._helpers import open_client, run

N = 150  # the burst
WARM = 50
MARGIN = 6  # bucket capacity above the pacer's burst
EXPECTED_429 = 8  # how far the unpaced burst should outrun the bucket


class ScaledClock:
    """A monotonic clock whose speed can change while it runs (it never jumps)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._start = time.monotonic()
        self._base = 0.0
        self.speed = 1.0

    def __call__(self) -> float:
        with self._lock:
            return self._base + (time.monotonic() - self._start) * self.speed

    def set_speed(self, speed: float) -> None:
        with self._lock:
            now = time.monotonic()
            self._base += (now - self._start) * self.speed
            self._start, self.speed = now, speed


CLOCK = ScaledClock()


def rows(prefix: str, evaluator_id: str) -> list[ScoreRow]:
    # value_type given: no evaluator lookup, so the burst is exactly N upserts.
    return [
        ScoreRow(f"{prefix}_{i}", i % 10, evaluator_id=evaluator_id, value_type="numerical")
        for i in range(N)
    ]


def upsert_statuses(emu: Emulator, prefix: str) -> list[int]:
    return [
        r.status
        for r in list(emu.requests)
        if r.method == "POST" and r.path.startswith(f"/api/logs/{prefix}_")
    ]


@pytest.mark.respan_emulator(rate_limit=None, clock=CLOCK)
async def test_unpaced_burst_is_retried_and_paced_burst_gets_no_429(
    respan_emulator: Emulator,
) -> None:
    emu = respan_emulator
    evaluator = emu.create_evaluator(name="Quality", score_value_type="numerical")

    # Calibrate: how long does the emulator take per upsert here (limit off)?
    async with open_client(emu, "sync") as client:
        started = time.perf_counter()
        warm = await run(client.score_logs(rows("warm", evaluator["id"])[:WARM], concurrency=16))
        burst_seconds = N * (time.perf_counter() - started) / WARM
    assert all(o.ok for o in warm)
    # Choose r so that N - capacity - r * burst_seconds = EXPECTED_429 (about one second of
    # refill: one round of retries), with capacity = the pacer's burst + MARGIN.
    r = (N - MARGIN - EXPECTED_429) / (10 + burst_seconds)
    r = max(3.0, min(r, 13.0))  # at most 13: the pacer's burst (10 r) stays well under N
    pacer_burst = int(60 * r // 6)  # the client's own rule: rate // 6
    capacity = pacer_burst + MARGIN
    CLOCK.set_speed(60 * r / capacity)  # the emulator refills r tokens per real second
    emu.set_rate_limit(capacity)  # buckets start full

    # 1) No pacing: the burst outruns the bucket; 429s are retried (Retry-After) until done.
    async with open_client(emu, "sync", max_retries=20) as client:
        unpaced = await run(client.score_logs(rows("unpaced", evaluator["id"]), concurrency=16))
    statuses = upsert_statuses(emu, "unpaced")
    throttled = statuses.count(429)
    assert all(o.ok for o in unpaced), [o.error for o in unpaced if not o.ok][:3]
    assert throttled > 0, f"no 429 at r={r:.2f}/s, capacity {capacity}: the burst was too slow"
    assert sorted(s for s in statuses if s != 429) == [201] * N
    assert len(statuses) == N + throttled  # each 429 was retried, nothing else was sent
    stored = [rec for rec in emu.store.scores.values() if rec["log_id"].startswith("unpaced_")]
    assert sorted(rec["log_id"] for rec in stored) == sorted(f"unpaced_{i}" for i in range(N))

    # 2) The same burst, paced at the emulator's (real) rate: not one 429. No retries allowed,
    # so a 429 would also show up as a failed outcome.
    emu.set_rate_limit(capacity)  # a full bucket again
    before = len(emu.requests)
    async with open_client(emu, "sync", rate_limit=60.0 * r) as client:
        started = time.perf_counter()
        paced = await run(client.score_logs(rows("paced", evaluator["id"]), concurrency=16))
        paced_seconds = time.perf_counter() - started
    assert all(o.ok for o in paced), [o.error for o in paced if not o.ok][:3]
    assert upsert_statuses(emu, "paced") == [201] * N
    assert [req for req in emu.requests[before:] if req.status == 429] == []
    # The pacer really held the burst back: the requests past its burst went at r per second.
    assert paced_seconds >= (N - pacer_burst) / r * 0.9
    assert emu.score_count() == WARM + 2 * N
