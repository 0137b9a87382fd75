"""client.scores.summarize over the emulator: one streamed pass, grouped, sync and async."""

from __future__ import annotations

from typing import Any

import pytest

from respan_evals import RespanValidationError, filters
from respan_evals.testing import Emulator

from ._helpers import open_client, requests_to, run

USER = "test@example.com"


@pytest.fixture
def seeded(emu: Emulator, evaluators: dict[str, dict[str, Any]]) -> None:
    """quality 1..10 in production (passing from 5 up), is_safe 3 of 4 True in staging."""
    for v in range(1, 11):
        view = emu.store.create_score(
            {"log_id": f"log_{v}", "evaluator_slug": "quality", "numerical_value": v}, USER
        )
        emu.store.scores[view["id"]]["is_passed"] = v >= 5
    for i in range(4):
        body = {"log_id": f"log_{i}", "evaluator_slug": "is_safe", "boolean_value": i != 0}
        emu.store.create_score({**body, "environment": "staging"}, USER)


async def test_summarize_groups_every_matching_score(
    mode: str, emu: Emulator, seeded: None
) -> None:
    async with open_client(emu, mode) as client:
        summary = await run(client.scores.summarize(page_size=3))
        production = await run(
            client.scores.summarize(filters=filters(environment="production"), by=("environment",))
        )
    safe, quality = summary.groups  # sorted by key
    assert (quality.key, quality.count, quality.passed, quality.failed) == (("quality",), 10, 6, 4)
    assert quality.value_type == "numerical" and quality.numbers.mean == 5.5
    assert quality.numbers.median == 5.5 and quality.pass_rate == 0.6
    assert (safe.key, safe.value_type, safe.share_true) == (("is_safe",), "boolean", 0.75)
    assert [(g.key, g.count) for g in production.groups] == [(("production",), 10)]
    # 14 scores at 3 a page: 5 pages for the first summary, 1 for the second.
    assert requests_to(emu, "POST", "/api/scores/list/") == [200] * 6


async def test_summarize_compares_against_a_baseline(
    mode: str, emu: Emulator, seeded: None
) -> None:
    async with open_client(emu, mode) as client:
        current = await run(client.scores.summarize(filters=filters(evaluator_slug="quality")))
    change = current.compare(current).groups[0]
    assert (change.key, change.pass_rate_delta, change.significant) == (("quality",), 0.0, False)


async def test_an_unknown_by_field_sends_nothing(mode: str, emu: Emulator) -> None:
    async with open_client(emu, mode) as client:
        with pytest.raises(RespanValidationError, match="unknown by field"):
            await run(client.scores.summarize(by=("colour",)))
    assert requests_to(emu, "POST", "/api/scores/list/") == []
