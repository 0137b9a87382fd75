"""The safety nets of the contract suite, checked without touching any cassette on disk."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path

import pytest
from vcr.errors import CannotOverwriteExistingCassetteException

from respan_evals import Respan

from ._recording import PLACEHOLDER_KEY, Rewriter, json_body, make_vcr, secrets_in
from ._spec import SERVER, check_interaction, load_spec, strict_copy
from .conftest import CASSETTES, MODE, NetworkBlockedError

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
