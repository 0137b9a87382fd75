"""Every fault the emulator injects, against a batch of upserts and a batch of plain creates.

What the client reported is compared with what the emulator stored:
- upserts (score_log): every reported success is stored exactly once, with the value sent;
  retries make most calls succeed;
- plain creates (scores.create): never stored twice; a reported success is stored exactly once;
  a failure with outcome_unknown=True is stored at most once; a failure with
  outcome_unknown=False was not applied; and a create is only sent again after a 429 (the one
  answer that proves it was not applied).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import itertools
import socket
from collections import Counter
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from respan_evals import APIResponseValidationError, AsyncRespan, Respan, RespanError
from respan_evals.testing import Emulator, FaultPlan

from .conftest import Sends, wait_until_settled

CALLS = 32  # of each kind, per fault: 64 calls in flight at once
_run_ids = itertools.count()


@dataclass(frozen=True)
class Fault:
    name: str
    kind: str  # the kind recorded in emu.fault_log
    plan: FaultPlan
    timeout: float = 5.0
    min_upsert_success: float = 0.75  # share of upserts that must succeed after retries


FAULTS = [
    # A read timeout may come after the server applied the write: the server keeps going.
    # (64 calls at once also queue at the server, so more attempts time out than were delayed;
    # the timeout is long enough that on a busy machine the queue does not decide the outcome.)
    Fault("latency > timeout", "latency", FaultPlan(seed=11, latency=(0.0, 0.8)), 0.5, 0.6),
    Fault("500/502/503", "error", FaultPlan(seed=11, error_rate=0.35)),
    Fault("429 burst", "burst_429", FaultPlan(seed=11, burst_429=20)),
    Fault("drop after write", "drop_after_write", FaultPlan(seed=11, drop_after_write_rate=0.35)),
    # A 2xx whose body is cut was applied; it is not retried, so fewer upserts succeed.
    Fault("truncated body", "truncate", FaultPlan(seed=11, truncate_rate=0.25), 5.0, 0.5),
    Fault("HTML 502 page", "html", FaultPlan(seed=11, html_rate=0.35)),
]


@dataclass
class Result:
    log_id: str
    value: float
    score: Any = None
    error: RespanError | None = None
    escaped: BaseException | None = None  # anything that is not a RespanError


def _upsert_args(run: int) -> list[tuple[str, float]]:
    return [(f"log-u{run}-{i}", i + 0.5) for i in range(CALLS)]


def _create_args(run: int) -> list[tuple[str, float]]:
    return [(f"log-c{run}-{i}", i + 0.25) for i in range(CALLS)]


def _run_sync(client: Respan, evaluator_id: str, run: int) -> tuple[list[Result], list[Result]]:
    def upsert(args: tuple[str, float]) -> Result:
        result = Result(*args)
        try:
            result.score = client.score_log(
                args[0], args[1], evaluator_id=evaluator_id, value_type="numerical"
            )
        except RespanError as e:
            result.error = e
        except Exception as e:  # a bug: the test fails on it below
            result.escaped = e
        return result

    def create(args: tuple[str, float]) -> Result:
        result = Result(*args)
        try:
            result.score = client.scores.create(
                log_id=args[0], evaluator_id=evaluator_id, numerical_value=args[1]
            )
        except RespanError as e:
            result.error = e
        except Exception as e:
            result.escaped = e
        return result

    # Interleaved, so that creates and upserts meet the same faults (a 429 burst, for one).
    with concurrent.futures.ThreadPoolExecutor(2 * CALLS) as pool:
        ups, crs = [], []
        for u, c in zip(_upsert_args(run), _create_args(run), strict=True):
            ups.append(pool.submit(upsert, u))
            crs.append(pool.submit(create, c))
        return [f.result() for f in ups], [f.result() for f in crs]


async def _run_async(
    client: AsyncRespan, evaluator_id: str, run: int
) -> tuple[list[Result], list[Result]]:
    async def upsert(args: tuple[str, float]) -> Result:
        result = Result(*args)
        try:
            result.score = await client.score_log(
                args[0], args[1], evaluator_id=evaluator_id, value_type="numerical"
            )
        except RespanError as e:
            result.error = e
        except Exception as e:
            result.escaped = e
        return result

    async def create(args: tuple[str, float]) -> Result:
        result = Result(*args)
        try:
            result.score = await client.scores.create(
                log_id=args[0], evaluator_id=evaluator_id, numerical_value=args[1]
            )
        except RespanError as e:
            result.error = e
        except Exception as e:
            result.escaped = e
        return result

    pairs = zip(_upsert_args(run), _create_args(run), strict=True)
    results = await asyncio.gather(*(c for u, v in pairs for c in (upsert(u), create(v))))
    return list(results[0::2]), list(results[1::2])


def _check(
    fault: Fault,
    emu: Emulator,
    sends: Sends,
    upserts: list[Result],
    creates: list[Result],
    table: list[dict[str, Any]],
    flavour: str,
) -> None:
    wait_until_settled(emu, sends, limit=fault.timeout + 2.0)
    stored: Counter[str] = Counter()
    values: dict[str, list[float]] = {}
    for rec in emu.store.scores.values():
        stored[rec["log_id"]] += 1
        values.setdefault(rec["log_id"], []).append(rec["numerical_value"])

    if fault.kind == "latency":
        injected = [f for f in emu.fault_log if f.kind == "latency" and f.latency > fault.timeout]
    else:
        injected = [f for f in emu.fault_log if f.kind == fault.kind]
    injected_on = Counter("create" if f.path == "/api/scores/" else "upsert" for f in injected)
    throttled_creates = sum(
        1 for f in injected if f.kind == "burst_429" and f.path == "/api/scores/"
    )
    attempts = Counter("create" if p == "/api/scores/" else "upsert" for p in sends.paths)

    problems: list[str] = []
    for kind, results in (("upsert", upserts), ("create", creates)):
        ok = [r for r in results if r.error is None and r.escaped is None]
        unknown = [r for r in results if r.error is not None and r.error.outcome_unknown]
        known = [r for r in results if r.error is not None and not r.error.outcome_unknown]
        escaped = [r for r in results if r.escaped is not None]
        lost = [r for r in ok if r.value not in values.get(r.log_id, [])]
        duplicated = [r for r in results if stored[r.log_id] > 1]
        # Only a plain create must not be applied when it reports a known failure: a failed
        # upsert may have been applied, and is safe to send again.
        misreported = [r for r in known if kind == "create" and stored[r.log_id] > 0]
        mismatched = [r for r in ok if r.score.log_id != r.log_id]
        retries = attempts[kind] - len(results)
        table.append(
            {
                "fault": fault.name,
                "call": f"{kind} ({flavour})",
                "calls": len(results),
                "faults injected": injected_on[kind],
                "retries": retries,
                "succeeded": len(ok),
                "outcome-unknown": len(unknown),
                "failed": len(known),
                "lost": len(lost),
                "duplicated": len(duplicated),
                "misreported": len(misreported),
            }
        )
        for r in escaped:
            problems.append(f"{kind} {r.log_id}: {type(r.escaped).__name__} escaped: {r.escaped}")
        for r in lost:
            problems.append(
                f"{kind} {r.log_id}: reported success, not stored: {values.get(r.log_id)}"
            )
        for r in duplicated:
            problems.append(f"{kind} {r.log_id}: stored {stored[r.log_id]} times")
        for r in misreported:
            assert r.error is not None
            problems.append(
                f"create {r.log_id}: {type(r.error).__name__} with outcome_unknown=False, "
                f"yet the score was stored: {r.error}"
            )
        for r in mismatched:
            problems.append(f"{kind} {r.log_id}: got the score of {r.score.log_id}")
        if kind == "upsert" and len(ok) < fault.min_upsert_success * len(results):
            problems.append(
                f"only {len(ok)} of {len(results)} upserts succeeded despite retries: "
                + "; ".join(sorted({str(r.error)[:120] for r in known + unknown})[:3])
            )
        if kind == "create" and retries > throttled_creates:
            problems.append(
                f"plain creates were sent {retries} extra times but only {throttled_creates} "
                "were refused with 429: a create was repeated after it may have been applied"
            )
    assert injected, f"the emulator injected no {fault.kind} fault: the test proves nothing"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("fault", FAULTS, ids=[f.kind for f in FAULTS])
def test_fault_sync(
    fault: Fault, emu: Emulator, fault_table: list[dict[str, Any]], scaled_waits: float
) -> None:
    evaluator = emu.create_evaluator(name="Quality", score_value_type="numerical")
    sends = Sends()
    client = Respan(
        emu.api_key,
        base_url=emu.base_url,
        timeout=fault.timeout,
        rate_limit=None,
        http_client=sends.sync_http(limits=_limits()),
    )
    emu.set_faults(fault.plan)
    with client:
        upserts, creates = _run_sync(client, evaluator["id"], next(_run_ids))
    _check(fault, emu, sends, upserts, creates, fault_table, "sync")


# The two faults after which a write may or may not have been applied.
ASYNC_FAULTS = [f for f in FAULTS if f.kind in ("latency", "drop_after_write")]


@pytest.mark.parametrize("fault", ASYNC_FAULTS, ids=[f.kind for f in ASYNC_FAULTS])
async def test_fault_async(
    fault: Fault, emu: Emulator, fault_table: list[dict[str, Any]], scaled_waits: float
) -> None:
    evaluator = emu.create_evaluator(name="Quality", score_value_type="numerical")
    sends = Sends()
    client = AsyncRespan(
        emu.api_key,
        base_url=emu.base_url,
        timeout=fault.timeout,
        rate_limit=None,
        http_client=sends.async_http(limits=_limits()),
    )
    emu.set_faults(fault.plan)
    async with client:
        upserts, creates = await _run_async(client, evaluator["id"], next(_run_ids))
    await asyncio.to_thread(_check, fault, emu, sends, upserts, creates, fault_table, "async")


def _limits() -> httpx.Limits:
    return httpx.Limits(max_connections=4 * CALLS, max_keepalive_connections=4 * CALLS)


def test_every_truncated_create_reports_outcome_unknown(emu: Emulator) -> None:
    """The same guarantee without chance: every 201 to a plain create is cut short."""
    evaluator = emu.create_evaluator(name="Quality", score_value_type="numerical")
    emu.set_faults(FaultPlan(truncate_rate=1.0, only_paths=("/api/scores/",)))
    with Respan(emu.api_key, base_url=emu.base_url, rate_limit=None) as client:
        for i in range(3):
            try:
                client.scores.create(
                    log_id=f"log-t{i}", evaluator_id=evaluator["id"], numerical_value=1.0
                )
            except APIResponseValidationError as e:
                stored = [s for s in emu.store.scores.values() if s["log_id"] == f"log-t{i}"]
                assert len(stored) == 1
                assert e.outcome_unknown, f"stored, yet reported outcome_unknown=False: {e}"
            else:
                raise AssertionError("a cut body was read as a score")


def test_an_attempt_counts_once_it_is_on_the_wire(emu: Emulator, scaled_waits: float) -> None:
    """What the fault checks count as sent: an attempt refused before any connection was made
    (the client retries those, even for a create) never reached a server and does not count."""
    evaluator = emu.create_evaluator(name="Quality", score_value_type="numerical")
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        nobody = f"http://127.0.0.1:{closed.getsockname()[1]}"  # closed below: refused
    started: list[httpx.Request] = []
    for base_url, expected in ((nobody, 0), (emu.base_url, 1)):
        sends = Sends()
        http = sends.sync_http()
        http.event_hooks = {"request": [*http.event_hooks["request"], started.append]}
        client = Respan(
            emu.api_key, base_url=base_url, rate_limit=None, max_retries=1, http_client=http
        )
        with http, client, contextlib.suppress(RespanError):
            client.scores.create(log_id="log-w", evaluator_id=evaluator["id"], numerical_value=1)
        assert len(sends) == expected, sends.paths
    # Three attempts were started: the refused create and its retry (it never left), then one.
    assert [r.url.path for r in started] == ["/api/scores/"] * 3
