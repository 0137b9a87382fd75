"""score_log / score_logs against the emulator: upserts keep one score per (log, evaluator),
and an evaluator is looked up once per client."""

from __future__ import annotations

from typing import Any

from respan_evals import ScoreOutcome, ScoreRow
from respan_evals.testing import Emulator

from ._helpers import collect, lookup_requests, open_client, run, score_requests, scores_by_log


async def test_score_log_twice_keeps_one_score_with_the_second_value(
    mode: str, emu: Emulator, evaluators: dict[str, dict[str, Any]]
) -> None:
    async with open_client(emu, mode) as client:
        first = await run(client.score_log("log_1", 4, evaluator="quality", explanation="ok"))
        second = await run(client.score_log("log_1", 9.5, evaluator="quality"))
    assert second.id == first.id
    assert emu.score_count() == 1
    rec = emu.store.scores[first.id]
    assert (rec["numerical_value"], rec["explanation"]) == (9.5, None)
    assert [s for _, _, s in score_requests(emu)] == [201, 200]


async def test_score_logs_reports_created_then_updated(
    mode: str, emu: Emulator, evaluators: dict[str, dict[str, Any]]
) -> None:
    rows: list[Any] = [
        ScoreRow("log_1", 3, evaluator="quality"),
        {"log_id": "log_1", "value": True, "evaluator": "is_safe"},  # same log, other evaluator
        ScoreRow("log_2", "good", evaluator="verdict"),
    ]
    async with open_client(emu, mode) as client:
        firsts: list[ScoreOutcome] = await run(client.score_logs(rows, concurrency=3))
        again = [
            ScoreRow("log_1", 8, evaluator="quality"),
            {"log_id": "log_1", "value": False, "evaluator": "is_safe"},
            ScoreRow("log_2", "bad", evaluator="verdict"),
            ScoreRow("log_3", 1, evaluator="quality"),  # new
        ]
        seconds: list[ScoreOutcome] = await run(client.score_logs(again, concurrency=4))
    assert [o.index for o in firsts] == [0, 1, 2]
    assert all(o.ok for o in firsts + seconds)
    assert [o.created for o in firsts] == [True, True, True]
    assert [o.created for o in seconds] == [False, False, False, True]
    for before, after in zip(firsts, seconds, strict=False):
        assert after.score is not None and before.score is not None
        assert after.score.id == before.score.id
    assert emu.score_count() == 4
    by_log = scores_by_log(emu)
    assert sorted(r["numerical_value"] for r in by_log["log_1"] if r["numerical_value"]) == [8]
    assert [r["boolean_value"] for r in by_log["log_1"] if r["boolean_value"] is not None] == [
        False
    ]
    assert [r["categorical_value"] for r in by_log["log_2"]] == [["bad"]]
    assert [r["numerical_value"] for r in by_log["log_3"]] == [1]


async def test_iter_score_logs_streams_one_outcome_per_row(
    mode: str, emu: Emulator, evaluators: dict[str, dict[str, Any]]
) -> None:
    rows = [ScoreRow(f"log_{i}", i % 11, evaluator="quality") for i in range(30)]
    rows.append(ScoreRow("log_bad", 99, evaluator="quality"))  # out of bounds: not sent
    async with open_client(emu, mode) as client:
        outcomes = await collect(client.iter_score_logs(rows, concurrency=6))
    assert sorted(o.index for o in outcomes) == list(range(31))
    bad = [o for o in outcomes if not o.ok]
    assert [o.index for o in bad] == [30]
    assert emu.score_count() == 30
    assert {r["log_id"]: r["numerical_value"] for r in emu.store.scores.values()} == {
        f"log_{i}": i % 11 for i in range(30)
    }


async def test_fifty_score_logs_look_the_evaluator_up_once(
    mode: str, emu: Emulator, evaluators: dict[str, dict[str, Any]]
) -> None:
    async with open_client(emu, mode) as client:
        for i in range(50):
            await run(client.score_log(f"log_{i}", i % 10, evaluator="quality"))
    assert lookup_requests(emu) == [("POST", "/api/evaluators/list/", 200)]
    assert len(score_requests(emu)) == 50
    assert emu.score_count() == 50


async def test_concurrent_first_lookups_share_one_request(
    mode: str, emu: Emulator, evaluators: dict[str, dict[str, Any]]
) -> None:
    """50 rows on one evaluator by id and 50 by slug, 16 in flight: one lookup each."""
    eid = evaluators["is_safe"]["id"]
    rows = [ScoreRow(f"log_{i}", i % 2 == 0, evaluator_id=eid) for i in range(50)]
    rows += [ScoreRow(f"log_{i}", i % 10, evaluator="quality") for i in range(50)]
    async with open_client(emu, mode) as client:
        outcomes = await run(client.score_logs(rows, concurrency=16))
    assert all(o.ok for o in outcomes)
    assert sorted(lookup_requests(emu)) == [
        ("GET", f"/api/evaluators/{eid}/", 200),
        ("POST", "/api/evaluators/list/", 200),
    ]
    assert emu.score_count() == 100
