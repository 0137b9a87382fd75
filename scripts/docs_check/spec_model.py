"""What openapi.yaml says about each operation, in the terms a reference page uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]  # no stubs for PyYAML here

from docs_check.vocabulary import DocType, Typed

# The allowlist: on an operation, difference key -> reason; on a schema property, difference
# kind (absent, type, nullable, required) -> reason. Documented in the spec's info.description.
DEVIATIONS = "x-respan-docs-deviations"
FIELD_KINDS = ("absent", "type", "nullable", "required")
# Keywords that give an untyped schema a shape (so it is not `any`).
_STRUCTURE = ("properties", "additionalProperties", "items", "enum")
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


class SpecError(Exception):
    """The spec cannot be read, or an allowlist entry is malformed."""


class _PlainLoader(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML has no stubs here
    """YAML without the timestamp rule: example values stay the strings JSON would have."""


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class SpecField:
    """A property or parameter: its type, whether required, and its allowlisted deviations."""

    name: str
    typed: Typed
    required: bool
    deviations: dict[str, str]


@dataclass
class Operation:
    """One operation of the spec, with what a reference page would show of it."""

    op_id: str
    method: str
    path: str
    summary: str
    docs_url: str | None
    path_params: dict[str, SpecField]
    query_params: dict[str, SpecField]
    request: dict[str, SpecField] | None
    response: dict[str, SpecField] | None
    error_statuses: set[int]
    request_examples: list[tuple[str, Any]]
    response_examples: list[tuple[str, Any]]
    deviations: dict[str, str] = field(default_factory=dict)

    def label(self) -> str:
        """`create_score (POST /api/scores/)`."""
        return f"{self.op_id} ({self.method} {self.path})"


def load_spec(path: Path) -> dict[str, Any]:
    """The spec as plain data."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SpecError(f"cannot read {path}: {error.strerror}") from None
    try:
        data = yaml.load(text, Loader=_PlainLoader)  # a SafeLoader subclass
    except yaml.YAMLError as error:
        raise SpecError(f"{path} is not YAML: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("paths"), dict):
        raise SpecError(f"{path} has no `paths`: not an OpenAPI document")
    return data


def operations(spec: dict[str, Any]) -> list[Operation]:
    """Every operation of the spec, in the spec's order."""
    resolver = _Resolver(spec)
    found = []
    for path, item in spec["paths"].items():
        shared = item.get("parameters", [])
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                found.append(_operation(resolver, path, method, op, shared))
    return found


def _operation(
    resolver: _Resolver, path: str, method: str, op: dict[str, Any], shared: list[Any]
) -> Operation:
    op_id = str(op.get("operationId", f"{method} {path}"))
    params: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in [*shared, *op.get("parameters", [])]:
        param = resolver.resolve(raw)
        params[(param["name"], param["in"])] = param
    by_place: dict[str, dict[str, SpecField]] = {"path": {}, "query": {}}
    for (name, place), param in params.items():
        if place in by_place:
            by_place[place][name] = SpecField(
                name=name,
                typed=resolver.typed(param.get("schema", {})),
                required=bool(param.get("required", False)),
                deviations=_field_deviations(param, f"{op_id}: parameter {name}"),
            )
    request = None
    request_examples: list[tuple[str, Any]] = []
    body = resolver.resolve(op.get("requestBody", {}))
    media = body.get("content", {}).get("application/json")
    if media is not None:
        request = resolver.fields(media.get("schema", {}), op_id)
        request_examples = _examples(media, "")
    response = None
    response_examples: list[tuple[str, Any]] = []
    errors = set()
    for status, raw in op.get("responses", {}).items():
        answer = resolver.resolve(raw)
        code = str(status)
        if code[:1] in ("4", "5") and code.isdigit():
            errors.add(int(code))
        if not code.startswith("2"):
            continue
        media = answer.get("content", {}).get("application/json")
        if media is None:
            continue
        if response is None:
            response = resolver.fields(media.get("schema", {}), op_id)
        response_examples += _examples(media, f"{code} ")
    deviations = op.get(DEVIATIONS, {})
    if not isinstance(deviations, dict) or not all(
        isinstance(key, str) and isinstance(reason, str) and reason.strip()
        for key, reason in deviations.items()
    ):
        raise SpecError(f"{op_id}: {DEVIATIONS} must map each difference to its reason")
    docs = op.get("externalDocs", {})
    return Operation(
        op_id=op_id,
        method=method.upper(),
        path=path,
        summary=str(op.get("summary", "")),
        docs_url=docs.get("url") if isinstance(docs, dict) else None,
        path_params=by_place["path"],
        query_params=by_place["query"],
        request=request,
        response=response,
        error_statuses=errors,
        request_examples=request_examples,
        response_examples=response_examples,
        deviations=dict(deviations),
    )


def _examples(media: dict[str, Any], prefix: str) -> list[tuple[str, Any]]:
    found = [
        (f"{prefix}{name}", example.get("value"))
        for name, example in media.get("examples", {}).items()
        if isinstance(example, dict) and "value" in example
    ]
    if "example" in media:
        found.append((f"{prefix}example", media["example"]))
    return found


def _field_deviations(schema: Any, where: str) -> dict[str, str]:
    raw = schema.get(DEVIATIONS, {}) if isinstance(schema, dict) else {}
    if not isinstance(raw, dict) or not all(
        key in FIELD_KINDS and isinstance(reason, str) and reason.strip()
        for key, reason in raw.items()
    ):
        raise SpecError(
            f"{where}: {DEVIATIONS} must map some of {', '.join(FIELD_KINDS)} to a reason"
        )
    return dict(raw)


def _is_null(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "null"


class _Resolver:
    """`$ref`s, `allOf` merges and schema-to-page-type translation over one spec."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec

    def resolve(self, node: Any) -> dict[str, Any]:
        seen = set()
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if ref in seen or not str(ref).startswith("#/"):
                raise SpecError(f"cannot follow $ref {ref!r}")
            seen.add(ref)
            target: Any = self.spec
            for part in str(ref)[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return node if isinstance(node, dict) else {}

    def fields(self, schema: Any, where: str) -> dict[str, SpecField]:
        """The top-level properties of an object schema (allOf members merged)."""
        properties, required = self._properties(schema)
        return {
            name: SpecField(
                name=name,
                typed=self.typed(prop),
                required=name in required,
                deviations=_field_deviations(prop, f"{where}: field {name}"),
            )
            for name, prop in properties.items()
        }

    def _properties(self, schema: Any) -> tuple[dict[str, Any], set[str]]:
        node = self.resolve(schema)
        properties: dict[str, Any] = {}
        required: set[str] = set(node.get("required", []))
        for member in node.get("allOf", []):
            more, needed = self._properties(member)
            properties.update(more)
            required |= needed
        properties.update(node.get("properties", {}))
        return properties, required

    def typed(self, schema: Any) -> Typed:
        """The schema in the pages' words, with its nullability."""
        node = self.resolve(schema)
        for key in ("anyOf", "oneOf"):
            if key in node:
                members = [self.resolve(member) for member in node[key]]
                merged = self._union([self.typed(m) for m in members if not _is_null(m)])
                return Typed(merged.type, merged.nullable or any(map(_is_null, members)))
        if "allOf" in node:
            members = node["allOf"]
            if len(members) == 1 and not node.get("properties"):
                return self.typed(members[0])
            return Typed(DocType("object"), False)
        kind = node.get("type")
        if isinstance(kind, list):
            merged = self._union(
                [self.typed({**node, "type": one}) for one in kind if one != "null"]
            )
            return Typed(merged.type, merged.nullable or "null" in kind)
        if "enum" in node:
            return Typed(DocType("enum"), None in node["enum"])
        if kind == "null":
            return Typed(DocType("any"), True)
        if kind is None and not any(key in node for key in _STRUCTURE):
            return Typed(DocType("any"), True)  # no type at all: null is one of its values
        if kind == "string":
            return Typed(
                DocType("datetime" if node.get("format") == "date-time" else "string"), False
            )
        if kind in ("number", "integer", "boolean"):
            word = {"number": "double", "integer": "integer", "boolean": "boolean"}[kind]
            return Typed(DocType(word), False)
        if kind == "array":
            return Typed(DocType("list", (self.typed(node.get("items", {})).type,)), False)
        if kind == "object" or "properties" in node or "additionalProperties" in node:
            extra = node.get("additionalProperties")
            if node.get("properties") or node.get("allOf"):
                return Typed(DocType("object"), False)
            if isinstance(extra, dict) and extra:
                return Typed(DocType("map", (self.typed(extra).type,)), False)
            return Typed(DocType("map", (DocType("any"),)), False)
        return Typed(DocType("any"), False)

    @staticmethod
    def _union(members: list[Typed]) -> Typed:
        nullable = any(member.nullable for member in members)
        kinds = []
        for member in members:
            if member.type not in kinds:
                kinds.append(member.type)
        # The spec's open enums, `anyOf: [<enum>, string]`: the pages print them `enum`.
        if DocType("enum") in kinds and DocType("string") in kinds:
            kinds.remove(DocType("string"))
        if not kinds:
            return Typed(DocType("any"), nullable)
        if len(kinds) == 1:
            return Typed(kinds[0], nullable)
        return Typed(DocType("union", tuple(sorted(kinds, key=DocType.words))), nullable)
