"""The facts the facade, the CLI and the checks need, read from openapi.yaml's declarations.

Standard OpenAPI says the method, path and parameters of an operation; what it has no words for
is declared with `x-respan-*` keys (documented in the spec's `info.description`):

- on each tag: `x-respan-resource`, where its operations live on the client (`evaluators.versions`);
- on each operation: `x-respan-method` (the method's name there), `x-respan-idempotent` (safe to
  repeat), and, on those that return one page of a list, `x-respan-paginate`;
- on the `ScoreValueType` enum: `x-respan-value-types`, the value field and the value check of
  every value.

`read(spec)` returns the facts, or raises `SpecFactsError` listing every declaration that is
missing or names something the spec does not have. Used by scripts/regenerate and tests/spec.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CHECKS",
    "METHODS",
    "Facts",
    "Operation",
    "Pagination",
    "SpecFactsError",
    "ValueType",
    "read",
    "resolve",
]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# The value checks the facade implements (respan_evals/_values.py); a value type must name one.
CHECKS = (
    "number",  # a finite real number within the evaluator's bounds
    "percentage",  # a number, bounds defaulting to 0 and 100
    "boolean",  # True or False
    "single_choice",  # one of the evaluator's choices
    "multi_choice",  # distinct choices, as a list
    "choices",  # one choice or a list of them (legacy categorical)
    "text",  # a str
    "json",  # anything JSON can encode, or a str holding JSON
    "string_list",  # an ordered list of distinct strings (a ranking)
)

_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")
_PAGINATE_KEYS = ("page", "page_size", "items", "next")


class SpecFactsError(ValueError):
    """openapi.yaml lacks a declaration the client needs, or one names something it lacks."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            "openapi.yaml: missing or wrong x-respan-* declarations "
            "(see info.description in openapi.yaml for what each means):\n"
            + "\n".join(f"  - {p}" for p in problems)
        )


@dataclass(frozen=True)
class Pagination:
    page: str  # query parameter with the page number
    page_size: str  # query parameter with the page size
    items: str  # envelope property holding the items
    next: str  # envelope property with the next page's link (null on the last page)


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str  # upper case
    path: str  # the spec's template, e.g. /api/scores/{id}/
    tag: str
    resource: str  # where it lives on the client, e.g. "evaluators.versions"
    name: str  # the method's name there
    idempotent: bool
    pagination: Pagination | None
    summary: str


@dataclass(frozen=True)
class ValueType:
    name: str  # the score_value_type
    field: str  # the Score property its value travels in
    check: str  # one of CHECKS


@dataclass(frozen=True)
class Facts:
    operations: tuple[Operation, ...]
    value_types: tuple[ValueType, ...]
    value_fields: tuple[str, ...]  # distinct value fields, in order of first use
    score_fields: tuple[str, ...]  # the properties of Score, in spec order
    resources: dict[str, str]  # tag -> resource path


def read(spec: dict[str, Any]) -> Facts:
    """The facts of `spec` (the parsed openapi.yaml); SpecFactsError names every gap."""
    problems: list[str] = []
    resources = _resources(spec, problems)
    operations = _operations(spec, resources, problems)
    value_types = _value_types(spec, problems)
    score = spec.get("components", {}).get("schemas", {}).get("Score", {})
    score_fields = tuple(_properties(spec, score))
    for vt in value_types:
        if vt.field not in score_fields:
            problems.append(
                f"x-respan-value-types: {vt.name!r} uses the field {vt.field!r}, "
                "which is not a property of Score"
            )
    if problems:
        raise SpecFactsError(problems)
    value_fields = tuple(dict.fromkeys(vt.field for vt in value_types))
    return Facts(operations, value_types, value_fields, score_fields, resources)


def _resources(spec: dict[str, Any], problems: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in spec.get("tags", []):
        name, resource = tag.get("name"), tag.get("x-respan-resource")
        if not isinstance(resource, str) or not all(
            _IDENTIFIER.fullmatch(part) for part in resource.split(".")
        ):
            problems.append(
                f"tag {name!r}: x-respan-resource must name where its operations live on the "
                f"client (e.g. scores or evaluators.versions), got {resource!r}"
            )
            continue
        found[name] = resource
    return found


def _operations(
    spec: dict[str, Any], resources: dict[str, str], problems: list[str]
) -> tuple[Operation, ...]:
    operations: list[Operation] = []
    seen: dict[tuple[str, str], str] = {}
    for path, item in spec.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method, op in item.items():
            if method not in METHODS:
                continue
            op_id = op.get("operationId") or f"{method.upper()} {path}"
            where = f"operation {op_id} ({method.upper()} {path})"
            tags = op.get("tags") or []
            tag = tags[0] if tags else None
            if tag not in resources:
                problems.append(f"{where}: its first tag {tag!r} has no x-respan-resource")
                continue
            name = op.get("x-respan-method")
            if not isinstance(name, str) or not _IDENTIFIER.fullmatch(name):
                problems.append(
                    f"{where}: x-respan-method must name its method on client."
                    f"{resources[tag]} (e.g. create), got {name!r}"
                )
                continue
            key = (resources[tag], name)
            if key in seen:
                problems.append(f"{where}: client.{key[0]}.{name} is taken by {seen[key]}")
            seen[key] = op_id
            idempotent = op.get("x-respan-idempotent")
            if not isinstance(idempotent, bool):
                problems.append(
                    f"{where}: x-respan-idempotent must say whether sending it twice leaves the "
                    f"same state as sending it once (true or false), got {idempotent!r}"
                )
                continue
            if method in ("get", "put", "delete", "head", "options") and not idempotent:
                problems.append(f"{where}: a {method.upper()} is idempotent by HTTP's definition")
            params = _parameters(spec, [*shared, *op.get("parameters", [])])
            pagination = _pagination(spec, op, params, where, problems)
            operations.append(
                Operation(
                    operation_id=op_id,
                    method=method.upper(),
                    path=path,
                    tag=tag,
                    resource=resources[tag],
                    name=name,
                    idempotent=idempotent,
                    pagination=pagination,
                    summary=str(op.get("summary", "")).strip(),
                )
            )
    return tuple(operations)


def _pagination(
    spec: dict[str, Any],
    op: dict[str, Any],
    params: dict[str, str],
    where: str,
    problems: list[str],
) -> Pagination | None:
    raw = op.get("x-respan-paginate")
    if raw is None:
        return None
    if not isinstance(raw, dict) or sorted(raw) != sorted(_PAGINATE_KEYS):
        problems.append(f"{where}: x-respan-paginate must have exactly {list(_PAGINATE_KEYS)}")
        return None
    pagination = Pagination(**{k: str(raw[k]) for k in _PAGINATE_KEYS})
    for key in ("page", "page_size"):
        name = getattr(pagination, key)
        if params.get(name) != "query":
            problems.append(
                f"{where}: x-respan-paginate {key}: {name!r} is not a query parameter of it"
            )
    envelope = _success_schema(spec, op)
    fields = _properties(spec, envelope) if envelope else {}
    for key in ("items", "next"):
        name = getattr(pagination, key)
        if name not in fields:
            problems.append(
                f"{where}: x-respan-paginate {key}: {name!r} is not a property of its 2xx body"
            )
    return pagination


def _value_types(spec: dict[str, Any], problems: list[str]) -> tuple[ValueType, ...]:
    schema = spec.get("components", {}).get("schemas", {}).get("ScoreValueType", {})
    declared = schema.get("x-respan-value-types")
    if not isinstance(declared, dict):
        problems.append("ScoreValueType: x-respan-value-types is missing")
        return ()
    found: list[ValueType] = []
    for value in schema.get("enum", []):
        entry = declared.get(value)
        if not isinstance(entry, dict) or not entry.get("field") or not entry.get("check"):
            problems.append(
                f"ScoreValueType {value!r}: x-respan-value-types has no "
                f"{{field: <Score value field>, check: <one of {', '.join(CHECKS)}>}} for it"
            )
            continue
        if entry["check"] not in CHECKS:
            problems.append(
                f"ScoreValueType {value!r}: check {entry['check']!r} is not one the facade has "
                f"({', '.join(CHECKS)}): add it to respan_evals/_values.py and CHECKS"
            )
            continue
        found.append(ValueType(name=value, field=str(entry["field"]), check=str(entry["check"])))
    for extra in sorted(set(declared) - set(schema.get("enum", []))):
        problems.append(f"x-respan-value-types declares {extra!r}, which ScoreValueType lacks")
    return tuple(found)


def resolve(spec: dict[str, Any], node: Any) -> Any:
    """`node` with any `$ref` followed (local references only)."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise ValueError(f"only local $refs are followed, got {ref}")
        target: Any = spec
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
        seen += 1
        if seen > 50:
            raise ValueError(f"$ref loop at {ref}")
    return node


def _parameters(spec: dict[str, Any], raw: list[Any]) -> dict[str, str]:
    """name -> where ("query", "path", ...) for an operation's parameters."""
    return {p["name"]: p["in"] for p in (resolve(spec, r) for r in raw)}


def _properties(spec: dict[str, Any], schema: Any) -> dict[str, Any]:
    """The properties of an object schema, through $ref and allOf."""
    schema = resolve(spec, schema)
    found: dict[str, Any] = {}
    for part in schema.get("allOf", []):
        found.update(_properties(spec, part))
    found.update(schema.get("properties", {}))
    return found


def _success_schema(spec: dict[str, Any], op: dict[str, Any]) -> Any:
    for status, response in sorted(op.get("responses", {}).items()):
        if str(status).startswith("2"):
            content = resolve(spec, response).get("content", {})
            media = content.get("application/json")
            if media and "schema" in media:
                return media["schema"]
    return None
