"""What the emulator knows of the API, read from openapi.yaml: operations, fields, value types."""

from __future__ import annotations

import functools
import importlib.resources
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml  # type: ignore[import-untyped]  # no stubs for PyYAML here

if TYPE_CHECKING:
    from ._validation import SpecValidator

__all__ = [
    "SPEC_ENV",
    "Operation",
    "Pagination",
    "Spec",
    "SpecError",
    "ValueType",
    "load_spec",
    "spec_path_default",
]

SPEC_ENV = "RESPAN_EMULATOR_SPEC"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
JSON_TYPE = "application/json"
VALUE_TYPE_SCHEMA = "ScoreValueType"
VALUE_TYPES_KEY = "x-respan-value-types"

SpecSource = str | os.PathLike[str] | Mapping[str, Any]


class SpecError(ValueError):
    """openapi.yaml lacks something the emulator needs, or names something it cannot serve."""


@dataclass(frozen=True)
class Pagination:
    """Names from `x-respan-paginate`: the page and page-size parameters, the envelope keys."""

    page: str
    page_size: str
    items: str
    next: str


@dataclass(frozen=True)
class ValueType:
    """One `score_value_type`: the Score field its value goes in and the check it gets."""

    name: str
    field: str
    check: str


@dataclass(frozen=True)
class Operation:
    """One operation of the spec, as the router and the request checks need it."""

    operation_id: str
    method: str  # upper case
    template: str
    query: tuple[str, ...]
    body_schema: str | None  # component name of the JSON request body, when it has one
    body_fields: frozenset[str]
    body_open: bool  # the body schema allows properties it does not name
    deprecated_fields: frozenset[str]
    responses: Mapping[str, Mapping[str, Any]]  # status -> response object ($ref resolved)
    pagination: Pagination | None


def spec_path_default() -> Path:
    """The spec shipped with the package (a symlink to the repo's openapi.yaml in a checkout)."""
    override = os.environ.get(SPEC_ENV)
    if override:
        return Path(override)
    resource = importlib.resources.files("respan_evals.testing") / "openapi.yaml"
    return Path(str(resource))


def load_spec(source: SpecSource | None = None) -> Spec:
    """The spec at `source` (a path, or an already parsed spec; default: the packaged one)."""
    if isinstance(source, Mapping):
        return Spec(source)
    resolved = Path(source) if source is not None else spec_path_default()
    if not resolved.exists():
        raise FileNotFoundError(
            f"OpenAPI spec not found at {resolved}; pass spec=... or set {SPEC_ENV}."
        )
    real = os.path.realpath(resolved)
    return _load(real, os.path.getmtime(real))


# The same safe subset of YAML either way; libyaml (when PyYAML has it) parses this spec in
# about 25 ms against 210 in pure Python, at every start of an emulator's process.
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str | bytes) -> Any:
    """A YAML document, loaded safely (with libyaml when PyYAML has it)."""
    return yaml.load(text, Loader=_SAFE_LOADER)


@functools.lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> Spec:
    with open(path, "rb") as fh:
        data = parse_yaml(fh.read())
    if not isinstance(data, Mapping):
        raise SpecError(f"{path}: not an OpenAPI document")
    return Spec(data)


class Spec:
    """A parsed spec and the facts derived from it; shared between emulators and threads."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.operations: tuple[Operation, ...] = tuple(self._operations())
        self.by_id: dict[str, Operation] = {op.operation_id: op for op in self.operations}
        self.value_types: dict[str, ValueType] = self._value_types()
        self.value_fields: tuple[str, ...] = tuple(
            dict.fromkeys(vt.field for vt in self.value_types.values())
        )
        self._validator: SpecValidator | None = None

    # ---- schemas ------------------------------------------------------------------------
    def resolve(self, node: Any) -> Any:
        """Follow `$ref`s (local ones only) until a node that is not a reference."""
        seen: set[str] = set()
        while isinstance(node, Mapping) and "$ref" in node:
            ref = str(node["$ref"])
            if not ref.startswith("#/") or ref in seen:
                raise SpecError(f"unsupported or circular $ref {ref!r}")
            seen.add(ref)
            target: Any = self.data
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                if not isinstance(target, Mapping) or part not in target:
                    raise SpecError(f"$ref {ref!r} points at nothing")
                target = target[part]
            node = target
        return node

    def schema(self, name: str) -> Mapping[str, Any]:
        schemas = (self.data.get("components") or {}).get("schemas") or {}
        if name not in schemas:
            raise SpecError(f"components.schemas has no {name!r}")
        found = self.resolve(schemas[name])
        return found if isinstance(found, Mapping) else {}

    def properties(self, schema: Any) -> dict[str, Mapping[str, Any]]:
        """Every property an object schema names, through `$ref` and `allOf`, in spec order."""
        node = self.resolve(schema)
        out: dict[str, Mapping[str, Any]] = {}
        if not isinstance(node, Mapping):
            return out
        for part in node.get("allOf") or []:
            out.update(self.properties(part))
        for name, prop in (node.get("properties") or {}).items():
            out[str(name)] = prop
        return out

    def is_open(self, schema: Any) -> bool:
        """True when the object schema (or a part of its allOf) allows unnamed properties."""
        node = self.resolve(schema)
        if not isinstance(node, Mapping):
            return False
        extra = node.get("additionalProperties")
        if extra not in (None, False):
            return True
        return any(self.is_open(part) for part in node.get("allOf") or [])

    def nullable(self, schema: Any) -> bool:
        """True when null is a valid value of `schema` (an untyped schema accepts anything)."""
        node = self.resolve(schema)
        if not isinstance(node, Mapping):
            return True
        if node.get("nullable") is True:
            return True
        kind = node.get("type")
        if kind == "null" or (isinstance(kind, list) and "null" in kind):
            return True
        for key in ("anyOf", "oneOf"):
            if any(self.nullable(part) for part in node.get(key) or []):
                return True
        if node.get("allOf"):
            return all(self.nullable(part) for part in node["allOf"])
        return kind is None and "enum" not in node and "const" not in node

    def ref_name(self, schema: Any) -> str | None:
        """The component name a schema refers to (`{"$ref": ".../Score"}` -> "Score")."""
        if isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str):
            return str(schema["$ref"]).rsplit("/", 1)[-1]
        return None

    def response_schema(self, op: Operation, status: int | str) -> Any:
        """The JSON schema of `op`'s answer with `status` (None when it has no JSON body)."""
        response = op.responses.get(str(status))
        content = (response or {}).get("content") or {}
        media = content.get(JSON_TYPE) or {}
        return media.get("schema")

    def validator(self) -> SpecValidator:
        """The request/response validator for this spec (built on first use)."""
        if self._validator is None:
            from ._validation import SpecValidator

            self._validator = SpecValidator(self)
        return self._validator

    # ---- operations ---------------------------------------------------------------------
    def _operations(self) -> Iterator[Operation]:
        problems: list[str] = []
        for template, item in (self.data.get("paths") or {}).items():
            item = self.resolve(item)
            shared = item.get("parameters") or []
            for method in HTTP_METHODS:
                raw = item.get(method)
                if raw is None:
                    continue
                op_id = raw.get("operationId")
                if not op_id:
                    problems.append(f"{method.upper()} {template} has no operationId")
                    continue
                yield self._operation(str(template), method, raw, shared)
        if problems:
            raise SpecError("; ".join(problems))

    def _operation(
        self, template: str, method: str, raw: Mapping[str, Any], shared: list[Any]
    ) -> Operation:
        params = [self.resolve(p) for p in list(shared) + list(raw.get("parameters") or [])]
        query = tuple(str(p["name"]) for p in params if p.get("in") == "query")
        body = self.resolve(raw.get("requestBody") or {})
        media = ((body.get("content") or {}).get(JSON_TYPE) or {}).get("schema")
        fields = self.properties(media) if media is not None else {}
        deprecated = frozenset(
            name for name, prop in fields.items() if self.resolve(prop).get("deprecated") is True
        )
        responses = {
            str(status): self.resolve(resp) for status, resp in (raw.get("responses") or {}).items()
        }
        paging = raw.get("x-respan-paginate")
        pagination = None
        if isinstance(paging, Mapping):
            try:
                pagination = Pagination(
                    page=str(paging["page"]),
                    page_size=str(paging["page_size"]),
                    items=str(paging["items"]),
                    next=str(paging["next"]),
                )
            except KeyError as exc:
                raise SpecError(f"{raw['operationId']}: x-respan-paginate lacks {exc}") from None
        return Operation(
            operation_id=str(raw["operationId"]),
            method=method.upper(),
            template=template,
            query=query,
            body_schema=self.ref_name(media),
            body_fields=frozenset(fields),
            body_open=media is not None and self.is_open(media),
            deprecated_fields=deprecated,
            responses=responses,
            pagination=pagination,
        )

    # ---- value types ----------------------------------------------------------------------
    def _value_types(self) -> dict[str, ValueType]:
        enum_schema = self.schema(VALUE_TYPE_SCHEMA)
        declared = enum_schema.get(VALUE_TYPES_KEY)
        where = f"components.schemas.{VALUE_TYPE_SCHEMA}.{VALUE_TYPES_KEY}"
        if not isinstance(declared, Mapping):
            raise SpecError(f"{where} is missing: the emulator reads value fields from it")
        score_fields = self.properties(self.schema("Score"))
        problems: list[str] = []
        out: dict[str, ValueType] = {}
        for name in enum_schema.get("enum") or []:
            entry = declared.get(name)
            if not isinstance(entry, Mapping) or "field" not in entry or "check" not in entry:
                problems.append(f"{where}.{name}: needs {{field, check}}")
                continue
            field = str(entry["field"])
            if field not in score_fields:
                problems.append(f"{where}.{name}: field {field!r} is not a Score property")
            out[str(name)] = ValueType(str(name), field, str(entry["check"]))
        if problems:
            raise SpecError("; ".join(problems))
        return out
