"""Request and response checks against openapi.yaml with openapi-core (spec loaded once)."""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml  # type: ignore[import-untyped]  # no stubs for PyYAML here
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.paths.exceptions import PathError
from openapi_core.templating.responses.exceptions import ResponseNotFound
from openapi_core.validation.request.exceptions import (
    InvalidParameter,
    MissingRequiredParameter,
    MissingRequiredRequestBody,
    ParameterValidationError,
    RequestBodyValidationError,
    SecurityValidationError,
)
from openapi_core.validation.schemas.factories import DialectSchemaValidatorsFactory
from werkzeug.datastructures import Headers, ImmutableMultiDict

__all__ = ["RequestProblem", "SpecValidator", "load_validator", "spec_path_default"]

SPEC_ENV = "RESPAN_EMULATOR_SPEC"
_MEMO_SIZE = 512
_REQUIRED_NAME = re.compile(r"^'([^']+)' is a required property")


def _speed_up_pathable() -> None:
    """pathable checks `isinstance(node, Subscriptable)` (a runtime Protocol, slow on 3.11) on
    every step through the spec; a third of validation time. Dicts and lists satisfy that
    protocol, so answer them directly and leave every other case to the original code."""
    try:
        from pathable import accessors
    except ImportError:  # pragma: no cover - layout of another pathable version
        return
    cls = getattr(accessors, "SubscriptableAccessor", None)
    original = getattr(cls, "_get_subnode", None)
    if cls is None or original is None or getattr(original, "_respan_fast", False):
        return
    original_func = original.__func__

    def _get_subnode(klass: Any, node: Any, part: Any) -> Any:
        if type(node) is dict or type(node) is list:
            try:
                return node[part]
            except (KeyError, IndexError, TypeError) as exc:
                raise KeyError(part) from exc
        return original_func(klass, node, part)

    _get_subnode._respan_fast = True  # type: ignore[attr-defined]
    cls._get_subnode = classmethod(_get_subnode)


_speed_up_pathable()


def spec_path_default() -> Path:
    """The spec shipped with the package (a symlink to the repo's openapi.yaml in a checkout)."""
    override = os.environ.get(SPEC_ENV)
    if override:
        return Path(override)
    resource = importlib.resources.files("respan_evals.testing") / "openapi.yaml"
    return Path(str(resource))


@functools.lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> SpecValidator:
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return SpecValidator(data)


def load_validator(path: str | os.PathLike[str] | None = None) -> SpecValidator:
    """The validator for `path` (default: the packaged spec); parsed once per process."""
    resolved = Path(path) if path is not None else spec_path_default()
    if not resolved.exists():
        raise FileNotFoundError(
            f"OpenAPI spec not found at {resolved}; pass spec_path=... or set {SPEC_ENV}."
        )
    real = os.path.realpath(resolved)
    return _load(real, os.path.getmtime(real))


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

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.openapi = OpenAPI.from_dict(dict(data), config=_config(data))
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

    def documented_statuses(self, method: str, template: str) -> set[str]:
        op = (self.data.get("paths") or {}).get(template, {}).get(method.lower(), {})
        return set((op.get("responses") or {}).keys())

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
            content_type=content_type.lower(),
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
        method: str,
        path: str,
        query: Iterable[tuple[str, str]],
        request_headers: Mapping[str, str],
        status: int,
        headers: Sequence[tuple[str, str]],
        body: bytes,
    ) -> list[str]:
        """Problems with a response the emulator is about to send (empty when fine)."""
        query = list(query)
        request = self._request(method, path, query, request_headers, b"", "")
        hdrs = Headers()
        for name, value in headers:
            hdrs.add(name, value)
        response = _Response(
            status_code=status,
            content_type=(hdrs.get("content-type") or "").lower(),
            headers=hdrs,
            data=body or None,
        )
        key = ("resp", method, path, tuple(query), status, tuple(headers), _digest(body))
        errors: list[Exception] = self._remember(
            key, lambda: list(self.openapi.iter_response_errors(request, response))
        )
        return [_describe_response_error(e, status) for e in errors]


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


def _describe_response_error(error: BaseException, status: int) -> str:
    if isinstance(error, ResponseNotFound):
        return f"status {status} is not documented for this operation"
    found = _schema_errors(error)
    if found:
        return "; ".join(
            f"{where}: {message}"
            for where, message in (_schema_error_where(err, "body") for err in found)
        )
    cause = error.__cause__
    return f"{type(error).__name__}: {cause or error}"
