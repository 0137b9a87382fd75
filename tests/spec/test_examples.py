"""Every example in openapi.yaml is valid for its schema and survives the generated models.

"Survives" means: parsed by the generated client and written back with `to_dict()`, nothing is
lost or changed, including legacy enum values (score type `human_boolean`) and unknown fields.
"""

from __future__ import annotations

import copy
import datetime
import importlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import yaml
from openapi_schema_validator import OAS31Validator

from respan_evals_api import Client, models
from respan_evals_api.types import Unset

from .conftest import ROOT
from .test_operations import METHODS


def media_examples(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(id, case) for every example on a request body or a response."""
    for item in spec["paths"].values():
        for method, op in item.items():
            if method not in METHODS:
                continue
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            sources = [("request", None, body)]
            for status, response in op["responses"].items():
                response = resolve(spec, response)
                media = response.get("content", {}).get("application/json")
                sources.append(("response", status, media))
            for kind, status, media in sources:
                for name, example in (media or {}).get("examples", {}).items():
                    yield (
                        f"{op['operationId']}:{kind}:{status or ''}:{name}",
                        {
                            "op": op,
                            "kind": kind,
                            "status": status,
                            "schema": media["schema"],
                            "value": resolve(spec, example)["value"],
                        },
                    )


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


CASES = [
    pytest.param(case, id=case_id)
    for case_id, case in media_examples(yaml.safe_load((ROOT / "openapi.yaml").read_text()))
]


def test_the_spec_carries_examples(spec: dict[str, Any]) -> None:
    kinds = {(c.values[0]["kind"]) for c in CASES}
    assert kinds == {"request", "response"}
    tagged = {c.values[0]["op"]["tags"][0] for c in CASES}
    assert tagged == {t["name"] for t in spec["tags"]}  # every group of operations has some


@pytest.mark.parametrize("case", CASES)
def test_example_is_valid_for_its_schema(spec: dict[str, Any], case: dict[str, Any]) -> None:
    schema = {**case["schema"], "components": spec["components"]}
    errors = [e.message for e in OAS31Validator(schema).iter_errors(case["value"])]
    assert errors == []


def normalise(value: Any) -> Any:
    """Equal JSON apart from how a date-time is spelled (Z vs +00:00)."""
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, str):
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def parse_response(op: dict[str, Any], status: str, body: Any) -> Any:
    module = importlib.import_module(f"respan_evals_api.api.{op['tags'][0]}.{op['operationId']}")
    client = Client(base_url="https://api.respan.ai", raise_on_unexpected_status=True)
    response = httpx.Response(int(status), json=body)
    return module._parse_response(client=client, response=response)


def round_trip(spec: dict[str, Any], case: dict[str, Any], value: Any) -> Any:
    if case["kind"] == "response":
        parsed = parse_response(case["op"], case["status"], value)
    else:
        name = case["schema"]["$ref"].rsplit("/", 1)[-1]
        parsed = getattr(models, name).from_dict(value)
    assert parsed is not None and not isinstance(parsed, Unset)
    return parsed.to_dict() if hasattr(parsed, "to_dict") else parsed


@pytest.mark.parametrize("case", CASES)
def test_example_survives_the_generated_models(spec: dict[str, Any], case: dict[str, Any]) -> None:
    value = copy.deepcopy(case["value"])
    assert normalise(round_trip(spec, case, value)) == normalise(case["value"])


def with_unknowns(value: Any) -> Any:
    """The example, grown the way the API grows: new fields at every object level."""
    if isinstance(value, dict):
        grown = {k: with_unknowns(v) for k, v in value.items()}
        grown["x_added_later"] = {"nested": [1, "two", None]}
        return grown
    if isinstance(value, list):
        return [with_unknowns(v) for v in value]
    return value


@pytest.mark.parametrize("case", [c for c in CASES if c.values[0]["kind"] == "response"])
def test_response_keeps_fields_the_spec_does_not_name(
    spec: dict[str, Any], case: dict[str, Any]
) -> None:
    value = case["value"]
    if not isinstance(value, dict):
        pytest.fail("response examples are objects")
    grown = with_unknowns(value)
    assert normalise(round_trip(spec, case, copy.deepcopy(grown))) == normalise(grown)
