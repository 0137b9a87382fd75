"""score_log: the value lands in the field its evaluator expects, with value_type given or
looked up (once per client, one request for concurrent first calls); bad values send nothing."""

from __future__ import annotations

import asyncio
import datetime
import threading
import time
from typing import Any

import httpx
import pytest

from respan_evals import (
    AsyncRespan,
    NotFoundError,
    Respan,
    RespanValidationError,
    ScoreValueError,
)

from .conftest import EVALUATOR, KEY, SCORE, FakeAPI, Sleeps, page

UPSERT = r"/api/logs/[^/]+/scores/"
LOOKUP = r"/api/evaluators/list/"

# (value_type, value, field, value as sent)
VALUES: list[tuple[str, Any, str, Any]] = [
    ("numerical", 4.5, "numerical_value", 4.5),
    ("numerical", 3, "numerical_value", 3.0),
    ("percentage", 80, "numerical_value", 80.0),
    ("boolean", True, "boolean_value", True),
    ("boolean", False, "boolean_value", False),
    ("single_select", "calm", "categorical_value", ["calm"]),
    ("multi_select", ["calm", "warm"], "categorical_value", ["calm", "warm"]),
    ("multi_select", [], "categorical_value", []),
    ("categorical", "calm", "categorical_value", ["calm"]),
    ("text", "fine answer", "string_value", "fine answer"),
    ("comment", "note", "string_value", "note"),
    ("json", {"rating": 5}, "json_value", '{"rating":5}'),
    ("json", '{"already": "json"}', "json_value", '{"already": "json"}'),
]
IDS = [f"{t}-{i}" for i, (t, *_) in enumerate(VALUES)]


def evaluator(value_type: str, **extra: Any) -> dict[str, Any]:
    config: dict[str, Any] = {}
    if value_type in ("single_select", "multi_select", "categorical"):
        config = {"choices": [{"name": n, "value": n} for n in ("calm", "warm")]}
    return {**EVALUATOR, "score_value_type": value_type, "score_config": config, **extra}


@pytest.mark.parametrize(("value_type", "value", "field", "sent"), VALUES, ids=IDS)
def test_value_type_given_needs_no_lookup(
    client: Respan, api: FakeAPI, value_type: str, value: Any, field: str, sent: Any
) -> None:
    score = client.score_log("log_1", value, evaluator="quality", value_type=value_type)
    assert score.id == SCORE["id"]
    assert api.routes() == ["POST /api/logs/log_1/scores/"]
    assert api.seen[0].json == {field: sent, "evaluator_slug": "quality"}


@pytest.mark.parametrize(("value_type", "value", "field", "sent"), VALUES, ids=IDS)
def test_value_type_looked_up_by_slug(
    client: Respan, api: FakeAPI, value_type: str, value: Any, field: str, sent: Any
) -> None:
    api.script("POST", LOOKUP, httpx.Response(200, json=page([evaluator(value_type)])))
    client.score_log("log_1", value, evaluator="quality")
    assert api.routes() == ["POST /api/evaluators/list/", "POST /api/logs/log_1/scores/"]
    lookup = api.seen[0]
    assert lookup.query == {"page_size": "1"}
    assert lookup.json == {"filters": {"evaluator_slug": {"operator": "", "value": ["quality"]}}}
    assert api.seen[1].json == {field: sent, "evaluator_slug": "quality"}


@pytest.mark.parametrize(("value_type", "value", "field", "sent"), VALUES, ids=IDS)
async def test_async_value_type_looked_up_by_id(
    aclient: AsyncRespan, api: FakeAPI, value_type: str, value: Any, field: str, sent: Any
) -> None:
    api.script("GET", "/api/evaluators/evl_1/", httpx.Response(200, json=evaluator(value_type)))
    await aclient.score_log("log_1", value, evaluator_id="evl_1")
    assert api.routes() == ["GET /api/evaluators/evl_1/", "POST /api/logs/log_1/scores/"]
    assert api.seen[1].json == {field: sent, "evaluator_id": "evl_1"}


def test_all_other_fields_are_sent(client: Respan, api: FakeAPI) -> None:
    when = datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.UTC)
    client.score_log(
        "log_1",
        2,
        evaluator_id="evl_1",
        value_type="numerical",
        timestamp=when,
        environment="test",
        explanation="because",
        prompt_id="p1",
        prompt_version_number=3,
        dataset_id="d1",
        automation_id="a1",
    )
    assert api.seen[0].json == {
        "numerical_value": 2.0,
        "evaluator_id": "evl_1",
        "timestamp": "2024-05-01T12:00:00+00:00",
        "environment": "test",
        "explanation": "because",
        "prompt_id": "p1",
        "prompt_version_number": 3,
        "dataset_id": "d1",
        "automation_id": "a1",
    }


def test_timestamp_may_be_an_iso_string(client: Respan, api: FakeAPI) -> None:
    client.score_log(
        "l", 1, evaluator="q", value_type="numerical", timestamp="2024-05-01T12:00:00Z"
    )
    assert api.seen[0].json["timestamp"] == "2024-05-01T12:00:00+00:00"


@pytest.mark.parametrize(
    ("value_type", "value"),
    [
        ("numerical", "5"),
        ("numerical", True),
        ("numerical", float("nan")),
        ("percentage", 101),
        ("boolean", 1),
        ("boolean", "true"),
        ("single_select", ["a", "b"]),
        ("multi_select", "a"),
        ("text", b"bytes"),
        ("json", "{not json"),
        ("json", object()),
        ("numerical", None),
    ],
)
def test_bad_values_fail_before_anything_is_sent(
    client: Respan, api: FakeAPI, value_type: str, value: Any
) -> None:
    with pytest.raises(ScoreValueError):
        client.score_log("log_1", value, evaluator="quality", value_type=value_type)
    assert api.seen == []


@pytest.mark.parametrize(
    ("config", "value"),
    [
        (evaluator("numerical", score_config={"min_score": 1, "max_score": 5}), 7),
        (evaluator("single_select"), "angry"),
        (evaluator("multi_select"), ["calm", "angry"]),
        (evaluator("percentage", score_config={}), 150),
    ],
)
def test_looked_up_bounds_and_choices_are_checked_before_the_score_is_sent(
    client: Respan, api: FakeAPI, config: dict[str, Any], value: Any
) -> None:
    api.script("POST", LOOKUP, httpx.Response(200, json=page([config])))
    with pytest.raises(ScoreValueError):
        client.score_log("log_1", value, evaluator="quality")
    assert api.count("POST", UPSERT) == 0


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"evaluator": "quality", "evaluator_id": "evl_1"},
        {"evaluator": ""},
        {"evaluator": "quality", "value_type": "stars"},
        {"evaluator": "quality", "value_type": "numerical", "timestamp": "yesterday"},
        {"evaluator": "quality", "value_type": "numerical", "environment": 3},
        {"evaluator": "quality", "value_type": "numerical", "prompt_version_number": "2"},
    ],
)
def test_bad_arguments_fail_before_anything_is_sent(
    client: Respan, api: FakeAPI, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(RespanValidationError):
        client.score_log("log_1", 1, **kwargs)
    assert api.seen == []


@pytest.mark.parametrize("log_id", ["", "..", None, 5])
def test_bad_log_id_fails_before_anything_is_sent(
    client: Respan, api: FakeAPI, log_id: Any
) -> None:
    with pytest.raises(RespanValidationError):
        client.score_log(log_id, 1, evaluator="quality")
    assert api.seen == []


def test_unknown_slug_names_it_and_sends_no_score(client: Respan, api: FakeAPI) -> None:
    api.script("POST", LOOKUP, httpx.Response(200, json=page([])))
    with pytest.raises(RespanValidationError, match="'nope'"):
        client.score_log("log_1", 1, evaluator="nope")
    assert api.routes() == ["POST /api/evaluators/list/"]


def test_a_lookup_that_ignored_the_filter_is_not_trusted(client: Respan, api: FakeAPI) -> None:
    other = {**EVALUATOR, "evaluator_slug": "other", "score_value_type": "boolean"}
    api.script("POST", LOOKUP, httpx.Response(200, json=page([other])))
    with pytest.raises(RespanValidationError, match="'quality'"):
        client.score_log("log_1", True, evaluator="quality")
    assert api.count("POST", UPSERT) == 0


def test_an_evaluator_without_a_value_type_explains_what_to_do(
    client: Respan, api: FakeAPI
) -> None:
    api.script("POST", LOOKUP, httpx.Response(200, json=page([evaluator("stars")])))
    with pytest.raises(ScoreValueError, match=r"log_scores\.upsert"):
        client.score_log("log_1", 1, evaluator="quality")
    assert api.count("POST", UPSERT) == 0


def test_one_lookup_for_many_calls(client: Respan, api: FakeAPI) -> None:
    for i in range(5):
        client.score_log(f"log_{i}", 4, evaluator="quality")
    for i in range(3):
        client.score_log(f"log_{i}", 4, evaluator_id="evl_1")
    assert api.count("POST", LOOKUP) == 1
    assert api.count("GET", "/api/evaluators/evl_1/") == 1
    assert api.count("POST", UPSERT) == 8


def test_a_failed_lookup_is_not_cached(client: Respan, api: FakeAPI) -> None:
    api.script("GET", "/api/evaluators/evl_1/", httpx.Response(404, json={"detail": "Not found."}))
    with pytest.raises(NotFoundError):
        client.score_log("log_1", 4, evaluator_id="evl_1")
    client.score_log("log_1", 4, evaluator_id="evl_1")
    assert api.count("GET", "/api/evaluators/evl_1/") == 2


def test_concurrent_first_lookups_share_one_request_threads(api: FakeAPI) -> None:
    def slow_lookup(request: httpx.Request) -> httpx.Response:
        time.sleep(0.2)  # long enough for every thread to arrive and wait on the first
        return httpx.Response(200, json=page([EVALUATOR]))

    api.script("POST", LOOKUP, slow_lookup, slow_lookup)
    client = Respan(
        KEY, http_client=httpx.Client(transport=httpx.MockTransport(api)), rate_limit=None
    )
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def work(i: int) -> None:
        start.wait()
        try:
            client.score_log(f"log_{i}", 3, evaluator="quality")
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert api.count("POST", LOOKUP) == 1
    assert api.count("POST", UPSERT) == 8


def async_client_with_slow_lookups(api: FakeAPI, delay: float = 0.05) -> AsyncRespan:
    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/api/evaluators/"):
            await asyncio.sleep(delay)  # yield, so the other tasks reach the cache meanwhile
        return api(request)

    client = AsyncRespan(
        KEY, http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)), rate_limit=None
    )
    client._transport.sleep = Sleeps().asleep
    return client


async def test_concurrent_first_lookups_share_one_request_tasks(api: FakeAPI) -> None:
    client = async_client_with_slow_lookups(api)
    await asyncio.gather(*(client.score_log(f"log_{i}", 3, evaluator="quality") for i in range(8)))
    await asyncio.gather(*(client.score_log(f"log_{i}", 3, evaluator_id="evl_1") for i in range(8)))
    assert api.count("POST", LOOKUP) == 1
    assert api.count("GET", "/api/evaluators/evl_1/") == 1
    assert api.count("POST", UPSERT) == 16
    await client.aclose()


async def test_concurrent_waiters_share_a_failed_lookup(api: FakeAPI) -> None:
    client = async_client_with_slow_lookups(api)
    api.script("GET", "/api/evaluators/evl_1/", httpx.Response(404, json={"detail": "gone"}))
    results = await asyncio.gather(
        *(client.score_log("log_1", 3, evaluator_id="evl_1") for _ in range(4)),
        return_exceptions=True,
    )
    assert all(isinstance(r, NotFoundError) for r in results)
    assert api.count("GET", "/api/evaluators/evl_1/") == 1
    await client.score_log("log_1", 3, evaluator_id="evl_1")  # not cached: looked up again
    assert api.count("GET", "/api/evaluators/evl_1/") == 2
    await client.aclose()


async def test_a_cancelled_first_lookup_hands_over_to_a_waiter(api: FakeAPI) -> None:
    client = async_client_with_slow_lookups(api, delay=0.1)
    leader = asyncio.create_task(client.score_log("log_1", 3, evaluator="quality"))
    await asyncio.sleep(0.01)
    waiter = asyncio.create_task(client.score_log("log_2", 3, evaluator="quality"))
    await asyncio.sleep(0.01)
    leader.cancel()
    score = await waiter
    assert score.id == SCORE["id"]
    assert leader.cancelled()
    assert api.count("POST", UPSERT) == 1
    await client.aclose()


async def test_async_bad_values_send_nothing(aclient: AsyncRespan, api: FakeAPI) -> None:
    with pytest.raises(ScoreValueError):
        await aclient.score_log("log_1", "high", evaluator="quality", value_type="numerical")
    with pytest.raises(RespanValidationError):
        await aclient.score_log("log_1", 1)
    assert api.seen == []
