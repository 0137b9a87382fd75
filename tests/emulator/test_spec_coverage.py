"""The emulator covers the spec: a handler per operation, every response property served."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import httpx
import pytest

from respan_evals.testing import Emulator
from respan_evals.testing._app import missing_handlers
from respan_evals.testing._records import REAL_API_ONLY
from respan_evals.testing._spec import Spec, load_spec

from ._specs import add_property, spec_copy, with_bulk_create, with_reviewed_at

Seen = set[tuple[str, str]]


def test_every_operation_has_a_handler() -> None:
    missing = missing_handlers(load_spec())
    assert missing == [], "operations of openapi.yaml without an emulator handler: " + ", ".join(
        missing
    )


def test_a_new_operation_without_handler_is_named_and_answers_501() -> None:
    spec = load_spec(with_bulk_create(spec_copy()))
    assert missing_handlers(spec) == ["bulk_create_scores"]
    with Emulator(spec=spec.data, rate_limit=None) as emu, emu.client() as client:
        r = client.post("/api/scores/bulk/", json={"scores": []})
        assert r.status_code == 501
        assert "bulk_create_scores" in r.json()["detail"]
        assert [v.status for v in emu.violations] == [501]
        assert "bulk_create_scores" in str(emu.violations[0])


def test_paths_and_methods_come_from_the_spec(emu: Emulator, client: httpx.Client) -> None:
    unknown = client.post("/api/scores/bulk/", json={})  # fits /api/scores/{id}/ by shape only
    assert unknown.status_code == 404
    assert "/api/scores/{id}/" in unknown.json()["detail"]
    assert client.get("/api/nothing/here/").status_code == 404
    wrong = client.delete("/api/evaluators/list/")
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "POST"
    assert emu.violations == []


# ---- every response property appears somewhere --------------------------------------------
def _named(spec: Spec, schema: Any, name: str | None) -> tuple[Any, str | None]:
    return spec.resolve(schema), spec.ref_name(schema) or name


def _request_schemas(spec: Spec) -> set[str]:
    """Components reachable from request bodies: stored as the client sent them."""
    found: set[str] = set()

    def visit(node: Any) -> None:
        if isinstance(node, Mapping):
            ref = spec.ref_name(node)
            if ref is not None:
                if ref in found:
                    return
                found.add(ref)
                visit(spec.resolve(node))
                return
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    for op in spec.operations:
        if op.body_schema is not None:
            visit({"$ref": f"#/components/schemas/{op.body_schema}"})
    return found


def _walk(
    spec: Spec, schema: Any, value: Any, name: str, seen: Seen, skip: set[str], depth: int = 0
) -> None:
    """Record (schema, property) for each property present in `value` (or, with value
    `_ALL`, each property the schema has), following nested server-made objects."""
    if depth > 12:
        return
    node = spec.resolve(schema)
    if not isinstance(node, Mapping):
        return
    for key in ("anyOf", "oneOf"):
        for part in node.get(key) or []:
            _walk_child(spec, part, value, name, seen, skip, depth)
    for part in node.get("allOf") or []:
        _walk(spec, part, value, name, seen, skip, depth + 1)  # same object, same name
    props = node.get("properties") or {}
    if props and (value is _ALL or isinstance(value, Mapping)):
        for prop, sub in props.items():
            if value is _ALL or prop in value:
                seen.add((name, prop))
                child = _ALL if value is _ALL else value[prop]
                _walk_child(spec, sub, child, f"{name}.{prop}", seen, skip, depth)
    items = node.get("items")
    if items is not None:
        for element in [_ALL] if value is _ALL else value if isinstance(value, list) else []:
            _walk_child(spec, items, element, f"{name}[]", seen, skip, depth)


def _walk_child(
    spec: Spec, schema: Any, value: Any, name: str, seen: Seen, skip: set[str], depth: int
) -> None:
    ref = spec.ref_name(schema)
    if ref in skip:
        return
    _walk(spec, schema, value, ref or name, seen, skip, depth + 1)


_ALL: Any = object()


def spec_properties(spec: Spec) -> Seen:
    """(schema, property) for every property of every response schema of every operation."""
    out: Seen = set()
    skip = _request_schemas(spec)
    for op in spec.operations:
        for status in op.responses:
            schema = spec.response_schema(op, status)
            if schema is not None:
                _walk_child(spec, schema, _ALL, f"{op.operation_id} {status}", out, skip, 0)
    return out


class Recorder(httpx.Client):
    """An httpx client that keeps every JSON answer with the operation it answered."""

    def __init__(self, emu: Emulator, **kwargs: Any) -> None:
        hooks = {"response": [self._keep]}
        super().__init__(
            base_url=emu.base_url, headers=emu.headers, timeout=10, event_hooks=hooks, **kwargs
        )
        self.emu = emu
        self.answers: list[tuple[str, str, int, Any]] = []

    def _keep(self, response: httpx.Response) -> None:
        response.read()
        if response.headers.get("content-type", "").startswith("application/json"):
            request = response.request
            self.answers.append(
                (request.method, request.url.path, response.status_code, response.json())
            )


def served_properties(spec: Spec, answers: list[tuple[str, str, int, Any]]) -> Seen:
    from respan_evals.testing._routes import Matched, Router

    router = Router(spec.operations)
    skip = _request_schemas(spec)
    out: Seen = set()
    for method, path, status, body in answers:
        found = router.match(method, path)
        if not isinstance(found, Matched):
            continue
        op = found.operation
        schema = spec.response_schema(op, status)
        if schema is not None:
            _walk_child(spec, schema, body, f"{op.operation_id} {status}", out, skip, 0)
    return out


def exercise(client: Recorder) -> None:
    """Call every operation of the spec, and make each documented kind of answer happen."""
    ev = client.post(
        "/api/evaluators/",
        json={
            "name": "Quality",
            "type": "llm",
            "score_value_type": "numerical",
            "score_config": {"min_score": 1, "max_score": 5},
            "passing_conditions": {"primary_score": {"operator": "gte", "value": 3}},
        },
    ).json()
    eid = ev["id"]
    put = {"name": "Quality 2", "type": "llm", "score_value_type": "numerical"}
    client.get(f"/api/evaluators/{eid}/")
    client.patch(f"/api/evaluators/{eid}/", json={"description": "d"})
    client.put(f"/api/evaluators/{eid}/", json=put)
    client.get("/api/evaluators/", params={"search": "quality"})
    client.post("/api/evaluators/list/", json={})
    client.get("/api/evaluators/summary/")
    client.post("/api/evaluators/summary/", json={})
    client.post(f"/api/evaluators/{eid}/run/", json={"inputs": {"input": "a", "output": "b"}})
    client.get(f"/api/evaluators/{eid}/versions/")
    client.post(f"/api/evaluators/{eid}/versions/", json={"version_description": "v0"})
    client.get(f"/api/evaluators/{eid}/versions/0/")
    client.patch(f"/api/evaluators/{eid}/versions/1/", json={"name": "N"})
    client.put(f"/api/evaluators/{eid}/versions/1/", json=put)
    client.patch(f"/api/evaluators/{eid}/versions/0/", json={"name": "N"})  # 403: committed
    for i in range(3):
        client.post(
            "/api/scores/", json={"evaluator_id": eid, "log_id": f"l{i}", "numerical_value": 4}
        )
    sid = client.post(
        "/api/scores/", json={"evaluator_id": eid, "log_id": "log_1", "numerical_value": 4}
    ).json()["id"]
    client.get("/api/scores/", params={"page_size": 2, "page": 2})  # next and previous links
    client.post("/api/scores/list/", json={})
    client.get(f"/api/scores/{sid}/")
    client.patch(f"/api/scores/{sid}/", json={"numerical_value": 2})
    client.put(f"/api/scores/{sid}/", json={"numerical_value": 3})
    client.delete(f"/api/scores/{sid}/")
    lsid = client.post(
        "/api/logs/log_2/scores/", json={"evaluator_id": eid, "numerical_value": 5}
    ).json()["id"]
    client.get("/api/logs/log_2/scores/")
    client.get(f"/api/logs/log_2/scores/{lsid}/")
    client.patch(f"/api/logs/log_2/scores/{lsid}/", json={"numerical_value": 1})
    client.put(f"/api/logs/log_2/scores/{lsid}/", json={"numerical_value": 2})
    client.delete(f"/api/logs/log_2/scores/{lsid}/")
    client.post("/api/scores/", json={"evaluator_id": eid, "log_id": "l", "boolean_value": True})
    client.get("/api/scores/score_missing/")  # 404
    client.get("/api/scores/", headers={"Authorization": "Bearer wrong"})  # 401
    client.delete(f"/api/evaluators/{eid}/")
    client.emu.set_rate_limit(1)
    client.get("/api/evaluators/summary/")
    client.get("/api/evaluators/summary/")  # 429


@pytest.fixture
def recorded(emu: Emulator) -> Iterator[Recorder]:
    with Recorder(emu) as client:
        exercise(client)
        yield client


def test_every_response_property_is_served(emu: Emulator, recorded: Recorder) -> None:
    spec = emu.spec
    statuses = {status for _, _, status, _ in recorded.answers}
    assert {200, 201, 400, 401, 403, 404, 429} <= statuses
    missing = spec_properties(spec) - served_properties(spec, recorded.answers)
    unexplained = sorted(f"{s}.{p}" for s, p in missing if f"{s}.{p}" not in REAL_API_ONLY)
    assert unexplained == [], "response properties no emulator answer carries: " + ", ".join(
        unexplained
    )
    stale = sorted(set(REAL_API_ONLY) - {f"{s}.{p}" for s, p in missing})
    assert stale == [], "REAL_API_ONLY lists properties that are served or gone: " + ", ".join(
        stale
    )


def _coverage_gaps(data: dict[str, Any]) -> list[str]:
    spec = load_spec(data)
    with Emulator(spec=data, rate_limit=None) as emu, Recorder(emu) as client:
        exercise(client)
        emu.violations.clear()  # the deliberate 429s and the like are not violations anyway
    missing = spec_properties(spec) - served_properties(spec, client.answers)
    return sorted(f"{s}.{p}" for s, p in missing if f"{s}.{p}" not in REAL_API_ONLY)


def test_a_new_nullable_property_is_served_as_null() -> None:
    assert _coverage_gaps(with_reviewed_at(spec_copy())) == []


def test_a_property_the_emulator_cannot_fill_is_named() -> None:
    data = spec_copy()
    add_property(data, "Score", "review_state", {"type": "string"})  # optional, never null
    assert _coverage_gaps(data) == ["Score.review_state"]
