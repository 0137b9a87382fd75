"""Every resource method of the spec's operations: method, path, query and JSON body on the wire,
and the generated model back (sync and async). Plus the keyword-body rules and the iterators."""

from __future__ import annotations

import datetime
import inspect
from typing import Any

import httpx
import pytest

import respan_evals_api.facts as facts
from respan_evals import AsyncRespan, Respan, RespanValidationError, filters
from respan_evals_api.models import (
    Evaluator,
    EvaluatorRunResult,
    EvaluatorsSummary,
    EvaluatorType,
    EvaluatorVersion,
    PaginatedEvaluatorList,
    PaginatedEvaluatorVersionList,
    PaginatedScoreList,
    Score,
    ScoreValueType,
)

from .conftest import EVALUATOR, SCORE, VERSION, FakeAPI, page

UTC = datetime.UTC
QUALITY = {"evaluator_slug": {"operator": "", "value": ["quality"]}}
NEW_EVALUATOR = {
    "name": "Quality",
    "type": EvaluatorType.LLM,
    "score_value_type": ScoreValueType.NUMERICAL,
}
NEW_EVALUATOR_JSON = {"name": "Quality", "type": "llm", "score_value_type": "numerical"}

# (resource, method, args, kwargs, HTTP method, path, query, JSON body, returns)
Operation = tuple[str, str, tuple[Any, ...], dict[str, Any], str, str, dict[str, str], Any, Any]
OPERATIONS: list[Operation] = [
    (
        "scores",
        "create",
        (),
        {"numerical_value": 4.5, "evaluator_slug": "quality", "log_id": "log_1"},
        "POST",
        "/api/scores/",
        {},
        {"numerical_value": 4.5, "evaluator_slug": "quality", "log_id": "log_1"},
        Score,
    ),
    (
        "scores",
        "list",
        (),
        {"page": 2, "page_size": 10, "start_time": datetime.datetime(2024, 1, 1, tzinfo=UTC)},
        "GET",
        "/api/scores/",
        {"page": "2", "page_size": "10", "start_time": "2024-01-01T00:00:00+00:00"},
        None,
        PaginatedScoreList,
    ),
    ("scores", "retrieve", ("score_1",), {}, "GET", "/api/scores/score_1/", {}, None, Score),
    (
        "scores",
        "update",
        ("score_1",),
        {"boolean_value": None},
        "PATCH",
        "/api/scores/score_1/",
        {},
        {"boolean_value": None},
        Score,
    ),
    (
        "scores",
        "replace",
        ("score_1",),
        {"string_value": "ok", "environment": "test"},
        "PUT",
        "/api/scores/score_1/",
        {},
        {"string_value": "ok", "environment": "test"},
        Score,
    ),
    ("scores", "delete", ("score_1",), {}, "DELETE", "/api/scores/score_1/", {}, None, None),
    (
        "scores",
        "filter",
        (),
        {
            "filters": filters(evaluator_slug="quality"),
            "page": 1,
            "page_size": 5,
            "sort_by": "-created_at",
        },
        "POST",
        "/api/scores/list/",
        {"page": "1", "page_size": "5", "sort_by": "-created_at"},
        {"filters": QUALITY},
        PaginatedScoreList,
    ),
    (
        "log_scores",
        "upsert",
        ("log_1",),
        {"numerical_value": 3.0, "evaluator_slug": "quality"},
        "POST",
        "/api/logs/log_1/scores/",
        {},
        {"numerical_value": 3.0, "evaluator_slug": "quality"},
        Score,
    ),
    (
        "log_scores",
        "list",
        ("log_1",),
        {"page": 1},
        "GET",
        "/api/logs/log_1/scores/",
        {"page": "1"},
        None,
        PaginatedScoreList,
    ),
    (
        "log_scores",
        "retrieve",
        ("log_1", "score_1"),
        {},
        "GET",
        "/api/logs/log_1/scores/score_1/",
        {},
        None,
        Score,
    ),
    (
        "log_scores",
        "update",
        ("log_1", "score_1"),
        {"categorical_value": ["a"]},
        "PATCH",
        "/api/logs/log_1/scores/score_1/",
        {},
        {"categorical_value": ["a"]},
        Score,
    ),
    (
        "log_scores",
        "replace",
        ("log_1", "score_1"),
        {"json_value": '{"a":1}'},
        "PUT",
        "/api/logs/log_1/scores/score_1/",
        {},
        {"json_value": '{"a":1}'},
        Score,
    ),
    (
        "log_scores",
        "delete",
        ("log_1", "score_1"),
        {},
        "DELETE",
        "/api/logs/log_1/scores/score_1/",
        {},
        None,
        None,
    ),
    (
        "evaluators",
        "create",
        (),
        {**NEW_EVALUATOR, "evaluator_slug": "quality"},
        "POST",
        "/api/evaluators/",
        {},
        {**NEW_EVALUATOR_JSON, "evaluator_slug": "quality"},
        Evaluator,
    ),
    (
        "evaluators",
        "list",
        (),
        {"page": 1, "page_size": 20, "search": "qual"},
        "GET",
        "/api/evaluators/",
        {"page": "1", "page_size": "20", "search": "qual"},
        None,
        PaginatedEvaluatorList,
    ),
    (
        "evaluators",
        "filter",
        (),
        {
            "filters": QUALITY,
            "page": 1,
            "sort_by": "name",
            "is_including_public_evaluators": True,
            "is_exporting": False,
        },
        "POST",
        "/api/evaluators/list/",
        {"page": "1", "sort_by": "name", "is_including_public_evaluators": "true"},
        {"filters": QUALITY, "is_exporting": False},
        PaginatedEvaluatorList,
    ),
    (
        "evaluators",
        "retrieve",
        ("evl_1",),
        {},
        "GET",
        "/api/evaluators/evl_1/",
        {},
        None,
        Evaluator,
    ),
    (
        "evaluators",
        "update",
        ("evl_1",),
        {"description": None, "starred": True},
        "PATCH",
        "/api/evaluators/evl_1/",
        {},
        {"description": None, "starred": True},
        Evaluator,
    ),
    (
        "evaluators",
        "replace",
        ("evl_1",),
        NEW_EVALUATOR,
        "PUT",
        "/api/evaluators/evl_1/",
        {},
        NEW_EVALUATOR_JSON,
        Evaluator,
    ),
    ("evaluators", "delete", ("evl_1",), {}, "DELETE", "/api/evaluators/evl_1/", {}, None, None),
    (
        "evaluators",
        "run",
        ("evl_1:2",),
        {"inputs": {"input": "q", "output": "a"}, "generation_method": "llm"},
        "POST",
        "/api/evaluators/evl_1:2/run/",
        {},
        {"inputs": {"input": "q", "output": "a"}, "generation_method": "llm"},
        EvaluatorRunResult,
    ),
    (
        "evaluators",
        "summary",
        (),
        {},
        "GET",
        "/api/evaluators/summary/",
        {},
        None,
        EvaluatorsSummary,
    ),
    (
        "evaluators",
        "filter_summary",
        (),
        {"filters": QUALITY},
        "POST",
        "/api/evaluators/summary/",
        {},
        {"filters": QUALITY},
        EvaluatorsSummary,
    ),
    (
        "evaluators.versions",
        "list",
        ("evl_1",),
        {"page": 2},
        "GET",
        "/api/evaluators/evl_1/versions/",
        {"page": "2"},
        None,
        PaginatedEvaluatorVersionList,
    ),
    (
        "evaluators.versions",
        "create",
        ("evl_1",),
        {"version_description": "v1"},
        "POST",
        "/api/evaluators/evl_1/versions/",
        {},
        {"version_description": "v1"},
        EvaluatorVersion,
    ),
    (
        "evaluators.versions",
        "retrieve",
        ("evl_1", 1),
        {},
        "GET",
        "/api/evaluators/evl_1/versions/1/",
        {},
        None,
        EvaluatorVersion,
    ),
    (
        "evaluators.versions",
        "update",
        ("evl_1", 2),
        {"description": "d"},
        "PATCH",
        "/api/evaluators/evl_1/versions/2/",
        {},
        {"description": "d"},
        EvaluatorVersion,
    ),
    (
        "evaluators.versions",
        "replace",
        ("evl_1", 2),
        NEW_EVALUATOR,
        "PUT",
        "/api/evaluators/evl_1/versions/2/",
        {},
        NEW_EVALUATOR_JSON,
        EvaluatorVersion,
    ),
]
IDS = [f"{resource}.{method}" for resource, method, *_ in OPERATIONS]


def method_of(client: Respan | AsyncRespan, resource: str, name: str) -> Any:
    target: Any = client
    for part in resource.split("."):
        target = getattr(target, part)
    return getattr(target, name)


def test_the_table_covers_every_operation_of_the_spec() -> None:
    table = {(resource, name) for resource, name, *_ in OPERATIONS}
    spec = {(op.resource, op.name) for op in facts.OPERATIONS.values()}
    assert sorted(spec - table) == [] and sorted(table - spec) == []


def test_every_operation_is_a_method_sync_and_async(client: Respan, aclient: AsyncRespan) -> None:
    for op in facts.OPERATIONS.values():
        for each in (client, aclient):
            method = method_of(each, op.resource, op.name)
            assert method.__doc__ and f"({op.method} {op.path})" in method.__doc__
            if op.pagination is not None:
                assert callable(method_of(each, op.resource, f"iter_{op.name}")), op.operation_id
        assert inspect.iscoroutinefunction(method_of(aclient, op.resource, op.name))


def check_sent(api: FakeAPI, http_method: str, path: str, query: dict[str, str], body: Any) -> None:
    assert len(api.seen) == 1
    seen = api.seen[0]
    assert (seen.method, seen.path, seen.query, seen.json) == (http_method, path, query, body)
    assert seen.headers["authorization"].startswith("Bearer ")
    if body is not None:
        assert seen.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    ("resource", "name", "args", "kwargs", "http_method", "path", "query", "body", "returns"),
    OPERATIONS,
    ids=IDS,
)
def test_sync_operation(
    client: Respan,
    api: FakeAPI,
    resource: str,
    name: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    http_method: str,
    path: str,
    query: dict[str, str],
    body: Any,
    returns: Any,
) -> None:
    result = method_of(client, resource, name)(*args, **kwargs)
    check_sent(api, http_method, path, query, body)
    assert result is None if returns is None else isinstance(result, returns)


@pytest.mark.parametrize(
    ("resource", "name", "args", "kwargs", "http_method", "path", "query", "body", "returns"),
    OPERATIONS,
    ids=IDS,
)
async def test_async_operation(
    aclient: AsyncRespan,
    api: FakeAPI,
    resource: str,
    name: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    http_method: str,
    path: str,
    query: dict[str, str],
    body: Any,
    returns: Any,
) -> None:
    result = await method_of(aclient, resource, name)(*args, **kwargs)
    check_sent(api, http_method, path, query, body)
    assert result is None if returns is None else isinstance(result, returns)


def test_sync_and_async_resources_have_the_same_methods(
    client: Respan, aclient: AsyncRespan
) -> None:
    for resource in ("scores", "log_scores", "evaluators", "evaluators.versions"):
        target_sync, target_async = client, aclient
        for part in resource.split("."):
            target_sync, target_async = getattr(target_sync, part), getattr(target_async, part)
        public = {n for n in dir(target_sync) if not n.startswith("_")}
        assert public == {n for n in dir(target_async) if not n.startswith("_")}
        for name in public - {"versions", "with_raw_response"}:
            s = inspect.signature(getattr(target_sync, name))
            a = inspect.signature(getattr(target_async, name))
            assert list(s.parameters) == list(a.parameters), f"{resource}.{name}"


def test_returned_model_carries_the_response(client: Respan) -> None:
    score = client.scores.retrieve("score_1")
    assert score.id == SCORE["id"] and score.numerical_value == 4.5
    evaluator = client.evaluators.retrieve("evl_1")
    assert evaluator.evaluator_slug == EVALUATOR["evaluator_slug"]
    assert client.evaluators.versions.retrieve("evl_1", 1).version_id == VERSION["version_id"]


def test_body_fields_are_keyword_only(client: Respan, api: FakeAPI) -> None:
    with pytest.raises(TypeError, match="positional argument"):
        client.scores.update("score_1", 4.5)  # type: ignore[misc]
    with pytest.raises(TypeError, match="unexpected keyword argument 'nope'"):
        client.scores.create(nope=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        client.evaluators.create(name="x")  # type: ignore[call-arg]  # type and score_value_type
    assert api.seen == []


def test_signature_shows_path_then_keyword_fields(client: Respan) -> None:
    sig = inspect.signature(client.log_scores.update)
    kinds = {name: p.kind for name, p in sig.parameters.items()}
    assert kinds["log_id"] is inspect.Parameter.POSITIONAL_ONLY
    assert kinds["score_id"] is inspect.Parameter.POSITIONAL_ONLY
    assert kinds["numerical_value"] is inspect.Parameter.KEYWORD_ONLY
    assert "explanation" not in kinds  # PATCH takes only the value fields


def test_none_where_the_field_cannot_be_null_fails_before_sending(
    client: Respan, api: FakeAPI
) -> None:
    with pytest.raises(RespanValidationError, match="ScoreCreateRequest cannot be sent"):
        client.scores.create(timestamp=None)  # type: ignore[arg-type]
    with pytest.raises(RespanValidationError, match="cannot be sent"):
        client.scores.create(numerical_value=float("nan"), evaluator_slug="q", log_id="l")
    assert api.seen == []


def test_plain_values_become_the_generated_types(client: Respan, api: FakeAPI) -> None:
    client.evaluators.create(
        name="Q",
        type="llm",
        score_value_type="single_select",
        score_config={"choices": [{"name": "Calm", "value": "calm"}]},
        categorical_choices=({"name": "Calm", "value": "calm"},),
    )
    sent = api.seen[-1].json
    assert sent["type"] == "llm" and sent["score_value_type"] == "single_select"
    assert sent["score_config"] == {"choices": [{"name": "Calm", "value": "calm"}]}
    assert sent["categorical_choices"] == [{"name": "Calm", "value": "calm"}]


def test_a_plain_value_that_cannot_convert_names_the_field(client: Respan, api: FakeAPI) -> None:
    with pytest.raises(RespanValidationError, match=r"^type must be one of 'code', 'human', 'llm'"):
        client.evaluators.create(name="Q", type="judge", score_value_type="numerical")
    with pytest.raises(RespanValidationError, match=r"^score_config must be a dict"):
        client.evaluators.create(name="Q", type="llm", score_value_type="numerical", score_config=3)  # type: ignore[arg-type]
    with pytest.raises(RespanValidationError, match=r"^categorical_value must be a list"):
        client.scores.update("score_1", categorical_value="calm")
    assert api.seen == []


def test_bad_filters_and_run_arguments_fail_before_sending(client: Respan, api: FakeAPI) -> None:
    with pytest.raises(RespanValidationError, match="filters must be an object as Filters"):
        client.scores.filter(filters={"evaluator_slug": "quality"})  # type: ignore[dict-item]
    with pytest.raises(RespanValidationError, match="generation_method"):
        client.evaluators.run("evl_1", inputs={}, generation_method="magic")
    with pytest.raises(RespanValidationError, match="inputs must be"):
        client.evaluators.run("evl_1", inputs=["x"])  # type: ignore[arg-type]
    with pytest.raises(RespanValidationError, match="log_ids"):
        client.evaluators.run("evl_1", inputs={}, log_ids="log_1")
    assert api.seen == []


@pytest.mark.parametrize("bad", ["", " ", ".", "..", None, True, 1.5])
def test_bad_path_parameters_fail_before_sending(client: Respan, api: FakeAPI, bad: Any) -> None:
    with pytest.raises(RespanValidationError, match="path parameter"):
        client.scores.retrieve(bad)
    with pytest.raises(RespanValidationError, match="path parameter"):
        client.log_scores.update("log_1", bad, numerical_value=1.0)
    assert api.seen == []


def test_slash_in_a_path_parameter_stays_in_its_segment(client: Respan, api: FakeAPI) -> None:
    client.scores.retrieve("a/b?c")
    assert api.seen[0].path == "/api/scores/a/b?c/"  # decoded view; sent percent-encoded
    assert api.seen[0].query == {}


def three_pages(api: FakeAPI, route: str, base: str) -> None:
    items = [{**SCORE, "id": f"score_{i}"} for i in range(1, 7)]
    api.script(
        *route.split(" ", 1),
        httpx.Response(200, json=page(items[0:2], f"{base}?page=2")),
        httpx.Response(200, json=page(items[2:4], f"{base}?page=3")),
        httpx.Response(200, json=page(items[4:6], None)),
    )


def test_iter_list_walks_three_pages_and_stops(client: Respan, api: FakeAPI) -> None:
    three_pages(api, "GET /api/scores/", "https://api.respan.ai/api/scores/")
    ids = [s.id for s in client.scores.iter_list()]
    assert ids == [f"score_{i}" for i in range(1, 7)]
    assert [s.query for s in api.seen] == [
        {"page": "1", "page_size": "100"},
        {"page": "2", "page_size": "100"},
        {"page": "3", "page_size": "100"},
    ]


async def test_async_iter_list_walks_three_pages_and_stops(
    aclient: AsyncRespan, api: FakeAPI
) -> None:
    three_pages(api, "GET /api/logs/log_1/scores/", "https://api.respan.ai/api/logs/log_1/scores/")
    ids = [s.id async for s in aclient.log_scores.iter_list("log_1", page_size=2)]
    assert ids == [f"score_{i}" for i in range(1, 7)]
    assert [s.query["page"] for s in api.seen] == ["1", "2", "3"]
    assert {s.query["page_size"] for s in api.seen} == {"2"}


def test_iter_filter_sends_the_filters_on_every_page(client: Respan, api: FakeAPI) -> None:
    three_pages(api, "POST /api/scores/list/", "https://api.respan.ai/api/scores/list/")
    assert len(list(client.scores.iter_filter(filters=QUALITY, sort_by="id"))) == 6
    assert [s.json for s in api.seen] == [{"filters": QUALITY}] * 3
    assert [s.query["page"] for s in api.seen] == ["1", "2", "3"]


async def test_async_iterators_of_evaluators_and_versions(
    aclient: AsyncRespan, api: FakeAPI
) -> None:
    assert [e.id async for e in aclient.evaluators.iter_list()] == ["evl_1"]
    assert [e.id async for e in aclient.evaluators.iter_filter(filters=QUALITY)] == ["evl_1"]
    assert [v.version async for v in aclient.evaluators.versions.iter_list("evl_1")] == [1]
    assert [s.id async for s in aclient.scores.iter_filter()] == ["score_1"]
    assert api.routes() == [
        "GET /api/evaluators/",
        "POST /api/evaluators/list/",
        "GET /api/evaluators/evl_1/versions/",
        "POST /api/scores/list/",
    ]


def test_sync_iterators_of_evaluators_and_versions(client: Respan, api: FakeAPI) -> None:
    assert [e.id for e in client.evaluators.iter_list(search="q")] == ["evl_1"]
    assert [e.id for e in client.evaluators.iter_filter()] == ["evl_1"]
    assert [v.version for v in client.evaluators.versions.iter_list("evl_1")] == [1]
    assert api.seen[0].query == {"page": "1", "page_size": "100", "search": "q"}


def test_iterators_fetch_lazily(client: Respan, api: FakeAPI) -> None:
    three_pages(api, "GET /api/scores/", "https://api.respan.ai/api/scores/")
    iterator = client.scores.iter_list()
    assert api.seen == []
    next(iterator)
    next(iterator)
    assert len(api.seen) == 1
    next(iterator)
    assert len(api.seen) == 2
