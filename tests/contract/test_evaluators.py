"""client.evaluators: the ten /api/evaluators/ operations."""

from __future__ import annotations

import pytest

from respan_evals import NotFoundError, filters
from respan_evals.types import (
    EvaluatorType,
    GenerationMethod,
    ScoreConfig,
    ScoreValueType,
)

from ._factories import make_evaluator
from .conftest import SLUG_PREFIX, Contract


def test_create_evaluator(contract: Contract) -> None:
    evaluator = make_evaluator(
        contract.client,
        description="Created by the contract tests.",
        starred=True,
    )
    assert evaluator.evaluator_slug == SLUG_PREFIX + "numerical"
    assert evaluator.score_value_type == "numerical"
    assert (evaluator.version, evaluator.is_read_only) == (0, False)


def test_list_evaluators(contract: Contract) -> None:
    client = contract.client
    evaluator = make_evaluator(client)
    page = client.evaluators.list(page=1, page_size=10, search="Contract numerical")
    assert evaluator.id in [e.id for e in page.results]


def test_filter_evaluators(contract: Contract) -> None:
    client = contract.client
    wanted = make_evaluator(client, "boolean")
    make_evaluator(client, "text")
    page = client.evaluators.filter(
        filters=filters(evaluator_slug=wanted.evaluator_slug),
        page=1,
        page_size=10,
        sort_by="-created_at",
    )
    assert [e.id for e in page.results] == [wanted.id]


def test_get_evaluators_summary(contract: Contract) -> None:
    client = contract.client
    make_evaluator(client)
    summary = client.evaluators.summary()
    assert summary.total_count >= 1


def test_filter_evaluators_summary(contract: Contract) -> None:
    client = contract.client
    make_evaluator(client, "boolean")
    make_evaluator(client, "text")
    summary = client.evaluators.filter_summary(
        filters=filters(evaluator_slug__startswith=SLUG_PREFIX + "bool")
    )
    assert summary.total_count == 1


def test_retrieve_evaluator(contract: Contract) -> None:
    client = contract.client
    created = make_evaluator(client)
    evaluator = client.evaluators.retrieve(created.id)
    assert (evaluator.id, evaluator.name) == (created.id, created.name)


def test_update_evaluator(contract: Contract) -> None:
    client = contract.client
    created = make_evaluator(client)
    evaluator = client.evaluators.update(
        created.id,
        description="Updated description.",
        score_config=ScoreConfig.from_dict({"min_score": 0, "max_score": 10}),
    )
    assert evaluator.description == "Updated description."
    assert evaluator.name == created.name


def test_replace_evaluator(contract: Contract) -> None:
    client = contract.client
    created = make_evaluator(client)
    evaluator = client.evaluators.replace(
        created.id,
        name="Contract numerical (replaced)",
        type=EvaluatorType.HUMAN,
        score_value_type=ScoreValueType.NUMERICAL,
        evaluator_slug=created.evaluator_slug,
        score_config=ScoreConfig.from_dict({"min_score": 1, "max_score": 3}),
    )
    assert evaluator.name == "Contract numerical (replaced)"


def test_delete_evaluator(contract: Contract) -> None:
    client = contract.client
    created = make_evaluator(client)
    assert client.evaluators.delete(created.id) is None
    with pytest.raises(NotFoundError):
        client.evaluators.retrieve(created.id)


def test_run_evaluator(contract: Contract) -> None:
    """An LLM evaluator run on inputs: a score-shaped result, not stored."""
    client = contract.client
    evaluator = make_evaluator(client, kind=EvaluatorType.LLM, slug="llm-numerical")
    result = client.evaluators.run(
        evaluator.id,
        inputs={"input": "What is 2 + 2?", "output": "4", "metadata": {"suite": "contract"}},
        generation_method=GenerationMethod.LLM,
    )
    assert result.evaluator_id == evaluator.id
    assert isinstance(result.numerical_value, float)
