"""openapi.yaml made strict for the contract, and the check of one recorded interaction.

The spec itself stays open (a client must tolerate new response fields). For the contract we
validate against a copy in which every named component object schema that is not an `allOf`
part gets `unevaluatedProperties: false`: a field the API was seen to send (or the facade was
seen to send) that the spec does not name fails. Query parameters the operation does not name
fail too (openapi-core ignores unknown ones).
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from tests import _openapi

# openapi-core (a third of a second to import) loads at the first check: every xdist worker
# collects the contract tests, one runs them.
if TYPE_CHECKING:
    from openapi_core import OpenAPI
    from openapi_core.datatypes import RequestParameters
    from werkzeug.datastructures import Headers

__all__ = [
    "SERVER",
    "SPEC_PATH",
    "Operation",
    "check_interaction",
    "find_operation",
    "load_spec",
    "operations",
    "strict_copy",
]

SPEC_PATH = _openapi.PATH
SERVER = "https://api.respan.ai"
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
_SCHEMA_REF = "#/components/schemas/"


@dataclass(frozen=True)
class Operation:
    """One operation of the spec: its id, method, path template and the regex of its paths."""

    operation_id: str
    method: str
    template: str
    pattern: re.Pattern[str]
    query_names: frozenset[str]


def load_spec(path: Path = SPEC_PATH) -> dict[str, Any]:
    return _openapi.load(path)


def _allof_parts(node: object) -> Iterator[str]:
    """Every schema name used directly as an `allOf` item anywhere in the document."""
    if isinstance(node, Mapping):
        for item in node.get("allOf") or ():
            if isinstance(item, Mapping) and str(item.get("$ref", "")).startswith(_SCHEMA_REF):
                yield str(item["$ref"])[len(_SCHEMA_REF) :]
        for value in node.values():
            yield from _allof_parts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _allof_parts(value)


def _is_object_schema(schema: Mapping[str, Any]) -> bool:
    return schema.get("type") == "object" or "properties" in schema or "allOf" in schema


def strict_copy(spec: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy of `spec` whose named object schemas (not allOf parts) are closed."""
    strict: dict[str, Any] = copy.deepcopy(dict(spec))
    schemas: dict[str, Any] = strict.get("components", {}).get("schemas", {})
    parts = set(_allof_parts(strict))
    for name, schema in schemas.items():
        if name in parts or not isinstance(schema, dict) or not _is_object_schema(schema):
            continue
        if "additionalProperties" in schema or "unevaluatedProperties" in schema:
            continue  # the spec says explicitly what extra keys may carry
        schema["unevaluatedProperties"] = False
    return strict


def _parameters(spec: Mapping[str, Any], items: list[Any]) -> list[Mapping[str, Any]]:
    resolved = []
    for item in items:
        if "$ref" in item:
            name = str(item["$ref"]).rsplit("/", 1)[-1]
            item = spec["components"]["parameters"][name]
        resolved.append(item)
    return resolved


@functools.cache
def _operations_of(path: Path, mtime: float) -> tuple[Operation, ...]:
    spec = load_spec(path)
    found = []
    for template, item in spec["paths"].items():
        shared = item.get("parameters", [])
        regex = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        for method in _METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = _parameters(spec, [*shared, *op.get("parameters", [])])
            found.append(
                Operation(
                    operation_id=op["operationId"],
                    method=method.upper(),
                    template=template,
                    pattern=re.compile(regex),
                    query_names=frozenset(p["name"] for p in params if p.get("in") == "query"),
                )
            )
    # Literal paths win over templated ones (/api/scores/list/ is not /api/scores/{id}/).
    found.sort(key=lambda o: o.template.count("{"))
    return tuple(found)


def operations(path: Path = SPEC_PATH) -> tuple[Operation, ...]:
    return _operations_of(path, path.stat().st_mtime)


def find_operation(method: str, url_path: str, path: Path = SPEC_PATH) -> Operation | None:
    for op in operations(path):
        if op.method == method.upper() and op.pattern.match(url_path):
            return op
    return None


@functools.cache
def _validator(path: Path, mtime: float) -> OpenAPI:
    from openapi_core import Config, OpenAPI

    # The strict copy is checked as a document once, by test_harness; here openapi-core would
    # check it again in every process that checks a cassette (a quarter second each).
    return OpenAPI.from_dict(strict_copy(load_spec(path)), config=Config(spec_validator_cls=None))


@dataclass
class _Request:
    """A request as openapi-core reads it (its request protocol)."""

    host_url: str
    path: str
    method: str
    body: bytes | None
    content_type: str
    parameters: RequestParameters


@dataclass
class _Response:
    status_code: int
    content_type: str
    headers: Headers
    data: bytes | None


def _first(headers: Mapping[str, Any], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return str(value[0] if isinstance(value, list | tuple) else value)
    return ""


def _as_bytes(body: object) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    raise TypeError(f"unexpected body type {type(body).__name__}")


def _describe(error: BaseException) -> str:
    from jsonschema.exceptions import best_match

    cause = error.__cause__
    found = getattr(cause, "schema_errors", None) or getattr(error, "schema_errors", None)
    if found:
        parts = []
        for err in found:
            err = best_match([err]) or err  # the deepest reason inside anyOf / allOf
            where = ".".join(str(p) for p in getattr(err, "absolute_path", [])) or "body"
            parts.append(f"{where}: {getattr(err, 'message', err)}")
        return "; ".join(parts)
    return f"{type(error).__name__}: {cause or error}"


def check_interaction(
    method: str,
    uri: str,
    request_headers: Mapping[str, Any],
    request_body: object,
    status: int,
    response_headers: Mapping[str, Any],
    response_body: object,
    *,
    spec_path: Path = SPEC_PATH,
) -> list[str]:
    """What breaks the strict spec in one recorded interaction (empty when it conforms).

    Checked: host, operation (method + path), query parameters (names, and values by openapi-
    core), security (the Authorization placeholder), request body, status code, response
    body. 5xx responses are transient server faults the spec does not document: their status
    and body are not checked (the request still is).
    """
    from openapi_core.datatypes import RequestParameters
    from openapi_core.templating.responses.exceptions import ResponseNotFound
    from werkzeug.datastructures import Headers, ImmutableMultiDict

    problems: list[str] = []
    parts = urlsplit(uri)
    if f"{parts.scheme}://{parts.netloc}" != SERVER:
        problems.append(f"host {parts.scheme}://{parts.netloc} is not the spec's server {SERVER}")
    op = find_operation(method, parts.path, spec_path)
    if op is None:
        return [*problems, f"{method} {parts.path} is not an operation of openapi.yaml"]
    query = parse_qsl(parts.query, keep_blank_values=True)
    unknown = sorted({name for name, _ in query} - op.query_names)
    if unknown:
        problems.append(f"query parameters not in the spec for {op.operation_id}: {unknown}")

    openapi = _validator(spec_path, spec_path.stat().st_mtime)
    headers = Headers()
    for key, value in request_headers.items():
        for v in value if isinstance(value, list | tuple) else [value]:
            headers.add(key, v)
    body = _as_bytes(request_body)
    request = _Request(
        host_url=SERVER,
        path=parts.path,
        method=method.lower(),
        body=body or None,
        content_type=_first(request_headers, "content-type").lower(),
        parameters=RequestParameters(
            query=ImmutableMultiDict(query),
            header=headers,
            cookie=ImmutableMultiDict(),
            path={},
        ),
    )
    problems += [f"request: {_describe(e)}" for e in openapi.iter_request_errors(request)]
    if status >= 500:
        return problems
    response_headers_ = Headers()
    for key, value in response_headers.items():
        for v in value if isinstance(value, list | tuple) else [value]:
            response_headers_.add(key, v)
    data = _as_bytes(response_body)
    response = _Response(
        status_code=status,
        content_type=_first(response_headers, "content-type").lower(),
        headers=response_headers_,
        data=data or None,
    )
    for error in openapi.iter_response_errors(request, response):
        if isinstance(error, ResponseNotFound):
            problems.append(f"response: status {status} is not documented for {op.operation_id}")
        else:
            problems.append(f"response {status}: {_describe(error)}")
    if data and "json" in response.content_type:
        try:
            json.loads(data)
        except ValueError as exc:
            problems.append(f"response {status}: body is not JSON ({exc})")
    return problems
