"""RESPAN_LOG: the `respan_evals` logger on stderr, per request, never the key or a body."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import textwrap
import warnings
from collections.abc import Iterator

import pytest

from respan_evals import _logging

from .conftest import KEY

BODY_MARKER = "BODY_MARKER_7d1f"  # in the request and the response bodies: never in a log

# Run in a fresh interpreter: RESPAN_LOG is read when respan_evals is imported.
SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    import httpx
    import respan_evals

    KEY, MARKER, MODE = sys.argv[1], sys.argv[2], sys.argv[3]
    SCORE = {"id": "score_1", "created_at": "2024-05-01T12:00:00Z", "string_value": MARKER}
    busy = [httpx.Response(503, json={"detail": MARKER})]

    def answer(request):
        if request.url.path == "/api/scores/missing/":
            return httpx.Response(404, json={"detail": MARKER})
        if request.url.path == "/api/scores/busy/" and busy:
            return busy.pop()
        return httpx.Response(200, json=SCORE)

    def calls(client):
        yield client.scores.retrieve("score_1")
        yield client.scores.update("score_1", string_value=MARKER)
        yield client.scores.retrieve("busy")
        try:
            yield client.scores.retrieve("missing")
        except respan_evals.NotFoundError:
            pass

    transport = httpx.MockTransport(answer)
    if MODE == "sync":
        with respan_evals.Respan(
            KEY, http_client=httpx.Client(transport=transport), rate_limit=None
        ) as client:
            client._transport.sleep = lambda _seconds: None
            for _ in calls(client):
                pass
    else:
        async def main():
            async with respan_evals.AsyncRespan(
                KEY, http_client=httpx.AsyncClient(transport=transport), rate_limit=None
            ) as client:
                async def no_sleep(_seconds):
                    pass
                client._transport.sleep = no_sleep
                await client.scores.retrieve("score_1")
                await client.scores.update("score_1", string_value=MARKER)
                await client.scores.retrieve("busy")
                try:
                    await client.scores.retrieve("missing")
                except respan_evals.NotFoundError:
                    pass
        asyncio.run(main())
    print("done")
    """
)


def run_script(level: str | None, mode: str) -> str:
    """stderr of SCRIPT run with RESPAN_LOG=level (None: unset)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RESPAN_")}
    if level is not None:
        env["RESPAN_LOG"] = level
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, KEY, BODY_MARKER, mode],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.strip() == "done", done.stderr
    assert KEY not in done.stderr and BODY_MARKER not in done.stderr
    return done.stderr


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_debug_logs_every_request_with_status_attempt_and_time(mode: str) -> None:
    err = run_script("debug", mode)
    lines = err.splitlines()
    ok = [line for line in lines if "respan_evals DEBUG GET /api/scores/score_1/ -> 200" in line]
    assert len(ok) == 1, err
    assert re.search(r"-> 200 \(attempt 1, \d+\.\d{3}s\)$", ok[0]), ok[0]
    assert any("PATCH /api/scores/score_1/ -> 200 (attempt 1, " in line for line in lines), err
    # The retried request: the retry, then the answer of its second attempt.
    assert any("retrying GET /api/scores/busy/ after InternalServerError 503" in x for x in lines)
    assert any("GET /api/scores/busy/ -> 200 (attempt 2, " in line for line in lines), err
    assert any("GET /api/scores/missing/ -> 404 NotFoundError (attempt 1, " in x for x in lines)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_info_logs_retries_and_failures_only(mode: str) -> None:
    err = run_script("INFO", mode)
    assert " DEBUG " not in err and "score_1" not in err, err
    assert "respan_evals INFO retrying GET /api/scores/busy/ after InternalServerError 503" in err
    assert "respan_evals INFO GET /api/scores/missing/ -> 404 NotFoundError (attempt 1, " in err


def test_unset_logs_nothing() -> None:
    assert run_script(None, "sync") == ""


def test_an_unknown_value_warns_once_and_is_ignored() -> None:
    err = run_script("verbose", "sync")
    assert err.count("RESPAN_LOG='verbose' is not one of debug, info: ignored") == 1, err
    assert "respan_evals DEBUG" not in err and "respan_evals INFO" not in err


@pytest.fixture
def fresh() -> Iterator[None]:
    """The module's state as if respan_evals had just been imported without RESPAN_LOG."""
    logger = logging.getLogger("respan_evals")
    level, before = logger.level, _logging.env_handler()
    _logging.remove_env_handler()
    _logging._warned = False
    yield
    _logging.remove_env_handler()
    _logging._warned = False
    logger.setLevel(level)
    if before is not None:
        logger.addHandler(before)
        _logging._handler = before


@pytest.mark.usefixtures("fresh")
def test_configuring_twice_keeps_one_handler_at_the_last_level() -> None:
    logger = logging.getLogger("respan_evals")
    first = _logging.configure_from_env({"RESPAN_LOG": "debug"})
    second = _logging.configure_from_env({"RESPAN_LOG": " Info "})
    assert first is second is _logging.env_handler()
    assert logger.handlers.count(first) == 1  # type: ignore[arg-type]
    assert logger.level == logging.INFO
    _logging.remove_env_handler()
    assert first not in logger.handlers


@pytest.mark.usefixtures("fresh")
def test_the_warning_comes_once_in_process() -> None:
    with pytest.warns(RuntimeWarning, match="not one of debug, info"):
        assert _logging.configure_from_env({"RESPAN_LOG": "trace"}) is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _logging.configure_from_env({"RESPAN_LOG": "trace"}) is None
        assert _logging.configure_from_env({}) is None
    assert _logging.env_handler() is None


@pytest.mark.usefixtures("fresh")
def test_the_handler_writes_to_the_current_stderr_and_masks_credentials(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _logging.configure_from_env({"RESPAN_LOG": "debug"})
    logging.getLogger("respan_evals.cli").debug("sent Authorization: Bearer %s", KEY)
    err = capsys.readouterr().err
    assert "respan_evals.cli DEBUG sent Authorization: Bearer [redacted]" in err
    assert KEY not in err
