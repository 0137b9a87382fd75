"""Per-request options on every method: timeout, max_retries, extra_headers/query/body, sync and
async. Every operation of the spec (facts.OPERATIONS) sends them; bad ones fail before sending."""

from __future__ import annotations

import inspect
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

import respan_evals_api.facts as facts
from respan_evals import (
    APITimeoutError,
    AsyncRespan,
    BadRequestError,
    InternalServerError,
    Respan,
    RespanValidationError,
)
from respan_evals_api.facts import Operation

from .conftest import KEY, SCORE, FakeAPI, Sleeps, make_async_client, make_client, page
from .test_resources import OPERATIONS as TABLE
from .test_resources import method_of

OPTION_NAMES = ["timeout", "max_retries", "extra_headers", "extra_query", "extra_body"]
EXTRA = {
    "extra_headers": {"X-Extra": "yes"},
    "extra_query": {"extra_q": "v"},
    "extra_body": {"extra_b": 1},
    "timeout": 7.5,
}
# The arguments of each operation, from the resources' table (which test_resources checks
# covers the spec exactly); the operations themselves come from the spec.
ARGS = {(r, n): (args, kwargs, query, body) for r, n, args, kwargs, _, _, query, body, _ in TABLE}
SPEC_OPS = list(facts.OPERATIONS.values())
IDS = [op.operation_id for op in SPEC_OPS]


class Recorder:
    """The fake API, also keeping each request's timeout extension as the transport sent it."""

    def __init__(self, api: FakeAPI) -> None:
        self.api = api
        self.timeouts: list[Any] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.timeouts.append(request.extensions.get("timeout"))
        return self.api(request)


def _client(recorder: Recorder, **kwargs: Any) -> Respan:
    client = Respan(
        KEY,
        http_client=httpx.Client(transport=httpx.MockTransport(recorder)),
        rate_limit=None,
        **kwargs,
    )
    client._transport.sleep = Sleeps()
    return client


def _async_client(recorder: Recorder, **kwargs: Any) -> AsyncRespan:
    client = AsyncRespan(
        KEY,
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(recorder)),
        rate_limit=None,
        **kwargs,
    )
    client._transport.sleep = Sleeps().asleep
    return client


def _check_wire(recorder: Recorder, op: Operation) -> None:
    _, _, query, body = ARGS[(op.resource, op.name)]
    assert len(recorder.api.seen) == 1
    seen = recorder.api.seen[0]
    assert seen.headers["x-extra"] == "yes"
    assert seen.headers["authorization"] == f"Bearer {KEY}"  # the key still goes, unchanged
    assert seen.query == {**query, "extra_q": "v"}
    # Merged at top level; a request without a body gets the extra as its body (as openai).
    assert seen.json == {**(body or {}), "extra_b": 1}
    assert seen.headers["content-type"] == "application/json"
    assert recorder.timeouts[0]["read"] == 7.5


@pytest.mark.parametrize("op", SPEC_OPS, ids=IDS)
def test_sync_options_reach_the_wire(api: FakeAPI, op: Operation) -> None:
    args, kwargs, _, _ = ARGS[(op.resource, op.name)]
    recorder = Recorder(api)
    with _client(recorder) as client:
        method_of(client, op.resource, op.name)(*args, **kwargs, **EXTRA)
    _check_wire(recorder, op)


@pytest.mark.parametrize("op", SPEC_OPS, ids=IDS)
async def test_async_options_reach_the_wire(api: FakeAPI, op: Operation) -> None:
    args, kwargs, _, _ = ARGS[(op.resource, op.name)]
    recorder = Recorder(api)
    async with _async_client(recorder) as client:
        await method_of(client, op.resource, op.name)(*args, **kwargs, **EXTRA)
    _check_wire(recorder, op)


def test_every_method_takes_the_options_keyword_only(client: Respan, aclient: AsyncRespan) -> None:
    for op in SPEC_OPS:
        names = [op.name] + ([f"iter_{op.name}"] if op.pagination else [])
        for each in (client, aclient):
            for name in names:
                params = inspect.signature(method_of(each, op.resource, name)).parameters
                assert list(params)[-5:] == OPTION_NAMES, f"{op.resource}.{name}"
                assert all(params[n].kind is inspect.Parameter.KEYWORD_ONLY for n in OPTION_NAMES)
            raw = method_of(each, op.resource, "with_raw_response")
            params = inspect.signature(getattr(raw, op.name)).parameters
            assert list(params)[-5:] == OPTION_NAMES, f"{op.resource}.with_raw_response.{op.name}"


def test_the_option_wins_over_the_method_s_own_value(client: Respan, api: FakeAPI) -> None:
    client.scores.list(page=2, extra_query={"page": 9})
    client.scores.create(numerical_value=4.5, log_id="log_1", extra_body={"numerical_value": 1})
    assert api.seen[0].query == {"page": "9"}
    assert api.seen[1].json == {"numerical_value": 1, "log_id": "log_1"}


def test_options_do_not_outlive_their_call(client: Respan, api: FakeAPI) -> None:
    client.scores.retrieve("score_1", extra_headers={"X-Extra": "yes"}, extra_query={"q": 1})
    api.script("GET", "/api/scores/boom/", httpx.Response(400, json={"detail": "no"}))
    with pytest.raises(BadRequestError):
        client.scores.retrieve("boom", extra_headers={"X-Extra": "yes"})
    client.scores.retrieve("score_1")
    last = api.seen[-1]
    assert "x-extra" not in last.headers and last.query == {}


async def test_async_options_do_not_outlive_their_call(aclient: AsyncRespan, api: FakeAPI) -> None:
    await aclient.scores.retrieve("score_1", extra_headers={"X-Extra": "yes"}, max_retries=0)
    await aclient.scores.retrieve("score_1")
    assert "x-extra" in api.seen[0].headers and "x-extra" not in api.seen[1].headers


async def test_concurrent_tasks_keep_their_own_options(aclient: AsyncRespan, api: FakeAPI) -> None:
    import asyncio

    await asyncio.gather(
        *(aclient.scores.retrieve(f"s{i}", extra_headers={"X-N": str(i)}) for i in range(8))
    )
    assert sorted((s.path, s.headers["x-n"]) for s in api.seen) == sorted(
        (f"/api/scores/s{i}/", str(i)) for i in range(8)
    )


def test_the_extras_go_on_every_attempt(client: Respan, api: FakeAPI) -> None:
    api.script("PUT", "/api/scores/score_1/", httpx.Response(503), httpx.Response(503))
    client.scores.replace("score_1", string_value="ok", extra_body={"x": 1}, extra_query={"q": 2})
    assert len(api.seen) == 3
    for seen in api.seen:
        assert seen.json == {"string_value": "ok", "x": 1} and seen.query == {"q": "2"}


def test_iterators_send_the_options_with_every_page(client: Respan, api: FakeAPI) -> None:
    api.script(
        "GET",
        "/api/scores/",
        httpx.Response(200, json=page([SCORE], "https://api.respan.ai/api/scores/?page=2")),
        httpx.Response(200, json=page([SCORE])),
    )
    items = list(client.scores.iter_list(extra_headers={"X-Extra": "yes"}, extra_query={"q": 1}))
    assert len(items) == 2 and len(api.seen) == 2
    assert all(s.headers["x-extra"] == "yes" and s.query["q"] == "1" for s in api.seen)


# --- max_retries ---------------------------------------------------------------------------


def test_max_retries_0_makes_one_attempt(client: Respan, api: FakeAPI) -> None:
    api.script("GET", "/api/scores/score_1/", httpx.Response(503))
    with pytest.raises(InternalServerError):
        client.scores.retrieve("score_1", max_retries=0)
    assert len(api.seen) == 1
    client.scores.retrieve("score_1")  # the client's 2 retries again: 503 is gone anyway
    api.script("GET", "/api/scores/score_1/", httpx.Response(503))
    client.scores.retrieve("score_1")
    assert len(api.seen) == 4  # 1, then 1, then a 503 retried once


async def test_async_max_retries_0_makes_one_attempt(aclient: AsyncRespan, api: FakeAPI) -> None:
    api.script("DELETE", "/api/scores/score_1/", httpx.Response(503))
    with pytest.raises(InternalServerError):
        await aclient.scores.delete("score_1", max_retries=0)
    assert len(api.seen) == 1


def test_max_retries_above_the_client_s(api: FakeAPI, sleeps: Sleeps) -> None:
    api.script("GET", "/api/scores/score_1/", *[httpx.Response(503)] * 3)
    with make_client(api, sleeps, max_retries=0) as client:
        assert client.scores.retrieve("score_1", max_retries=3).id == "score_1"
        assert len(api.seen) == 4
        api.script("GET", "/api/scores/score_1/", httpx.Response(503))
        with pytest.raises(InternalServerError):
            client.scores.retrieve("score_1")  # the client's own 0 again
    assert len(api.seen) == 5


async def test_async_max_retries_above_the_client_s(api: FakeAPI, sleeps: Sleeps) -> None:
    api.script("GET", "/api/scores/score_1/", httpx.Response(503), httpx.Response(503))
    async with make_async_client(api, sleeps, max_retries=0) as client:
        assert (await client.scores.retrieve("score_1", max_retries=2)).id == "score_1"
    assert len(api.seen) == 3


def test_retry_safety_stays_max_retries_or_not(client: Respan, api: FakeAPI) -> None:
    api.script("POST", "/api/scores/", httpx.Response(503))
    with pytest.raises(InternalServerError):  # a create is not retried once it may have landed
        client.scores.create(numerical_value=1, log_id="l", max_retries=5)
    assert len(api.seen) == 1


# --- timeout -------------------------------------------------------------------------------


@contextmanager
def slow_server(delay: float) -> Iterator[str]:
    """A server on 127.0.0.1 answering every GET with a score after `delay` seconds."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            time.sleep(delay)
            body = b'{"id": "score_1", "created_at": "2024-05-01T12:00:00Z"}'
            try:
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass  # the client gave up waiting: the point of the test

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_per_request_timeout_fires() -> None:
    with slow_server(1.0) as base, Respan(KEY, base_url=base, max_retries=0) as client:
        with pytest.raises(APITimeoutError):
            client.scores.retrieve("score_1", timeout=0.2)
        assert client.scores.retrieve("score_1").id == "score_1"  # the default 30 s: it waits


async def test_async_a_per_request_timeout_fires() -> None:
    with slow_server(1.0) as base:
        async with AsyncRespan(KEY, base_url=base, max_retries=0) as client:
            with pytest.raises(APITimeoutError):
                await client.scores.retrieve("score_1", timeout=0.2)
            assert (await client.scores.retrieve("score_1")).id == "score_1"


def test_an_httpx_timeout_is_taken_as_given(api: FakeAPI) -> None:
    recorder = Recorder(api)
    with _client(recorder) as client:
        client.scores.retrieve("score_1", timeout=httpx.Timeout(5.0, connect=1.0))
        client.scores.retrieve("score_1")
    assert recorder.timeouts[0] == {"connect": 1.0, "read": 5.0, "write": 5.0, "pool": 5.0}
    assert recorder.timeouts[1]["read"] == 30.0  # the client's default again


# --- checked before sending ----------------------------------------------------------------

BAD: list[tuple[dict[str, Any], str]] = [
    ({"timeout": 0}, "timeout must be a positive number"),
    ({"timeout": "5"}, "timeout must be a positive number"),
    ({"timeout": float("inf")}, "timeout must be a positive number"),
    ({"max_retries": -1}, "max_retries must be an int >= 0"),
    ({"max_retries": True}, "max_retries must be an int >= 0"),
    ({"max_retries": 1.5}, "max_retries must be an int >= 0"),
    ({"extra_headers": {"Authorization": "Bearer other"}}, "cannot set Authorization"),
    ({"extra_headers": {"authorization": "Bearer other"}}, "cannot set authorization"),
    ({"extra_headers": {"Content-Length": "3"}}, "cannot set Content-Length"),
    ({"extra_headers": {"Host": "evil.example"}}, "cannot set Host"),
    ({"extra_headers": {"X-A": "a\r\nX-B: b"}}, "without line breaks"),
    ({"extra_headers": {"X-A": 1}}, "must be a str"),
    ({"extra_headers": {"bad name": "x"}}, "is not a header name"),
    ({"extra_headers": [("X-A", "1")]}, "extra_headers must be a dict"),
    ({"extra_query": {"q": object()}}, r"extra_query\[.q.\] must be a str"),
    ({"extra_query": {"q": [1, None]}}, r"extra_query\[.q.\] must be a str"),
    ({"extra_query": {1: "x"}}, "extra_query must be a dict with str keys"),
    ({"extra_body": {"x": float("nan")}}, "extra_body cannot be sent as JSON"),
    ({"extra_body": {"x": object()}}, "extra_body cannot be sent as JSON"),
    ({"extra_body": [1]}, "extra_body must be a dict"),
]


@pytest.mark.parametrize(("options", "message"), BAD, ids=[m for _, m in BAD])
def test_bad_options_fail_before_sending(
    client: Respan, api: FakeAPI, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(RespanValidationError, match=message) as caught:
        client.scores.retrieve("score_1", **options)
    assert api.seen == []
    assert "other" not in str(caught.value)  # a header value is never echoed


@pytest.mark.parametrize(("options", "message"), BAD[:8], ids=[m for _, m in BAD[:8]])
async def test_async_bad_options_fail_before_sending(
    aclient: AsyncRespan, api: FakeAPI, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(RespanValidationError, match=message):
        await aclient.scores.create(log_id="l", **options)
    assert api.seen == []


# --- score_log -----------------------------------------------------------------------------


def test_score_log_sends_the_options_with_the_score(client: Respan, api: FakeAPI) -> None:
    client.score_log(
        "log_1",
        4.5,
        evaluator="quality",
        extra_headers={"X-Extra": "yes"},
        extra_body={"extra_b": 1},
        timeout=5,
    )
    lookup, upsert = api.seen
    assert lookup.route == "POST /api/evaluators/list/" and "x-extra" not in lookup.headers
    assert "extra_b" not in lookup.json["filters"] and "extra_b" not in lookup.json
    assert upsert.route == "POST /api/logs/log_1/scores/" and upsert.headers["x-extra"] == "yes"
    assert upsert.json["extra_b"] == 1 and upsert.json["numerical_value"] == 4.5


async def test_async_score_log_sends_the_options_with_the_score(
    aclient: AsyncRespan, api: FakeAPI
) -> None:
    api.script("POST", "/api/logs/log_1/scores/", httpx.Response(503))
    with pytest.raises(InternalServerError):
        await aclient.score_log(
            "log_1", 4.5, evaluator_id="evl_1", value_type="numerical", max_retries=0
        )
    assert api.routes() == ["POST /api/logs/log_1/scores/"]
    score = await aclient.score_log(
        "log_1", 4.5, evaluator_id="evl_1", value_type="numerical", extra_query={"q": "1"}
    )
    assert score.id == "score_1" and api.seen[-1].query == {"q": "1"}


# --- typing --------------------------------------------------------------------------------


def _typed_calls() -> str:
    """A module calling every method (plain, iter_, raw; sync and async) with every option."""
    from respan_evals import Respan as _R

    options = (
        'timeout=2.5, max_retries=0, extra_headers={"X-A": "1"}, '
        'extra_query={"q": 1}, extra_body={"b": [1]}'
    )
    lines = [
        "from typing import Any",
        "from respan_evals import AsyncRespan, Respan",
        "from respan_evals_api.resources import RawResponse",
        "import respan_evals_api.models as m",
        "x: Any = None",
        "def sync(c: Respan) -> None:",
    ]
    async_lines = ["async def run(c: AsyncRespan) -> None:"]
    for op in SPEC_OPS:
        _, _, _, _, _, _, _, _, returns = next(t for t in TABLE if t[:2] == (op.resource, op.name))
        params = inspect.signature(method_of(_R("k"), op.resource, op.name)).parameters.values()
        required = [p for p in params if p.default is inspect.Parameter.empty]
        args = ", ".join(
            "x" if p.kind is inspect.Parameter.POSITIONAL_ONLY else f"{p.name}=x" for p in required
        )
        call = f"{args}, {options}" if args else options
        result = "None" if returns is None else f"m.{returns.__name__}"
        target = f"c.{op.resource}"
        # A delete returns None: called, not assigned (mypy refuses to keep a None result).
        keep = "" if returns is None else f"_{op.operation_id}: {result} = "
        lines.append(f"    {keep}{target}.{op.name}({call})")
        lines.append(
            f"    _{op.operation_id}_raw: RawResponse[{result}] = "
            f"{target}.with_raw_response.{op.name}({call})"
        )
        async_lines.append(f"    {keep}await {target}.{op.name}({call})")
        async_lines.append(
            f"    _{op.operation_id}_raw: {result} = "
            f"(await {target}.with_raw_response.{op.name}({call})).parse()"
        )
        if op.pagination is not None:
            lines.append(f"    _{op.operation_id}_all = list({target}.iter_{op.name}({call}))")
    return "\n".join([*lines, *async_lines]) + "\n"


def test_mypy_accepts_the_options_on_every_method(tmp_path: Any) -> None:
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    source = tmp_path / "calls.py"
    source.write_text(_typed_calls())
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from respan_evals import Respan\n"
        "def f(c: Respan) -> None:\n"
        "    c.scores.retrieve('s', timeout='5')\n"
        "    c.scores.with_raw_response.retrieve('s', extra_headers={'X': 1})\n"
    )
    cache = tmp_path / "cache"
    if (root / ".mypy_cache").is_dir():  # a warm copy: mypy rechecks only what changed
        shutil.copytree(root / ".mypy_cache", cache)
    command = [sys.executable, "-m", "mypy", "--strict", "--config-file", "pyproject.toml"]
    command += ["--cache-dir", str(cache), "--no-error-summary"]
    good = subprocess.run([*command, str(source)], cwd=root, capture_output=True, text=True)
    assert good.returncode == 0, good.stdout + source.read_text()
    wrong = subprocess.run([*command, str(bad)], cwd=root, capture_output=True, text=True)
    assert wrong.stdout.count("error:") == 2, wrong.stdout
