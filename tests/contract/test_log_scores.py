"""client.log_scores: the six /api/logs/{log_id}/scores/ operations."""

from __future__ import annotations

import pytest

from respan_evals import NotFoundError

from ._factories import make_evaluator, make_score
from .conftest import Contract


def test_upsert_log_score(contract: Contract) -> None:
    """The first POST creates the score (201), the second updates the same one (200)."""
    client = contract.client
    evaluator = make_evaluator(client)
    log_id = contract.log()
    first = client.log_scores.upsert(
        log_id, evaluator_id=evaluator.id, numerical_value=2.0, environment="test"
    )
    second = client.log_scores.upsert(log_id, evaluator_id=evaluator.id, numerical_value=4.5)
    assert second.id == first.id
    assert (first.numerical_value, second.numerical_value) == (2.0, 4.5)
    statuses = [r["status"]["code"] for r in contract.cassette.responses[1:]]
    assert statuses == [201, 200]


def test_list_log_scores(contract: Contract) -> None:
    client = contract.client
    log_id = contract.log()
    scores = [
        make_score(client, make_evaluator(client, slug=f"numerical-{n}"), log_id, n) for n in (1, 2)
    ]
    page = client.log_scores.list(log_id, page=1, page_size=10)
    assert {s.id for s in scores} <= {s.id for s in page.results}
    assert all(s.log_id == log_id for s in page.results)


def test_retrieve_log_score(contract: Contract) -> None:
    client = contract.client
    evaluator = make_evaluator(client)
    created = make_score(client, evaluator, contract.log(), 3.0)
    score = client.log_scores.retrieve(contract.log(), created.id)
    assert (score.id, score.numerical_value) == (created.id, 3.0)


def test_update_log_score(contract: Contract) -> None:
    client = contract.client
    evaluator = make_evaluator(client)
    created = make_score(client, evaluator, contract.log(), 3.0)
    score = client.log_scores.update(contract.log(), created.id, numerical_value=1.0)
    assert (score.id, score.numerical_value) == (created.id, 1.0)


def test_replace_log_score(contract: Contract) -> None:
    client = contract.client
    evaluator = make_evaluator(client)
    created = make_score(client, evaluator, contract.log(), 3.0)
    score = client.log_scores.replace(
        contract.log(),
        created.id,
        evaluator_id=evaluator.id,
        numerical_value=2.5,
        environment="staging",
        explanation="Replaced through the log.",
    )
    assert (score.id, score.numerical_value, score.environment) == (created.id, 2.5, "staging")


def test_delete_log_score(contract: Contract) -> None:
    client = contract.client
    evaluator = make_evaluator(client)
    created = make_score(client, evaluator, contract.log())
    assert client.log_scores.delete(contract.log(), created.id) is None
    with pytest.raises(NotFoundError):
        client.log_scores.retrieve(contract.log(), created.id)
