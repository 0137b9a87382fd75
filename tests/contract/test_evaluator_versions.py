"""client.evaluators.versions: the five /api/evaluators/{id}/versions/ operations."""

from __future__ import annotations

from respan_evals.types import EvaluatorType, ScoreConfig, ScoreValueType

from ._factories import make_evaluator
from .conftest import Contract


def test_create_evaluator_version(contract: Contract) -> None:
    """Committing the draft (version 0) opens draft 1 with the fields sent."""
    client = contract.client
    evaluator = make_evaluator(client)
    draft = client.evaluators.versions.create(
        evaluator.id,
        version_description="First commit.",
        description="Draft after the first commit.",
    )
    assert (draft.version, draft.is_read_only) == (1, False)
    committed = client.evaluators.versions.retrieve(evaluator.id, 0)
    assert (committed.is_read_only, committed.version_description) == (True, "First commit.")


def test_list_evaluator_versions(contract: Contract) -> None:
    client = contract.client
    evaluator = make_evaluator(client)
    client.evaluators.versions.create(evaluator.id, version_description="v0")
    page = client.evaluators.versions.list(evaluator.id, page=1, page_size=10)
    assert [v.version for v in page.results] == [1, 0]


def test_retrieve_evaluator_version(contract: Contract) -> None:
    client = contract.client
    evaluator = make_evaluator(client)
    version = client.evaluators.versions.retrieve(evaluator.id, 0)
    assert (version.id, version.version, version.is_read_only) == (evaluator.id, 0, False)


def test_replace_evaluator_version(contract: Contract) -> None:
    client = contract.client
    evaluator = make_evaluator(client)
    client.evaluators.versions.create(evaluator.id, version_description="Commit v0.")
    draft = client.evaluators.versions.replace(
        evaluator.id,
        1,
        name="Contract numerical v1",
        type=EvaluatorType.HUMAN,
        score_value_type=ScoreValueType.NUMERICAL,
        score_config=ScoreConfig.from_dict({"min_score": 0, "max_score": 1}),
    )
    assert (draft.version, draft.name) == (1, "Contract numerical v1")


def test_update_evaluator_version(contract: Contract) -> None:
    client = contract.client
    evaluator = make_evaluator(client)
    draft = client.evaluators.versions.update(evaluator.id, 0, description="Edited draft.")
    assert (draft.version, draft.description) == (0, "Edited draft.")
