"""Compiled spec checks (jsonschema-rs): a quick yes for requests and responses that follow it.

A yes is final. Anything else, including a shape these checks do not model (header or cookie
parameters, styled or array parameters, other security schemes, media types other than
`application/json`, repeated or empty query values), is "not sure": the caller then asks the
slow, authoritative checker (openapi-core for requests, jsonschema for responses), which also
words the problems. So these checks only need to be as strict as that checker, never looser.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import jsonschema_rs
from openapi_schema_validator import OAS30ReadValidator

__all__ = ["CompiledChecks"]

JSON_TYPE = "application/json"
# OAS formats for numbers: jsonschema-rs hands formats strings only, so a spec that uses them
# on a schema is left to the slow checker.
_NUMBER_FORMATS = frozenset({"int32", "int64", "float", "double"})
# At most 18 digits: past that the slow checker decides (int() refuses past 4,300 digits).
_INTEGER = re.compile(r"-?[0-9]{1,18}")
_NUMBER = re.compile(r"-?[0-9]{1,18}(\.[0-9]{1,18})?([eE][-+]?[0-9]{1,3})?")
_BOOLEANS = {"true": True, "false": False}
# A UTC date-time as the emulator writes them, on a day every month has (01-28) of a year
# other than 0: valid RFC 3339 for sure (the checker's own function, which works out the
# month's length with the calendar module, decides every other string).
_PLAIN_DATE_TIME = re.compile(
    r"(?!0000)[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
    r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?Z"
)
_SIMPLE_TYPES = ("string", "integer", "number", "boolean")


def _pointer_uri(base: str, parts: Sequence[str]) -> str:
    """A URI for the node at `parts` of the document registered as `base`."""
    pointer = "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)
    return f"{base}#/" + quote(pointer, safe="/~")


@dataclass(frozen=True)
class _Param:
    """A path or query parameter the compiled checks can read as openapi-core does."""

    name: str
    where: str  # "path" or "query"
    required: bool
    kind: str  # one of _SIMPLE_TYPES
    check: Any  # a jsonschema-rs validator of the parameter's schema
    default: Any  # the schema's default (openapi-core checks it when the parameter is absent)
    has_default: bool


@dataclass(frozen=True)
class _RequestPlan:
    """What one operation asks of a request, with its validators compiled."""

    params: tuple[_Param, ...]
    bearer_only: bool  # every way to authenticate is an HTTP bearer token (or none is needed)
    needs_auth: bool
    body_required: bool
    body_check: Any  # a jsonschema-rs validator of the JSON body, None when not JSON


class CompiledChecks:
    """jsonschema-rs validators for one spec, built per operation on first use."""

    def __init__(self, data: Mapping[str, Any], base_uri: str, *, enabled: bool = True) -> None:
        self.data = data
        self.base_uri = base_uri
        self._plans: dict[tuple[str, str], _RequestPlan | None] = {}
        self._bodies: dict[tuple[str, ...], Any] = {}
        self._registry: Any = None
        self.enabled = enabled and _usable(data)
        if self.enabled:
            try:
                self._registry = jsonschema_rs.Registry([(base_uri, dict(data))])
            except Exception:  # a document jsonschema-rs cannot hold: all checks go slow
                self.enabled = False
        checker = OAS30ReadValidator.FORMAT_CHECKER
        # The slow checker's own format functions, so both agree on what a date-time is.
        self._formats: dict[str, Callable[[str], bool]] = {
            name: _format_function(checker, name)
            for name in checker.checkers
            if name not in _NUMBER_FORMATS
        }

    def validator(self, parts: Sequence[str]) -> Any:
        """A validator of the schema at `parts` of the spec (None when it cannot be built)."""
        key = tuple(parts)
        if key in self._bodies:
            return self._bodies[key]
        found: Any = None
        if self.enabled:
            try:
                found = jsonschema_rs.Draft202012Validator(
                    {"$ref": _pointer_uri(self.base_uri, parts)},
                    registry=self._registry,
                    formats=self._formats,
                    validate_formats=True,
                    offline=True,
                )
            except Exception:  # e.g. a $ref out of the document: left to the slow checker
                found = None
        self._bodies[key] = found
        return found

    def valid(self, parts: Sequence[str], value: Any) -> bool:
        """True when `value` surely fits the schema at `parts` (False: not sure)."""
        check = self.validator(parts)
        if check is None:
            return False
        try:
            return bool(check.is_valid(value))
        except Exception:  # a value jsonschema-rs cannot take (e.g. an int past 64 bits)
            return False

    # ---- requests ---------------------------------------------------------------------
    def request_ok(
        self,
        template: str,
        method: str,
        path_params: Mapping[str, str],
        query: Sequence[tuple[str, str]],
        headers: Mapping[str, str],
        body: bytes,
        content_type: str,
        parse: Callable[[bytes], Any],
    ) -> bool:
        """True when the request surely follows the spec; `headers` have lower-case names."""
        plan = self._plan(template, method.lower())
        if plan is None:
            return False
        if plan.needs_auth and not plan.bearer_only:
            return False
        if plan.needs_auth and not _is_bearer(headers.get("authorization")):
            return False
        if not self._params_ok(plan, path_params, query):
            return False
        if not body:
            return not plan.body_required
        if plan.body_check is None or not body.strip() or content_type != JSON_TYPE:
            return False
        try:
            value = parse(body)
        except (ValueError, RecursionError):  # the slow checker words the refusal
            return False
        try:
            return bool(plan.body_check.is_valid(value))
        except Exception:
            return False

    def _params_ok(
        self, plan: _RequestPlan, path_params: Mapping[str, str], query: Sequence[tuple[str, str]]
    ) -> bool:
        values: dict[str, list[str]] = {}
        for name, value in query:
            values.setdefault(name, []).append(value)
        for param in plan.params:
            if param.where == "path":
                raw = path_params.get(param.name)
                if raw is None:
                    return False
            else:
                sent = values.get(param.name)
                if sent is None:
                    if param.required:
                        return False
                    if param.has_default and not _valid(param.check, param.default):
                        return False
                    continue
                if len(sent) != 1 or sent[0] == "":
                    return False
                raw = sent[0]
            value = _cast(param.kind, raw)
            if value is None or not _valid(param.check, value):
                return False
        return True

    def _plan(self, template: str, method: str) -> _RequestPlan | None:
        key = (template, method)
        if key not in self._plans:
            try:
                self._plans[key] = self._build_plan(template, method) if self.enabled else None
            except (KeyError, TypeError, ValueError):  # a shape not modelled here
                self._plans[key] = None
        return self._plans[key]

    def _build_plan(self, template: str, method: str) -> _RequestPlan | None:
        item_parts = _follow(self.data, ["paths", template])
        item = _node_at(self.data, item_parts)
        op_parts = _follow(self.data, [*item_parts, method])
        op = _node_at(self.data, op_parts)
        params: dict[tuple[str, str], _Param] = {}
        for base, raw_list in ((item_parts, item), (op_parts, op)):
            for index, _ in enumerate(raw_list.get("parameters") or []):
                parts = _follow(self.data, [*base, "parameters", str(index)])
                param = self._param(parts)
                if param is None:
                    return None
                params[(param.where, param.name)] = param  # the operation's own win
        needs_auth, bearer_only = self._security(op)
        body_required, body_check = False, None
        if "requestBody" in op:
            body_parts = _follow(self.data, [*op_parts, "requestBody"])
            request_body = _node_at(self.data, body_parts)
            body_required = bool(request_body.get("required"))
            content = request_body.get("content") or {}
            if JSON_TYPE in content and "schema" in content[JSON_TYPE]:
                media = _follow(self.data, [*body_parts, "content", JSON_TYPE])
                body_check = self.validator([*media, "schema"])
        return _RequestPlan(
            params=tuple(params.values()),
            bearer_only=bearer_only,
            needs_auth=needs_auth,
            body_required=body_required,
            body_check=body_check,
        )

    def _param(self, parts: list[str]) -> _Param | None:
        raw = _node_at(self.data, parts)
        where = raw.get("in")
        if where not in ("path", "query") or "content" in raw or "schema" not in raw:
            return None
        if any(key in raw for key in ("style", "explode", "allowEmptyValue", "allowReserved")):
            return None
        schema_parts = _follow(self.data, [*parts, "schema"])
        schema = _node_at(self.data, schema_parts)
        kind = schema.get("type")
        check = self.validator(schema_parts)
        if kind not in _SIMPLE_TYPES or check is None:
            return None
        return _Param(
            name=str(raw["name"]),
            where=str(where),
            required=bool(raw.get("required")) or where == "path",
            kind=str(kind),
            check=check,
            default=schema.get("default"),
            has_default="default" in schema,
        )

    def _security(self, op: Mapping[str, Any]) -> tuple[bool, bool]:
        """(a credential is needed, every accepted credential is an HTTP bearer token)."""
        requirements = op.get("security", self.data.get("security")) or []
        if any(not req for req in requirements):
            return False, True
        schemes = (self.data.get("components") or {}).get("securitySchemes") or {}
        bearer = True
        for req in requirements:
            for name in req:
                scheme = _resolve_local(self.data, schemes.get(name) or {})
                kind = str(scheme.get("type", "")).lower()
                if kind != "http" or str(scheme.get("scheme", "")).lower() != "bearer":
                    bearer = False
        return bool(requirements), bearer


def _follow(data: Mapping[str, Any], parts: Iterable[str]) -> list[str]:
    """The pointer to the node at `parts`, with every `$ref` met on the way followed."""
    out: list[str] = []
    node: Any = data
    for part in parts:
        node = _child(node, part)
        out.append(part)
        seen: set[str] = set()
        while isinstance(node, Mapping) and "$ref" in node:
            ref = str(node["$ref"])
            if not ref.startswith("#/") or ref in seen:
                raise ValueError(f"unsupported $ref {ref!r}")
            seen.add(ref)
            out = [p.replace("~1", "/").replace("~0", "~") for p in ref[2:].split("/")]
            node = _node_at(data, out)
    return out


def _node_at(data: Mapping[str, Any], parts: Iterable[str]) -> Any:
    """The node at a JSON pointer's `parts` (no `$ref` followed)."""
    node: Any = data
    for part in parts:
        node = _child(node, part)
    return node


def _child(node: Any, part: str) -> Any:
    return node[int(part)] if isinstance(node, list) else node[part]


def _resolve_local(data: Mapping[str, Any], node: Any) -> Any:
    """`node`, or what its local `$ref` (and any `$ref` that leads to) points at."""
    if isinstance(node, Mapping) and "$ref" in node:
        ref = str(node["$ref"])
        if not ref.startswith("#/"):
            raise ValueError(f"unsupported $ref {ref!r}")
        parts = [p.replace("~1", "/").replace("~0", "~") for p in ref[2:].split("/")]
        return _node_at(data, _follow(data, parts))
    return node


def _usable(data: Mapping[str, Any]) -> bool:
    """Whether the fast checks can stand for the slow ones anywhere in this spec."""
    servers = data.get("servers") or []
    if servers and urlsplit(str(servers[0].get("url", ""))).path.strip("/"):
        return False  # openapi-core would want the server's base path in front of every path
    return not any(fmt in _NUMBER_FORMATS for fmt in _formats_used(data))


def _formats_used(node: Any) -> Iterable[str]:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            fmt = item.get("format")
            if isinstance(fmt, str):
                yield fmt
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _format_function(checker: Any, name: str) -> Callable[[str], bool]:
    """`checker.conforms(value, name)`, calling its registered function directly: the same
    verdict (FormatChecker.check: a falsy result or an exception of `raises` is a no) without
    building a FormatError for every no."""
    func, raises = checker.checkers[name]
    quick = _PLAIN_DATE_TIME.fullmatch if name == "date-time" else None

    def conforms(value: str) -> bool:
        if quick is not None and quick(value) is not None:
            return True
        try:
            return bool(func(value))
        except raises:
            return False

    return conforms


def _is_bearer(value: str | None) -> bool:
    """openapi-core's test for an HTTP bearer credential: `<scheme> <credentials>`."""
    if value is None:
        return False
    scheme, sep, _ = value.partition(" ")
    return bool(sep) and scheme.lower() == "bearer"


def _cast(kind: str, raw: str) -> Any:
    """The parameter's value as openapi-core reads it, or None when the text is unusual."""
    if kind == "string":
        return raw
    if kind == "integer":
        return int(raw) if _INTEGER.fullmatch(raw) else None
    if kind == "number":
        return float(raw) if _NUMBER.fullmatch(raw) else None
    return _BOOLEANS.get(raw)


def _valid(check: Any, value: Any) -> bool:
    try:
        return bool(check.is_valid(value))
    except Exception:
        return False
