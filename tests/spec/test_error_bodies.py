"""400 bodies: the spec accepts DRF's nested field errors, and the generated client keeps them."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from openapi_schema_validator import OAS31Validator

from .test_examples import parse_response, resolve
from .test_operations import METHODS

NESTED = [
    pytest.param({"score_config": {"min_score": ["A valid number is required."]}}, id="nested"),
    pytest.param(
        {"llm_config": {"tools": [{}, {"type": ["This field is required."]}]}}, id="list-items"
    ),
    pytest.param(
        {"detail": "Validation error", "errors": {"score_config": {"choices": ["Not a list."]}}},
        id="errors-nested",
    ),
    pytest.param({"passing_conditions": {"primary_score": {"value": "Bad."}}}, id="one-message"),
    pytest.param(
        {"name": ["Required."], "score_config": {"max_score": ["Too small."]}}, id="mixed"
    ),
]


def bad_request_operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        op
        for item in spec["paths"].values()
        for method, op in item.items()
        if method in METHODS and "400" in op["responses"]
    ]


def body_schema(spec: dict[str, Any], op: dict[str, Any]) -> dict[str, Any]:
    media = resolve(spec, op["responses"]["400"])["content"]["application/json"]
    return {**media["schema"], "components": spec["components"]}


@pytest.mark.parametrize("body", NESTED)
def test_every_400_accepts_nested_field_errors(spec: dict[str, Any], body: dict[str, Any]) -> None:
    operations = bad_request_operations(spec)
    assert operations
    for op in operations:
        errors = [e.message for e in OAS31Validator(body_schema(spec, op)).iter_errors(body)]
        assert errors == [], op["operationId"]


@pytest.mark.parametrize("body", NESTED)
def test_the_generated_client_keeps_nested_field_errors(
    spec: dict[str, Any], body: dict[str, Any]
) -> None:
    for op in bad_request_operations(spec):
        parsed = parse_response(op, "400", copy.deepcopy(body))
        assert parsed.to_dict() == body, op["operationId"]


def test_the_schema_examples_are_valid(spec: dict[str, Any]) -> None:
    schema = spec["components"]["schemas"]["ValidationErrorBody"]
    assert schema["examples"]
    validator = OAS31Validator({**schema, "components": spec["components"]})
    for example in schema["examples"]:
        assert [e.message for e in validator.iter_errors(example)] == []


@pytest.mark.parametrize("body", [{"name": 3}, {"score_config": {"min_score": [1]}}])
def test_what_is_no_field_error_is_still_refused(spec: dict[str, Any], body: object) -> None:
    op = bad_request_operations(spec)[0]
    assert list(OAS31Validator(body_schema(spec, op)).iter_errors(body))
