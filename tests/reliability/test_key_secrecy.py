"""The API key never leaves except in the Authorization header of an https (or loopback)
request: not in exception messages, reprs, tracebacks, DEBUG logs or cassettes."""

from __future__ import annotations

import logging
import pathlib
import re
import socket
import traceback
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from respan_evals import (
    AsyncRespan,
    InsecureTransportError,
    Respan,
    RespanError,
    RespanValidationError,
)
from respan_evals.testing import Emulator, FaultPlan

from .conftest import KEY, SCORE, Recorder

CASSETTES = pathlib.Path(__file__).resolve().parents[1] / "contract" / "cassettes"
LOGGERS = ("respan_evals", "httpx", "httpcore", "hpack", "asyncio", "")

ERROR_BODIES: dict[int, dict[str, Any]] = {
    400: {"detail": "Invalid value.", "errors": {"numerical_value": ["Expected a number."]}},
    401: {"detail": "Your API key is invalid or expired, please check your API key."},
    403: {"detail": "This version is read-only."},
    404: {"detail": "Not found."},
    409: {"detail": "A score for this log and evaluator already exists."},
    422: {"numerical_value": ["Must be between 0 and 5."], "non_field_errors": ["Bad."]},
    429: {"detail": "Rate limit exceeded", "retry_after": 0},
    500: {"detail": "Internal Server Error"},
    502: {"detail": "Bad Gateway"},
    503: {"detail": "Service Unavailable"},
}


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every record of every logger, at DEBUG."""
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name or None)
    yield caplog
    assert_logs_clean(caplog.records)


def assert_clean(text: str, where: str) -> None:
    assert KEY not in text, f"the API key appears in {where}: {text[:300]!r}"


def assert_error_clean(error: BaseException, where: str) -> None:
    assert_clean(str(error), f"str() of {where}")
    assert_clean(repr(error), f"repr() of {where}")
    assert_clean("".join(traceback.format_exception(error)), f"the traceback of {where}")
    for arg in error.args:
        assert_clean(repr(arg), f"the args of {where}")


def assert_logs_clean(records: list[logging.LogRecord]) -> None:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    for record in records:
        where = f"a log record of {record.name!r}"
        assert_clean(record.getMessage(), where)
        assert_clean(str(record.msg), where)
        assert_clean(repr(record.args), where)
        assert_clean(formatter.format(record), where)


def _error_reply(status: int) -> Any:
    def reply(request: httpx.Request) -> httpx.Response:
        headers = {"retry-after": "0"} if status == 429 else {}
        return httpx.Response(status, json=ERROR_BODIES[status], headers=headers)

    return reply


def _calls(client: Respan) -> dict[str, Any]:
    return {
        "scores.retrieve": lambda: client.scores.retrieve("score_1"),
        "scores.create": lambda: client.scores.create(
            log_id="log_1", evaluator_slug="quality", numerical_value=4.0
        ),
        "score_log": lambda: client.score_log(
            "log_1", 4.0, evaluator_id="evl_1", value_type="numerical"
        ),
        "score_log (lookup)": lambda: client.score_log("log_1", 4.0, evaluator="quality"),
        "evaluators.list": lambda: client.evaluators.list(page_size=5),
    }


def _expect_error(call: Any, where: str) -> RespanError:
    try:
        call()
    except RespanError as e:
        assert_error_clean(e, where)
        return e
    raise AssertionError(f"{where}: no error")


@pytest.mark.parametrize("status", list(ERROR_BODIES))
def test_error_statuses(status: int, logs: pytest.LogCaptureFixture) -> None:
    # A 429 is retried once (retry_after 0: no wait), so the retry logging is exercised too.
    retries = 1 if status == 429 else 0
    recorder = Recorder(_error_reply(status))
    with recorder.client(max_retries=retries) as client:
        for name, call in _calls(client).items():
            error = _expect_error(call, f"{name} -> {status}")
            assert getattr(error, "status_code", None) == status
        assert_clean(repr(client), "repr(client)")
        outcomes = client.score_logs(
            [{"log_id": "log_1", "value": 1.0, "evaluator": "quality"}], concurrency=1
        )
        assert outcomes[0].error is not None
        assert_clean(repr(outcomes), "repr() of bulk outcomes")
    assert all(KEY in r.headers["authorization"] for r in recorder.requests)  # it was sent
    if retries:
        assert any(r.name == "respan_evals" for r in logs.records), "no retry was logged"


def test_html_error_page(logs: pytest.LogCaptureFixture) -> None:
    page = b"<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>"
    recorder = Recorder(
        lambda r: httpx.Response(502, content=page, headers={"content-type": "text/html"})
    )
    with recorder.client() as client:
        for name, call in _calls(client).items():
            _expect_error(call, f"{name} -> HTML 502")


def test_transport_errors_raised_inside_httpx(logs: pytest.LogCaptureFixture) -> None:
    for exc in (httpx.ReadTimeout, httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError):

        def fail(request: httpx.Request, exc: type[httpx.TransportError] = exc) -> httpx.Response:
            raise exc("the server went away", request=request)

        with Recorder(fail).client() as client:
            for name, call in _calls(client).items():
                _expect_error(call, f"{name} -> {exc.__name__}")


def test_connection_refused_on_a_real_socket(logs: pytest.LogCaptureFixture) -> None:
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with Respan(KEY, base_url=f"http://127.0.0.1:{port}", max_retries=1, rate_limit=None) as client:
        _expect_error(lambda: client.scores.retrieve("score_1"), "connection refused")
        assert_clean(repr(client), "repr(client)")
    assert any("retrying" in r.getMessage() for r in logs.records), "no retry was logged"


@pytest.mark.respan_emulator(rate_limit=None)
def test_real_server_answers_and_timeouts(
    respan_emulator: Emulator, logs: pytest.LogCaptureFixture
) -> None:
    """Over real sockets (so httpcore's DEBUG logging runs): success, 401, 404, 400, timeout."""
    emu = respan_emulator
    url = emu.base_url
    with Respan(KEY, base_url=url, rate_limit=None, max_retries=0, timeout=2.0) as client:
        _expect_error(lambda: client.evaluators.list(), "401 from the emulator")
    emu.add_api_key(KEY, "secret@example.com")
    evaluator = emu.create_evaluator(name="Quality", score_value_type="numerical")
    with Respan(KEY, base_url=url, rate_limit=None, max_retries=0, timeout=0.2) as client:
        client.score_log("log_1", 4.0, evaluator_id=evaluator["id"], value_type="numerical")
        _expect_error(lambda: client.scores.retrieve("score_missing"), "404 from the emulator")
        _expect_error(
            lambda: client.score_log("log_1", 4.0, evaluator_id="evl_nope", value_type="numerical"),
            "404 on an unknown evaluator",
        )
        _expect_error(
            lambda: client.scores.create(log_id="log_1", evaluator_id=evaluator["id"]),
            "400 from the emulator",
        )
        emu.set_faults(FaultPlan(latency=0.5))
        error = _expect_error(lambda: client.scores.retrieve("score_missing"), "a timeout")
        assert type(error).__name__ == "APITimeoutError"
        emu.set_faults(FaultPlan(drop_after_write_rate=1.0))
        error = _expect_error(
            lambda: client.scores.create(
                log_id="log_2", evaluator_id=evaluator["id"], numerical_value=1.0
            ),
            "a dropped connection",
        )
        assert error.outcome_unknown
        emu.clear_faults()
    assert any(r.name.startswith("httpcore") for r in logs.records), "httpcore logged nothing"


async def test_async_client(logs: pytest.LogCaptureFixture) -> None:
    for status in (401, 429, 503):
        recorder = Recorder(_error_reply(status))
        async with recorder.aclient(max_retries=1) as client:
            assert_clean(repr(client), "repr(async client)")
            for name, call in (
                ("retrieve", lambda: client.scores.retrieve("score_1")),
                ("create", lambda: client.scores.create(log_id="l", evaluator_slug="q")),
                ("score_log", lambda: client.score_log("l", 1.0, evaluator="quality")),
            ):
                try:
                    await call()
                except RespanError as e:
                    assert_error_clean(e, f"async {name} -> {status}")
                else:
                    raise AssertionError(f"async {name} -> {status}: no error")


def test_validation_errors(logs: pytest.LogCaptureFixture) -> None:
    recorder = Recorder()
    with recorder.client() as client:
        for where, call in {
            "a bad value": lambda: client.score_log(
                "l", True, evaluator_id="e", value_type="numerical"
            ),
            "a dot-segment id": lambda: client.scores.retrieve(".."),
            "an unknown value_type": lambda: client.score_log(
                "l", 1, evaluator_id="e", value_type="x"
            ),
            "bad filters": lambda: client.scores.filter(filters="nope"),  # type: ignore[arg-type]
            "a bad body field": lambda: client.scores.create(numerical_value=float("nan")),
        }.items():
            error = _expect_error(call, where)
            assert isinstance(error, RespanValidationError)
    assert not recorder.requests
    # A key with a stray character is refused without being echoed.
    for bad in (KEY + "\n", KEY + " ", f"Bearer {KEY}", KEY + "\u00e9", "\t" + KEY):
        with pytest.raises(RespanValidationError) as caught:
            Respan(bad, base_url="https://api.respan.ai")
        assert_error_clean(caught.value, f"the error for key {bad[-3:]!r}")


def test_reprs_of_clients_and_resources() -> None:
    with Respan(KEY, rate_limit=None) as client:
        for name, thing in {
            "client": client,
            "client.api": client.api,
            "client.scores": client.scores,
            "client.log_scores": client.log_scores,
            "client.evaluators": client.evaluators,
            "client.evaluators.versions": client.evaluators.versions,
        }.items():
            assert_clean(repr(thing), f"repr({name})")
            assert_clean(str(thing), f"str({name})")


def test_server_echoing_the_key_is_not_repeated_in_messages(logs: pytest.LogCaptureFixture) -> None:
    """Servers and proxies do echo credentials ("Invalid API key: sk_..."): the exception
    message, logged by callers and error trackers, must not carry it on."""

    def echo(request: httpx.Request) -> httpx.Response:
        auth = request.headers["authorization"]
        return httpx.Response(
            401,
            json={"detail": f"Invalid API key: {auth.split()[-1]}", "errors": {"auth": [auth]}},
        )

    with Recorder(echo).client() as client:
        for name, call in _calls(client).items():
            _expect_error(call, f"{name} -> a 401 echoing the key")


def test_cassettes_hold_no_key() -> None:
    files = [p for p in CASSETTES.rglob("*") if p.is_file()] if CASSETTES.is_dir() else []
    if not files:
        pytest.skip(f"no cassettes under {CASSETTES} yet")
    for path in files:
        text = path.read_text("utf-8", errors="replace")
        assert_clean(text, f"cassette {path.name}")
        keys = set(re.findall(r"\bsk_[A-Za-z0-9_]{8,}", text))
        assert not keys, f"cassette {path.name} holds key-shaped strings: {sorted(keys)[:3]}"
        bearers = set(re.findall(r"Bearer\s+(\S+)", text))
        assert bearers <= {"<RESPAN_API_KEY>"}, f"cassette {path.name}: Bearer {sorted(bearers)}"


# ---- plain http ----------------------------------------------------------------------------------
REMOTE_HTTP = [
    "http://api.respan.ai",
    "HTTP://API.RESPAN.AI/",
    "http://10.0.0.5:8000",
    "http://192.168.1.10",
    "http://example.com/api",
    "http://localhost.example.com",
    "http://127.0.0.1.nip.io",
    "http://[::ffff:8.8.8.8]",
    "http://0.0.0.0:8000",
]


@pytest.mark.parametrize("url", REMOTE_HTTP)
@pytest.mark.parametrize("cls", [Respan, AsyncRespan])
def test_plain_http_to_a_remote_host_is_refused(
    url: str, cls: type[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = Recorder()
    transport = httpx.MockTransport(recorder.handle)
    inner: Any = (
        httpx.Client(transport=transport)
        if cls is Respan
        else httpx.AsyncClient(transport=transport)
    )
    with pytest.raises(InsecureTransportError) as caught:
        cls(KEY, base_url=url, http_client=inner)
    assert_error_clean(caught.value, f"the refusal of {url}")
    monkeypatch.setenv("RESPAN_BASE_URL", url)  # the same through the environment
    with pytest.raises(InsecureTransportError):
        cls(KEY, http_client=inner)
    assert not recorder.requests


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:1", "http://localhost:8000", "http://[::1]", "http://127.9.9.9"]
)
def test_plain_http_to_loopback_is_allowed(url: str) -> None:
    Respan(KEY, base_url=url).close()


def test_plain_http_with_explicit_permission_is_sent() -> None:
    recorder = Recorder(lambda r: httpx.Response(200, json=SCORE))
    with recorder.client(base_url="http://api.internal.example", allow_insecure_http=True) as c:
        c.scores.retrieve("score_1")
    assert [str(r.url) for r in recorder.requests] == [
        "http://api.internal.example/api/scores/score_1/"
    ]


@pytest.mark.parametrize(
    "location", ["http://api.respan.ai/api/scores/score_1/", "https://evil.example/steal/"]
)
def test_a_redirect_does_not_carry_the_key_elsewhere(location: str) -> None:
    """Even through a caller's client that follows redirects."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "api.respan.ai" and request.url.scheme == "https":
            return httpx.Response(302, headers={"location": location})
        return httpx.Response(200, json=SCORE)

    inner = httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True)
    with Respan(KEY, http_client=inner, rate_limit=None, max_retries=0) as client:
        try:
            client.scores.retrieve("score_1")
        except RespanError as e:
            assert_error_clean(e, "a redirected request")
    assert len(seen) == 2
    assert KEY not in seen[1].headers.get("authorization", "")
