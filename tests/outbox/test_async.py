"""The asyncio sender: `sending()` for an app's lifespan, `run_async`, `aflush`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio

from respan_evals import AsyncRespan, Outbox
from respan_evals.testing import Emulator, FaultPlan

from .conftest import FAST


async def test_sending_sends_in_order_and_flushes(
    respan_emulator: Emulator,
    async_respan_client: AsyncRespan,
    outbox_path: Path,
    quality: dict[str, Any],
) -> None:
    with Outbox(outbox_path, **FAST) as box:
        async with box.sending(async_respan_client):
            for value in (1, 2, 3):
                box.score_log("log_1", value, evaluator="quality")
            box.score_log("log_2", 5, evaluator="quality")
            assert await box.aflush(timeout=10) == 0
        stats = box.stats()
    assert (stats.sent, stats.queued, stats.sender) == (4, 0, None)  # the lease was given up
    [(_, score)] = respan_emulator.store.score_rows("log_1")
    assert score["numerical_value"] == 3


async def test_a_final_4xx_fails_and_a_retryable_error_is_retried(
    respan_emulator: Emulator, outbox_path: Path, quality: dict[str, Any]
) -> None:
    respan_emulator.set_faults(FaultPlan(error_rate=1.0, only_paths=["/api/logs/log_2/"]))
    client = AsyncRespan(
        api_key=respan_emulator.api_key,
        base_url=respan_emulator.base_url,
        rate_limit=None,
        max_retries=0,
    )
    async with client:
        with Outbox(outbox_path, **{**FAST, "concurrency": 2}) as box:
            box.score_log("log_1", 9, evaluator="quality", value_type="numerical")  # 400
            box.score_log("log_2", 3, evaluator="quality", value_type="numerical")  # 5xx
            async with box.sending(client):
                with anyio.fail_after(10):
                    while len(box.failed(include_retrying=True)) < 2:
                        await anyio.sleep(0.02)
                failed = {f.row.log_id: f for f in box.failed(include_retrying=True)}
                assert failed["log_1"].final and failed["log_1"].error_type == "BadRequestError"
                assert not failed["log_2"].final
                assert failed["log_2"].error_type == "InternalServerError"
                respan_emulator.clear_faults()
                assert await box.aflush(timeout=10) == 0
            assert [f.row.log_id for f in box.failed()] == ["log_1"]
    assert respan_emulator.score_count() == 1


async def test_run_async_until_empty_drains(
    respan_emulator: Emulator,
    async_respan_client: AsyncRespan,
    outbox_path: Path,
    quality: dict[str, Any],
) -> None:
    with Outbox(outbox_path, **FAST) as box:
        for i in range(20):
            box.score_log(f"log_{i}", 2, evaluator="quality", value_type="numerical")
        with anyio.fail_after(10):
            await box.run_async(async_respan_client, until_empty=True)
        assert box.stats().queued == 0
    assert respan_emulator.score_count() == 20
