"""Planted spec violations, one of each kind, in requests and in responses, are each reported.

Requests that break the spec get a 400 naming the field and the rule; responses that would
break it become the strict emulator's 500 and a recorded violation. Field names come from
openapi.yaml, so a spec change moves the plants with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from respan_evals.testing import Emulator
from respan_evals.testing._handlers import Call, Handler
from respan_evals.testing._spec import Spec, load_spec

from ._specs import schemas, spec_copy

EXTRA = "unexpected_field"
EVALUATOR_BODY = {"name": "Quality", "type": "llm", "score_value_type": "numerical"}


def _field_where(spec: Spec, schema: str, test: Callable[[Any], bool]) -> str:
    """The first property of `schema` whose resolved schema (or an anyOf part) passes `test`."""
    for name, prop in spec.properties(spec.schema(schema)).items():
        node = spec.resolve(prop)
        if test(node) or any(test(spec.resolve(p)) for p in node.get("anyOf") or []):
            return name
    raise AssertionError(f"{schema} has no such property")


def _is_enum(node: Any) -> bool:
    return "enum" in node


def _closed_enum_path(spec: Spec, schema: Any, depth: int = 2) -> list[str] | None:
    """Where in `schema` (nested objects too) a property takes only the values it lists."""
    props = spec.properties(schema)
    for name, prop in props.items():
        if "enum" in spec.resolve(prop):
            return [name]
    if depth > 1:
        for name, prop in props.items():
            for part in [prop, *(spec.resolve(prop).get("anyOf") or [])]:
                if spec.ref_name(part) is not None:
                    inner = _closed_enum_path(spec, part, depth - 1)
                    if inner is not None:
                        return [name, *inner]
    return None


def _is_date_time(node: Any) -> bool:
    return node.get("format") == "date-time"


def _is_number(node: Any) -> bool:
    kind = node.get("type")
    return kind == "number" or (isinstance(kind, list) and "number" in kind)


def _close(data: dict[str, Any]) -> dict[str, Any]:
    """Score and EvaluatorCreateRequest forbid properties they do not name, and Score's open
    enums (anyOf: an enum or any string) take only the listed values."""
    for name in ("Score", "EvaluatorCreateRequest"):
        schemas(data)[name]["additionalProperties"] = False
    for prop in schemas(data)["Score"]["properties"].values():
        refs = [p for p in prop.get("anyOf") or [] if "$ref" in p]
        if refs and "enum" in schemas(data)[refs[0]["$ref"].rsplit("/", 1)[-1]]:
            prop.pop("anyOf")
            prop.update(refs[0])
    return data


@pytest.fixture
def closed() -> Iterator[tuple[Emulator, httpx.Client]]:
    """An emulator serving the spec as `_close` makes it."""
    with Emulator(spec=_close(spec_copy()), rate_limit=None) as emu, emu.client() as client:
        yield emu, client


# ---- requests ---------------------------------------------------------------------------
def _errors(response: httpx.Response) -> dict[str, list[str]]:
    assert response.status_code == 400, response.text
    errors: dict[str, list[str]] = response.json()["errors"]
    return errors


def test_a_request_missing_a_required_field_is_refused(client: httpx.Client) -> None:
    required = load_spec().schema("EvaluatorCreateRequest")["required"]
    assert required
    for name in required:
        body = {k: v for k, v in EVALUATOR_BODY.items() if k != name}
        errors = _errors(client.post("/api/evaluators/", json=body))
        assert "rule: required" in errors[name][0], name


def test_a_request_with_a_wrong_type_is_refused(
    client: httpx.Client, make_evaluator: Callable[..., dict[str, Any]]
) -> None:
    number = _field_where(load_spec(), "Score", _is_number)
    eid = make_evaluator()["id"]
    errors = _errors(client.post("/api/scores/", json={"evaluator_id": eid, number: "high"}))
    assert "rule: type" in errors[number][0]


def test_a_request_with_an_unknown_enum_value_is_refused(client: httpx.Client) -> None:
    field = _field_where(load_spec(), "EvaluatorCreateRequest", _is_enum)
    errors = _errors(client.post("/api/evaluators/", json={**EVALUATOR_BODY, field: "robot"}))
    assert "rule: enum" in errors[field][0]


def test_a_request_with_a_bad_format_is_refused(
    client: httpx.Client, make_evaluator: Callable[..., dict[str, Any]]
) -> None:
    field = _field_where(load_spec(), "LogScoreUpsertRequest", _is_date_time)
    slug = make_evaluator()["evaluator_slug"]
    body = {"evaluator_slug": slug, "numerical_value": 1, field: "yesterday"}
    errors = _errors(client.post("/api/logs/log_1/scores/", json=body))
    assert "rule: format" in errors[field][0]


def test_a_request_with_bad_parameters_is_refused(client: httpx.Client) -> None:
    for params in ({"page_size": "abc"}, {"page": "0"}, {"start_time": "yesterday"}):
        (name,) = params
        assert name in _errors(client.get("/api/scores/", params=params)), params
    assert "version" in _errors(client.get("/api/evaluators/evl_x/versions/latest/"))


def test_a_request_with_an_extra_field_is_refused(emu: Emulator, client: httpx.Client) -> None:
    # The spec leaves these objects open; the emulator refuses fields it does not name, and
    # records them so that a strict test of the client that sent them fails.
    errors = _errors(client.post("/api/evaluators/", json={**EVALUATOR_BODY, EXTRA: 1}))
    assert EXTRA in errors
    assert [v.status for v in emu.violations] == [400] and EXTRA in str(emu.violations[0])
    emu.violations.clear()


def test_a_request_with_an_extra_field_where_the_schema_forbids_it_is_refused(
    closed: tuple[Emulator, httpx.Client],
) -> None:
    _, client = closed
    r = client.post("/api/evaluators/", json={**EVALUATOR_BODY, EXTRA: 1})
    assert r.status_code == 400
    assert "rule: additionalProperties" in r.text and EXTRA in r.text


# ---- responses --------------------------------------------------------------------------
def _plant(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch, change: Callable[[int, Any], tuple[int, Any]]
) -> None:
    """retrieve_score answers what `change` makes of its real (status, body)."""
    real = emu.app.handlers["retrieve_score"]

    def run(call: Call) -> tuple[int, Any]:
        return change(*real.run(call))

    planted = {**emu.app.handlers, "retrieve_score": Handler(run=run, no_effect=real.no_effect)}
    monkeypatch.setattr(emu.app, "handlers", planted)


def _score_id(client: httpx.Client) -> str:
    r = client.post("/api/evaluators/", json=EVALUATOR_BODY)
    eid = r.json()["id"]
    created = client.post(
        "/api/scores/", json={"evaluator_id": eid, "log_id": "log_1", "numerical_value": 1}
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def _reported(emu: Emulator, client: httpx.Client, score_id: str, *words: str) -> None:
    """The planted answer became a 500 naming it, and one recorded violation."""
    r = client.get(f"/api/scores/{score_id}/")
    assert r.status_code == 500, r.text
    detail = r.json()["detail"]
    assert "breaks the API spec" in detail
    for word in words:
        assert word in detail, (word, detail)
    assert len(emu.violations) == 1 and all(w in str(emu.violations[0]) for w in words)
    emu.violations.clear()  # planted on purpose: the fixture would fail the test otherwise


def _drop(name: str) -> Callable[[int, Any], tuple[int, Any]]:
    return lambda status, body: (status, {k: v for k, v in body.items() if k != name})


def _set(name: str, value: Any) -> Callable[[int, Any], tuple[int, Any]]:
    return lambda status, body: (status, {**body, name: value})


def test_a_response_missing_a_required_field_is_reported(
    emu: Emulator, client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    score_id = _score_id(client)
    required = load_spec().schema("Score")["required"]
    assert required
    for name in required:
        _plant(emu, monkeypatch, _drop(name))
        _reported(emu, client, score_id, name, "required")


def test_a_response_with_a_wrong_type_is_reported(
    emu: Emulator, client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    score_id = _score_id(client)
    field = _field_where(load_spec(), "Score", _is_date_time)
    _plant(emu, monkeypatch, _set(field, 12345))
    _reported(emu, client, score_id, field, "rule: type")


def test_a_response_with_an_unknown_enum_value_is_reported(
    closed: tuple[Emulator, httpx.Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Score's enums are open as written (legacy values are kept), so the closed copy is used.
    emu, client = closed
    score_id = _score_id(client)
    spec = emu.spec
    where = _closed_enum_path(spec, spec.schema("Score"))
    assert where is not None  # a Score field, or one of a nested object, with a closed enum

    def change(status: int, body: Any) -> tuple[int, Any]:
        node = body
        for part in where[:-1]:
            node = node[part]
        node[where[-1]] = "not_a_choice"
        return status, body

    _plant(emu, monkeypatch, change)
    _reported(emu, client, score_id, ".".join(where), "rule: enum")


def test_a_response_with_a_bad_format_is_reported(
    emu: Emulator, client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    score_id = _score_id(client)
    field = _field_where(load_spec(), "Score", _is_date_time)
    _plant(emu, monkeypatch, _set(field, "yesterday"))
    _reported(emu, client, score_id, field, "rule: format")


def test_a_response_with_an_extra_field_where_the_schema_forbids_it_is_reported(
    closed: tuple[Emulator, httpx.Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    emu, client = closed
    score_id = _score_id(client)
    _plant(emu, monkeypatch, _set(EXTRA, 1))
    _reported(emu, client, score_id, EXTRA, "rule: additionalProperties")


def test_a_response_with_a_wrong_status_is_reported(
    emu: Emulator, client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    score_id = _score_id(client)
    undocumented = next(s for s in range(418, 600) if str(s) not in _statuses("retrieve_score"))
    _plant(emu, monkeypatch, lambda status, body: (undocumented, body))
    _reported(emu, client, score_id, f"status {undocumented} is not documented")


def _statuses(operation_id: str) -> set[str]:
    return set(load_spec().by_id[operation_id].responses)


def test_a_planted_response_is_sent_as_is_but_recorded_when_lenient(
    emu: Emulator, client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    score_id = _score_id(client)
    emu.strict = False
    field = _field_where(load_spec(), "Score", _is_date_time)
    _plant(emu, monkeypatch, _set(field, "yesterday"))
    r = client.get(f"/api/scores/{score_id}/")
    assert r.status_code == 200 and r.json()[field] == "yesterday"
    assert [v.status for v in emu.violations] == [200]
    emu.violations.clear()
