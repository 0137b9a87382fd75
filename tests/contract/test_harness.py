"""The safety nets of the contract suite, checked without touching any cassette on disk."""

from __future__ import annotations

import copy
import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from vcr.errors import CannotOverwriteExistingCassetteException

from respan_evals import Respan

from ._recording import (
    PLACEHOLDER_KEY,
    ReadableYAML,
    Rewriter,
    json_body,
    make_vcr,
    secrets_in,
)
from ._spec import SERVER, check_interaction, load_spec, strict_copy
from .conftest import (
    CASSETTES,
    DEFAULT_CASSETTES,
    DIR_ENV,
    MODE,
    ROOT,
    NetworkBlockedError,
    rerecord_command,
)

AUTH = {"Authorization": ["Bearer <RESPAN_API_KEY>"]}
JSON = {"Content-Type": ["application/json"]}
SCORE = {"id": "score_1", "created_at": "2026-01-01T00:00:00Z", "numerical_value": 4.0}


def test_strict_spec_refuses_a_field_it_does_not_name() -> None:
    uri = f"{SERVER}/api/scores/score_1/"
    assert check_interaction("GET", uri, AUTH, None, 200, JSON, json.dumps(SCORE)) == []
    problems = check_interaction(
        "GET", uri, AUTH, None, 200, JSON, json.dumps({**SCORE, "surprise": 1})
    )
    assert problems and "surprise" in problems[0]


def test_strict_copy_leaves_the_spec_open_and_allof_parts_alone() -> None:
    spec = load_spec()
    strict = strict_copy(spec)
    assert "unevaluatedProperties" not in spec["components"]["schemas"]["Score"]
    assert strict["components"]["schemas"]["Score"]["unevaluatedProperties"] is False
    # An allOf part closed on its own would refuse the other parts' fields.
    assert "unevaluatedProperties" not in strict["components"]["schemas"]["ScoreValueFields"]


def test_the_strict_copy_is_a_valid_openapi_document() -> None:
    from openapi_spec_validator import validate

    validate(strict_copy(load_spec()))


def test_request_checks_need_the_authorization_placeholder() -> None:
    problems = check_interaction(
        "GET", f"{SERVER}/api/scores/?page=1&pages=2", {}, None, 200, JSON, "{}"
    )
    assert any("pages" in p for p in problems)
    assert any("Security" in p for p in problems)


def test_json_body_matcher_ignores_key_order_only() -> None:
    from vcr.request import Request

    def req(body: str) -> Request:
        return Request("POST", f"{SERVER}/api/scores/", body, {})

    json_body(req('{"a": 1, "b": [1, 2]}'), req('{"b": [1, 2], "a": 1}'))
    with pytest.raises(AssertionError):
        json_body(req('{"a": 1, "b": [1, 2]}'), req('{"a": 1, "b": [2, 1]}'))


def test_rewriter_redacts_and_moves_to_the_public_host() -> None:
    from vcr.request import Request

    rewriter = Rewriter({"http://127.0.0.1:5555": SERVER})
    request = rewriter.request(
        Request(
            "GET",
            "http://127.0.0.1:5555/api/scores/?page=2",
            b"",
            {"Authorization": "Bearer sk_live_abc", "Cookie": "a=b", "X-Api-Key": "k"},
        )
    )
    assert request.uri == f"{SERVER}/api/scores/?page=2"
    assert dict(request.headers) == {"Authorization": f"Bearer {PLACEHOLDER_KEY}"}
    response = rewriter.response(
        {
            "status": {"code": 200, "message": "OK"},
            "headers": {"Set-Cookie": ["s=1"], "Date": ["today"], "Content-Type": ["a/json"]},
            "body": {"string": b'{"next": "http://127.0.0.1:5555/api/scores/?page=3"}'},
        }
    )
    assert response["headers"] == {"Content-Type": ["a/json"]}
    assert json.loads(response["body"]["string"]) == {"next": f"{SERVER}/api/scores/?page=3"}


def test_secret_scanner() -> None:
    assert secrets_in("Authorization: Bearer <RESPAN_API_KEY>") == []
    assert secrets_in("task_quality, risk_level") == []
    assert secrets_in("key sk_test_0123456789")
    assert secrets_in("Authorization: Bearer abc.def")
    assert secrets_in("- Bearer <RESPAN_API_KEY>x")
    assert secrets_in("Set-Cookie: a=b")
    assert secrets_in("the key is my-own-key", ["my-own-key"])


@pytest.mark.skipif(MODE != "replay", reason="replay only")
def test_network_is_blocked(_network_guard: list[str]) -> None:
    with pytest.raises(NetworkBlockedError):
        socket.create_connection(("203.0.113.7", 443), timeout=1)
    assert _network_guard
    _network_guard.clear()  # seen: do not fail the test at teardown


@pytest.mark.skipif(MODE != "replay", reason="replay only")
def test_a_request_missing_from_the_cassette_fails(tmp_path: Path) -> None:
    """Same route, different body: no match, and the facade does not swallow the error."""
    source = CASSETTES / "test_errors" / "test_unknown_id_is_404.yaml"
    if not source.exists():
        pytest.skip("cassette not recorded yet")
    cassette = tmp_path / "copy.yaml"
    shutil.copy(source, cassette)
    with (
        make_vcr(Rewriter(), tmp_path).use_cassette(str(cassette), record_mode="none"),
        Respan(PLACEHOLDER_KEY, base_url=SERVER, rate_limit=None) as client,
        pytest.raises(CannotOverwriteExistingCassetteException),
    ):
        client.scores.retrieve("score_some_other_id")


Plant = Callable[[dict[str, Any]], None]


def _planted(tmp_path: Path, module: str, test: str, plant: Plant) -> Path:
    """A copy of a test's cassette under tmp_path/cassettes, changed by `plant`."""
    source = CASSETTES / module / f"{test}.yaml"
    if not source.exists():
        pytest.fail(f"cassette {source} is missing: record it first", pytrace=False)
    data = ReadableYAML.deserialize(source.read_text(encoding="utf-8"))
    plant(data)
    target = tmp_path / "cassettes" / module / f"{test}.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(ReadableYAML.serialize(data), encoding="utf-8")
    return target


def _other_uri(data: dict[str, Any]) -> None:
    """The first recorded request goes somewhere else: the facade's request no longer matches."""
    request = data["interactions"][0]["request"]
    request["uri"] = request["uri"].rstrip("/") + "_planted/"


def _extra_interaction(data: dict[str, Any]) -> None:
    """One more recorded request than the facade makes: the harness's own check fails."""
    extra = copy.deepcopy(data["interactions"][0])
    uri = extra["request"]["uri"]
    extra["request"]["uri"] = uri + ("&" if "?" in uri else "?") + "planted=1"
    data["interactions"].append(extra)


@pytest.mark.skipif(MODE != "replay", reason="replay only")
def test_a_replay_mismatch_names_the_command_that_re_records_that_test(tmp_path: Path) -> None:
    """Planted mismatches, replayed by pytest in a subprocess: each failure names its cassette
    and the scripts/record-cassettes command for just that test."""
    module = "test_errors"
    planted = {
        "test_unknown_id_is_404": _other_uri,  # vcrpy: no recorded interaction matches
        "test_bad_key_is_401": _extra_interaction,  # the harness: a recording left unplayed
    }
    for test, plant in planted.items():
        _planted(tmp_path, module, test, plant)
    out = tmp_path / "cassettes"
    ids = [f"tests/contract/{module}.py::{test}" for test in planted]
    env = {k: v for k, v in os.environ.items() if not k.startswith("RESPAN_")}
    env[DIR_ENV] = str(out)
    # No Hypothesis in this run: its plugin costs a pytest process a second to load.
    env["PYTEST_ADDOPTS"] = f"{env.get('PYTEST_ADDOPTS', '')} -p no:hypothesispytest".strip()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *ids, "-p", "no:cacheprovider", "-q"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert f"{len(planted)} failed" in output, output
    assert "no recorded interaction matches" in output  # vcrpy's own explanation is kept
    assert "recorded requests the facade no longer makes" in output
    # pytest prefixes the lines of an exception (and its notes) with "E ".
    lines = [line.removeprefix("E").strip() for line in output.splitlines()]
    for test_id in ids:
        command = shlex.join(["scripts/record-cassettes", test_id, "--out", str(out)])
        assert command in lines, output
    for test in planted:
        assert f"The replay does not match {out / module / test}.yaml." in output


def test_the_command_for_the_committed_cassettes_is_just_the_test_id(
    request: pytest.FixtureRequest,
) -> None:
    if CASSETTES != DEFAULT_CASSETTES:
        pytest.skip(f"{DIR_ENV} is set: the command carries --out")
    this_test = f"tests/contract/test_harness.py::{request.node.name}"
    assert rerecord_command(request.node) == f"scripts/record-cassettes {this_test}"
