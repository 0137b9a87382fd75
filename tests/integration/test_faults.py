"""Each fault kind of the emulator through the facade. After every run, what the emulator
stored is compared with what the client was told:

- upserts (score_logs): every success is stored exactly once with its value; a row reported as
  failed is stored only if its error says the write may have been applied;
- plain scores.create: never sent twice (only a 429, which is refused, is retried), never
  stored twice; a failed create is stored only if its error has outcome_unknown=True.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from respan_evals import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    InternalServerError,
    RespanError,
    ScoreOutcome,
    ScoreRow,
)
from respan_evals.testing import Emulator, FaultPlan
from respan_evals.types import Score

from ._helpers import Client, open_client, requests_to, run, scores_by_log

# Backoff and Retry-After waits at a fiftieth of real time (tests/conftest.py): same schedule.
pytestmark = pytest.mark.usefixtures("scaled_waits")

ROWS = 10
SEED = 1699
TIMEOUT = 0.15  # the client's timeout for the latency fault
KINDS: dict[str, dict[str, Any]] = {
    "5xx": {"error_rate": 0.25},
    "429_burst": {"burst_429": 3},
    "drop_after_write": {"drop_after_write_rate": 0.25},
    "truncated_body": {"truncate_rate": 0.25},
    "html_page": {"html_rate": 0.25},
    "latency_past_timeout": {"latency": (0.0, 0.25)},
}
FAULT_KIND = {
    "5xx": "error",
    "429_burst": "burst_429",
    "drop_after_write": "drop_after_write",
    "truncated_body": "truncate",
    "html_page": "html",
    "latency_past_timeout": "latency",
}
# Errors that leave a write possibly applied (the request reached the server, or it was applied
# and only the answer was lost).
MAYBE_APPLIED = (APIConnectionError, APIResponseValidationError, InternalServerError)


def settle(emu: Emulator, prefix: str, sent: int = 0, deadline: float = 3.0) -> None:
    """Wait until every request that got injected latency has been answered (the server goes on
    with a request after the client timed out), and at least `sent` have: on a loaded machine
    the client can time out before the server has even read a request, which then has no
    latency record yet."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        delayed = [
            f for f in list(emu.fault_log) if f.kind == "latency" and f.path.startswith(prefix)
        ]
        answered = [r for r in list(emu.requests) if r.path.startswith(prefix)]
        if len(answered) >= max(len(delayed), sent):
            return
        time.sleep(0.02)
    raise AssertionError("the emulator did not answer every delayed request in time")


def faults_of(emu: Emulator, prefix: str) -> list[str]:
    return [f.kind for f in list(emu.fault_log) if f.path.startswith(prefix)]


def check_upserts(emu: Emulator, outcomes: list[ScoreOutcome]) -> None:
    by_log = scores_by_log(emu)
    applied = {
        r.path.split("/")[3]
        for r in list(emu.requests)
        if r.method == "POST" and r.path.startswith("/api/logs/up_") and r.status < 300
    }
    assert {log for log in by_log if log.startswith("up_")} == applied
    for outcome in outcomes:
        assert outcome.row is not None
        recs = by_log.get(outcome.row.log_id, [])
        assert len(recs) <= 1, f"{outcome.row.log_id} stored {len(recs)} times"
        if outcome.ok:  # created is None when an earlier attempt may have been the one
            assert outcome.score is not None
            assert len(recs) == 1, f"{outcome.row.log_id}: reported stored, but is not"
            assert recs[0]["id"] == outcome.score.id
            assert recs[0]["numerical_value"] == outcome.row.value
        else:
            assert outcome.created is None and outcome.score is None
            if recs:
                assert isinstance(outcome.error, MAYBE_APPLIED), outcome.error


async def create_all(client: Client, mode: str, calls: list[dict[str, Any]]) -> list[Any]:
    """scores.create for every call at once: the Score, or the RespanError raised."""
    if mode == "async":

        async def one_async(body: dict[str, Any]) -> Any:
            try:
                return await client.scores.create(**body)  # type: ignore[misc]
            except RespanError as e:
                return e

        return list(await asyncio.gather(*(one_async(body) for body in calls)))

    def one(body: dict[str, Any]) -> Any:
        try:
            return client.scores.create(**body)
        except RespanError as e:
            return e

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(one, calls))


def check_creates(emu: Emulator, calls: list[dict[str, Any]], results: list[Any]) -> None:
    by_log = scores_by_log(emu)
    posts = requests_to(emu, "POST", "/api/scores/")
    # Only a refused (429) create is sent again; nothing else is retried.
    assert len(posts) == len(calls) + posts.count(429)
    assert all(len(by_log.get(c["log_id"], [])) <= 1 for c in calls)
    told_ok = [c["log_id"] for c, res in zip(calls, results, strict=True) if isinstance(res, Score)]
    stored = [c["log_id"] for c in calls if by_log.get(c["log_id"])]
    for call, result in zip(calls, results, strict=True):
        recs = by_log.get(call["log_id"], [])
        if isinstance(result, Score):
            assert len(recs) == 1 and recs[0]["id"] == result.id
            assert recs[0]["numerical_value"] == call["numerical_value"]
    unknown = [
        c["log_id"]
        for c, res in zip(calls, results, strict=True)
        if isinstance(res, RespanError) and res.outcome_unknown
    ]
    # Stored = told it succeeded + some of those told "outcome unknown"; never a create the
    # client was told had certainly failed.
    assert set(told_ok) <= set(stored)
    silently_applied = {
        c["log_id"]: repr(res)
        for c, res in zip(calls, results, strict=True)
        if c["log_id"] in stored and c["log_id"] not in told_ok and c["log_id"] not in unknown
    }
    assert silently_applied == {}, "applied, but reported as failed without outcome_unknown"
    assert len(stored) == len(told_ok) + len(set(unknown) & set(stored))


@pytest.mark.parametrize("kind", list(KINDS))
async def test_fault_kind(
    kind: str, mode: str, emu: Emulator, evaluators: dict[str, dict[str, Any]]
) -> None:
    options: dict[str, Any] = {"max_retries": 4}
    if kind == "latency_past_timeout":
        options.update(timeout=TIMEOUT, max_retries=1)
    # Seed 1699: for every rate above, 2 or 3 of the first 10 requests are faulted and none of
    # the next few (their retries), so each run is short; which rows get them still varies.
    plan = FaultPlan(seed=SEED, **KINDS[kind])

    # 1) Upserts through score_logs (safe to retry).
    emu.set_faults(plan, only_paths=("/api/logs/",))
    rows = [ScoreRow(f"up_{i}", i, evaluator="quality") for i in range(ROWS)]
    async with open_client(emu, mode, **options) as client:
        outcomes: list[ScoreOutcome] = await run(client.score_logs(rows, concurrency=ROWS))
    settle(emu, "/api/logs/")
    assert FAULT_KIND[kind] in faults_of(emu, "/api/logs/"), "no fault was injected"
    assert [o.index for o in outcomes] == list(range(ROWS))
    check_upserts(emu, outcomes)
    if kind in ("5xx", "429_burst", "drop_after_write", "html_page"):
        assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok]
    if kind == "drop_after_write":
        # The first attempt was applied and its answer lost; the retry found the score and got
        # 200: whether this call created it is unknown, and the outcome says so (None).
        dropped = {f.path.split("/")[3] for f in emu.fault_log if f.kind == "drop_after_write"}
        assert dropped
        assert {o.row.log_id for o in outcomes if o.row and o.created is None} == dropped
        assert not any(o.created is False for o in outcomes)
    if kind == "truncated_body":  # applied, answer lost, not retried: stored, reported failed
        failed = [o for o in outcomes if not o.ok]
        assert failed and all(isinstance(o.error, APIResponseValidationError) for o in failed)
        assert len(failed) == faults_of(emu, "/api/logs/").count("truncate")
    if kind == "latency_past_timeout":
        upserts = requests_to(emu, "POST", "/api/logs/up_[0-9]+/scores/")
        assert len(upserts) > ROWS  # some attempts timed out and were sent again

    # 2) Plain creates (not safe to retry), all at once.
    emu.set_faults(plan, only_paths=("/api/scores/",))
    calls = [
        {"log_id": f"cr_{i}", "evaluator_slug": "quality", "numerical_value": i}
        for i in range(ROWS)
    ]
    async with open_client(emu, mode, **options) as client:
        results = await create_all(client, mode, calls)
    settle(emu, "/api/scores/", sent=len(calls))  # each create is sent at least once
    assert FAULT_KIND[kind] in faults_of(emu, "/api/scores/"), "no fault was injected"
    errors = {
        c["log_id"]: r for c, r in zip(calls, results, strict=True) if isinstance(r, RespanError)
    }
    stored = {log for log in scores_by_log(emu) if log.startswith("cr_")}
    if kind == "429_burst":
        assert errors == {}  # refused, so retried: each stored once
    else:
        assert errors
    if kind in ("5xx", "html_page"):  # refused before the write: never applied, never retried
        assert all(isinstance(e, InternalServerError) for e in errors.values())
        assert all(e.outcome_unknown for e in errors.values())
        assert not stored & set(errors)
    if kind == "drop_after_write":  # applied, then the connection dropped
        assert all(type(e) is APIConnectionError for e in errors.values())
        assert all(e.outcome_unknown for e in errors.values())
        assert set(errors) <= stored
    if kind == "latency_past_timeout":  # timed out; the server applied it anyway, later
        assert all(isinstance(e, APITimeoutError) for e in errors.values())
        assert all(e.outcome_unknown for e in errors.values())
        assert set(errors) <= stored
    if kind == "truncated_body":  # applied; only the answer was lost
        assert all(isinstance(e, APIResponseValidationError) for e in errors.values())
        assert set(errors) <= stored
    check_creates(emu, calls, results)


async def test_truncated_create_response_reports_outcome_unknown(emu: Emulator) -> None:
    """Minimal repro: a create whose 201 body arrives cut short was applied; the error must say
    the write may have been applied (outcome_unknown), as it does for a dropped connection."""
    quality = emu.create_evaluator(name="Quality", score_value_type="numerical")
    emu.set_faults(FaultPlan(truncate_rate=1.0))
    async with open_client(emu, "sync") as client:
        with pytest.raises(APIResponseValidationError) as caught:
            await run(
                client.scores.create(log_id="log_1", evaluator_id=quality["id"], numerical_value=1)
            )
    assert emu.score_count() == 1  # the create was applied
    assert caught.value.outcome_unknown is True
