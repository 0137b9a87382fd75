"""3. Bulk import against the rate limit: `client.score_logs(rows)` against the emulator.

The emulator runs in a child process (its own interpreter and GIL, like a real server) with
openapi validation on; the parent holds the facade client. Its rate limit and the client's
`rate_limit` are set equal. A transport wrapper in the client records every request's send
time and status.

Figures:
- the emulator's own ceiling: rows/s with no limit on either side (client concurrency 8),
  over as many rows as the measured runs, since the emulator slows down as its store grows;
  when its last-quarter rate cannot carry the requested limit with 20% headroom, the limit
  is lowered to one it can (and the table says so);
- steady-state send rate as a share of the limit: upserts sent per second over the part of
  the run once the pacer's initial burst is spent (see steady_rate), divided by limit / 60;
- 429s the client received (target 0);
- rows lost or duplicated, counted from the emulator's store against the outcomes: every row
  (a distinct log_id) must have exactly one outcome and exactly one stored score with its value.
Each run once clean and once with latency injected by the emulator.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import threading
import time
from collections import Counter
from typing import Any

import httpx
from bench_common import Section

SLUG = "bench_quality"
TARGET_SHARE = 0.95
# Use at most this share of the emulator's measured ceiling as the limit. The pacer's initial
# burst (10 s worth of tokens) drains at (ceiling - limit): at half the ceiling that takes about
# 10 s, after which the send rate is set by pacing alone and can be measured.
HEADROOM = 0.5
# The pacer's second rule allows at most `rate` sends in any 60 s, so a run of more requests
# than the per-minute limit stalls at its end by design (the tail waits for the minute to pass).
# Rows are capped below the limit so that the bucket alone sets the measured pace.
MAX_ROWS_PER_LIMIT = 0.9


# ---- the emulator, in a child process -------------------------------------------------------


def _seed(emu: Any) -> str:
    ev = emu.create_evaluator(
        name="Bench quality", evaluator_slug=SLUG, score_value_type="numerical"
    )
    return str(ev["id"])


def _summary(emu: Any, cpu0: float) -> dict[str, Any]:
    with emu.store.lock:
        scores = [
            (r["log_id"], r.get("numerical_value"), r.get("evaluator_id"))
            for r in emu.store.scores.values()
        ]
    return {
        "scores": scores,
        "statuses": Counter(f"{r.method} {r.status}" for r in list(emu.requests)),
        "requests": len(emu.requests),
        "violations": [str(v) for v in emu.violations[:5]],
        "cpu_s": time.process_time() - cpu0,
    }


def _serve(conn: Any, validate: bool) -> None:
    from respan_evals.testing import Emulator, FaultPlan

    emu = Emulator(rate_limit=None, validate=validate)
    emu.start()
    try:
        evaluator_id = _seed(emu)
        conn.send({"base_url": emu.base_url, "api_key": emu.api_key, "evaluator_id": evaluator_id})
        cpu0 = time.process_time()
        while True:
            cmd, arg = conn.recv()
            if cmd == "stop":
                break
            if cmd == "configure":  # fresh store, limit and faults
                emu.reset()
                emu.set_rate_limit(arg["rate_limit"])
                emu.set_faults(FaultPlan(**arg["faults"]))
                cpu0 = time.process_time()
                conn.send({"evaluator_id": _seed(emu)})
            elif cmd == "summary":
                conn.send(_summary(emu, cpu0))
    finally:
        emu.stop()


class EmulatorProcess:
    """The emulator in a spawned child process, driven through a pipe."""

    def __init__(self, validate: bool = True) -> None:
        ctx = mp.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(child, validate), daemon=True)
        self._proc.start()
        if not self._conn.poll(60):
            self._proc.kill()
            raise RuntimeError("the emulator process did not start")
        info = self._conn.recv()
        self.base_url: str = info["base_url"]
        self.api_key: str = info["api_key"]

    def configure(self, rate_limit: float | None, **faults: Any) -> str:
        self._conn.send(("configure", {"rate_limit": rate_limit, "faults": faults}))
        return str(self._conn.recv()["evaluator_id"])

    def summary(self) -> dict[str, Any]:
        self._conn.send(("summary", None))
        return self._conn.recv()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._conn.send(("stop", None))
        self._proc.join(15)
        if self._proc.is_alive():
            self._proc.kill()
            self._proc.join(5)

    def __enter__(self) -> EmulatorProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---- the client side ------------------------------------------------------------------------


class RecordingTransport(httpx.BaseTransport):
    """Wraps the real transport; records (send time, method, status) of every request."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.sends: list[tuple[float, str, str, int | None]] = []
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        t = time.perf_counter()
        status: int | None = None
        try:
            response = self.inner.handle_request(request)
            status = response.status_code
            return response
        finally:
            with self._lock:
                self.sends.append((t, request.method, request.url.path, status))

    def close(self) -> None:
        self.inner.close()


def steady_rate(
    sends: list[float], rate_limit: float, *, min_window: int = 50
) -> tuple[float | None, int]:
    """Send rate once the pacer's initial burst is spent: (requests per second, requests counted).

    The client's token bucket starts full (burst = rate // 6, the facade's default), and while
    it has tokens requests go out as fast as client and server allow. Its budget at time t is
    burst + rate * (t - t0); the bucket is empty, and pacing alone sets the pace, from the first
    send that has caught up with that budget. None when fewer than `min_window` sends follow.
    """
    if not sends:
        return None, 0
    per_s = rate_limit / 60
    burst = max(1, int(rate_limit // 6))
    t0 = sends[0]
    start = next((i for i, t in enumerate(sends) if i + 1 >= burst + per_s * (t - t0) - 2), None)
    if start is None or len(sends) - start < min_window:
        return None, 0 if start is None else len(sends) - start
    tail = sends[start:]
    return (len(tail) - 1) / (tail[-1] - tail[0]), len(tail)


def one_run(
    emu: EmulatorProcess,
    *,
    rows: int,
    rate_limit: float | None,
    concurrency: int,
    latency: float | tuple[float, float] = 0.0,
    label: str,
) -> dict[str, Any]:
    """Import `rows` scores through the facade; check the store; return the figures."""
    from respan_evals import Respan, ScoreRow

    faults: dict[str, Any] = {"seed": 7}
    if latency:
        faults["latency"] = latency
    emu.configure(rate_limit, **faults)
    transport = RecordingTransport(httpx.HTTPTransport())
    http = httpx.Client(
        base_url=emu.base_url,
        transport=transport,
        timeout=30.0,
        limits=httpx.Limits(max_connections=64, max_keepalive_connections=64),
    )
    client = Respan(
        api_key=emu.api_key,
        base_url=emu.base_url,
        rate_limit=rate_limit,
        http_client=http,
        timeout=30.0,
    )
    data = [
        ScoreRow(log_id=f"bench_log_{i:06d}", value=round((i % 100) / 10, 1), evaluator=SLUG)
        for i in range(rows)
    ]
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    outcomes = client.score_logs(data, concurrency=concurrency)
    elapsed = time.perf_counter() - t0
    client_cpu = time.process_time() - cpu0
    client.close()
    http.close()
    server = emu.summary()

    # ---- invariants: one outcome per row, one stored score per row, with the row's value
    indices = Counter(o.index for o in outcomes)
    missing_outcomes = sum(1 for i in range(rows) if i not in indices)
    duplicate_outcomes = sum(c - 1 for c in indices.values() if c > 1)
    failed = [o for o in outcomes if not o.ok]
    stored = Counter(log_id for log_id, _v, _e in server["scores"])
    values = {log_id: v for log_id, v, _e in server["scores"]}
    lost_in_store = sum(1 for r in data if stored.get(r.log_id, 0) == 0)
    duplicated_in_store = sum(c - 1 for c in stored.values() if c > 1)
    wrong_value = sum(1 for r in data if r.log_id in values and values[r.log_id] != r.value)
    stray = sum(1 for log_id in stored if not log_id.startswith("bench_log_"))

    upserts = sorted(
        t for t, m, p, _s in transport.sends if m == "POST" and p.startswith("/api/logs/")
    )
    statuses = Counter(s for *_x, s in transport.sends)
    rate, window = steady_rate(upserts, rate_limit) if rate_limit else (None, 0)
    overall = (len(upserts) - 1) / (upserts[-1] - upserts[0]) if len(upserts) > 1 else None
    return {
        "label": label,
        "rows": rows,
        "rate_limit_per_min": rate_limit,
        "concurrency": concurrency,
        "latency": latency,
        "elapsed_s": elapsed,
        "rows_per_s": rows / elapsed,
        "overall_send_rate": overall,
        "steady_send_rate": rate,
        "steady_window_requests": window,
        "share_of_limit": (rate / (rate_limit / 60)) if (rate and rate_limit) else None,
        "client_statuses": {str(k): v for k, v in statuses.items()},
        "client_429": statuses.get(429, 0),
        "server_statuses": dict(server["statuses"]),
        "server_violations": server["violations"],
        "outcomes": len(outcomes),
        "missing_outcomes": missing_outcomes,
        "duplicate_outcomes": duplicate_outcomes,
        "failed": len(failed),
        "failed_examples": [repr(o.error)[:200] for o in failed[:3]],
        "created": sum(1 for o in outcomes if o.created is True),
        "lost_in_store": lost_in_store,
        "duplicated_in_store": duplicated_in_store,
        "wrong_value_in_store": wrong_value,
        "stray_in_store": stray,
        "lost": missing_outcomes + lost_in_store,
        "duplicated": duplicate_outcomes + duplicated_in_store,
        "_upsert_times": upserts,
        "client_cpu_ms_per_row": client_cpu / rows * 1000,
        "server_cpu_ms_per_request": server["cpu_s"] / max(1, server["requests"]) * 1000,
    }


def _quarter_rates(sends: list[float]) -> tuple[float | None, float | None]:
    """Send rate over the first and the last quarter of the sends."""
    q = len(sends) // 4
    if q < 20:
        return None, None
    first, last = sends[:q], sends[-q:]
    return (q - 1) / (first[-1] - first[0]), (q - 1) / (last[-1] - last[0])


def run(
    rows: int = 3000,
    rate_limit: float = 6000.0,
    concurrency: int = 8,
    ceiling_rows: int | None = None,
    latency: float | tuple[float, float] = (0.02, 0.06),
    validate: bool = True,
) -> Section:
    """ceiling_rows: rows of each unlimited run (default min(rows, 1500))."""
    sec = Section("bulk")
    ceiling_rows = ceiling_rows or min(rows, 1500)
    scenarios = ((0.0, "clean"), (latency, f"latency {latency} s"))
    with EmulatorProcess(validate=validate) as emu:
        ceilings = []
        for lat, label in scenarios:
            c = one_run(
                emu,
                rows=ceiling_rows,
                rate_limit=None,
                concurrency=concurrency,
                latency=lat,
                label=f"ceiling {label}",
            )
            c["first_quarter_rps"], c["last_quarter_rps"] = _quarter_rates(c.pop("_upsert_times"))
            ceilings.append(c)
        serveable = min(c["rows_per_s"] for c in ceilings)
        requested = rate_limit
        if serveable * 60 * HEADROOM < rate_limit:
            rate_limit = max(60.0, (serveable * 60 * HEADROOM) // 300 * 300)
        requested_rows = rows
        rows = min(rows, int(rate_limit * MAX_ROWS_PER_LIMIT))
        runs = []
        for lat, label in scenarios:
            r = one_run(
                emu,
                rows=rows,
                rate_limit=rate_limit,
                concurrency=concurrency,
                latency=lat,
                label=label,
            )
            r["tail_rps"] = _quarter_rates(r.pop("_upsert_times"))[1]
            r["loadavg_after"] = os.getloadavg()
            runs.append(r)
    sec.details.update(
        requested_rows=requested_rows,
        used_rows=rows,
        requested_limit_per_min=requested,
        used_limit_per_min=rate_limit,
        ceilings=ceilings,
        runs=runs,
        emulator_validation=validate,
    )
    for c in ceilings:
        note = (
            f"first/last quarter {c['first_quarter_rps'] or 0:.0f}/"
            f"{c['last_quarter_rps'] or 0:.0f} rows/s; emulator CPU "
            f"{c['server_cpu_ms_per_request']:.1f} ms/request (openapi validation "
            f"{'on' if validate else 'off'}; about "
            f"{1000 / max(c['server_cpu_ms_per_request'], 1e-3):.0f} req/s on a core of its own), "
            f"client CPU {c['client_cpu_ms_per_row']:.1f} ms/row"
        )
        sec.row(
            f"bulk: {c['label']} (no limit, concurrency {concurrency}, {ceiling_rows} rows)",
            round(c["rows_per_s"], 1),
            "rows/s",
            note=note,
        )
    if rate_limit < requested:
        sec.rows[-1].note += (
            f"; client + emulator cannot carry {requested:.0f}/min with room to spare (they must "
            f"run at most {HEADROOM:.0%} busy for the pacer's initial burst to drain): limit "
            f"lowered to {rate_limit:.0f}/min"
        )
    if rows < requested_rows:
        sec.rows[-1].note += (
            f"; rows cut from {requested_rows} to {rows}: a run longer than the pacer's "
            f"one-minute window ({rate_limit:.0f} sends per 60 s) stalls at its end by design"
        )
    for r in runs:
        name = f"bulk {r['label']}, {rows} rows @ {rate_limit:.0f}/min"
        share = r["share_of_limit"]
        if share is None:
            note = (
                "the pacer's initial burst was not spent before the end, so pacing never "
                f"set the pace (whole run {r['rows_per_s']:.1f} rows/s): use more rows or "
                "a lower limit"
            )
        else:
            note = (
                f"{r['steady_send_rate']:.1f} req/s over the last {r['steady_window_requests']} "
                f"upserts (last quarter {r['tail_rps'] or 0:.1f}); whole run "
                f"{r['rows_per_s']:.1f} rows/s incl. the initial burst"
            )
            if share < TARGET_SHARE:
                note += (
                    f"; no 429s, so the client was held back, not refused: load average "
                    f"{r['loadavg_after'][0]:.1f} on {os.cpu_count()} cpus, emulator "
                    f"{r['server_cpu_ms_per_request']:.1f} + client "
                    f"{r['client_cpu_ms_per_row']:.1f} ms CPU per row"
                )
        sec.row(
            f"{name}: steady send rate / limit",
            None if share is None else round(share, 3),
            "share",
            f">= {TARGET_SHARE}",
            None if share is None else share >= TARGET_SHARE,
            note=note,
        )
        sec.row(f"{name}: 429s received", r["client_429"], "count", "= 0", r["client_429"] == 0)
        bad = r["lost"] + r["duplicated"] + r["wrong_value_in_store"] + r["failed"]
        sec.row(
            f"{name}: rows lost / duplicated / failed",
            bad,
            "rows",
            "= 0",
            bad == 0,
            note=(
                f"lost {r['lost']}, duplicated {r['duplicated']}, failed {r['failed']}, "
                f"wrong value {r['wrong_value_in_store']}"
                + (f"; first error: {r['failed_examples'][0]}" if r["failed_examples"] else "")
            ),
        )
    return sec
