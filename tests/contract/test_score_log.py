"""client.score_log for every value type: the evaluator is looked up, and the value goes into
the one field its score_value_type takes. Changing that field changes the request body, and
the replay fails."""

from __future__ import annotations

import json

import pytest

from ._factories import evaluator_fields, make_evaluator
from .conftest import Contract

# value type -> (value passed to score_log, field of the score, value read back)
CASES: dict[str, tuple[object, str, object]] = {
    "numerical": (4.5, "numerical_value", 4.5),
    "percentage": (87.5, "numerical_value", 87.5),
    "boolean": (True, "boolean_value", True),
    "single_select": ("calm", "categorical_value", ["calm"]),
    "multi_select": (["warm", "calm"], "categorical_value", ["warm", "calm"]),
    "text": ("Clear and polite.", "string_value", "Clear and polite."),
    "json": ({"rating": 5, "tags": ["short"]}, "json_value", {"rating": 5, "tags": ["short"]}),
    "categorical": ("cold", "categorical_value", ["cold"]),  # legacy
    "comment": ("A legacy comment.", "string_value", "A legacy comment."),  # legacy
}


@pytest.mark.parametrize("value_type", list(CASES))
def test_score_log(contract: Contract, value_type: str) -> None:
    """By slug: one filtered evaluator lookup, then the upsert."""
    value, field, expected = CASES[value_type]
    client = contract.client
    evaluator = make_evaluator(client, value_type)
    score = client.score_log(contract.log(), value, evaluator=evaluator.evaluator_slug)
    got = score.to_dict()[field]
    if field == "json_value" and isinstance(got, str):
        got = json.loads(got)
    if field == "categorical_value":
        got, expected = sorted(got), sorted(expected)  # type: ignore[arg-type]
    assert got == expected
    upsert = contract.cassette.requests[-1]
    sent = json.loads(upsert.body)
    assert [k for k in sent if k.endswith("_value")] == [field]


def test_score_log_by_evaluator_id(contract: Contract) -> None:
    """By id: the evaluator is read with GET once per client, then cached."""
    client = contract.client
    evaluator = make_evaluator(client, "boolean")
    first = client.score_log(contract.log(1), False, evaluator_id=evaluator.id)
    second = client.score_log(contract.log(2), True, evaluator_id=evaluator.id)
    assert (first.boolean_value, second.boolean_value) == (False, True)
    lookups = [r for r in contract.cassette.requests if r.method == "GET"]
    assert len(lookups) == 1


async def test_score_log_async(contract: Contract) -> None:
    """AsyncRespan sends the same requests (recorded through httpx's async transport)."""
    async with contract.new_async_client() as client:
        evaluator = await client.evaluators.create(**evaluator_fields("numerical"))
        score = await client.score_log(contract.log(), 3.0, evaluator_id=evaluator.id)
    assert score.numerical_value == 3.0
