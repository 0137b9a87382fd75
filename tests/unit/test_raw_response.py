"""client.<resource>.with_raw_response.<method>: status, headers, request id, retries taken and
.parse(), for every operation of the spec (facts.OPERATIONS), sync and async; errors as usual."""

from __future__ import annotations

import asyncio
import datetime
import inspect
from typing import Any

import httpx
import pytest

import respan_evals_api.facts as facts
from respan_evals import AsyncRespan, NotFoundError, Respan
from respan_evals._request_id import REQUEST_ID_HEADERS, request_id_of
from respan_evals_api.facts import Operation
from respan_evals_api.models import PaginatedEvaluatorVersionList, Score
from respan_evals_api.resources import RawResponse

from .conftest import KEY, SCORE, FakeAPI
from .test_resources import OPERATIONS as TABLE
from .test_resources import method_of

ARGS = {(r, n): (args, kwargs, returns) for r, n, args, kwargs, *_, returns in TABLE}
SPEC_OPS = list(facts.OPERATIONS.values())
IDS = [op.operation_id for op in SPEC_OPS]


def _raw_of(client: Respan | AsyncRespan, op: Operation) -> Any:
    return getattr(method_of(client, op.resource, "with_raw_response"), op.name)


def _check(raw: RawResponse[Any], op: Operation, returns: Any) -> None:
    assert isinstance(raw, RawResponse)
    assert 200 <= raw.status_code < 300
    assert raw.http_request.method == op.method
    assert raw.retries_taken == 0 and isinstance(raw.elapsed, datetime.timedelta)
    parsed = raw.parse()
    assert parsed is None if returns is None else isinstance(parsed, returns)


@pytest.mark.parametrize("op", SPEC_OPS, ids=IDS)
def test_sync_every_operation_answers_raw(client: Respan, api: FakeAPI, op: Operation) -> None:
    args, kwargs, returns = ARGS[(op.resource, op.name)]
    _check(_raw_of(client, op)(*args, **kwargs), op, returns)
    assert len(api.seen) == 1


@pytest.mark.parametrize("op", SPEC_OPS, ids=IDS)
async def test_async_every_operation_answers_raw(
    aclient: AsyncRespan, api: FakeAPI, op: Operation
) -> None:
    args, kwargs, returns = ARGS[(op.resource, op.name)]
    _check(await _raw_of(aclient, op)(*args, **kwargs), op, returns)
    assert len(api.seen) == 1


def test_raw_twins_have_the_methods_and_signatures_of_their_resource(
    client: Respan, aclient: AsyncRespan
) -> None:
    for op in SPEC_OPS:
        for each in (client, aclient):
            method = method_of(each, op.resource, op.name)
            raw = _raw_of(each, op)
            assert list(inspect.signature(raw).parameters) == list(
                inspect.signature(method).parameters
            )
            assert inspect.iscoroutinefunction(raw) is (each is aclient)
            assert op.path in (raw.__doc__ or "") and "RawResponse" in (raw.__doc__ or "")


def _script_retry(api: FakeAPI) -> None:
    api.script(
        "GET",
        "/api/scores/score_1/",
        httpx.Response(503),
        httpx.Response(200, json=SCORE, headers={"x-request-id": "req_abc", "x-other": "1"}),
    )


def _check_retried(raw: RawResponse[Score]) -> None:
    assert raw.status_code == 200
    assert raw.headers["x-other"] == "1"
    assert raw.request_id == "req_abc"
    assert raw.retries_taken == 1
    assert raw.http_request.url.path == "/api/scores/score_1/"
    assert raw.http_response.status_code == 200
    assert raw.elapsed >= datetime.timedelta(0)
    score = raw.parse()
    assert isinstance(score, Score) and score.id == "score_1"
    assert KEY not in repr(raw) and "req_abc" in repr(raw)


def test_sync_raw_after_one_retry(client: Respan, api: FakeAPI) -> None:
    _script_retry(api)
    _check_retried(client.scores.with_raw_response.retrieve("score_1"))
    assert len(api.seen) == 2


async def test_async_raw_after_one_retry(aclient: AsyncRespan, api: FakeAPI) -> None:
    _script_retry(api)
    _check_retried(await aclient.scores.with_raw_response.retrieve("score_1"))
    assert len(api.seen) == 2


def test_a_delete_parses_to_none(client: Respan) -> None:
    raw = client.scores.with_raw_response.delete("score_1")
    assert raw.status_code == 204 and raw.parse() is None


def test_nested_resources_both_ways(client: Respan, api: FakeAPI) -> None:
    first = client.evaluators.versions.with_raw_response.list("evl_1")
    second = client.evaluators.with_raw_response.versions.list("evl_1")
    for raw in (first, second):
        assert isinstance(raw.parse(), PaginatedEvaluatorVersionList)
    assert api.routes() == ["GET /api/evaluators/evl_1/versions/"] * 2


async def test_async_nested_resources(aclient: AsyncRespan) -> None:
    raw = await aclient.evaluators.with_raw_response.versions.retrieve("evl_1", 1)
    assert raw.parse().version_id == "evv_1"


def test_raw_takes_the_per_request_options(client: Respan, api: FakeAPI) -> None:
    raw = client.scores.with_raw_response.update(
        "score_1", string_value="ok", extra_body={"x": 1}, extra_headers={"X-Extra": "yes"}
    )
    assert api.seen[0].json == {"string_value": "ok", "x": 1}
    # http_request is the request as it was sent, the options applied.
    assert raw.http_request.headers["x-extra"] == "yes"
    assert b'"x":1' in raw.http_request.content


def test_sync_a_4xx_raises_as_usual(client: Respan, api: FakeAPI) -> None:
    api.script(
        "GET",
        "/api/scores/missing/",
        httpx.Response(404, json={"detail": "Not found."}, headers={"x-request-id": "req_404"}),
    )
    with pytest.raises(NotFoundError) as caught:
        client.scores.with_raw_response.retrieve("missing")
    assert caught.value.request_id == "req_404"
    assert client.scores.with_raw_response.retrieve("score_1").status_code == 200  # still works


async def test_async_a_4xx_raises_as_usual(aclient: AsyncRespan, api: FakeAPI) -> None:
    api.script("DELETE", "/api/scores/missing/", httpx.Response(404, json={"detail": "gone"}))
    with pytest.raises(NotFoundError):
        await aclient.scores.with_raw_response.delete("missing")


async def test_concurrent_raw_calls_keep_their_own_response(
    aclient: AsyncRespan, api: FakeAPI
) -> None:
    for i in range(6):
        api.script(
            "GET",
            f"/api/scores/s{i}/",
            httpx.Response(200, json={**SCORE, "id": f"s{i}"}, headers={"x-request-id": f"r{i}"}),
        )
    raws = await asyncio.gather(
        *(aclient.scores.with_raw_response.retrieve(f"s{i}") for i in range(6))
    )
    assert [(r.request_id, r.parse().id) for r in raws] == [(f"r{i}", f"s{i}") for i in range(6)]


def test_a_raw_call_inside_nothing_leaves_no_state(client: Respan, api: FakeAPI) -> None:
    from respan_evals._options import current_call

    client.scores.with_raw_response.retrieve("score_1")
    client.scores.retrieve("score_1", extra_headers={"X-A": "1"})
    assert current_call() is None


@pytest.mark.parametrize("name", REQUEST_ID_HEADERS)
def test_each_request_id_header_is_read(client: Respan, api: FakeAPI, name: str) -> None:
    api.script(
        "GET", "/api/scores/score_1/", httpx.Response(200, json=SCORE, headers={name: "id1"})
    )
    assert client.scores.with_raw_response.retrieve("score_1").request_id == "id1"


def test_request_id_of() -> None:
    assert request_id_of(None) is None and request_id_of({}) is None
    assert request_id_of({"X-Request-ID": " a "}) == "a"  # a plain dict: any case
    assert request_id_of(httpx.Headers({"Request-Id": "b", "cf-ray": "c"})) == "b"  # in order
    assert request_id_of({"x-request-id": "", "cf-ray": "c"}) == "c"
    assert request_id_of({"x-request-id": "  "}) is None
