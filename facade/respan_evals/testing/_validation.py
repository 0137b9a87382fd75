"""Request and response checks against openapi.yaml.

Each check asks the compiled validators of `_compiled` first (jsonschema-rs, microseconds): their
yes is final. Only what they cannot vouch for goes to the authoritative checkers, which also
word the problems: openapi-core for requests (parameters, security, bodies), and a jsonschema
validator per (operation, status) for responses. openapi-core walks the spec on every call
(0.5-0.7 ms a request), so it runs only for requests that break the spec (or that the compiled
checks do not model).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.paths.exceptions import PathError
from openapi_core.validation.request.exceptions import (
    InvalidParameter,
    MissingRequiredParameter,
    MissingRequiredRequestBody,
    ParameterValidationError,
    RequestBodyValidationError,
    SecurityValidationError,
)
from openapi_core.validation.schemas.factories import DialectSchemaValidatorsFactory
from openapi_schema_validator import OAS30ReadValidator, OAS31Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from werkzeug.datastructures import Headers, ImmutableMultiDict

from ._body import UNPARSED
from ._compiled import CompiledChecks

if TYPE_CHECKING:
    from ._spec import Operation, Spec

__all__ = ["RequestProblem", "SpecValidator"]

_SPEC_URI = "urn:respan-evals:openapi"  # where the spec sits in the schema registries
JSON_TYPE = "application/json"
_PLAIN_CONTENT_TYPES = frozenset({"", JSON_TYPE})
_REQUIRED_NAME = re.compile(r"^'([^']+)' is a required property")


@dataclass
class _Request:
    """The request as openapi-core sees it, on the spec's own host."""

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


@dataclass
class RequestProblem:
    """Why a request broke the spec, shaped for a 400 body."""

    detail: str
    errors: dict[str, list[str]] = field(default_factory=dict)
    not_in_spec: bool = False

    def body(self) -> dict[str, Any]:
        return {"detail": self.detail, "errors": self.errors}


class _CachedFormatsFactory(DialectSchemaValidatorsFactory):
    """openapi-core deep-copies the format checker for every schema check; share one instead."""

    def get_format_checker(
        self, format_validators: Any = None, extra_format_validators: Any = None
    ) -> Any:
        if format_validators is None and extra_format_validators is None:
            return self.format_checker
        return super().get_format_checker(format_validators, extra_format_validators)


def _config(data: Mapping[str, Any]) -> Config:
    # spec_validator_cls=None: openapi-core would validate the whole spec against the OpenAPI
    # schema at every start (0.2 s; the suite starts dozens of emulators). `make check` and
    # tests/spec/test_spec_is_valid.py validate it once.
    if str(data.get("openapi", "")).startswith("3.1"):
        from openapi_schema_validator import (
            OAS31_BASE_DIALECT_ID,
            OAS30ReadValidator,
            OAS31Validator,
        )

        factory = _CachedFormatsFactory(
            OAS31Validator,
            OAS31_BASE_DIALECT_ID,
            format_checker=OAS30ReadValidator.FORMAT_CHECKER,
        )
        return Config(schema_validators_factory=factory, spec_validator_cls=None)
    return Config(spec_validator_cls=None)


class SpecValidator:
    """Wraps one parsed spec; safe to share between emulators and threads.

    `compiled=False` leaves out the compiled checks: every verdict then comes from the
    authoritative checkers (slow; for cross-checking the compiled ones)."""

    def __init__(self, spec: Spec, *, compiled: bool = True) -> None:
        self.spec = spec
        data = spec.data
        self.data = data
        self.openapi = OpenAPI.from_dict(dict(data), config=_config(data))
        self._registry: Registry[Any] = Registry().with_resource(
            _SPEC_URI, DRAFT202012.create_resource(dict(data))
        )
        self._compiled: dict[tuple[str, str, str], Any] = {}  # jsonschema has no stubs
        self.fast = CompiledChecks(data, _SPEC_URI, enabled=compiled)
        self._pointers: dict[tuple[str, str, str], tuple[str, ...]] = {}
        servers = data.get("servers") or [{"url": "https://api.respan.ai"}]
        parts = urlsplit(str(servers[0].get("url", "https://api.respan.ai")))
        self.host_url = f"{parts.scheme or 'https'}://{parts.netloc or 'api.respan.ai'}"
        # openapi-core keeps per-call caches; one caller at a time keeps it simple and safe.
        self._lock = threading.Lock()

    def _request(
        self,
        method: str,
        path: str,
        query: Iterable[tuple[str, str]],
        headers: Mapping[str, str],
        body: bytes,
        content_type: str,
    ) -> _Request:
        hdrs = Headers()
        for key, value in headers.items():
            hdrs.add(key, value)
        params = RequestParameters(
            query=ImmutableMultiDict(list(query)),
            header=hdrs,
            cookie=ImmutableMultiDict(),
            path={},
        )
        return _Request(
            host_url=self.host_url,
            path=path,
            method=method.lower(),
            body=body or None,
            content_type=_clean_content_type(content_type),
            parameters=params,
        )

    def check_request(
        self,
        method: str,
        path: str,
        query: Iterable[tuple[str, str]],
        headers: Mapping[str, str],
        body: bytes,
        content_type: str,
        *,
        operation: Operation | None = None,
        path_params: Mapping[str, str] | None = None,
        parsed: Any = UNPARSED,
    ) -> RequestProblem | None:
        """None when the request follows the spec; else the rules it broke.

        `operation` and `path_params`: what the router found, which lets the compiled checks
        vouch for the request; without them openapi-core checks it. `parsed`: the body's JSON
        value when the caller already read it (saves reading it twice)."""
        query = list(query)
        cleaned = _clean_content_type(content_type)
        if operation is not None and path_params is not None:
            lowered = {k.lower(): v for k, v in headers.items()}
            if self.fast.request_ok(
                operation.template,
                operation.method,
                path_params,
                query,
                lowered,
                body,
                cleaned,
                json.loads if parsed is UNPARSED else (lambda _body: parsed),
            ):
                return None
        request = self._request(method, path, query, headers, body, content_type)
        with self._lock:
            errors = list(self.openapi.iter_request_errors(request))
        if not errors:
            return None
        problem = RequestProblem(detail="")
        messages: list[str] = []
        for error in errors:
            if isinstance(error, PathError):
                return RequestProblem(
                    detail=f"{method.upper()} {path} is not an operation of the API spec.",
                    errors={"path": [str(error)]},
                    not_in_spec=True,
                )
            for where, message in _describe_request_error(error):
                problem.errors.setdefault(where, []).append(message)
                messages.append(f"{where}: {message}")
        problem.detail = "Request does not follow the API spec: " + "; ".join(messages)
        return problem

    def check_response(
        self,
        op: Operation,
        status: int,
        headers: Sequence[tuple[str, str]],
        body: bytes,
        *,
        parsed: Any = UNPARSED,
    ) -> list[str]:
        """Problems with a response the emulator is about to send (empty when fine).

        `parsed`: the value `body` was encoded from, which saves reading it back when the
        compiled check passes it (it reads what json.dumps writes: tuples as arrays)."""
        response = op.responses.get(str(status)) or op.responses.get("default")
        if response is None:
            return [f"status {status} is not documented for this operation"]
        values = {name.lower(): value for name, value in headers}
        problems = self._header_problems(response, values)
        content = response.get("content") or {}
        if not content:
            if body:
                problems.append(f"status {status} documents no body, but one was sent")
            return problems
        media_type = values.get("content-type", "").split(";")[0].strip().lower()
        media = content.get(media_type)
        if media is None:
            documented = ", ".join(content)
            problems.append(f"content-type {media_type!r} is not documented ({documented})")
            return problems
        if media.get("schema") is None:
            return problems
        documented = str(status) if str(status) in op.responses else "default"
        schema_at = self._schema_pointer(op, documented, media_type)
        if (
            parsed is not UNPARSED
            and media_type == JSON_TYPE
            and self.fast.valid(schema_at, parsed)
        ):
            return problems
        try:
            data = json.loads(body)
        except ValueError as exc:
            problems.append(f"body: not valid JSON ({exc})")
            return problems
        if self.fast.valid(schema_at, data):
            return problems
        validator = self._validator_for(op, documented, media_type)
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
        problems += [
            f"{where}: {message}"
            for where, message in (_schema_error_where(e, "body") for e in errors)
        ]
        return problems

    def _header_problems(self, response: Mapping[str, Any], values: Mapping[str, str]) -> list[str]:
        problems: list[str] = []
        for name, header in (response.get("headers") or {}).items():
            header = self.spec.resolve(header)
            raw = values.get(str(name).lower())
            if raw is None:
                if header.get("required"):
                    problems.append(f"header {name}: required, not sent")
                continue
            schema = self.spec.resolve(header.get("schema") or {})
            value: Any = raw
            if schema.get("type") in ("integer", "number"):
                try:
                    value = int(raw) if schema.get("type") == "integer" else float(raw)
                except ValueError:
                    problems.append(f"header {name}: {raw!r} is not a {schema['type']}")
                    continue
            for error in OAS31Validator(schema).iter_errors(value):
                problems.append(f"header {name}: {error.message}")
        return problems

    def _validator_for(self, op: Operation, status: str, media_type: str) -> Any:
        key = (op.operation_id, status, media_type)
        found = self._compiled.get(key)
        if found is None:
            where = [*self._response_pointer(op, status), "content", media_type, "schema"]
            pointer = "/".join(p.replace("~", "~0").replace("/", "~1") for p in where)
            # A $ref into the spec's own document, so that its "#/components/..." refs resolve.
            found = OAS31Validator(
                {"$ref": f"{_SPEC_URI}#/{pointer}"},
                registry=self._registry,
                format_checker=OAS30ReadValidator.FORMAT_CHECKER,
            )
            self._compiled[key] = found
        return found

    def _schema_pointer(self, op: Operation, status: str, media_type: str) -> tuple[str, ...]:
        """Where the schema of `op`'s `status` answer in `media_type` sits in the spec."""
        key = (op.operation_id, status, media_type)
        found = self._pointers.get(key)
        if found is None:
            found = (*self._response_pointer(op, status), "content", media_type, "schema")
            self._pointers[key] = found
        return found

    def _response_pointer(self, op: Operation, status: str) -> list[str]:
        """Where the response object of `op` and `status` sits, following its `$ref`s."""
        parts = ["paths", op.template, op.method.lower(), "responses", status]
        node: Any = self.data
        for part in parts:
            node = node[part]
        while isinstance(node, Mapping) and "$ref" in node:
            parts = [
                p.replace("~1", "/").replace("~0", "~") for p in str(node["$ref"])[2:].split("/")
            ]
            node = self.data
            for part in parts:
                node = node[part]
        return parts


def _clean_content_type(value: str) -> str:
    """The media type and its well-formed `name=value` parameters: openapi-core raises
    ValueError on a parameter without "=" (`application/json;;`), as servers ignore it."""
    if value in _PLAIN_CONTENT_TYPES:  # what nearly every request sends: nothing to clean
        return value
    media, *params = value.lower().split(";")
    kept = [p.strip() for p in params if "=" in p and p.split("=", 1)[0].strip()]
    return "; ".join([media.strip(), *kept])


def _schema_errors(error: BaseException) -> list[Any]:
    cause = error.__cause__
    found = getattr(cause, "schema_errors", None) or getattr(error, "schema_errors", None)
    return list(found or [])


def _schema_error_where(err: Any, prefix: str) -> tuple[str, str]:
    parts = [str(p) for p in getattr(err, "absolute_path", getattr(err, "path", []))]
    message = str(getattr(err, "message", err))
    rule = getattr(err, "validator", None)
    if rule == "required":
        missing = _REQUIRED_NAME.match(message)
        if missing:
            parts.append(missing.group(1))
            message = "This field is required."
    where = ".".join(parts) if parts else prefix
    return where, f"{message} (rule: {rule})" if rule else message


def _describe_request_error(error: BaseException) -> list[tuple[str, str]]:
    if isinstance(error, MissingRequiredParameter):
        return [(error.name, f"Missing required {error.location} parameter (rule: required).")]
    if isinstance(error, InvalidParameter | ParameterValidationError):
        name = error.name
        found = _schema_errors(error)
        if found:
            out = []
            for err in found:
                _, message = _schema_error_where(err, name)
                out.append((name, message))
            return out
        return [(name, f"Invalid {error.location} parameter: {error.__cause__ or error}")]
    if isinstance(error, MissingRequiredRequestBody):
        return [("body", "A request body is required (rule: required).")]
    if isinstance(error, RequestBodyValidationError):
        found = _schema_errors(error)
        if found:
            return [_schema_error_where(err, "body") for err in found]
        return [("body", str(error.__cause__ or error))]
    if isinstance(error, SecurityValidationError):
        return [("Authorization", f"{error.__cause__ or error} (rule: security)")]
    return [("request", str(error))]
