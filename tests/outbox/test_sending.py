"""The thread sender against the emulator: sent in order, final 4xx failed, retryable retried
(and, beside the asyncio sender, how few write transactions a batch takes)."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path
from typing import Any

import anyio
import pytest

from respan_evals import AsyncRespan, Outbox, Respan, ScoreValueError
from respan_evals.testing import Emulator, FaultPlan

from .conftest import FAST, count_sender_writes, script_env, start_script, wait_child


def _scores_of(emu: Emulator, log_id: str) -> list[dict[str, Any]]:
    return [rec for _, rec in emu.store.score_rows(log_id)]


def _posts(emu: Emulator, log_id: str) -> int:
    path = f"/api/logs/{log_id}/scores/"
    return sum(1 for r in emu.requests if r.method == "POST" and r.path == path)


def test_queued_scores_are_sent_in_order(
    respan_emulator: Emulator, respan_client: Respan, outbox_path: Path, quality: dict[str, Any]
) -> None:
    with Outbox(outbox_path, client=respan_client, **FAST) as box:
        for value in (1, 2, 3, 4, 5):  # the same score, five times: the last one must win
            box.score_log("log_1", value, evaluator="quality")
        box.score_log("log_2", 2, evaluator="quality")
        assert box.flush(timeout=10) == 0
        stats = box.stats()
    assert (stats.sent, stats.queued, stats.failed) == (6, 0, 0)
    [score] = _scores_of(respan_emulator, "log_1")
    assert score["numerical_value"] == 5
    assert _posts(respan_emulator, "log_1") == 5
    assert respan_emulator.score_count() == 2


@pytest.mark.parametrize("sender", ["thread", "asyncio"])
async def test_a_batch_is_marked_in_the_transaction_that_claims_the_next(
    sender: str,
    respan_emulator: Emulator,
    respan_client: Respan,
    async_respan_client: AsyncRespan,
    outbox_path: Path,
    quality: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows, concurrency = 30, 3
    with Outbox(outbox_path, concurrency=concurrency, **FAST) as box:
        for i in range(rows):
            box.score_log(f"log_{i}", 1 + i % 5, evaluator="quality", value_type="numerical")
        writes = count_sender_writes(box, monkeypatch)
        if sender == "thread":  # blocks the loop, which nothing else here needs
            assert box.run(respan_client, until_empty=True) == 0
        else:
            with anyio.fail_after(10):
                await box.run_async(async_respan_client, until_empty=True)
        stats = box.stats()
    assert (stats.sent, stats.queued, stats.failed) == (rows, 0, 0)
    assert respan_emulator.score_count() == rows
    # The lease taken, a claim per batch (each marking the one before), one more claim that
    # finds nothing and marks the last batch, the lease given up: not a claim and a mark each.
    assert len(writes) <= rows // concurrency + 3, writes


def test_the_file_never_holds_the_api_key(
    respan_emulator: Emulator, respan_client: Respan, outbox_path: Path, quality: dict[str, Any]
) -> None:
    with Outbox(outbox_path, client=respan_client, **FAST) as box:
        box.score_log("log_1", 9, evaluator="quality", value_type="numerical")  # fails: kept
        box.score_log("log_2", 4, evaluator="quality")
        assert box.flush(timeout=10) == 0
        assert box.stats().sender is not None
        files = [p for p in outbox_path.parent.iterdir() if p.name.startswith(outbox_path.name)]
        assert respan_emulator.api_key.encode() not in b"".join(p.read_bytes() for p in files)
        assert box.close() == 0
    with Outbox(outbox_path, **FAST) as again:
        assert again.stats().sender is None  # close gave the lease up


def test_a_final_4xx_ends_failed_with_its_reason_and_is_not_retried(
    respan_emulator: Emulator, respan_client: Respan, outbox_path: Path, quality: dict[str, Any]
) -> None:
    # With value_type given the client checks no bounds: the server refuses 9 (> max_score 5).
    with Outbox(outbox_path, client=respan_client, **FAST) as box:
        box.score_log("log_1", 9, evaluator="quality", value_type="numerical")
        box.score_log("log_2", 4, evaluator="quality")
        assert box.flush(timeout=10) == 0
        time.sleep(0.2)  # time enough for a retry, were there one
        [failed] = box.failed()
        stats = box.stats()
    assert failed.final and failed.attempts == 1
    assert failed.error_type == "BadRequestError"
    assert "max_score" in failed.error
    assert failed.row.log_id == "log_1" and failed.row.value == 9
    assert _posts(respan_emulator, "log_1") == 1
    assert (stats.failed, stats.sent) == (1, 1)


def test_a_retryable_error_is_retried_until_it_passes(
    respan_emulator: Emulator, outbox_path: Path, quality: dict[str, Any]
) -> None:
    respan_emulator.set_faults(FaultPlan(error_rate=1.0, only_paths=["/api/logs/"]))
    client = Respan(
        api_key=respan_emulator.api_key,
        base_url=respan_emulator.base_url,
        rate_limit=None,
        max_retries=0,
    )
    with client, Outbox(outbox_path, client=client, **FAST) as box:
        box.score_log("log_1", 3, evaluator="quality", value_type="numerical")
        deadline = time.monotonic() + 10
        while _posts(respan_emulator, "log_1") < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        [pending] = box.failed(include_retrying=True)
        assert not pending.final and pending.attempts >= 2
        assert pending.error_type == "InternalServerError"
        assert box.failed() == []
        respan_emulator.clear_faults()
        assert box.flush(timeout=10) == 0
        stats = box.stats()
    assert (stats.sent, stats.failed, stats.retrying) == (1, 0, 0)
    assert respan_emulator.score_count() == 1


def test_a_retryable_error_becomes_final_after_max_attempts(
    respan_emulator: Emulator, outbox_path: Path, quality: dict[str, Any]
) -> None:
    respan_emulator.set_faults(FaultPlan(error_rate=1.0, only_paths=["/api/logs/"]))
    client = Respan(
        api_key=respan_emulator.api_key,
        base_url=respan_emulator.base_url,
        rate_limit=None,
        max_retries=0,
    )
    with client, Outbox(outbox_path, client=client, **{**FAST, "max_attempts": 2}) as box:
        box.score_log("log_1", 3, evaluator="quality", value_type="numerical")
        assert box.flush(timeout=10) == 0
        [failed] = box.failed()
    assert failed.final and failed.attempts == 2
    assert "gave up after 2 attempts" in failed.error


def test_a_bad_value_found_at_send_time_ends_failed(
    respan_emulator: Emulator, respan_client: Respan, outbox_path: Path, quality: dict[str, Any]
) -> None:
    with Outbox(outbox_path, client=respan_client, **FAST) as box:
        box.score_log("log_1", "not a number", evaluator="quality")
        assert box.flush(timeout=10) == 0
        [failed] = box.failed()
    assert failed.final and failed.error_type == "ScoreValueError"
    assert respan_emulator.score_count() == 0


def test_a_profile_looked_up_by_a_sender_checks_values_at_once_elsewhere(
    respan_client: Respan, outbox_path: Path, quality: dict[str, Any]
) -> None:
    with Outbox(outbox_path, client=respan_client, **FAST) as box:
        box.score_log("log_1", 4, evaluator="quality")
        assert box.flush(timeout=10) == 0
    with Outbox(outbox_path, **FAST) as other:  # e.g. a worker process without a sender
        with pytest.raises(ScoreValueError, match="quality"):
            other.score_log("log_2", 7, evaluator="quality")
        assert other.stats().queued == 0


def test_retry_failed_sends_again_but_not_what_a_later_send_superseded(
    respan_emulator: Emulator, respan_client: Respan, outbox_path: Path, quality: dict[str, Any]
) -> None:
    with Outbox(outbox_path, client=respan_client, **FAST) as box:
        box.score_log("log_1", 9, evaluator="quality", value_type="numerical")  # 400
        box.score_log("log_1", 4, evaluator="quality")  # later, sent: supersedes the first
        box.score_log("log_2", 8, evaluator="quality", value_type="numerical")  # 400
        assert box.flush(timeout=10) == 0
        assert [(f.row.log_id, f.superseded) for f in box.failed()] == [
            ("log_1", True),
            ("log_2", False),
        ]
        respan_emulator.store.update_evaluator(  # the server now takes 8
            quality["id"],
            {"score_config": {"min_score": 1, "max_score": 10}},
            "t@example.com",
            partial=True,
        )
        assert box.retry_failed() == 1
        assert box.flush(timeout=10) == 0
        assert [f.row.log_id for f in box.failed()] == ["log_1"]
    assert _scores_of(respan_emulator, "log_1")[0]["numerical_value"] == 4
    assert _scores_of(respan_emulator, "log_2")[0]["numerical_value"] == 8


def test_exit_flushes_for_a_bounded_time_and_leaves_the_rest(
    respan_emulator: Emulator, outbox_path: Path
) -> None:
    # A server that takes the connection and never answers: each send would wait 30 s.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        port = silent.getsockname()[1]
        env = {**script_env(respan_emulator), "RESPAN_BASE_URL": f"http://127.0.0.1:{port}"}
        start = time.monotonic()
        proc = start_script("exiting.py", str(outbox_path), "3", "0.3", env=env)
        _, err = proc.communicate(timeout=30)
        elapsed = time.monotonic() - start
    assert proc.returncode == 0, err
    assert elapsed < 10  # 0.3 s of flush at exit (and start-up), not 30 s of waiting
    with Outbox(outbox_path, **FAST) as box:
        assert box.stats().queued == 3  # nothing was answered: all still on disk


def test_exit_flushes_what_it_can(
    respan_emulator: Emulator, outbox_path: Path, quality: dict[str, Any]
) -> None:
    proc = start_script("exiting.py", str(outbox_path), "20", "10", env=script_env(respan_emulator))
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert respan_emulator.score_count() == 20
    with Outbox(outbox_path, **FAST) as box:
        assert box.stats().queued == 0


def test_a_restarted_app_sends_what_an_earlier_run_left(
    respan_emulator: Emulator, respan_client: Respan, outbox_path: Path, quality: dict[str, Any]
) -> None:
    with Outbox(outbox_path, **FAST) as earlier:  # queued, then the app stopped
        earlier.score_log("log_1", 4, evaluator="quality")
    box = Outbox(outbox_path, client=respan_client, **FAST)  # nothing queued by this one
    try:
        deadline = time.monotonic() + 10
        while respan_emulator.score_count() < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert respan_emulator.score_count() == 1
    finally:
        box.close()


def test_a_forked_child_queues_but_leaves_the_sending_to_its_parent(
    respan_emulator: Emulator, respan_client: Respan, outbox_path: Path, quality: dict[str, Any]
) -> None:
    with Outbox(outbox_path, client=respan_client, **FAST) as box:
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                box.score_log("log_child", 4, evaluator="quality")
                sending = [t for t in threading.enumerate() if t.name == "respan-outbox-sender"]
                code = 0 if not sending else 3
            finally:
                os._exit(code)
        assert wait_child(pid) == 0
        assert box.flush(timeout=10) == 0  # the parent's sender sent the child's score
    assert [rec["log_id"] for _, rec in respan_emulator.store.score_rows()] == ["log_child"]
