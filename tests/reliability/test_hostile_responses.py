"""Hostile server answers behind a MockTransport: every call either returns a parsed result that
keeps what it could read, or raises ONE typed error (APIResponseValidationError for a 2xx body
it cannot read, a RespanError otherwise). A KeyError, TypeError, JSONDecodeError or
RecursionError escaping is a failure.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from respan_evals import (
    APIResponseValidationError,
    APIStatusError,
    BadRequestError,
    InternalServerError,
    RateLimitError,
    Respan,
    RespanError,
)

from .conftest import Recorder

USER = {"id": 1, "first_name": "Test", "last_name": "", "email": "test@example.com"}
EVALUATOR: dict[str, Any] = {
    "id": "evl_1",
    "name": "Quality",
    "type": "llm",
    "score_value_type": "numerical",
    "version_id": "evlv_1",
    "version": 0,
    "is_read_only": False,
    "version_description": None,
    "evaluator_slug": "quality",
    "eval_class": None,
    "description": None,
    "score_config": {"min_score": 0, "max_score": 5},
    "passing_conditions": None,
    "llm_config": {"model": "gpt-4o"},
    "code_config": None,
    "configurations": None,
    "categorical_choices": None,
    "starred": False,
    "created_at": "2024-05-01T12:00:00.463372Z",
    "updated_at": "2024-05-01T12:00:00.463372Z",
    "created_by": USER,
    "updated_by": USER,
    "editor": USER,
    "tags": [],
}
SCORE: dict[str, Any] = {
    "id": "score_1",
    "created_at": "2024-05-01T12:00:00.470620Z",
    "type": "llm",
    "environment": "production",
    "numerical_value": 4.5,
    "string_value": None,
    "boolean_value": None,
    "categorical_value": None,
    "json_value": None,
    "is_passed": None,
    "cost": 0.0,
    "evaluator_id": "evl_1",
    "evaluator_slug": "quality",
    "evaluator_name": "Quality",
    "scorer": "test@example.com",
    "log_id": "log_1",
    "prompt_id": None,
    "prompt_version_number": None,
    "dataset_id": None,
    "automation_id": None,
    "status": "completed",
    "error_message": None,
    "explanation": None,
}
SCORE_DETAIL = {
    **SCORE,
    "inputs": {"input": None, "output": None, "metrics": {}, "metadata": {}},
    "evaluator": EVALUATOR,
}
RUN_RESULT = {**SCORE_DETAIL, "id": "res_1", "log_id": None, "scorer": "gpt-4o"}
VERSION = {
    **{k: v for k, v in EVALUATOR.items() if k not in ("editor", "starred", "tags")},
    "version": 1,
}
SUMMARY = {"total_count": 1}


def page(item: dict[str, Any], n: int = 1, next_url: str | None = None) -> dict[str, Any]:
    return {
        "count": n,
        "results": [{**item, "id": f"{item['id']}_{i}"} for i in range(n)],
        "next": next_url,
        "previous": None,
        "current_filters": {},
    }


@dataclass(frozen=True)
class Endpoint:
    name: str
    route: str  # "METHOD path" that gets the hostile body; other routes get a good one
    body: dict[str, Any]
    call: Callable[[Respan], object]
    status: int = 200
    is_page: bool = False


ENDPOINTS = [
    Endpoint(
        "scores.retrieve", "GET /api/scores/s1/", SCORE_DETAIL, lambda c: c.scores.retrieve("s1")
    ),
    Endpoint(
        "score_log",
        "POST /api/logs/log_1/scores/",
        SCORE,
        lambda c: c.score_log("log_1", 4.0, evaluator_id="evl_1", value_type="numerical"),
        status=201,
    ),
    Endpoint(
        "score_log (evaluator lookup)",
        "POST /api/evaluators/list/",
        page(EVALUATOR),
        lambda c: c.score_log("log_1", 4.0, evaluator="quality"),
        is_page=True,
    ),
    Endpoint(
        "scores.list", "GET /api/scores/", page(SCORE, 3), lambda c: c.scores.list(), is_page=True
    ),
    Endpoint(
        "scores.iter_list",
        "GET /api/scores/",
        page(SCORE, 3),
        lambda c: list(c.scores.iter_list()),
        is_page=True,
    ),
    Endpoint(
        "log_scores.iter_list",
        "GET /api/logs/log_1/scores/",
        page(SCORE, 3),
        lambda c: list(c.log_scores.iter_list("log_1")),
        is_page=True,
    ),
    Endpoint(
        "evaluators.retrieve",
        "GET /api/evaluators/evl_1/",
        EVALUATOR,
        lambda c: c.evaluators.retrieve("evl_1"),
    ),
    Endpoint(
        "evaluators.iter_list",
        "GET /api/evaluators/",
        page(EVALUATOR, 2),
        lambda c: list(c.evaluators.iter_list()),
        is_page=True,
    ),
    Endpoint(
        "evaluators.run",
        "POST /api/evaluators/evl_1/run/",
        RUN_RESULT,
        lambda c: c.evaluators.run("evl_1", inputs={"input": "a", "output": "b"}),
    ),
    Endpoint(
        "evaluators.versions.retrieve",
        "GET /api/evaluators/evl_1/versions/1/",
        VERSION,
        lambda c: c.evaluators.versions.retrieve("evl_1", 1),
    ),
    Endpoint(
        "evaluators.summary",
        "GET /api/evaluators/summary/",
        SUMMARY,
        lambda c: c.evaluators.summary(),
    ),
]
IDS = [e.name for e in ENDPOINTS]


def _good(request: httpx.Request) -> httpx.Response:
    """A valid answer for any route the endpoints touch besides the hostile one."""
    path = request.url.path
    if path == "/api/evaluators/list/":
        return httpx.Response(200, json=page(EVALUATOR))
    if path.startswith("/api/evaluators/"):
        return httpx.Response(200, json=EVALUATOR)
    return httpx.Response(201 if request.method == "POST" else 200, json=SCORE)


def _serve(endpoint: Endpoint, content: bytes, content_type: str = "application/json") -> Recorder:
    def reply(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("page", "1") != "1":  # a damaged `next` led here: the end
            return httpx.Response(200, json={"count": 0, "results": [], "next": None})
        if f"{request.method} {request.url.path}" == endpoint.route:
            return httpx.Response(
                endpoint.status, content=content, headers={"content-type": content_type}
            )
        return _good(request)

    return Recorder(reply)


def _outcome(endpoint: Endpoint, content: bytes, content_type: str = "application/json") -> Any:
    """The result, or the RespanError; anything else escaping fails the test with the body."""
    recorder = _serve(endpoint, content, content_type)
    with recorder.client() as client:
        try:
            return endpoint.call(client)
        except RespanError as e:
            text = str(e)  # building the message must not fail either
            assert len(text) < 4000, f"{endpoint.name}: a {len(text)}-character message"
            return e
        except Exception as e:
            shown = content[:200].decode("utf-8", "replace")
            raise AssertionError(
                f"{endpoint.name}: {type(e).__name__} escaped ({str(e)[:200]}) for body {shown!r}"
            ) from e


def _typed(endpoint: Endpoint, result: Any) -> None:
    if isinstance(result, RespanError) and "lookup" not in endpoint.name:
        assert isinstance(result, APIResponseValidationError), (
            f"{endpoint.name}: a 2xx it could not read became {type(result).__name__}: {result}"
        )
        assert result.status_code == endpoint.status


def _dumps(body: Any) -> bytes:
    return json.dumps(body).encode()


# ---- whole bodies -----------------------------------------------------------------------------
BROKEN_BODIES = {
    "empty": (b"", "application/json"),
    "null": (b"null", "application/json"),
    "list": (b"[]", "application/json"),
    "number": (b"42", "application/json"),
    "string": (b'"ok"', "application/json"),
    "html": (b"<html><body><h1>200 OK</h1></body></html>", "text/html"),
    "truncated": (_dumps(SCORE_DETAIL)[:150], "application/json"),
    "not utf-8": (b'{"id": "\xff\xfe", "created_at": "2024-05-01T12:00:00Z"}', "application/json"),
    "NaN literal": (
        b'{"id": "s", "created_at": "2024-05-01T12:00:00Z", "cost": NaN}',
        "application/json",
    ),
}
# JSON nested deeper than Python recurses (RecursionError while parsing); own test, for speed.
DEEP_BODIES = {
    "deeply nested": b"[" * 100_000 + b"]" * 100_000,
    "deep inside a field": (
        b'{"id": "s", "created_at": "2024-05-01T12:00:00Z", "json_value": '
        + b"[" * 100_000
        + b"]" * 100_000
        + b"}"
    ),
}


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
@pytest.mark.parametrize("body", list(BROKEN_BODIES))
def test_a_body_that_is_not_the_documented_json_is_one_typed_error(
    endpoint: Endpoint, body: str
) -> None:
    content, content_type = BROKEN_BODIES[body]
    result = _outcome(endpoint, content, content_type)
    _typed(endpoint, result)


# ---- one field at a time ------------------------------------------------------------------------
WRONG_TYPES: list[Any] = [None, 1.5, True, "x", [None], {"a": None}]


def _variants(
    body: dict[str, Any], is_page: bool, endpoint: Endpoint
) -> list[tuple[str, dict[str, Any]]]:
    """Each key missing, then set to each wrong type: in the envelope, and in the first item."""
    targets: list[tuple[str, Callable[[dict[str, Any]], dict[str, Any]]]] = [("", lambda b: b)]
    if is_page:
        targets.append(("results[0].", lambda b: b["results"][0]))
    out = []
    for prefix, locate in targets:
        for key in list(locate(body)):
            missing = copy.deepcopy(body)
            del locate(missing)[key]
            out.append((f"{prefix}{key} missing", missing))
            for wrong in WRONG_TYPES:
                changed = copy.deepcopy(body)
                locate(changed)[key] = wrong
                out.append((f"{prefix}{key}={json.dumps(wrong)}", changed))
    return out


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_nulls_missing_fields_and_wrong_types_never_escape_untyped(endpoint: Endpoint) -> None:
    failures = []
    variants = _variants(endpoint.body, endpoint.is_page, endpoint)
    for label, body in variants:
        try:
            _typed(endpoint, _outcome(endpoint, _dumps(body)))
        except AssertionError as e:
            failures.append(f"{label}: {e}")
    assert not failures, f"{len(failures)} of {len(variants)} variants:\n" + "\n".join(failures)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_unknown_fields_and_enum_values_are_kept(endpoint: Endpoint) -> None:
    body = copy.deepcopy(endpoint.body)
    extra = {"zz_future_field": {"nested": [1, None, "x"]}}
    item = body["results"][0] if endpoint.is_page else body
    item.update(extra)
    enums = {"type": "zz_new_type", "score_value_type": "zz_star_rating", "eval_class": "zz_new"}
    for key, value in enums.items():
        if key in item:
            item[key] = value
    if endpoint.is_page:
        body["zz_envelope_field"] = 1
    result = _outcome(endpoint, _dumps(body))
    if "lookup" in endpoint.name:  # an evaluator of an unknown type cannot take a value
        assert isinstance(result, RespanError) and "zz_star_rating" in str(result)
        return
    assert not isinstance(result, RespanError), f"{endpoint.name}: {result}"
    if isinstance(result, list):
        parsed = result[0]
    elif endpoint.is_page:
        parsed = result.results[0]
        assert result.additional_properties["zz_envelope_field"] == 1
    else:
        parsed = result
    assert parsed.additional_properties["zz_future_field"] == extra["zz_future_field"]
    kept = parsed.to_dict()
    for key, value in enums.items():
        if key in item:
            assert kept[key] == value, f"{key}: sent {value!r}, kept {kept[key]!r}"
    for key in ("id", "name", "numerical_value", "evaluator_slug", "total_count"):
        if key in item:
            assert kept[key] == item[key]


# ---- random damage ------------------------------------------------------------------------------
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _paths(v, (*prefix, i))
    return found


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_random_damage_anywhere_in_the_body(endpoint: Endpoint) -> None:
    paths = _paths(endpoint.body)[1:]

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(damage=st.lists(st.tuples(st.sampled_from(paths), json_values), min_size=1, max_size=3))
    def check(damage: list[tuple[tuple[Any, ...], Any]]) -> None:
        body = copy.deepcopy(endpoint.body)
        for path, value in damage:
            node: Any = body
            try:
                for step in path[:-1]:
                    node = node[step]
                node[path[-1]] = value
            except (KeyError, IndexError, TypeError):
                continue  # an earlier change removed this spot
        _typed(endpoint, _outcome(endpoint, _dumps(body)))

    check()


# ---- size ---------------------------------------------------------------------------------------
def test_a_gigantic_page_is_read_whole() -> None:
    n = 50_000
    small = {"id": "s", "created_at": "2024-05-01T12:00:00Z", "numerical_value": 1.0}
    content = _dumps(page(small, n))
    recorder = Recorder(lambda r: httpx.Response(200, content=content))
    with recorder.client() as client:
        started = time.perf_counter()
        walked = list(client.scores.iter_list())
        elapsed = time.perf_counter() - started
    assert len(walked) == n
    assert walked[0].id == "s_0" and walked[-1].id == f"s_{n - 1}"
    assert elapsed < 15, f"reading one {len(content) // 1_000_000} MB page took {elapsed:.1f}s"


# ---- the async client ---------------------------------------------------------------------------
@pytest.mark.parametrize("body", list(BROKEN_BODIES))
async def test_async_client_gives_the_same_typed_errors(body: str) -> None:
    content, content_type = BROKEN_BODIES[body]
    recorder = Recorder(
        lambda r: httpx.Response(200, content=content, headers={"content-type": content_type})
    )
    async with recorder.aclient() as client:
        for call in (
            lambda: client.scores.retrieve("s1"),
            lambda: client.score_log("log_1", 1.0, evaluator_id="e", value_type="numerical"),
            lambda: _drain(client.scores.iter_list()),
        ):
            try:
                await call()
            except APIResponseValidationError:
                pass
            except Exception as e:
                raise AssertionError(f"{type(e).__name__} escaped for {body}: {e}") from e


async def _drain(iterator: Any) -> list[Any]:
    return [item async for item in iterator]


# ---- error answers with hostile bodies ----------------------------------------------------------
ERROR_BODIES: list[Any] = [
    b"",
    b"<html><body>Bad Gateway</body></html>",
    b"null",
    b"[]",
    b'["one", {"two": 2}, 3]',
    b'{"detail": null}',
    b'{"detail": {"message": 5}}',
    b'{"detail": ["a", "b"], "errors": ["not", "a", "map"]}',
    b'{"errors": {"a": {"b": {"c": ["deep"]}}, "list": [{"x": ["bad"]}, null, 3]}}',
    b'{"retry_after": "soon"}',
    b'{"retry_after": NaN}',
    b'{"retry_after": -5}',
    b'{"retry_after": 1e999}',
    b"[" * 100_000 + b"]" * 100_000,
    b'{"detail": "' + b"x" * 1_000_000 + b'"}',
    b"\xff\xfe\xfd",
]
STATUS_CLASSES = {
    400: BadRequestError,
    418: APIStatusError,
    429: RateLimitError,
    502: InternalServerError,
}


@pytest.mark.parametrize("status", list(STATUS_CLASSES))
def test_error_answers_with_hostile_bodies_map_to_their_class(status: int) -> None:
    for content in ERROR_BODIES:
        recorder = Recorder(
            lambda r, c=content: httpx.Response(status, content=c, headers={"retry-after": "x"})
        )
        with recorder.client() as client:
            try:
                client.scores.retrieve("s1")
            except STATUS_CLASSES[status] as e:
                assert e.status_code == status
                assert len(str(e)) < 4000
            except Exception as e:
                raise AssertionError(
                    f"{status} with {content[:60]!r}: {type(e).__name__} escaped: {e}"
                ) from e
            else:
                raise AssertionError(f"{status} with {content[:60]!r} returned a result")


# ---- once facade bugs: each case below escaped as a bare exception or a leak before its fix
def test_deeply_nested_json_is_one_typed_error() -> None:
    failures = []
    for endpoint in ENDPOINTS:
        for name, content in DEEP_BODIES.items():
            try:
                _typed(endpoint, _outcome(endpoint, content))
            except AssertionError as e:
                failures.append(f"{endpoint.name}, {name}: {str(e)[:150]}")
    assert not failures, "\n".join(failures)


def test_non_object_list_items_in_a_looked_up_evaluator() -> None:
    lookup = next(e for e in ENDPOINTS if "lookup" in e.name)
    failures = []
    for key in ("tags", "categorical_choices"):
        for item in (None, False, "x", 1):
            body = copy.deepcopy(lookup.body)
            body["results"][0][key] = [item]
            try:
                _typed(lookup, _outcome(lookup, _dumps(body)))
            except AssertionError as e:
                failures.append(f"{key}=[{json.dumps(item)}]: {str(e)[:120]}")
    assert not failures, "\n".join(failures)
