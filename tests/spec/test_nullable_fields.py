"""A null in any nullable field of a nested response object parses and round-trips.

The fields come from a walk of openapi.yaml: every property that accepts null (or is untyped)
of every object schema a 2xx response reaches inside another object. For each, the test builds
the smallest response that reaches it (required fields filled, the field itself null), checks
that the spec accepts it, parses it with the generated client and writes it back unchanged.
`data/sdk_optional_fields.json` (read from Respan's SDK) says which fields must be among them.
"""

from __future__ import annotations

import copy
import json
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openapi_schema_validator import OAS31Validator

from tests import _openapi

from .test_examples import normalise, parse_response, resolve
from .test_operations import METHODS

SPEC: dict[str, Any] = _openapi.load()
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]
SDK_OPTIONAL = json.loads((Path(__file__).parent / "data" / "sdk_optional_fields.json").read_text())
REF = "#/components/schemas/"

# One step from an object into a property's value: the schema reached, and how the value
# wraps it ("item": one element of an array, "key": one value of a map).
Step = tuple[str, tuple[str, ...], str]  # (property, wrappers, schema name)


def ref_name(node: dict[str, Any]) -> str | None:
    ref = node.get("$ref", "")
    return ref.removeprefix(REF) if ref.startswith(REF) else None


def parts(node: dict[str, Any]) -> list[dict[str, Any]]:
    """The node and, through `allOf`, the schemas it is made of (resolved)."""
    node = resolve(SPEC, node)
    out = [node]
    for part in node.get("allOf", []):
        out.extend(parts(part))
    return out


def properties(name: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for part in parts(SCHEMAS[name]):
        merged.update(part.get("properties", {}))
    return merged


def required(name: str) -> list[str]:
    return [field for part in parts(SCHEMAS[name]) for field in part.get("required", [])]


def accepts_null(node: dict[str, Any]) -> bool:
    node = resolve(SPEC, node)
    kinds = node.get("type")
    if kinds is None and not any(k in node for k in ("anyOf", "oneOf", "allOf", "enum")):
        return True  # untyped: any JSON value, null included
    if kinds == "null" or (isinstance(kinds, list) and "null" in kinds):
        return True
    return any(accepts_null(branch) for branch in node.get("anyOf", []) + node.get("oneOf", []))


def reached(
    node: dict[str, Any], wrappers: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every named object schema a property's value may be, with how the value wraps it."""
    name = ref_name(node)
    if name is not None:
        if any("properties" in p or "additionalProperties" in p for p in parts(SCHEMAS[name])):
            yield wrappers, name
        return
    for branch in node.get("anyOf", []) + node.get("oneOf", []) + node.get("allOf", []):
        yield from reached(branch, wrappers)
    if isinstance(node.get("items"), dict):
        yield from reached(node["items"], (*wrappers, "item"))
    if isinstance(node.get("additionalProperties"), dict):
        yield from reached(node["additionalProperties"], (*wrappers, "key"))


def steps(name: str) -> Iterator[Step]:
    for part in parts(SCHEMAS[name]):
        for prop, node in part.get("properties", {}).items():
            for wrappers, target in reached(node):
                yield prop, wrappers, target
        extra = part.get("additionalProperties")
        if isinstance(extra, dict):
            for wrappers, target in reached(extra, ("key",)):
                yield "", wrappers, target


def responses() -> Iterator[tuple[dict[str, Any], str, str]]:
    """(operation, status, body schema name) for every 2xx JSON response, in spec order."""
    for item in SPEC["paths"].values():
        for method, op in item.items():
            if method not in METHODS:
                continue
            for status, response in op["responses"].items():
                media = resolve(SPEC, response).get("content", {}).get("application/json")
                if status.startswith("2") and media and (name := ref_name(media["schema"])):
                    yield op, status, name


def routes() -> dict[str, tuple[dict[str, Any], str, str, list[Step]]]:
    """For each schema nested in a response: the shortest way there (breadth first)."""
    found: dict[str, tuple[dict[str, Any], str, str, list[Step]]] = {}
    for op, status, top in responses():
        queue: deque[tuple[str, list[Step]]] = deque([(top, [])])
        seen = {top}
        while queue:
            name, path = queue.popleft()
            for step in steps(name):
                target = step[2]
                if target in seen:
                    continue
                seen.add(target)
                route = [*path, step]
                best = found.get(target)
                if best is None or len(route) < len(best[3]):
                    found[target] = (op, status, top, route)
                queue.append((target, route))
    return found


ROUTES = routes()


def minimal(node: dict[str, Any]) -> Any:
    """The smallest value `node` accepts that is not null: required fields only."""
    node = resolve(SPEC, node)
    if "allOf" in node:
        merged: dict[str, Any] = {}
        for part in node["allOf"]:
            merged.update(minimal(part))
        own = {k: v for k, v in node.items() if k in ("properties", "required")}
        return {**merged, **(minimal({**own, "type": "object"}) if own else {})}
    branches = [b for b in node.get("anyOf", []) + node.get("oneOf", []) if b.get("type") != "null"]
    if branches:
        return minimal(branches[0])
    if "enum" in node:
        return node["enum"][0]
    kinds = node.get("type", "object" if "properties" in node else None)
    kind = next((k for k in kinds if k != "null"), None) if isinstance(kinds, list) else kinds
    if kind == "object":
        props = node.get("properties", {})
        return {field: minimal(props[field]) for field in node.get("required", [])}
    if kind == "array":
        return [minimal(node["items"])] if "items" in node else []
    if kind == "string":
        return "2024-01-15T09:30:00Z" if node.get("format") == "date-time" else "text"
    if kind == "integer":
        return max(1, node.get("minimum", 1))
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    return "any JSON"


def body_with_null(top: str, route: list[Step], field: str) -> dict[str, Any]:
    """The smallest `top` body whose object at the end of `route` has `field` set to null."""
    if not route:
        leaf: dict[str, Any] = minimal(SCHEMAS[top])
        return {**leaf, field: None}
    prop, wrappers, target = route[0]
    value: Any = body_with_null(target, route[1:], field)
    for wrapper in reversed(wrappers):
        value = [value] if wrapper == "item" else {"primary_score": value}
    outer: dict[str, Any] = minimal(SCHEMAS[top])
    if prop:
        outer[prop] = value
    else:  # the object's own additional properties (a map of conditions)
        outer.update(value)
    return outer


NULLABLE = sorted(
    (name, field)
    for name in ROUTES
    for field, node in properties(name).items()
    if accepts_null(node)
)


def test_every_field_the_sdk_types_optional_accepts_null() -> None:
    for name, entry in SDK_OPTIONAL["schemas"].items():
        props = properties(name)
        missing = [f for f in entry["optional"] if f not in props]
        assert missing == [], f"{name} lacks the SDK's fields {missing}"
        rejecting = [f for f in entry["optional"] if not accepts_null(props[f])]
        assert rejecting == [], f"{name}: the SDK types {rejecting} Optional; the spec rejects null"


def test_the_walk_reaches_every_field_the_sdk_types_optional() -> None:
    wanted = {(n, f) for n, e in SDK_OPTIONAL["schemas"].items() for f in e["optional"]}
    assert wanted <= set(NULLABLE)


@pytest.mark.parametrize(("name", "field"), NULLABLE, ids=[f"{n}.{f}" for n, f in NULLABLE])
def test_null_in_a_nested_field_parses_and_round_trips(name: str, field: str) -> None:
    op, status, top, route = ROUTES[name]
    body = body_with_null(top, route, field)
    schema = {"$ref": REF + top, "components": SPEC["components"]}
    assert [e.message for e in OAS31Validator(schema).iter_errors(body)] == []
    parsed = parse_response(op, status, copy.deepcopy(body))
    assert normalise(parsed.to_dict()) == normalise(body)
