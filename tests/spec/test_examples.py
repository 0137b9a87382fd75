"""Every example in openapi.yaml is valid for its schema and survives the generated models.

"Survives" means: parsed by the generated client and written back with `to_dict()`, nothing is
lost or changed, including legacy enum values (score type `human_boolean`) and unknown fields.
"""

from __future__ import annotations

import copy
import datetime
import importlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openapi_schema_validator import OAS31Validator

from respan_evals_api import Client, models
from respan_evals_api.types import Unset
from tests import _openapi

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


CASES = [pytest.param(case, id=case_id) for case_id, case in media_examples(_openapi.load())]


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


# ---- examples copied from the published pages ------------------------------------------------
# The two pages' JSON, stored in the repository (the captured pages live outside it, beside the
# clone, and a clone on its own has none). The spec must equal the stored copy; where the
# captured pages are present, the stored copy must still equal them.
PUBLISHED = json.loads((Path(__file__).parent / "data" / "published_examples.json").read_text())
CAPTURED = ROOT.parent / "shared" / "api-docs" / "captured"
PUBLISHED_CASES = [
    pytest.param(page, example, id=f"{example['operation']}:{example['kind']}:{example['name']}")
    for page in PUBLISHED["pages"]
    for example in page["examples"]
]


def spec_example(spec: dict[str, Any], example: dict[str, Any], status: str | None) -> Any:
    """The value of the named example of `example`'s operation, request or `status` response."""
    op = next(
        op
        for item in spec["paths"].values()
        for method, op in item.items()
        if method in METHODS and op["operationId"] == example["operation"]
    )
    if example["kind"] == "request":
        media = op["requestBody"]["content"]["application/json"]
    else:
        media = resolve(spec, op["responses"][status])["content"]["application/json"]
    return resolve(spec, media["examples"][example["name"]])["value"]


@pytest.mark.parametrize(("page", "example"), PUBLISHED_CASES)
def test_spec_example_is_the_published_one(
    spec: dict[str, Any], page: dict[str, Any], example: dict[str, Any]
) -> None:
    for status in example["statuses"] or [None]:
        assert spec_example(spec, example, status) == example["value"], (page["page"], status)


def page_route(text: str) -> tuple[str, str] | None:
    """The method and path a captured page prints (`GET` over `/api/scores/:id/`)."""
    found = re.search(r"^(GET|POST|PUT|PATCH|DELETE)\n(/api/\S*)$", text, re.M)
    return (found.group(1), found.group(2)) if found else None


def page_response(text: str) -> Any:
    """The numbered example response of a captured page (`1{`, `2 "id": ...`), as JSON."""
    lines: list[str] = []
    for line in text.splitlines():
        numbered = re.match(r"(\d+)(.*)", line)
        if numbered and int(numbered.group(1)) == len(lines) + 1:
            lines.append(numbered.group(2))
        elif lines:
            break
    return json.loads("\n".join(lines))


def page_request(text: str) -> Any:
    """The JSON body of a captured page's curl example (`-d '{...}'`, lines prompted `>`)."""
    unprompted = "\n".join(line.removeprefix(">") for line in text.splitlines())
    found = re.search(r"-d '(.*?)'$", unprompted, re.M | re.S)
    assert found, "the page's curl example sends no body"
    return json.loads(found.group(1))


def test_stored_examples_are_the_captured_pages_where_present() -> None:
    if not CAPTURED.is_dir():
        return  # a clone on its own: the stored copy stands in (the test above checks it)
    pages = {page_route(p.read_text()): p.read_text() for p in CAPTURED.glob("*.txt")}
    for page in PUBLISHED["pages"]:
        text = pages.get((page["method"], page["path"]))
        assert text is not None, f"no captured page prints {page['method']} {page['path']}"
        for example in page["examples"]:
            read = page_request if example["kind"] == "request" else page_response
            assert read(text) == example["value"], (page["page"], example["shown_as"])


def test_the_page_reader_reads_numbered_lines_and_curl_bodies() -> None:
    text = "\n".join(
        [
            "POST",
            "/api/things/",
            "$curl -X POST https://api.example/api/things/ \\",
            "> -d '{",
            '> "name": "a\\nb"',
            ">}'",
            "1{",
            '2 "id": "t_1",',
            '3 "tags": [',
            '4 "x"',
            "5 ]",
            "6}",
            "Things created.",
            "7 later numbers are not the example",
        ]
    )
    assert page_route(text) == ("POST", "/api/things/")
    assert page_request(text) == {"name": "a\nb"}
    assert page_response(text) == {"id": "t_1", "tags": ["x"]}
