"""The compiled checks never pass what openapi-core or jsonschema would refuse.

Each case (the spec's own examples, and variants of them that break one rule each, all derived
from openapi.yaml) goes through the emulator's validator and through one with the compiled
checks left out; both must say the same, to the letter.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import pytest

from respan_evals.testing._body import dumps
from respan_evals.testing._spec import JSON_TYPE, Operation, Spec

from ._specs import spec_copy

if TYPE_CHECKING:  # openapi-core loads with the validator, in the worker that runs this module
    from respan_evals.testing._validation import SpecValidator

AUTH = "Bearer sk_test_compiled"
EXTRA = "unexpected_field"


def _closed(data: dict[str, Any]) -> dict[str, Any]:
    """Every component object schema without allOf forbids properties it does not name."""
    for schema in data["components"]["schemas"].values():
        if "properties" in schema and "allOf" not in schema:
            schema["additionalProperties"] = False
    return data


def _closed_copy() -> dict[str, Any]:
    return _closed(spec_copy())


VARIANTS: dict[str, Callable[[], dict[str, Any]]] = {
    "as written": spec_copy,
    "closed objects": _closed_copy,
}


@functools.cache
def _checkers(variant: str) -> tuple[Spec, SpecValidator, SpecValidator]:
    """The spec, its validator, and one without the compiled checks (built once per variant)."""
    from respan_evals.testing._validation import SpecValidator

    spec = Spec(VARIANTS[variant]())
    return spec, spec.validator(), SpecValidator(spec, compiled=False)


def _types(schema: Mapping[str, Any]) -> set[str]:
    kind = schema.get("type")
    return {kind} if isinstance(kind, str) else set(kind or [])


def _required(spec: Spec, schema: Any) -> set[str]:
    node = spec.resolve(schema)
    out = set(node.get("required") or [])
    for part in node.get("allOf") or []:
        out |= _required(spec, part)
    return out


def _field_values(spec: Spec, prop: Any) -> Iterator[tuple[str, Any]]:
    """Values that may break `prop`'s schema, one rule at a time."""
    node = spec.resolve(prop)
    types = _types(node)
    # A value of a JSON type the schema does not take (an integer is a number too).
    wrong = [
        v for t, v in _SAMPLES if t not in types and not (t == "integer" and "number" in types)
    ]
    if types and wrong:
        yield "wrong type", wrong[0]
    yield "null", None
    enum_node = node
    for part in node.get("anyOf") or node.get("oneOf") or []:
        if "enum" in spec.resolve(part):
            enum_node = spec.resolve(part)
    if "enum" in enum_node:
        yield "unknown enum", "not_a_choice"
    if node.get("format") == "date-time":
        yield "bad date-time", "2026-13-45T25:61:00Z"
    if "minimum" in node:
        yield "below minimum", node["minimum"] - 1


_SAMPLES: tuple[tuple[str, Any], ...] = (
    ("string", "x"),
    ("integer", 7),
    ("boolean", True),
    ("array", ["x"]),
    ("object", {}),
)


def _variants(spec: Spec, schema: Any, value: Any) -> Iterator[tuple[str, Any]]:
    """`value` (an example), then copies that each break one rule of `schema`."""
    yield "example", value
    yield "not an object", ["x"]
    if not isinstance(value, Mapping):
        return
    for name in sorted(_required(spec, schema)):
        yield f"missing required {name}", {k: v for k, v in value.items() if k != name}
    yield "extra field", {**value, EXTRA: 1}
    for name, prop in spec.properties(schema).items():
        for label, bad in _field_values(spec, prop):
            yield f"{name}: {label}", {**value, name: bad}


def _first_example(media: Mapping[str, Any]) -> Iterator[Any]:
    if "example" in media:
        yield media["example"]
        return
    for example in (media.get("examples") or {}).values():
        if isinstance(example, Mapping) and "value" in example:
            yield example["value"]
            return


def _path(op: Operation, params: Mapping[str, str]) -> str:
    path = op.template
    for name, value in params.items():
        path = path.replace("{" + name + "}", value)
    return path


def _path_params(spec: Spec, op: Operation) -> dict[str, str]:
    raw = spec.data["paths"][op.template]
    declared = list(raw.get("parameters") or []) + list(
        raw[op.method.lower()].get("parameters") or []
    )
    out = {}
    for param in (spec.resolve(p) for p in declared):
        if param.get("in") == "path":
            kind = spec.resolve(param.get("schema") or {}).get("type")
            out[str(param["name"])] = "1" if kind == "integer" else "x_1"
    return out


def _request_cases(spec: Spec) -> Iterator[tuple[str, Operation, dict[str, Any]]]:
    """Each operation's parameters, and each request body schema once (with its example)."""
    bodies_seen: set[str] = set()
    for op in spec.operations:
        params = _path_params(spec, op)
        base = {
            "params": params,
            "query": [],
            "headers": {"authorization": AUTH},
            "body": b"",
            "content_type": "",
        }
        yield "no body", op, base
        yield "no credentials", op, {**base, "headers": {}}
        yield "other scheme", op, {**base, "headers": {"authorization": "Basic eDp5"}}
        for name in params:
            for bad in ("abc", "-1", "007", "9" * 5_000, "\u00b2"):
                changed = {**params, name: bad}
                yield f"path {name}={bad}", op, {**base, "params": changed}
        for name in op.query:
            for bad in ("abc", "", "-1", "0", "101", "9" * 5_000, "true", "2026-01-01T00:00:00Z"):
                yield f"query {name}={bad!r}", op, {**base, "query": [(name, bad)]}
            yield f"query {name} twice", op, {**base, "query": [(name, "1"), (name, "2")]}
        body = spec.resolve(spec.data["paths"][op.template][op.method.lower()]).get("requestBody")
        media = ((spec.resolve(body or {}).get("content") or {}).get(JSON_TYPE)) or {}
        key = json.dumps(media.get("schema"), sort_keys=True)
        if "schema" not in media or key in bodies_seen:
            continue
        bodies_seen.add(key)
        for example in _first_example(media):
            for label, value in _variants(spec, media["schema"], example):
                case = {**base, "body": dumps(value), "content_type": JSON_TYPE}
                yield f"body {label}", op, case
            text = dumps(example)
            yield "text/plain body", op, {**base, "body": text, "content_type": "text/plain"}
            yield "blank body", op, {**base, "body": b"  ", "content_type": JSON_TYPE}
            yield "not JSON", op, {**base, "body": b"{oops", "content_type": JSON_TYPE}


def _response_cases(spec: Spec) -> Iterator[tuple[str, Operation, int, Any]]:
    """Each response schema once, with the first example that documents it."""
    seen: set[str] = set()
    for op in spec.operations:
        for status, response in op.responses.items():
            if not status.isdigit():
                continue
            media = (response.get("content") or {}).get(JSON_TYPE) or {}
            key = json.dumps(media.get("schema"), sort_keys=True)
            if "schema" not in media or key in seen:
                continue
            seen.add(key)
            for example in _first_example(media):
                for label, value in _variants(spec, media["schema"], example):
                    yield label, op, int(status), value
                yield "undocumented status", op, 599, example


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_requests_get_the_same_verdict_with_and_without_compiled_checks(variant: str) -> None:
    spec, fast, slow = _checkers(variant)
    answered = 0
    for label, op, case in _request_cases(spec):
        path = _path(op, case["params"])
        headers = dict(case["headers"])
        if case["content_type"]:
            headers["content-type"] = case["content_type"]
        args = (op.method, path, case["query"], headers, case["body"], case["content_type"])
        expected = slow.check_request(*args)
        got = fast.check_request(*args, operation=op, path_params=case["params"])
        where = f"{op.operation_id}, {label}"
        assert (got is None) == (expected is None), where
        if expected is not None and got is not None:
            assert (got.detail, got.errors) == (expected.detail, expected.errors), where
        lowered = {k.lower(): v for k, v in headers.items()}
        answered += fast.fast.request_ok(
            op.template,
            op.method,
            case["params"],
            case["query"],
            lowered,
            case["body"],
            case["content_type"],
            json.loads,
        )
    # The compiled checks vouch for requests on their own (else they would save nothing).
    assert answered > 0


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_responses_get_the_same_verdict_with_and_without_compiled_checks(variant: str) -> None:
    spec, fast, slow = _checkers(variant)
    cases = list(_response_cases(spec))
    assert cases  # the spec documents example answers
    for label, op, status, value in cases:
        body = dumps(value) if value is not None else b"null"
        headers = [("content-type", JSON_TYPE)]
        expected = slow.check_response(op, status, headers, body)
        where = f"{op.operation_id} {status}, {label}"
        assert fast.check_response(op, status, headers, body) == expected, where
        parsed = copy.deepcopy(value)
        assert fast.check_response(op, status, headers, body, parsed=parsed) == expected, where


def test_the_compiled_checks_pass_the_spec_examples_on_their_own() -> None:
    spec, validator, _ = _checkers("as written")
    fast = validator.fast
    for label, op, status, value in _response_cases(spec):
        if label == "example" and str(status) in op.responses:
            pointer = ["paths", op.template, op.method.lower(), "responses", str(status)]
            response = spec.data["paths"][op.template][op.method.lower()]["responses"][str(status)]
            if "$ref" in response:
                pointer = response["$ref"][2:].split("/")
            where = [*pointer, "content", JSON_TYPE, "schema"]
            assert fast.valid(where, value), f"{op.operation_id} {status}"


DATE_TIMES = [
    "2026-12-02T03:04:05Z",
    "2026-12-02T03:04:05.123456Z",
    "2026-02-28T23:59:59Z",
    "2026-02-29T00:00:00Z",  # not a leap year
    "2024-02-29T00:00:00Z",
    "2026-04-31T00:00:00Z",
    "2026-12-31T00:00:00Z",
    "0000-01-01T00:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-12-00T00:00:00Z",
    "2026-12-02T24:00:00Z",
    "2026-12-02T23:60:00Z",
    "2026-12-02T23:59:60Z",
    "2026-12-02t03:04:05z",
    "2026-12-02T03:04:05+02:00",
    "2026-12-02T03:04:05Z\n",
    "2026-12-02 03:04:05Z",
    "2026-12-02T03:04:05",
    "٢٠٢٦-12-02T03:04:05Z",  # non-ASCII digits
]


@functools.cache
def _date_time_check() -> Callable[[str], bool]:
    from respan_evals.testing._validation import SpecValidator

    return SpecValidator(Spec(spec_copy())).fast._formats["date-time"]


def test_the_quick_date_time_check_agrees_with_the_checker() -> None:
    from openapi_schema_validator import OAS30ReadValidator

    checker = OAS30ReadValidator.FORMAT_CHECKER  # what the slow checks use
    conforms = _date_time_check()
    expected = [checker.conforms(v, "date-time") for v in DATE_TIMES]
    assert [conforms(v) for v in DATE_TIMES] == expected
    assert True in expected and False in expected


def test_a_plain_utc_date_time_does_not_need_the_calendar(monkeypatch: pytest.MonkeyPatch) -> None:
    import calendar

    conforms = _date_time_check()

    def refuse(*_: Any) -> Any:
        raise AssertionError("the slow check ran")

    monkeypatch.setattr(calendar, "monthrange", refuse)
    assert conforms("2026-12-02T03:04:05.123456Z")
    with pytest.raises(AssertionError, match="slow check"):
        conforms("2026-12-31T03:04:05Z")  # day 31: the checker's own function decides
