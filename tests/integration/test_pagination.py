"""Lists across pages: every item once, and filters matching what the store holds."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from respan_evals import condition, filters
from respan_evals.testing import Emulator

from ._helpers import collect, open_client, requests_to

USER = "test@example.com"
TOTAL = 250
ENVIRONMENTS = ("production", "staging", "dev")
EXPLANATIONS = (None, "Good answer.", "Not good at all.", "Wrong.", "GOODNESS")


@pytest.fixture
def scores(emu: Emulator, evaluators: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """250 scores over two evaluators, seeded straight into the store (no HTTP)."""
    for i in range(TOTAL):
        body: dict[str, Any] = {
            "log_id": f"log_{i % 60}",
            "environment": ENVIRONMENTS[i % 3],
            "explanation": EXPLANATIONS[i % 5],
        }
        if i % 4:
            body.update(evaluator_slug="quality", numerical_value=i % 11)
        else:
            body.update(evaluator_slug="coverage", numerical_value=(i * 7) % 101)
        if i % 7 == 0:
            body["prompt_id"] = f"prompt_{i % 3}"
        emu.store.create_score(body, USER)
    assert emu.score_count() == TOTAL
    return emu.store.scores


def where(scores: dict[str, dict[str, Any]], test: Callable[[dict[str, Any]], bool]) -> set[str]:
    return {sid for sid, rec in scores.items() if test(rec)}


def once(ids: list[str]) -> set[str]:
    repeated = [i for i, n in Counter(ids).items() if n > 1]
    assert repeated == [], f"yielded more than once: {repeated}"
    return set(ids)


async def test_iter_list_and_iter_filter_yield_every_score_once(
    mode: str, emu: Emulator, scores: dict[str, dict[str, Any]]
) -> None:
    async with open_client(emu, mode) as client:
        listed = await collect(client.scores.iter_list(page_size=100))
        filtered = await collect(client.scores.iter_filter(page_size=100))
    assert len(listed) == len(filtered) == TOTAL
    assert once([s.id for s in listed]) == set(scores)
    assert once([s.id for s in filtered]) == set(scores)
    # Newest first (the default sort), and the fields come from the store.
    newest_first = sorted(scores, key=lambda k: (scores[k]["created_at"], scores[k]["_seq"]))[::-1]
    assert [s.id for s in listed] == [s.id for s in filtered] == newest_first
    by_id = {s.id: s for s in listed}
    for sid, rec in scores.items():
        assert (by_id[sid].numerical_value, by_id[sid].environment) == (
            rec["numerical_value"],
            rec["environment"],
        )
    assert len(requests_to(emu, "GET", "/api/scores/")) == 3
    assert len(requests_to(emu, "POST", "/api/scores/list/")) == 3


FILTERS: dict[str, tuple[dict[str, Any], Callable[[dict[str, Any]], bool]]] = {
    "gte": (filters(numerical_value__gte=5), lambda r: r["numerical_value"] >= 5),
    "in": (
        filters(environment__in=["staging", "dev"]),
        lambda r: r["environment"] in ("staging", "dev"),
    ),
    "icontains": (
        filters(explanation__icontains="GOOD"),
        lambda r: r["explanation"] is not None and "good" in r["explanation"].lower(),
    ),
    "isnull": (filters(prompt_id__isnull=True), lambda r: r["prompt_id"] is None),
    "not_isnull": (filters(prompt_id__isnull=False), lambda r: r["prompt_id"] is not None),
    "equal_and_lt": (
        filters(evaluator_slug="coverage", numerical_value__lt=50),
        lambda r: r["evaluator_slug"] == "coverage" and r["numerical_value"] < 50,
    ),
    "four_operators": (
        {
            **filters(numerical_value__gte=3, environment__in=["production", "dev"]),
            **condition("explanation", "icontains", "good"),
            **condition("prompt_id", "isnull", True),
        },
        lambda r: (
            r["numerical_value"] >= 3
            and r["environment"] in ("production", "dev")
            and r["explanation"] is not None
            and "good" in r["explanation"].lower()
            and r["prompt_id"] is None
        ),
    ),
}


@pytest.mark.parametrize("name", list(FILTERS))
async def test_filters_match_the_store(
    name: str, mode: str, emu: Emulator, scores: dict[str, dict[str, Any]]
) -> None:
    conditions, test = FILTERS[name]
    expected = where(scores, test)
    assert 0 < len(expected) < TOTAL  # a filter that keeps all or nothing proves little
    async with open_client(emu, mode) as client:
        got = await collect(client.scores.iter_filter(filters=conditions, page_size=100))
    assert once([s.id for s in got]) == expected
    pages = -(-len(expected) // 100)
    assert len(requests_to(emu, "POST", "/api/scores/list/")) == pages


async def test_log_scores_and_evaluators_across_pages(mode: str, emu: Emulator) -> None:
    quality = emu.create_evaluator(name="Quality", evaluator_slug="quality")
    for i in range(130):
        emu.store.create_score(
            {"log_id": "log_many", "evaluator_id": quality["id"], "numerical_value": i}, USER
        )
        emu.create_evaluator(name=f"Evaluator {i}")
    async with open_client(emu, mode) as client:
        on_log = await collect(client.log_scores.iter_list("log_many", page_size=50))
        every = await collect(client.evaluators.iter_list(page_size=100))
        named = await collect(
            client.evaluators.iter_filter(filters=filters(name__startswith="Evaluator 1"))
        )
    assert once([s.id for s in on_log]) == set(emu.store.scores)
    assert len(requests_to(emu, "GET", "/api/logs/log_many/scores/")) == 3
    assert once([e.id for e in every]) == set(emu.store.evaluators)
    assert len(every) == 131
    expected = {
        f.id for f in emu.store.evaluators.values() if f.draft["name"].startswith("Evaluator 1")
    }
    assert len(expected) == 41  # 1, 10-19, 100-129
    assert once([e.id for e in named]) == expected
