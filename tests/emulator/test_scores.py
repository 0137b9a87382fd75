"""Score rules: value field per value type, bounds and choices, upserts, is_passed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from respan_evals.testing import Emulator

MakeEvaluator = Callable[..., dict[str, Any]]
CHOICES = [
    {"name": "Good", "value": "good"},
    {"name": "Bad", "value": "bad"},
    {"name": "Meh", "value": 3},
]


def post_score(client: httpx.Client, evaluator_id: str, **values: Any) -> httpx.Response:
    return client.post(
        "/api/scores/", json={"evaluator_id": evaluator_id, "log_id": "log_1", **values}
    )


@pytest.mark.parametrize(
    ("value_type", "field", "value"),
    [
        ("numerical", "numerical_value", 0.5),
        ("percentage", "numerical_value", 42.0),
        ("boolean", "boolean_value", True),
        ("single_select", "categorical_value", ["good"]),
        ("multi_select", "categorical_value", ["good", "3"]),
        ("categorical", "categorical_value", ["bad"]),
        ("text", "string_value", "fine"),
        ("comment", "string_value", "legacy"),
        ("json", "json_value", '{"rating": 5}'),
    ],
)
def test_each_value_type_takes_its_field(
    client: httpx.Client, make_evaluator: MakeEvaluator, value_type: str, field: str, value: Any
) -> None:
    ev = make_evaluator(score_value_type=value_type, score_config={"choices": CHOICES})
    r = post_score(client, ev["id"], **{field: value})
    assert r.status_code == 201, r.text
    assert r.json()[field] == value
    wrong = "string_value" if field != "string_value" else "numerical_value"
    bad = post_score(
        client, ev["id"], **{field: value, wrong: "x" if wrong == "string_value" else 1}
    )
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == [wrong]


def test_mismatched_value_gets_field_errors(
    client: httpx.Client, make_evaluator: MakeEvaluator
) -> None:
    ev = make_evaluator(score_value_type="boolean")
    r = post_score(client, ev["id"], numerical_value=3)
    assert r.status_code == 400
    body = r.json()
    assert set(body) == {"detail", "errors"}
    assert "boolean_value" in body["errors"]["numerical_value"][0]
    missing = post_score(client, ev["id"])
    assert missing.status_code == 400
    assert "boolean_value" in missing.json()["errors"]


def test_json_value_must_parse(client: httpx.Client, make_evaluator: MakeEvaluator) -> None:
    ev = make_evaluator(score_value_type="json")
    r = post_score(client, ev["id"], json_value="{not json")
    assert r.status_code == 400
    assert "json_value" in r.json()["errors"]


def test_bounds_and_choices(client: httpx.Client, make_evaluator: MakeEvaluator) -> None:
    num = make_evaluator(score_config={"min_score": 1, "max_score": 5})["id"]
    assert post_score(client, num, numerical_value=5).status_code == 201
    for out_of_range in (0.99, 5.01):
        r = post_score(client, num, numerical_value=out_of_range)
        assert r.status_code == 400
        assert "numerical_value" in r.json()["errors"]
    pct = make_evaluator(score_value_type="percentage")["id"]
    assert post_score(client, pct, numerical_value=100).status_code == 201
    assert post_score(client, pct, numerical_value=100.5).status_code == 400

    single = make_evaluator(score_value_type="single_select", score_config={"choices": CHOICES})[
        "id"
    ]
    assert post_score(client, single, categorical_value=["nope"]).status_code == 400
    assert post_score(client, single, categorical_value=["good", "bad"]).status_code == 400
    multi = make_evaluator(score_value_type="multi_select", score_config={"choices": CHOICES})["id"]
    assert post_score(client, multi, categorical_value=["good", "bad"]).status_code == 201
    assert post_score(client, multi, categorical_value=["good", "good"]).status_code == 400

    # Select evaluators need choices at all.
    r = client.post(
        "/api/evaluators/", json={"name": "S", "type": "human", "score_value_type": "single_select"}
    )
    assert r.status_code == 400
    assert "score_config" in r.json()["errors"]


def test_patch_checks_the_stored_evaluator(
    client: httpx.Client, make_evaluator: MakeEvaluator
) -> None:
    ev = make_evaluator(score_config={"min_score": 0, "max_score": 1})
    sid = post_score(client, ev["id"], numerical_value=0.5).json()["id"]
    assert client.patch(f"/api/scores/{sid}/", json={"numerical_value": 2}).status_code == 400
    assert client.patch(f"/api/scores/{sid}/", json={"string_value": "x"}).status_code == 400
    ok = client.patch(f"/api/scores/{sid}/", json={"numerical_value": 0.75})
    assert ok.status_code == 200
    assert ok.json()["numerical_value"] == 0.75
    assert set(ok.json()) >= {"inputs", "evaluator"}  # id-scoped responses carry both


def test_evaluator_by_slug_and_unknown_evaluator(
    client: httpx.Client, make_evaluator: MakeEvaluator
) -> None:
    make_evaluator(evaluator_slug="response_quality")
    r = client.post(
        "/api/scores/",
        json={"evaluator_slug": "response_quality", "log_id": "l", "numerical_value": 1},
    )
    assert r.status_code == 201
    assert r.json()["evaluator_slug"] == "response_quality"
    unknown = client.post(
        "/api/scores/", json={"evaluator_slug": "nope", "log_id": "l", "numerical_value": 1}
    )
    assert unknown.status_code == 400
    assert "evaluator_slug" in unknown.json()["errors"]
    neither = client.post("/api/scores/", json={"log_id": "l", "numerical_value": 1})
    assert neither.status_code == 400
    no_log = client.post(
        "/api/scores/", json={"evaluator_slug": "response_quality", "numerical_value": 1}
    )
    assert no_log.status_code == 400
    assert "log_id" in no_log.json()["errors"]
    upsert_unknown = client.post(
        "/api/logs/l/scores/", json={"evaluator_id": "evl_x", "numerical_value": 1}
    )
    assert upsert_unknown.status_code == 404


def test_log_scoped_post_upserts_per_log_evaluator_scorer(
    emu: Emulator, client: httpx.Client, make_evaluator: MakeEvaluator
) -> None:
    eid = make_evaluator()["id"]
    first = client.post(
        "/api/logs/log_9/scores/", json={"evaluator_id": eid, "numerical_value": 0.1}
    )
    second = client.post(
        "/api/logs/log_9/scores/", json={"evaluator_id": eid, "numerical_value": 0.9}
    )
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["created_at"] == second.json()["created_at"]
    assert emu.score_count() == 1
    assert client.get(f"/api/scores/{first.json()['id']}/").json()["numerical_value"] == 0.9
    # Another log, or another scorer (API key user), is another score.
    client.post("/api/logs/log_10/scores/", json={"evaluator_id": eid, "numerical_value": 0.5})
    emu.add_api_key("sk_test_carol", "carol@example.com")
    other = httpx.post(
        emu.url("/api/logs/log_9/scores/"),
        headers={"Authorization": "Bearer sk_test_carol"},
        json={"evaluator_id": eid, "numerical_value": 0.3},
    )
    assert other.status_code == 201
    assert emu.score_count() == 3
    listed = client.get("/api/logs/log_9/scores/").json()
    assert {s["scorer"] for s in listed["results"]} == {"test@example.com", "carol@example.com"}


@pytest.mark.parametrize(
    ("conditions", "value", "passed"),
    [
        ({"primary_score": {"operator": "gte", "value": 3}}, 3, True),
        ({"primary_score": {"operator": "gte", "value": 3}}, 2.5, False),
        ({"primary_score": {"operator": "lt", "value": [2]}}, 1, True),
        ({"primary_score": {"operator": "in", "value": [1, 2]}}, 2, True),
        ({"primary_score": {"operator": "not", "value": [2]}}, 2, False),
        (None, 4, None),
    ],
)
def test_is_passed_from_passing_conditions(
    client: httpx.Client, make_evaluator: MakeEvaluator, conditions: Any, value: float, passed: Any
) -> None:
    ev = make_evaluator(passing_conditions=conditions)
    r = post_score(client, ev["id"], numerical_value=value)
    assert r.json()["is_passed"] is passed


def test_is_passed_for_select_and_boolean(
    client: httpx.Client, make_evaluator: MakeEvaluator
) -> None:
    sel = make_evaluator(
        score_value_type="multi_select",
        score_config={"choices": CHOICES},
        passing_conditions={"primary_score": {"operator": "", "value": ["good"]}},
    )["id"]
    assert post_score(client, sel, categorical_value=["bad", "good"]).json()["is_passed"] is True
    assert post_score(client, sel, categorical_value=["bad"]).json()["is_passed"] is False
    boolean = make_evaluator(score_value_type="boolean")["id"]
    assert post_score(client, boolean, boolean_value=False).json()["is_passed"] is False


def test_is_passed_follows_patch(client: httpx.Client, make_evaluator: MakeEvaluator) -> None:
    ev = make_evaluator(passing_conditions={"primary_score": {"operator": "gt", "value": 0.5}})
    sid = post_score(client, ev["id"], numerical_value=0.2).json()["id"]
    assert client.patch(f"/api/scores/{sid}/", json={"numerical_value": 0.7}).json()["is_passed"]


def test_replace_score_resets_optional_fields(
    client: httpx.Client, make_evaluator: MakeEvaluator
) -> None:
    ev = make_evaluator()
    sid = post_score(
        client, ev["id"], numerical_value=0.5, environment="staging", prompt_id="p1"
    ).json()["id"]
    r = client.put(f"/api/scores/{sid}/", json={"numerical_value": 0.6})
    assert r.status_code == 200
    body = r.json()
    assert (body["numerical_value"], body["environment"], body["prompt_id"]) == (
        0.6,
        "production",
        None,
    )
    assert body["log_id"] == "log_1"
    assert client.put(f"/api/scores/{sid}/", json={}).status_code == 400  # value required


def test_scores_on_a_pinned_version_use_its_config(
    client: httpx.Client, make_evaluator: MakeEvaluator
) -> None:
    eid = make_evaluator(score_config={"min_score": 0, "max_score": 1})["id"]
    client.post(
        f"/api/evaluators/{eid}/versions/", json={"score_config": {"min_score": 0, "max_score": 10}}
    )
    assert post_score(client, eid, numerical_value=5).status_code == 201  # draft: 0..10
    assert post_score(client, f"{eid}:0", numerical_value=5).status_code == 400  # v0: 0..1
    assert post_score(client, f"{eid}:9", numerical_value=0.5).status_code == 400
