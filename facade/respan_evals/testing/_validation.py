"""Request and response checks against openapi.yaml.

Requests go through openapi-core (parameters, security, bodies). Responses are checked with a
jsonschema validator per (operation, status) built once from the spec: openapi-core's response
path spends most of its time walking the spec (about 0.4 ms a response before the body is even
looked at), which dominated the emulator's CPU time.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
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

if TYPE_CHECKING:
    from ._spec import Operation, Spec

__all__ = ["RequestProblem", "SpecValidator"]

_SPEC_URI = "urn:respan-evals:openapi"  # where the spec sits in the schema registry
_MEMO_SIZE = 512
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
        return Config(schema_validators_factory=factory)
    return Config()


class SpecValidator:
    """Wraps one parsed spec; safe to share between emulators and threads."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        data = spec.data
        self.data = data
        self.openapi = OpenAPI.from_dict(dict(data), config=_config(data))
        self._registry: Registry[Any] = Registry().with_resource(
            _SPEC_URI, DRAFT202012.create_resource(dict(data))
        )
        self._compiled: dict[tuple[str, str, str], Any] = {}  # jsonschema has no stubs
        servers = data.get("servers") or [{"url": "https://api.respan.ai"}]
        parts = urlsplit(str(servers[0].get("url", "https://api.respan.ai")))
        self.host_url = f"{parts.scheme or 'https'}://{parts.netloc or 'api.respan.ai'}"
        # openapi-core keeps per-call caches; one caller at a time keeps it simple and safe.
        self._lock = threading.Lock()
        # Verdicts for byte-identical requests/responses (benchmarks repeat them a lot).
        self._memo: OrderedDict[tuple[Any, ...], Any] = OrderedDict()

    def _remember(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
            value = compute()
            self._memo[key] = value
            if len(self._memo) > _MEMO_SIZE:
                self._memo.popitem(last=False)
            return value

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
    ) -> RequestProblem | None:
        """None when the request follows the spec; else the rules it broke."""
        query = list(query)
        key = (
            "req",
            method,
            path,
            tuple(query),
            "authorization" in {k.lower() for k in headers},
            content_type,
            _digest(body),
        )
        request = self._request(method, path, query, headers, body, content_type)
        errors: list[Exception] = self._remember(
            key, lambda: list(self.openapi.iter_request_errors(request))
        )
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
    ) -> list[str]:
        """Problems with a response the emulator is about to send (empty when fine)."""
        key = ("resp", op.operation_id, status, tuple(headers), _digest(body))
        found: list[str] = self._remember(
            key, lambda: self._response_problems(op, status, headers, body)
        )
        return found

    def _response_problems(
        self, op: Operation, status: int, headers: Sequence[tuple[str, str]], body: bytes
    ) -> list[str]:
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
        try:
            data = json.loads(body)
        except ValueError as exc:
            problems.append(f"body: not valid JSON ({exc})")
            return problems
        documented = str(status) if str(status) in op.responses else "default"
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
    media, *params = value.lower().split(";")
    kept = [p.strip() for p in params if "=" in p and p.split("=", 1)[0].strip()]
    return "; ".join([media.strip(), *kept])


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


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
