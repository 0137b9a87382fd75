"""Every operation of the spec through the facade, with Respan and AsyncRespan, checked against the
models returned and the emulator's store."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from respan_evals import NotFoundError, PermissionDeniedError, filters
from respan_evals.testing import Emulator
from respan_evals.types import (
    Evaluator,
    EvaluatorRunResult,
    EvaluatorsSummary,
    EvaluatorType,
    EvaluatorVersion,
    PaginatedEvaluatorList,
    PaginatedEvaluatorVersionList,
    PaginatedScoreList,
    Score,
    ScoreConfig,
    ScoreValueType,
)

from ._helpers import (
    Client,
    collect,
    open_client,
    operation_of,
    run,
    spec_operations,
    stored,
    stored_values,
)

USER = "test@example.com"  # the emulator's default user for its generated key


def expected_run_number(inputs: dict[str, Any], low: float, high: float) -> float:
    """The emulator's documented run rule for numerical evaluators."""
    canonical = json.dumps(inputs, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    digest = hashlib.sha256(canonical.encode("utf-8")).digest()
    u = int.from_bytes(digest[:8], "big") / 2.0**64
    return round(low + u * (high - low), 2)


# ---- scenarios (one per resource) ------------------------------------------------------------
async def scores_scenario(client: Client, emu: Emulator) -> None:
    """scores: create, list, retrieve, update, replace, filter, delete."""
    evaluator = emu.create_evaluator(
        name="Quality",
        evaluator_slug="quality",
        score_value_type="numerical",
        score_config={"min_score": 0, "max_score": 10},
    )
    created = await run(
        client.scores.create(
            log_id="log_a",
            evaluator_slug="quality",
            numerical_value=7.5,
            explanation="Clear answer.",
            environment="staging",
        )
    )
    assert isinstance(created, Score)
    assert (created.log_id, created.numerical_value, created.evaluator_id) == (
        "log_a",
        7.5,
        evaluator["id"],
    )
    assert (created.explanation, created.environment, created.scorer) == (
        "Clear answer.",
        "staging",
        USER,
    )
    rec = stored(emu, created.id)
    assert stored_values(rec) == {"numerical_value": 7.5}
    assert (rec["log_id"], rec["evaluator_slug"], rec["explanation"]) == (
        "log_a",
        "quality",
        "Clear answer.",
    )
    other = await run(
        client.scores.create(log_id="log_b", evaluator_id=evaluator["id"], numerical_value=2)
    )
    assert emu.score_count() == 2

    page = await run(client.scores.list(page=1, page_size=10))
    assert isinstance(page, PaginatedScoreList)
    assert {s.id for s in page.results} == {created.id, other.id}
    assert page.count == 2

    got = await run(client.scores.retrieve(created.id))
    assert (got.id, got.numerical_value, got.log_id) == (created.id, 7.5, "log_a")
    assert got.evaluator is not None  # id-scoped reads carry the evaluator

    updated = await run(client.scores.update(created.id, numerical_value=3))
    assert updated.numerical_value == 3
    assert stored(emu, created.id)["numerical_value"] == 3
    assert stored(emu, created.id)["explanation"] == "Clear answer."  # PATCH keeps the rest

    replaced = await run(
        client.scores.replace(created.id, numerical_value=9.25, environment="production")
    )
    assert (replaced.id, replaced.numerical_value, replaced.environment) == (
        created.id,
        9.25,
        "production",
    )
    rec = stored(emu, created.id)
    assert (rec["numerical_value"], rec["explanation"], rec["log_id"]) == (9.25, None, "log_a")

    high = await run(client.scores.filter(filters=filters(numerical_value__gte=5), page_size=10))
    assert [s.id for s in high.results] == [created.id]
    low = await run(client.scores.filter(filters=filters(log_id="log_b")))
    assert [s.id for s in low.results] == [other.id]

    assert await run(client.scores.delete(created.id)) is None
    assert created.id not in emu.store.scores
    assert list(emu.store.scores) == [other.id]
    with pytest.raises(NotFoundError):
        await run(client.scores.retrieve(created.id))


async def log_scores_scenario(client: Client, emu: Emulator) -> None:
    """log_scores: upsert, list, retrieve, update, replace, delete."""
    emu.create_evaluator(name="Is safe", evaluator_slug="is_safe", score_value_type="boolean")
    first = await run(
        client.log_scores.upsert("log_1", evaluator_slug="is_safe", boolean_value=True)
    )
    assert isinstance(first, Score)
    assert (first.log_id, first.boolean_value, first.is_passed) == ("log_1", True, True)
    assert stored_values(stored(emu, first.id)) == {"boolean_value": True}
    again = await run(
        client.log_scores.upsert("log_1", evaluator_slug="is_safe", boolean_value=False)
    )
    assert again.id == first.id and again.boolean_value is False
    assert emu.score_count() == 1
    elsewhere = await run(
        client.log_scores.upsert("log_2", evaluator_slug="is_safe", boolean_value=True)
    )
    assert emu.score_count() == 2

    page = await run(client.log_scores.list("log_1", page=1, page_size=5))
    assert isinstance(page, PaginatedScoreList)
    assert [s.id for s in page.results] == [first.id]
    assert [s.id for s in await collect(client.log_scores.iter_list("log_2"))] == [elsewhere.id]

    got = await run(client.log_scores.retrieve("log_1", first.id))
    assert (got.id, got.boolean_value) == (first.id, False)
    with pytest.raises(NotFoundError):  # a score of another log is not found under this one
        await run(client.log_scores.retrieve("log_2", first.id))

    updated = await run(client.log_scores.update("log_1", first.id, boolean_value=True))
    assert updated.boolean_value is True
    assert stored(emu, first.id)["boolean_value"] is True

    replaced = await run(
        client.log_scores.replace(
            "log_1", first.id, boolean_value=False, explanation="Refused.", environment="dev"
        )
    )
    assert (replaced.boolean_value, replaced.explanation, replaced.environment) == (
        False,
        "Refused.",
        "dev",
    )
    rec = stored(emu, first.id)
    assert (rec["boolean_value"], rec["explanation"], rec["environment"]) == (
        False,
        "Refused.",
        "dev",
    )

    assert await run(client.log_scores.delete("log_1", first.id)) is None
    assert list(emu.store.scores) == [elsewhere.id]
    assert (await run(client.log_scores.list("log_1"))).results == []


async def evaluators_scenario(client: Client, emu: Emulator) -> None:
    """evaluators: create, list, filter, retrieve, update, replace, run, summary,
    filter_summary, delete."""
    emu.create_evaluator(name="Other", evaluator_slug="other", score_value_type="text")
    created = await run(
        client.evaluators.create(
            name="Relevance",
            type=EvaluatorType.HUMAN,
            score_value_type=ScoreValueType.NUMERICAL,
            evaluator_slug="relevance",
            description="How relevant the answer is.",
            score_config=ScoreConfig.from_dict({"min_score": 1, "max_score": 5}),
        )
    )
    assert isinstance(created, Evaluator)
    assert (created.evaluator_slug, created.version, created.is_read_only) == (
        "relevance",
        0,
        False,
    )
    family = emu.evaluator(created.id)
    assert family.slug == "relevance"
    assert family.draft["score_config"] == {"min_score": 1, "max_score": 5}
    assert emu.evaluator_count() == 2

    page = await run(client.evaluators.list(search="relev", page_size=10))
    assert isinstance(page, PaginatedEvaluatorList)
    assert [e.id for e in page.results] == [created.id]
    assert {e.id for e in await collect(client.evaluators.iter_list(page_size=1))} == set(
        emu.store.evaluators
    )

    found = await run(client.evaluators.filter(filters=filters(score_value_type="numerical")))
    assert [e.id for e in found.results] == [created.id]
    every = await collect(client.evaluators.iter_filter(filters=filters(name__icontains="e")))
    assert {e.id for e in every} == set(emu.store.evaluators)

    got = await run(client.evaluators.retrieve(created.id))
    assert (got.id, got.name, got.description) == (created.id, "Relevance", created.description)

    updated = await run(client.evaluators.update(created.id, description="Edited.", starred=True))
    assert (updated.description, updated.starred) == ("Edited.", True)
    assert (family.draft["description"], family.draft["starred"]) == ("Edited.", True)
    assert family.draft["score_config"] == {"min_score": 1, "max_score": 5}  # PATCH keeps it

    replaced = await run(
        client.evaluators.replace(
            created.id,
            name="Relevance v2",
            type=EvaluatorType.HUMAN,
            score_value_type=ScoreValueType.NUMERICAL,
            score_config=ScoreConfig.from_dict({"min_score": 0, "max_score": 100}),
        )
    )
    assert (replaced.name, replaced.description, replaced.starred) == ("Relevance v2", None, False)
    assert (family.draft["name"], family.draft["description"]) == ("Relevance v2", None)

    inputs = {"input": "What is 2+2?", "output": "4"}
    result = await run(client.evaluators.run(created.id, inputs=inputs))
    assert isinstance(result, EvaluatorRunResult)
    assert result.numerical_value == expected_run_number(inputs, 0, 100)
    assert (result.evaluator_id, result.boolean_value) == (created.id, None)
    assert emu.score_count() == 0  # a run is not stored

    summary = await run(client.evaluators.summary())
    assert isinstance(summary, EvaluatorsSummary)
    assert summary.total_count == emu.evaluator_count() == 2
    text_only = await run(
        client.evaluators.filter_summary(filters=filters(score_value_type="text"))
    )
    assert text_only.total_count == 1

    assert await run(client.evaluators.delete(created.id)) is None
    assert created.id not in emu.store.evaluators
    with pytest.raises(NotFoundError):
        await run(client.evaluators.retrieve(created.id))
    assert (await run(client.evaluators.summary())).total_count == 1


async def versions_scenario(client: Client, emu: Emulator) -> None:
    """evaluators.versions: list, create, retrieve, update, replace; committed is read-only;
    run pins a version with evl_x:N."""
    evaluator = emu.create_evaluator(
        name="Score",
        evaluator_slug="score",
        score_value_type="numerical",
        score_config={"min_score": 0, "max_score": 1},
    )
    eid = evaluator["id"]
    family = emu.evaluator(eid)

    draft0 = await run(client.evaluators.versions.update(eid, 0, description="Draft zero."))
    assert isinstance(draft0, EvaluatorVersion)
    assert (draft0.version, draft0.is_read_only, draft0.description) == (0, False, "Draft zero.")
    assert family.versions[0]["description"] == "Draft zero."

    draft1 = await run(
        client.evaluators.versions.create(
            eid, version_description="First commit.", description="Draft one."
        )
    )
    assert (draft1.version, draft1.is_read_only, draft1.description) == (1, False, "Draft one.")
    assert [v["is_read_only"] for v in family.versions] == [True, False]
    assert family.versions[0]["version_description"] == "First commit."

    listed = await run(client.evaluators.versions.list(eid, page=1, page_size=10))
    assert isinstance(listed, PaginatedEvaluatorVersionList)
    assert [v.version for v in listed.results] == [1, 0]
    walked = await collect(client.evaluators.versions.iter_list(eid, page_size=1))
    assert [v.version for v in walked] == [1, 0]

    committed = await run(client.evaluators.versions.retrieve(eid, 0))
    assert (committed.version, committed.is_read_only, committed.version_description) == (
        0,
        True,
        "First commit.",
    )

    replaced = await run(
        client.evaluators.versions.replace(
            eid,
            1,
            name="Score v1",
            type=EvaluatorType.HUMAN,
            score_value_type=ScoreValueType.BOOLEAN,
        )
    )
    assert (replaced.version, replaced.name, replaced.score_value_type) == (
        1,
        "Score v1",
        ScoreValueType.BOOLEAN,
    )
    assert (family.draft["score_value_type"], family.draft["description"]) == ("boolean", None)

    before = json.dumps(family.versions[0], sort_keys=True)
    with pytest.raises(PermissionDeniedError) as denied:
        await run(client.evaluators.versions.update(eid, 0, description="Rewrite history."))
    assert denied.value.status_code == 403
    with pytest.raises(PermissionDeniedError):
        await run(
            client.evaluators.versions.replace(
                eid,
                0,
                name="Nope",
                type=EvaluatorType.HUMAN,
                score_value_type=ScoreValueType.TEXT,
            )
        )
    assert json.dumps(family.versions[0], sort_keys=True) == before

    inputs = {"input": "q", "output": "a"}
    pinned = await run(client.evaluators.run(f"{eid}:0", inputs=inputs))
    assert pinned.numerical_value == expected_run_number(inputs, 0, 1)
    assert pinned.boolean_value is None
    current = await run(client.evaluators.run(eid, inputs=inputs))
    assert current.numerical_value is None
    assert isinstance(current.boolean_value, bool)


Scenario = Callable[[Client, Emulator], Awaitable[None]]
SCENARIOS: dict[str, Scenario] = {
    "scores": scores_scenario,
    "log_scores": log_scores_scenario,
    "evaluators": evaluators_scenario,
    "versions": versions_scenario,
}


@pytest.mark.parametrize("name", list(SCENARIOS))
async def test_resource(name: str, mode: str, emu: Emulator) -> None:
    async with open_client(emu, mode) as client:
        await SCENARIOS[name](client, emu)
    assert emu.violations == []


async def test_every_operation_reached(mode: str, emu: Emulator) -> None:
    """Together the scenarios call each operation of openapi.yaml, every one of them answered
    2xx at least once, and nothing else (a new operation needs a scenario here)."""
    ops = spec_operations()
    reached: set[str | None] = set()
    async with open_client(emu, mode, default_http=True) as client:  # the facade's own stack
        for scenario in SCENARIOS.values():
            emu.reset()  # each scenario expects an empty store
            await scenario(client, emu)
            assert emu.violations == []
            reached |= {operation_of(r.method, r.path, ops) for r in emu.requests if r.status < 300}
    assert reached == set(ops.values())
