"""Errors the API answers with, and the retries the facade makes: recorded as seen."""

from __future__ import annotations

import pytest

from respan_evals import AuthenticationError, BadRequestError, NotFoundError
from respan_evals.testing import FaultPlan

from ._factories import make_evaluator
from .conftest import Contract


def test_value_type_mismatch_is_400(contract: Contract) -> None:
    """A raw value field the evaluator does not take (boolean_value on a numerical evaluator),
    sent through the upsert as given: the API refuses it with 400 and field errors."""
    client = contract.client
    evaluator = make_evaluator(client)
    with pytest.raises(BadRequestError) as caught:
        client.log_scores.upsert(contract.log(), evaluator_id=evaluator.id, boolean_value=True)
    assert caught.value.status_code == 400
    assert caught.value.field_errors


def test_bad_key_is_401(contract: Contract) -> None:
    client = contract.new_client(api_key="not-a-valid-respan-key")
    with pytest.raises(AuthenticationError) as caught:
        client.evaluators.list(page_size=1)
    assert caught.value.status_code == 401
    assert caught.value.detail


def test_unknown_id_is_404(contract: Contract) -> None:
    with pytest.raises(NotFoundError) as caught:
        contract.client.scores.retrieve("score_does_not_exist_contract")
    assert caught.value.status_code == 404


@pytest.mark.emulator_only
def test_rate_limited_then_success(contract: Contract) -> None:
    """A 429 (with retry_after 0) is retried after the server's wait; the retry succeeds."""
    client = contract.client
    evaluator = make_evaluator(client)
    contract.set_faults(FaultPlan(burst_429=1, retry_after=0))
    assert client.evaluators.retrieve(evaluator.id).id == evaluator.id
    statuses = [r["status"]["code"] for r in contract.cassette.responses]
    assert statuses == [201, 429, 200]
    assert contract.sleeps == [0]


@pytest.mark.emulator_only
def test_server_error_then_success(contract: Contract) -> None:
    """A 503 on an idempotent GET is retried after a backoff; the retry succeeds."""
    client = contract.client
    evaluator = make_evaluator(client)
    # Seed 4 at rate 0.5: the first GET draws a fault, the second does not.
    contract.set_faults(
        FaultPlan(seed=4, error_rate=0.5, error_statuses=(503,), only_methods=frozenset({"GET"}))
    )
    assert client.evaluators.retrieve(evaluator.id).id == evaluator.id
    statuses = [r["status"]["code"] for r in contract.cassette.responses]
    assert statuses == [201, 503, 200]
    assert len(contract.sleeps) == 1
    if contract.emulator is not None:
        assert [f.kind for f in contract.emulator.fault_log] == ["error"]
