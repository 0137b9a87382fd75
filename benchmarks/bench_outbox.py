"""Outbox: how long `outbox.score_log` takes, and how fast its sender drains at the limit.

Figures:
- enqueue latency (p50, p99) of `outbox.score_log` into a fresh file: one thread, then
  `threads` threads at once (the file's write lock is shared); no sender, no network;
- the sender's steady drain rate as a share of the rate limit: the emulator (in-process, its
  rate limit `rate_limit` per minute) and the sender's client (`Respan(rate_limit=...)`) at the
  same limit; rows queued first, then one thread sender drains them. The rate counts
  completions once the pacer's initial burst is spent (bench_bulk.steady_rate); target >= 0.95;
- 429s the emulator answered during the drain (target 0), and rows lost or left (target 0).
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench_bulk import steady_rate
from bench_common import Section

TARGET_SHARE = 0.95


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def enqueue_latency(rows: int, threads: int, directory: Path) -> list[float]:
    """Seconds per `score_log`, from `threads` threads at once (rows in all)."""
    from respan_evals import Outbox

    latencies: list[float] = []
    lock = threading.Lock()
    with Outbox(directory / f"latency-{threads}.outbox", max_rows=None, max_bytes=None) as box:
        box.score_log("warm", 3, evaluator="quality", value_type="numerical")
        start = threading.Barrier(threads)

        def work(offset: int) -> None:
            mine: list[float] = []
            start.wait()
            for i in range(offset, rows, threads):
                t0 = time.perf_counter()
                box.score_log(f"log_{i}", 3, evaluator="quality", value_type="numerical")
                mine.append(time.perf_counter() - t0)
            with lock:
                latencies.extend(mine)

        workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
    return latencies


def drain(rows: int, rate_limit: float, directory: Path) -> dict[str, Any]:
    """Queue `rows`, then let one sender drain them at `rate_limit`; times and counts."""
    from respan_evals import Outbox, Respan
    from respan_evals.testing import Emulator

    class TimedRespan(Respan):
        done: list[float] = []  # noqa: RUF012  # one list for the run

        def score_log(self, *args: Any, **kwargs: Any) -> Any:
            result = super().score_log(*args, **kwargs)
            self.done.append(time.monotonic())
            return result

    with Emulator(rate_limit=rate_limit, validate=False) as emu:
        emu.create_evaluator(evaluator_slug="quality", score_value_type="numerical")
        path = directory / "drain.outbox"
        with Outbox(path, max_rows=None) as box:
            for i in range(rows):
                box.score_log(f"log_{i}", 3, evaluator="quality", value_type="numerical")
        client = TimedRespan(api_key=emu.api_key, base_url=emu.base_url, rate_limit=rate_limit)
        started = time.monotonic()
        with client, Outbox(path, client=client, poll_interval=0.05) as box:
            left = box.flush(timeout=rows / (rate_limit / 60) * 2 + 30)
            stats = box.stats()
        elapsed = time.monotonic() - started
        throttled = sum(1 for r in emu.requests if r.status == 429)
        stored = emu.score_count()
    rate, counted = steady_rate(TimedRespan.done, rate_limit, min_window=20)
    return {
        "rows": rows,
        "elapsed_s": elapsed,
        "steady_rate_per_s": rate,
        "steady_counted": counted,
        "limit_per_s": rate_limit / 60,
        "throttled_429": throttled,
        "left": left,
        "failed": stats.failed,
        "stored": stored,
    }


def run(
    *, latency_rows: int = 5000, threads: int = 4, drain_rows: int = 160, rate_limit: float = 600.0
) -> Section:
    section = Section("outbox")
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        for n in (1, threads):
            lat = enqueue_latency(latency_rows, n, directory)
            p50, p99 = _percentile(lat, 0.5) * 1e6, _percentile(lat, 0.99) * 1e6
            label = "1 thread" if n == 1 else f"{n} threads at once"
            section.row(f"enqueue p50, {label}", p50, "us", "< 1000 us", p50 < 1000)
            section.row(f"enqueue p99, {label}", p99, "us", note="disk and scheduler bound")
            section.details[f"enqueue_{n}"] = {
                "rows": len(lat),
                "p50_us": p50,
                "p99_us": p99,
                "mean_us": statistics.fmean(lat) * 1e6,
            }
        figures = drain(drain_rows, rate_limit, directory)
    section.details["drain"] = figures
    rate = figures["steady_rate_per_s"]
    share = None if rate is None else rate / figures["limit_per_s"]
    section.row(
        f"drain rate / limit ({rate_limit:g}/min)",
        share,
        "x",
        f">= {TARGET_SHARE}",
        None if share is None else share >= TARGET_SHARE,
        note=f"{figures['steady_counted']} sends after the burst",
    )
    section.row(
        "429s during the drain", figures["throttled_429"], "", "0", figures["throttled_429"] == 0
    )
    lost = figures["rows"] - figures["stored"] + figures["left"] + figures["failed"]
    section.row("rows not stored, left or failed", lost, "", "0", lost == 0)
    return section


if __name__ == "__main__":
    result = run(latency_rows=1000, drain_rows=130)
    for row in result.rows:
        print(row)
