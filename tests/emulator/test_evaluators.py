"""Evaluators: versions (draft, commit, read-only), pinning, slugs, deterministic runs."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from respan_evals.testing._spec import load_spec
from respan_evals.testing._values import ValueRules

run_values = ValueRules(load_spec()).run

MakeEvaluator = Callable[..., dict[str, Any]]
INPUTS = {"input": "What is the capital of France?", "output": "Paris", "metrics": {"cost": 0.1}}
CHOICES = [{"name": "A", "value": "a"}, {"name": "B", "value": "b"}, {"name": "C", "value": "c"}]


def test_new_evaluator_is_draft_zero(make_evaluator: MakeEvaluator) -> None:
    ev = make_evaluator(name="Response Quality")
    assert (ev["version"], ev["is_read_only"]) == (0, False)
    assert ev["id"].startswith("evl_") and ev["version_id"].startswith("evlv_")
    assert ev["evaluator_slug"] == "response_quality"
    assert ev["created_by"]["email"] == "test@example.com"


def test_commit_opens_next_draft_and_freezes_the_old_one(
    client: httpx.Client, make_evaluator: MakeEvaluator
) -> None:
    eid = make_evaluator(description="first")["id"]
    commit = client.post(
        f"/api/evaluators/{eid}/versions/",
        json={"version_description": "v0 done", "description": "second"},
    )
    assert commit.status_code == 201
    draft = commit.json()
    assert (draft["version"], draft["is_read_only"], draft["description"]) == (1, False, "second")

    v0 = client.get(f"/api/evaluators/{eid}/versions/0/").json()
    assert (v0["is_read_only"], v0["version_description"], v0["description"]) == (
        True,
        "v0 done",
        "first",
    )
    listed = client.get(f"/api/evaluators/{eid}/versions/").json()
    assert [v["version"] for v in listed["results"]] == [1, 0]  # newest first
    assert client.get(f"/api/evaluators/{eid}/").json()["version"] == 1

    for method in ("PATCH", "PUT"):
        body = {"name": "x", "type": "llm", "score_value_type": "numerical"}
        frozen = client.request(method, f"/api/evaluators/{eid}/versions/0/", json=body)
        assert frozen.status_code == 403
        assert "read-only" in frozen.json()["detail"]
    ok = client.patch(f"/api/evaluators/{eid}/versions/1/", json={"name": "Renamed"})
    assert ok.status_code == 200
    assert client.get(f"/api/evaluators/{eid}/").json()["name"] == "Renamed"
    # A pinned committed version cannot be edited through the evaluator route either.
    assert client.patch(f"/api/evaluators/{eid}:0/", json={"name": "no"}).status_code == 400


def test_pinned_retrieve_and_run(client: httpx.Client, make_evaluator: MakeEvaluator) -> None:
    eid = make_evaluator(score_config={"min_score": 0, "max_score": 1})["id"]
    client.post(
        f"/api/evaluators/{eid}/versions/",
        json={"score_config": {"min_score": 100, "max_score": 200}},
    )
    assert client.get(f"/api/evaluators/{eid}:0/").json()["version"] == 0
    v0 = client.post(f"/api/evaluators/{eid}:0/run/", json={"inputs": INPUTS}).json()
    latest = client.post(f"/api/evaluators/{eid}/run/", json={"inputs": INPUTS}).json()
    assert 0 <= v0["numerical_value"] <= 1
    assert 100 <= latest["numerical_value"] <= 200
    assert v0["evaluator"]["version"] == 0 and latest["evaluator"]["version"] == 1
    override = client.post(
        f"/api/evaluators/{eid}/run/", json={"inputs": INPUTS, "evaluator_id": f"{eid}:0"}
    ).json()
    assert override["numerical_value"] == v0["numerical_value"]
    assert client.post(f"/api/evaluators/{eid}:5/run/", json={"inputs": INPUTS}).status_code == 404


def test_run_is_deterministic(client: httpx.Client, make_evaluator: MakeEvaluator) -> None:
    eid = make_evaluator(score_config={"min_score": 1, "max_score": 5})["id"]
    first = client.post(f"/api/evaluators/{eid}/run/", json={"inputs": INPUTS}).json()
    again = client.post(
        f"/api/evaluators/{eid}/run/", json={"inputs": dict(reversed(INPUTS.items()))}
    )
    other = client.post(
        f"/api/evaluators/{eid}/run/", json={"inputs": {**INPUTS, "output": "Lyon"}}
    )
    assert again.json()["numerical_value"] == first["numerical_value"]
    assert other.json()["numerical_value"] != first["numerical_value"]
    assert first["id"] != again.json()["id"]
    assert first["inputs"]["input"] == INPUTS["input"]
    assert first["status"] == "completed"


@pytest.mark.parametrize(
    ("value_type", "field"),
    [(vt.name, vt.field) for vt in load_spec().value_types.values()],
)
def test_run_returns_every_value_type(
    client: httpx.Client, make_evaluator: MakeEvaluator, value_type: str, field: str
) -> None:
    config = {"choices": CHOICES} if "select" in value_type or value_type == "categorical" else {}
    ev = make_evaluator(score_value_type=value_type, score_config=config)
    result = client.post(f"/api/evaluators/{ev['id']}/run/", json={"inputs": INPUTS}).json()
    others = set(load_spec().value_fields)
    assert result[field] is not None
    assert all(result[f] is None for f in others - {field})
    value = result[field]
    if value_type == "percentage":
        assert 0 <= value <= 100
    elif value_type == "numerical":
        assert 0 <= value <= 1
    elif field == "categorical_value":
        assert set(value) <= {"a", "b", "c"} and value
        if value_type != "multi_select":
            assert len(value) == 1
    elif value_type == "json":
        assert set(json.loads(value)) == {"score", "digest"}
    assert (
        value == run_values({"score_value_type": value_type, "score_config": config}, INPUTS)[field]
    )


def test_run_needs_config_for_forced_method(
    client: httpx.Client, make_evaluator: MakeEvaluator
) -> None:
    eid = make_evaluator(code_config={"eval_code_snippet": "def main(e):\n    raise SystemExit"})[
        "id"
    ]
    llm = client.post(
        f"/api/evaluators/{eid}/run/", json={"inputs": INPUTS, "generation_method": "llm"}
    )
    assert llm.status_code == 400
    code = client.post(
        f"/api/evaluators/{eid}/run/", json={"inputs": INPUTS, "generation_method": "code"}
    )
    assert code.status_code == 200  # the snippet is stored, never executed


def test_slugs_are_unique(client: httpx.Client, make_evaluator: MakeEvaluator) -> None:
    make_evaluator(evaluator_slug="dup")
    r = client.post(
        "/api/evaluators/",
        json={"name": "Q", "type": "llm", "score_value_type": "boolean", "evaluator_slug": "dup"},
    )
    assert r.status_code == 400
    assert "evaluator_slug" in r.json()["errors"]
    assert make_evaluator(name="Dup")["evaluator_slug"] == "dup_2"


def test_replace_and_update_evaluator(client: httpx.Client, make_evaluator: MakeEvaluator) -> None:
    ev = make_evaluator(description="keep?", starred=True)
    put = client.put(
        f"/api/evaluators/{ev['id']}/",
        json={"name": "New", "type": "human", "score_value_type": "boolean"},
    )
    assert put.status_code == 200
    assert (put.json()["description"], put.json()["starred"], put.json()["type"]) == (
        None,
        False,
        "human",
    )
    patch = client.patch(f"/api/evaluators/{ev['id']}/", json={"starred": True})
    assert (patch.json()["starred"], patch.json()["name"]) == (True, "New")
    bad = client.patch(
        f"/api/evaluators/{ev['id']}/", json={"score_config": {"min_score": 5, "max_score": 1}}
    )
    assert bad.status_code == 400
    bad_filter = client.patch(
        f"/api/evaluators/{ev['id']}/",
        json={"passing_conditions": {"primary_score": {"operator": "between", "value": 1}}},
    )
    assert bad_filter.status_code == 400
    assert any("operator" in k for k in bad_filter.json()["errors"])
