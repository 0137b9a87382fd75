"""client.scores: the seven /api/scores/ operations, and iterating over pages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from respan_evals import NotFoundError, filters

from ._factories import make_evaluator, make_score
from .conftest import Contract


def test_create_score(contract: Contract) -> None:
    client = contract.client
    evaluator = make_evaluator(client)
    score = client.scores.create(
        evaluator_id=evaluator.id,
        log_id=contract.log(),
        numerical_value=4.0,
        environment="test",
        explanation="Recorded by the contract tests.",
    )
    assert score.numerical_value == 4.0
    assert score.evaluator_id == evaluator.id
    assert score.environment == "test"


def test_list_scores(contract: Contract) -> None:
    client = contract.client
    evaluator = make_evaluator(client)
    created = [make_score(client, evaluator, contract.log(n), n) for n in (1, 2)]
    page = client.scores.list(
        page=1,
        page_size=10,
        start_time=datetime(2025, 1, 1, tzinfo=UTC),
        end_time=datetime(2100, 1, 1, tzinfo=UTC),
    )
    assert {s.id for s in created} <= {s.id for s in page.results}


def test_filter_scores(contract: Contract) -> None:
    client = contract.client
    evaluator = make_evaluator(client)
    created = [make_score(client, evaluator, contract.log(n), n) for n in (1, 2)]
    page = client.scores.filter(
        filters=filters(evaluator_id=evaluator.id), page=1, page_size=10, sort_by="-created_at"
    )
    assert [s.id for s in page.results] == [s.id for s in reversed(created)]


def test_retrieve_score(contract: Contract) -> None:
    client = contract.client
    evaluator = make_evaluator(client)
    created = make_score(client, evaluator, contract.log(), 3.5)
    score = client.scores.retrieve(created.id)
    assert (score.id, score.numerical_value, score.log_id) == (created.id, 3.5, contract.log())


def test_update_score(contract: Contract) -> None:
    client = contract.client
    evaluator = make_evaluator(client)
    created = make_score(client, evaluator, contract.log(), 3.0)
    score = client.scores.update(created.id, numerical_value=5.0)
    assert (score.id, score.numerical_value) == (created.id, 5.0)


def test_replace_score(contract: Contract) -> None:
    client = contract.client
    evaluator = make_evaluator(client)
    created = make_score(client, evaluator, contract.log(), 3.0)
    score = client.scores.replace(
        created.id,
        evaluator_id=evaluator.id,
        log_id=contract.log(),
        numerical_value=1.5,
        environment="staging",
        explanation="Replaced.",
    )
    assert (score.numerical_value, score.environment) == (1.5, "staging")


def test_delete_score(contract: Contract) -> None:
    client = contract.client
    evaluator = make_evaluator(client)
    created = make_score(client, evaluator, contract.log())
    assert client.scores.delete(created.id) is None
    with pytest.raises(NotFoundError):
        client.scores.retrieve(created.id)


def test_iter_filter_three_pages(contract: Contract) -> None:
    """Five scores, two per page: the iterator asks for pages 1, 2 and 3 and stops."""
    client = contract.client
    evaluator = make_evaluator(client)
    created = [
        client.scores.create(
            evaluator_id=evaluator.id, log_id=contract.log(n), numerical_value=float(n)
        )
        for n in range(1, 6)
    ]
    seen = list(
        client.scores.iter_filter(
            filters=filters(evaluator_id=evaluator.id), page_size=2, sort_by="created_at"
        )
    )
    assert [s.id for s in seen] == [s.id for s in created]
    pages = [r for r in contract.cassette.requests if r.path == "/api/scores/list/"]
    assert [dict(r.query)["page"] for r in pages] == ["1", "2", "3"]
