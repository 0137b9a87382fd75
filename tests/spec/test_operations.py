"""Every operation of the spec is named, tagged and shaped as the facade and the emulator expect."""

from __future__ import annotations

import re
from typing import Any

METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def operations(spec: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method, path): op
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in METHODS
    }


def test_operation_ids_are_unique_snake_case_and_tagged(spec: dict[str, Any]) -> None:
    ops = operations(spec)
    ids = [op["operationId"] for op in ops.values()]
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    assert [i for i in ids if not re.fullmatch(r"[a-z][a-z0-9_]*", i)] == []
    tags = {t["name"] for t in spec["tags"]}
    assert {
        op["operationId"]: op["tags"][0] for op in ops.values() if op["tags"][0] not in tags
    } == {}


def test_every_path_ends_with_a_slash(spec: dict[str, Any]) -> None:
    assert [p for p in spec["paths"] if not p.endswith("/")] == []


def test_every_operation_documents_auth_and_rate_limit_errors(spec: dict[str, Any]) -> None:
    lacking = {
        op["operationId"]: sorted(
            {"401", "429", "2xx"} - {c[0] + "xx" if c[0] == "2" else c for c in op["responses"]}
        )
        for op in operations(spec).values()
    }
    assert {k: v for k, v in lacking.items() if v} == {}


def test_bearer_auth_and_server(spec: dict[str, Any]) -> None:
    assert spec["servers"][0]["url"] == "https://api.respan.ai"
    scheme = spec["components"]["securitySchemes"]["respanApiKey"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert spec["security"] == [{"respanApiKey": []}]


def test_pagination_parameters_are_bounded(spec: dict[str, Any]) -> None:
    params = spec["components"]["parameters"]
    assert params["Page"]["schema"]["minimum"] == 1
    size = params["PageSize"]["schema"]
    assert (size["minimum"], size["maximum"]) == (1, 100)
