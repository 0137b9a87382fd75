"""One client shared by many threads, and one async client shared by many tasks, scoring at once
against the emulator with a rate limit: the pacer holds the rate (allowing its burst), nothing is
lost or mixed up, no 429 comes back, and each evaluator is looked up once."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections import Counter
from typing import Any

from respan_evals import AsyncRespan, Respan
from respan_evals.testing import Emulator

from .conftest import Sends, wait_until_settled

SLUGS = ("quality", "tone", "safety")
SLACK = 3  # sends a window may hold beyond burst + rate: a thread slow to send after its turn


def _burst(rate_per_minute: float) -> int:
    """The pacer's documented default burst: rate // 6, at least 1."""
    return max(1, int(rate_per_minute // 6))


def _evaluators(emu: Emulator) -> tuple[list[str], str, dict[str, str]]:
    ids = {}
    for slug in SLUGS:
        ids[slug] = emu.create_evaluator(
            name=slug.title(), evaluator_slug=slug, score_value_type="numerical"
        )["id"]
    by_id = emu.create_evaluator(name="By id", score_value_type="numerical")["id"]
    return list(SLUGS), by_id, ids


def _target(n: int, slugs: list[str], by_id: str) -> dict[str, str]:
    """Most calls name the evaluator by slug, every fourth by id: both caches are exercised."""
    return {"evaluator_id": by_id} if n % 4 == 3 else {"evaluator": slugs[n % len(slugs)]}


def _check(
    emu: Emulator,
    sends: Sends,
    results: list[tuple[str, float, str, Any]],
    rate: float,
    lookups_expected: dict[str, int],
) -> str:
    wait_until_settled(emu, sends)
    # Nothing lost, nothing doubled, nothing mixed up between threads or tasks.
    for log_id, value, _, score in results:
        assert (score.log_id, score.numerical_value) == (log_id, value), "a result was swapped"
    stored = Counter((r["log_id"], r["evaluator_id"]) for r in emu.store.scores.values())
    expected = Counter((log_id, ev) for log_id, _, ev, _ in results)
    assert stored == expected, f"store differs: {(stored - expected) + (expected - stored)}"
    values = {
        (r["log_id"], r["evaluator_id"]): r["numerical_value"] for r in emu.store.scores.values()
    }
    assert all(values[(log_id, ev)] == value for log_id, value, ev, _ in results)

    # Every request the client sent was answered, none with a 429.
    statuses = Counter(r.status for r in emu.requests)
    assert len(emu.requests) == len(sends), "the emulator saw requests the client did not count"
    assert statuses.get(429, 0) == 0, f"429s in steady state: {statuses}"
    assert set(statuses) <= {200, 201}, statuses

    # The evaluator cache: one lookup per evaluator, however many callers raced for it.
    lookups = Counter(
        "filter" if r.path == "/api/evaluators/list/" else "retrieve"
        for r in emu.requests
        if r.path.startswith("/api/evaluators/")
    )
    assert dict(lookups) == lookups_expected, f"evaluator lookups: {dict(lookups)}"

    # The pacer: in any window of w seconds, at most burst + w * rate + SLACK sends.
    burst, per_second = _burst(rate), rate / 60.0
    times = sorted(sends.times)
    worst = 0.0
    for i in range(len(times)):
        for j in range(i, len(times)):
            excess = (j - i + 1) - (burst + (times[j] - times[i]) * per_second)
            worst = max(worst, excess)
    span = times[-1] - times[0]
    assert worst <= SLACK, (
        f"{worst:.1f} sends over {rate:g}/min (burst {burst}) in some window: "
        f"{len(times)} sends took {span:.2f}s"
    )
    return (
        f"{len(results)} calls, {len(times)} requests in {span:.2f}s at {rate:g}/min "
        f"(burst {burst}); most over the limit in any window: {max(worst, 0):.1f} "
        f"(allowed {SLACK}); 429s: 0; evaluator lookups: {dict(lookups)}"
    )


def test_threads_share_one_client(respan_emulator: Emulator, summary_lines: list[str]) -> None:
    emu, rate, threads, per_thread = respan_emulator, 600.0, 16, 7
    emu.set_rate_limit(rate)  # the server allows what the client is configured for
    slugs, by_id, ids = _evaluators(emu)
    sends = Sends()
    client = Respan(
        emu.api_key, base_url=emu.base_url, rate_limit=rate, http_client=sends.sync_http()
    )
    start = threading.Barrier(threads)

    def worker(t: int) -> list[tuple[str, float, str, Any]]:
        start.wait()
        done = []
        for k in range(per_thread):
            n = t * per_thread + k
            target = _target(n, slugs, by_id)
            log_id, value = f"log-t{t}-{k}", round(n * 0.01, 2)
            score = client.score_log(log_id, value, **target)
            done.append(
                (log_id, value, target.get("evaluator_id") or ids[target["evaluator"]], score)
            )
        return done

    with client, concurrent.futures.ThreadPoolExecutor(threads) as pool:
        results = [row for rows in pool.map(worker, range(threads)) for row in rows]
    assert len(results) == threads * per_thread
    line = _check(emu, sends, results, rate, {"filter": len(SLUGS), "retrieve": 1})
    summary_lines.append(f"{threads} threads, one Respan: {line}")


async def test_tasks_share_one_async_client(
    respan_emulator: Emulator, summary_lines: list[str]
) -> None:
    emu, rate, tasks, per_task = respan_emulator, 540.0, 50, 2
    emu.set_rate_limit(rate)
    slugs, by_id, ids = _evaluators(emu)
    sends = Sends()
    client = AsyncRespan(
        emu.api_key, base_url=emu.base_url, rate_limit=rate, http_client=sends.async_http()
    )

    async def worker(t: int) -> list[tuple[str, float, str, Any]]:
        done = []
        for k in range(per_task):
            n = t * per_task + k
            target = _target(n, slugs, by_id)
            log_id, value = f"log-a{t}-{k}", round(n * 0.01, 2)
            score = await client.score_log(log_id, value, **target)
            done.append(
                (log_id, value, target.get("evaluator_id") or ids[target["evaluator"]], score)
            )
        return done

    async with client:
        batches = await asyncio.gather(*(worker(t) for t in range(tasks)))
    results = [row for rows in batches for row in rows]
    assert len(results) == tasks * per_task
    lookups = {"filter": len(SLUGS), "retrieve": 1}
    line = await asyncio.to_thread(_check, emu, sends, results, rate, lookups)
    summary_lines.append(f"{tasks} tasks, one AsyncRespan: {line}")
