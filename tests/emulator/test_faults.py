"""Rate limiting and injected faults, as a client sees them over real HTTP."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from respan_evals.testing import Emulator, FaultPlan
from respan_evals.testing._faults import FaultInjector
from respan_evals.testing._ratelimit import RateLimiter

EVALUATOR = {"name": "Q", "type": "llm", "score_value_type": "boolean"}


@pytest.mark.respan_emulator(rate_limit=5)
def test_burst_over_the_limit_gets_429(respan_emulator: Emulator) -> None:
    with respan_emulator.client() as client:
        statuses = [client.get("/api/evaluators/summary/") for _ in range(6)]
    assert [r.status_code for r in statuses] == [200] * 5 + [429]
    limited = statuses[-1]
    assert limited.json() == {"detail": "Rate limit exceeded", "retry_after": 12}
    assert limited.headers["Retry-After"] == "12"  # 60 s / 5 tokens, rounded up


@pytest.mark.respan_emulator(rate_limit=None)
def test_no_limit_when_off(respan_emulator: Emulator) -> None:
    with respan_emulator.client() as client:
        assert all(client.get("/api/scores/").status_code == 200 for _ in range(80))


def test_the_emulators_default_limit_is_production_s() -> None:
    assert Emulator().rate_limit == 60  # the fixture's default is off (test_fixture_defaults)


@pytest.mark.respan_emulator(rate_limit=60, clock=lambda: 0.0)  # frozen: no refill meanwhile
def test_a_limit_of_60_per_minute_is_per_key(respan_emulator: Emulator) -> None:
    assert respan_emulator.rate_limit == 60
    respan_emulator.add_api_key("sk_other", "other@example.com")
    with respan_emulator.client() as client:
        codes = [client.get("/api/evaluators/summary/").status_code for _ in range(61)]
    assert codes.count(429) == 1 and codes[-1] == 429
    other = httpx.get(
        respan_emulator.url("/api/evaluators/summary/"),
        headers={"Authorization": "Bearer sk_other"},
    )
    assert other.status_code == 200


def test_token_bucket_refills_continuously() -> None:
    now = [0.0]
    limiter = RateLimiter(60, clock=lambda: now[0])
    assert all(limiter.acquire("k") is None for _ in range(60))
    assert limiter.acquire("k") == 1
    now[0] = 0.5
    assert limiter.acquire("k") == 1  # half a token back: still wait
    now[0] = 1.0
    assert limiter.acquire("k") is None
    now[0] = 1000.0
    assert sum(limiter.acquire("k") is None for _ in range(100)) == 60  # capacity caps refill
    limiter.configure(0)
    assert limiter.acquire("k") is None


def test_drop_after_write_applies_the_write_then_breaks_the_connection(emu: Emulator) -> None:
    emu.set_faults(drop_after_write_rate=1.0)
    with emu.client() as client, pytest.raises(httpx.TransportError) as caught:
        client.post("/api/evaluators/", json=EVALUATOR)
    assert isinstance(caught.value, httpx.RemoteProtocolError)
    assert emu.evaluator_count() == 1  # the write happened: a blind retry would duplicate it
    assert [f.kind for f in emu.fault_log] == ["drop_after_write"]
    eid = next(iter(emu.store.evaluators))
    with emu.client() as client, pytest.raises(httpx.TransportError):
        client.delete(f"/api/evaluators/{eid}/")  # a 204 cannot hide the drop either
    assert emu.evaluator_count() == 0
    emu.clear_faults()
    with emu.client() as client:
        assert client.get("/api/evaluators/summary/").json() == {"total_count": 0}


def test_truncated_body_is_valid_http_with_cut_json(emu: Emulator) -> None:
    emu.set_faults(truncate_rate=1.0)
    with emu.client() as client:
        r = client.post("/api/evaluators/", json=EVALUATOR)
    assert r.status_code == 201
    assert int(r.headers["content-length"]) == len(r.content) > 0
    with pytest.raises(ValueError):
        r.json()
    assert emu.evaluator_count() == 1


def test_html_error_page_instead_of_json(emu: Emulator) -> None:
    emu.set_faults(html_rate=1.0)
    with emu.client() as client:
        r = client.post("/api/evaluators/", json=EVALUATOR)
    assert r.status_code == 502
    assert r.headers["content-type"].startswith("text/html")
    assert b"502 Bad Gateway" in r.content
    assert emu.evaluator_count() == 0


def test_server_errors_do_not_apply_the_write(emu: Emulator) -> None:
    emu.set_faults(error_rate=1.0, seed=3)
    with emu.client() as client:
        codes = {client.post("/api/evaluators/", json=EVALUATOR).status_code for _ in range(20)}
    assert codes <= {500, 502, 503} and len(codes) > 1
    assert emu.evaluator_count() == 0
    assert all(f.kind == "error" for f in emu.fault_log)


def test_burst_429_then_recovery(emu: Emulator) -> None:
    emu.set_faults(burst_429=2, retry_after=3)
    with emu.client() as client:
        first, second, third = (client.get("/api/scores/") for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (429, 429, 200)
    assert first.headers["Retry-After"] == "3" and first.json()["retry_after"] == 3


def test_latency(emu: Emulator) -> None:
    emu.set_faults(latency=0.2)
    with emu.client() as client:
        start = time.perf_counter()
        client.get("/api/scores/")
        assert time.perf_counter() - start >= 0.2
    emu.set_faults(latency=(0.0, 0.05))
    with emu.client() as client:
        client.get("/api/scores/")
    assert emu.fault_log[-1].kind == "latency" and 0 <= emu.fault_log[-1].latency <= 0.05


def test_only_methods_and_paths(emu: Emulator) -> None:
    emu.set_faults(error_rate=1.0, only_methods={"post"}, only_paths=["/api/scores/*"])
    with emu.client() as client:
        assert client.get("/api/scores/").status_code == 200
        assert client.post("/api/evaluators/", json=EVALUATOR).status_code == 201
        r = client.post("/api/scores/list/", json={})
        assert r.status_code in (500, 502, 503)


def _kinds(seed: int, n: int = 40) -> list[Any]:
    injector = FaultInjector(
        FaultPlan(
            seed=seed, error_rate=0.2, html_rate=0.1, truncate_rate=0.1, drop_after_write_rate=0.1
        )
    )
    return [injector.decide("POST", "/api/scores/") for _ in range(n)]


def test_same_seed_same_fault_sequence(respan_emulator: Emulator) -> None:
    assert _kinds(7) == _kinds(7)
    assert _kinds(7) != _kinds(8)
    plan = FaultPlan(seed=11, error_rate=0.3, html_rate=0.2)
    runs = []
    for _ in range(2):
        respan_emulator.set_rate_limit(None)
        respan_emulator.set_faults(plan)  # restarts the sequence from the seed
        respan_emulator.fault_log.clear()
        with respan_emulator.client() as client:
            statuses = [client.get("/api/scores/").status_code for _ in range(30)]
        runs.append(
            (statuses, [(f.index % 30, f.kind, f.status) for f in respan_emulator.fault_log])
        )
    assert runs[0] == runs[1]
    assert {k for _, k, _ in runs[0][1]} == {"error", "html"}


def test_fault_plan_is_checked() -> None:
    with pytest.raises(ValueError):
        FaultPlan(error_rate=1.5)
    with pytest.raises(ValueError):
        FaultPlan(latency=(0.5, 0.1))


def test_faulted_responses_skip_validation(
    emu: Emulator, make_evaluator: Callable[..., dict[str, Any]]
) -> None:
    emu.set_faults(truncate_rate=1.0, html_rate=0.5, seed=1)
    with emu.client() as client:
        for _ in range(10):
            client.get("/api/scores/")
    assert len(emu.fault_log) == 10
    assert emu.violations == []
