"""Spec changes reach the emulator with no emulator edit, or are reported by name."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from respan_evals.testing import Emulator
from respan_evals.testing._spec import SpecError

from ._specs import add_property, schemas, spec_copy, with_metadata, with_ranking


@pytest.fixture
def served(request: pytest.FixtureRequest) -> Iterator[tuple[Emulator, httpx.Client]]:
    """An emulator serving the modified spec the test's parameter makes."""
    data: dict[str, Any] = request.param(spec_copy())
    with Emulator(spec=data, rate_limit=None) as emu, emu.client() as client:
        yield emu, client


def _evaluator(client: httpx.Client, **fields: Any) -> str:
    body = {"name": "Q", "type": "human", "score_value_type": "numerical", **fields}
    r = client.post("/api/evaluators/", json=body)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


@pytest.mark.parametrize("served", [with_metadata], indirect=True)
def test_a_new_request_field_of_score_is_stored_and_returned(
    served: tuple[Emulator, httpx.Client],
) -> None:
    emu, client = served
    eid = _evaluator(client)
    meta = {"run": "nightly", "tags": ["a", "b"]}
    body = {"evaluator_id": eid, "log_id": "log_1", "numerical_value": 0.5, "metadata": meta}
    created = client.post("/api/scores/", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["metadata"] == meta
    assert client.get(f"/api/scores/{created.json()['id']}/").json()["metadata"] == meta
    assert client.get("/api/scores/").json()["results"][0]["metadata"] == meta
    by_meta = {"filters": {"metadata__run": {"operator": "", "value": ["nightly"]}}}
    assert len(client.post("/api/scores/list/", json=by_meta).json()["results"]) == 1
    assert emu.violations == []


@pytest.mark.parametrize("served", [with_ranking], indirect=True)
def test_a_new_value_type_works_from_its_declaration(
    served: tuple[Emulator, httpx.Client],
) -> None:
    emu, client = served
    eid = _evaluator(client, score_value_type="ranking")
    up = client.post(
        "/api/logs/log_1/scores/", json={"evaluator_id": eid, "ranking_value": ["a", "b"]}
    )
    assert up.status_code == 201, up.text
    assert up.json()["ranking_value"] == ["a", "b"]
    assert up.json()["numerical_value"] is None
    again = client.get(f"/api/logs/log_1/scores/{up.json()['id']}/").json()
    assert again["ranking_value"] == ["a", "b"]
    repeated = client.post(
        "/api/logs/log_1/scores/", json={"evaluator_id": eid, "ranking_value": ["a", "a"]}
    )
    assert repeated.status_code == 400 and "ranking_value" in repeated.json()["errors"]
    wrong_field = client.post(
        "/api/logs/log_2/scores/", json={"evaluator_id": eid, "numerical_value": 1}
    )
    assert wrong_field.status_code == 400 and "ranking_value" in wrong_field.text
    run = client.post(f"/api/evaluators/{eid}/run/", json={"inputs": {"output": "x"}}).json()
    ranked = run["ranking_value"]
    assert isinstance(ranked, list) and len(set(ranked)) == len(ranked) > 0
    assert emu.violations == []


def test_a_check_kind_the_emulator_lacks_stops_it_by_name() -> None:
    data = with_ranking(spec_copy())
    schemas(data)["ScoreValueType"]["x-respan-value-types"]["ranking"]["check"] = "tournament"
    with pytest.raises(SpecError, match=r"'tournament' \(used by score_value_type \['ranking'\]\)"):
        Emulator(spec=data)


def test_a_parameter_or_field_outside_the_spec_is_a_400_and_a_violation(
    emu: Emulator, client: httpx.Client
) -> None:
    eid = _evaluator(client)
    r = client.get("/api/scores/", params={"sort_by": "numerical_value"})
    assert r.status_code == 400 and "sort_by" in r.json()["errors"]
    body = {"evaluator_id": eid, "log_id": "l", "numerical_value": 0.5, "priority": "high"}
    r = client.post("/api/scores/", json=body)
    assert r.status_code == 400
    assert "'priority' is not a field of ScoreCreateRequest" in r.json()["errors"]["priority"][0]
    assert emu.score_count() == 0
    assert [v.status for v in emu.violations] == [400, 400]
    emu.violations.clear()  # expected here; the fixture would fail teardown otherwise


def _ignored_by_the_emulator(data: dict[str, Any]) -> dict[str, Any]:
    """The spec names a query parameter and a body field no handler knows about."""
    list_scores = data["paths"]["/api/scores/"]["get"]
    list_scores["parameters"].append(
        {"name": "reviewer", "in": "query", "required": False, "schema": {"type": "string"}}
    )
    add_property(data, "ScoreCreateRequest", "priority", {"type": "string"})  # not on Score
    return data


@pytest.mark.parametrize("served", [_ignored_by_the_emulator], indirect=True)
def test_a_spec_field_the_emulator_ignores_is_a_violation(
    served: tuple[Emulator, httpx.Client],
) -> None:
    emu, client = served
    eid = _evaluator(client)
    listed = client.get("/api/scores/", params={"reviewer": "ann"})
    assert listed.status_code == 500  # strict: the emulator cannot answer this faithfully
    assert "ignores query parameter 'reviewer' of list_scores" in listed.json()["detail"]
    body = {"evaluator_id": eid, "log_id": "l", "numerical_value": 0.5, "priority": "high"}
    created = client.post("/api/scores/", json=body)
    assert created.status_code == 500
    assert "ignores body field 'priority' of ScoreCreateRequest" in created.json()["detail"]
    assert [v.status for v in emu.violations] == [200, 201]
    # Fields the handler takes on purpose, without effect, are not reported.
    timestamp = {**body, "log_id": "l2", "timestamp": "2026-01-01T00:00:00Z"}
    del timestamp["priority"]
    assert client.post("/api/scores/", json=timestamp).status_code == 201
    assert len(emu.violations) == 2


def _new_generation_method(data: dict[str, Any]) -> dict[str, Any]:
    schemas(data)["GenerationMethod"]["enum"].append("agent")
    return data


@pytest.mark.parametrize("served", [_new_generation_method], indirect=True)
def test_an_enum_value_the_emulator_does_not_know_is_a_violation(
    served: tuple[Emulator, httpx.Client],
) -> None:
    emu, client = served
    eid = _evaluator(client)
    body = {"inputs": {"output": "x"}, "generation_method": "agent"}
    r = client.post(f"/api/evaluators/{eid}/run/", json=body)
    assert r.status_code == 500
    assert "generation_method 'agent'" in r.json()["detail"]
    assert [v.status for v in emu.violations] == [500]
