"""Every operation of the spec, over real HTTP, with response validation on (strict)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from respan_evals.testing import Emulator
from respan_evals.testing._routes import Matched, Router
from respan_evals.testing._spec import load_spec

AUTH_DETAIL = (
    "Your API key is invalid or expired, please check your API key at "
    "https://platform.respan.ai/platform/api/api-keys"
)


def test_every_operation_of_the_spec_answers_per_spec(
    emu: Emulator, client: httpx.Client, make_evaluator: Callable[..., dict[str, Any]]
) -> None:
    spec = load_spec()

    ev = make_evaluator(
        score_config={"min_score": 1, "max_score": 5},
        passing_conditions={"primary_score": {"operator": "gte", "value": 3}},
    )
    eid = ev["id"]
    assert client.get(f"/api/evaluators/{eid}/").status_code == 200
    assert client.patch(f"/api/evaluators/{eid}/", json={"description": "d"}).status_code == 200
    put_body = {"name": "Quality 2", "type": "llm", "score_value_type": "numerical"}
    assert client.put(f"/api/evaluators/{eid}/", json=put_body).status_code == 200
    assert client.get("/api/evaluators/").status_code == 200
    assert client.post("/api/evaluators/list/", json={}).status_code == 200
    assert client.get("/api/evaluators/summary/").json() == {"total_count": 1}
    assert client.post("/api/evaluators/summary/", json={}).json() == {"total_count": 1}
    run = client.post(f"/api/evaluators/{eid}/run/", json={"inputs": {"input": "a", "output": "b"}})
    assert run.status_code == 200
    assert client.get(f"/api/evaluators/{eid}/versions/").status_code == 200
    assert client.post(f"/api/evaluators/{eid}/versions/", json={}).status_code == 201
    assert client.get(f"/api/evaluators/{eid}/versions/1/").status_code == 200
    assert client.patch(f"/api/evaluators/{eid}/versions/1/", json={"name": "N"}).status_code == 200
    assert client.put(f"/api/evaluators/{eid}/versions/1/", json=put_body).status_code == 200

    created = client.post(
        "/api/scores/", json={"evaluator_id": eid, "log_id": "log_1", "numerical_value": 4}
    )
    assert created.status_code == 201
    sid = created.json()["id"]
    assert client.get("/api/scores/").status_code == 200
    assert client.post("/api/scores/list/", json={}).status_code == 200
    assert client.get(f"/api/scores/{sid}/").status_code == 200
    assert client.patch(f"/api/scores/{sid}/", json={"numerical_value": 2}).status_code == 200
    assert client.put(f"/api/scores/{sid}/", json={"numerical_value": 3}).status_code == 200
    assert client.delete(f"/api/scores/{sid}/").status_code == 204

    up = client.post("/api/logs/log_2/scores/", json={"evaluator_id": eid, "numerical_value": 5})
    assert up.status_code == 201
    lsid = up.json()["id"]
    assert client.get("/api/logs/log_2/scores/").status_code == 200
    assert client.get(f"/api/logs/log_2/scores/{lsid}/").status_code == 200
    patch = client.patch(f"/api/logs/log_2/scores/{lsid}/", json={"numerical_value": 1})
    assert patch.status_code == 200
    put = client.put(f"/api/logs/log_2/scores/{lsid}/", json={"numerical_value": 2})
    assert put.status_code == 200
    assert client.delete(f"/api/logs/log_2/scores/{lsid}/").status_code == 204
    assert client.delete(f"/api/evaluators/{eid}/").status_code == 204

    router = Router(spec.operations)
    hit = set()
    for r in emu.requests:
        found = router.match(r.method, r.path)
        if 200 <= r.status < 300 and isinstance(found, Matched):
            hit.add(found.operation.operation_id)
    assert sorted(set(spec.by_id) - hit) == []
    assert emu.violations == []


def test_missing_or_unknown_key_gets_documented_401(emu: Emulator) -> None:
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": emu.api_key}):
        r = httpx.get(emu.url("/api/scores/"), headers=headers)
        assert r.status_code == 401
        assert r.json() == {"detail": AUTH_DETAIL}
    assert emu.violations == []


def test_api_keys_map_to_users(emu: Emulator, make_evaluator: Callable[..., Any]) -> None:
    emu.add_api_key("sk_test_bob", "bob.smith@example.com")
    ev = make_evaluator()
    r = httpx.post(
        emu.url("/api/logs/log_1/scores/"),
        headers={"Authorization": "Bearer sk_test_bob"},
        json={"evaluator_id": ev["id"], "numerical_value": 0.5},
    )
    assert r.status_code == 201
    assert r.json()["scorer"] == "bob.smith@example.com"


def test_unknown_ids_get_404(
    client: httpx.Client, make_evaluator: Callable[..., dict[str, Any]]
) -> None:
    eid = make_evaluator()["id"]
    up = client.post("/api/logs/log_a/scores/", json={"evaluator_id": eid, "numerical_value": 1})
    sid = up.json()["id"]
    for method, path in [
        ("GET", "/api/scores/score_missing/"),
        ("PATCH", "/api/scores/score_missing/"),
        ("DELETE", "/api/scores/score_missing/"),
        ("GET", f"/api/logs/log_other/scores/{sid}/"),  # exists, but under another log
        ("DELETE", f"/api/logs/log_other/scores/{sid}/"),
        ("GET", "/api/evaluators/evl_missing/"),
        ("DELETE", "/api/evaluators/evl_missing/"),
        ("GET", "/api/evaluators/evl_missing/versions/"),
        ("GET", f"/api/evaluators/{eid}/versions/7/"),
        ("GET", f"/api/evaluators/{eid}:7/"),
        ("POST", "/api/evaluators/evl_missing/run/"),
    ]:
        body = {"numerical_value": 1} if method == "PATCH" else None
        kwargs: dict[str, Any] = {"json": body} if body is not None else {}
        if method == "POST":
            kwargs = {"json": {"inputs": {"input": 1}}}
        r = client.request(method, path, **kwargs)
        assert r.status_code == 404, (method, path, r.text)
        assert isinstance(r.json()["detail"], str)


def test_literal_paths_win_over_ids(client: httpx.Client) -> None:
    assert client.post("/api/scores/list/", json={}).json()["results"] == []
    assert client.get("/api/evaluators/summary/").json() == {"total_count": 0}
    assert client.post("/api/evaluators/list/", json={}).status_code == 200
    # Like Django's URL resolver: the literal route matches first, whatever the method.
    r = client.get("/api/scores/list/")
    assert r.status_code == 405
    assert r.json() == {"detail": 'Method "GET" not allowed.'}
    assert r.headers["allow"] == "POST"


def test_paths_end_with_a_slash(client: httpx.Client) -> None:
    r = client.get("/api/scores")
    assert r.status_code == 404
    assert "slash" in r.json()["detail"]


def test_delete_evaluator_removes_versions_but_keeps_scores(
    client: httpx.Client, make_evaluator: Callable[..., dict[str, Any]]
) -> None:
    eid = make_evaluator()["id"]
    client.post(f"/api/evaluators/{eid}/versions/", json={"version_description": "v0"})
    sid = client.post(
        "/api/scores/", json={"evaluator_id": eid, "log_id": "l", "numerical_value": 0.2}
    ).json()["id"]
    assert client.delete(f"/api/evaluators/{eid}/").status_code == 204
    assert client.get(f"/api/evaluators/{eid}/versions/0/").status_code == 404
    kept = client.get(f"/api/scores/{sid}/")
    assert kept.status_code == 200
    assert kept.json()["evaluator_id"] == eid
