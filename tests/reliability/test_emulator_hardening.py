"""The emulator under hostile requests: always a 4xx (never a 500), never NaN in a body.

Every test runs on the strict `respan_emulator` fixture, whose teardown fails the test when
anything was recorded as a violation: a hostile request is the client's fault, not the
emulator's, so none may be recorded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from respan_evals.testing import Emulator

JSON = {"content-type": "application/json"}
HOSTILE_DEPTH = 100_000  # far past any recursion limit
EVALUATOR = {"name": "Quality", "type": "llm", "score_value_type": "numerical"}


def _nested_text(depth: int) -> str:
    return "[" * depth + "]" * depth


def _strict_json(text: str) -> Any:
    """Parse as JSON proper: NaN, Infinity and -Infinity are not JSON."""

    def refuse(token: str) -> Any:
        raise ValueError(f"{token} is not JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture(params=[True, False], ids=["validate", "no-validate"])
def emu(request: pytest.FixtureRequest, respan_emulator: Emulator) -> Emulator:
    """The strict fixture, with and without the spec checks (both must hold up)."""
    respan_emulator.validate = request.param
    respan_emulator.set_rate_limit(None)
    return respan_emulator


@pytest.fixture
def client(emu: Emulator) -> Iterator[httpx.Client]:
    with emu.client() as c:
        yield c


@pytest.fixture
def evaluator(client: httpx.Client) -> dict[str, Any]:
    r = client.post("/api/evaluators/", json=EVALUATOR)
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def _assert_4xx_json(r: httpx.Response, status: int = 400) -> dict[str, Any]:
    assert r.status_code == status, (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = _strict_json(r.text)
    assert isinstance(body.get("detail"), str)
    return body


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/evaluators/"),
        ("POST", "/api/scores/"),
        ("POST", "/api/scores/list/"),
        ("POST", "/api/logs/log_1/scores/"),
        ("GET", "/api/evaluators/summary/"),  # an operation that documents no 400
        ("DELETE", "/api/scores/score_1/"),
    ],
)
def test_invalid_utf8_body_is_a_400(client: httpx.Client, method: str, path: str) -> None:
    r = client.request(method, path, content=b'{"name": "\xff\xfe"}', headers=JSON)
    body = _assert_4xx_json(r)
    assert "UTF-8" in body["detail"]


def test_deeply_nested_body_is_a_400(client: httpx.Client) -> None:
    deep = _nested_text(HOSTILE_DEPTH).encode()
    _assert_4xx_json(client.post("/api/evaluators/", content=deep, headers=JSON))
    in_field = b'{"name": "q", "type": "llm", "score_value_type": "numerical", "description": '
    body = _assert_4xx_json(
        client.post("/api/evaluators/", content=in_field + deep + b"}", headers=JSON)
    )
    assert "nested" in body["detail"]


def test_deeply_nested_run_inputs_are_a_400(
    client: httpx.Client, evaluator: dict[str, Any]
) -> None:
    deep = _nested_text(HOSTILE_DEPTH)
    r = client.post(
        f"/api/evaluators/{evaluator['id']}/run/",
        content=('{"inputs": {"input": ' + deep + "}}").encode(),
        headers=JSON,
    )
    assert "nested" in _assert_4xx_json(r)["detail"]
    # Ordinary nesting still runs.
    shallow: Any = "leaf"
    for _ in range(20):
        shallow = {"a": shallow}
    ok = client.post(f"/api/evaluators/{evaluator['id']}/run/", json={"inputs": {"input": shallow}})
    assert ok.status_code == 200, ok.text


@pytest.mark.parametrize("depth", [HOSTILE_DEPTH, 5_000])
def test_json_value_holding_nested_json_text_is_a_400(client: httpx.Client, depth: int) -> None:
    made = client.post("/api/evaluators/", json={**EVALUATOR, "score_value_type": "json"})
    assert made.status_code == 201, made.text
    r = client.post(
        "/api/logs/log_1/scores/",
        json={"evaluator_id": made.json()["id"], "json_value": _nested_text(depth)},
    )
    assert "json_value" in _assert_4xx_json(r)["errors"]


@pytest.mark.parametrize("version", ["9" * 5_000, "9" * 40, "\u00b2"])
def test_a_hostile_version_number_is_a_4xx(
    client: httpx.Client, evaluator: dict[str, Any], version: str
) -> None:
    r = client.get(f"/api/evaluators/{evaluator['id']}/versions/{version}/")
    assert r.status_code in (400, 404), (r.status_code, r.text[:300])
    _strict_json(r.text)
    pinned = client.get(f"/api/evaluators/{evaluator['id']}:{version}/")
    assert pinned.status_code == 404, (pinned.status_code, pinned.text[:300])


@pytest.mark.parametrize("method", ["TRACE", "PROPFIND", "CONNECT", "FOO"])
@pytest.mark.parametrize("path", ["/api/evaluators/", "/api/evaluators/evl_1/", "/api/scores/s/"])
def test_a_method_the_spec_lacks_is_a_405_with_allow(
    emu: Emulator, client: httpx.Client, method: str, path: str
) -> None:
    r = client.request(method, path)
    _assert_4xx_json(r, 405)
    allowed = {m.strip() for m in r.headers["allow"].split(",")}
    assert allowed and allowed <= {"GET", "POST", "PUT", "PATCH", "DELETE"}
    assert emu.violations == []


def test_a_probe_is_a_405_even_when_the_rate_limit_is_spent(
    emu: Emulator, client: httpx.Client
) -> None:
    emu.set_rate_limit(1)
    assert client.get("/api/evaluators/").status_code == 200
    assert client.get("/api/evaluators/").status_code == 429
    for method in ("TRACE", "PROPFIND"):
        r = client.request(method, "/api/evaluators/")
        _assert_4xx_json(r, 405)
        assert r.headers["allow"] == "GET, POST"
    assert emu.violations == []


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"])
def test_non_finite_numbers_in_a_body_are_a_400(client: httpx.Client, token: str) -> None:
    # The bound a non-finite value would pass through unnoticed: NaN compares false to all.
    bound = "min_score" if token.startswith("-") else "max_score"
    config = '{"' + bound + '": ' + token + "}"
    body = (
        '{"name": "q", "type": "llm", "score_value_type": "numerical", "score_config": '
        + config
        + "}"
    )
    r = client.post("/api/evaluators/", content=body.encode(), headers=JSON)
    _assert_4xx_json(r)


def test_a_seeded_non_finite_bound_is_refused(emu: Emulator) -> None:
    from respan_evals.testing._errors import ApiError

    with pytest.raises(ApiError) as caught:
        emu.create_evaluator(score_config={"min_score": float("nan")})
    assert caught.value.status == 400


def test_no_answer_holds_nan_or_infinity(client: httpx.Client) -> None:
    """Bounds at the edge of float range: the run's arithmetic must not overflow into inf/nan."""
    made = client.post(
        "/api/evaluators/",
        json={**EVALUATOR, "score_config": {"min_score": -1.7e308, "max_score": 1.7e308}},
    )
    assert made.status_code == 201, made.text
    answers = [made]
    for i in range(20):
        answers.append(
            client.post(f"/api/evaluators/{made.json()['id']}/run/", json={"inputs": {"i": i}})
        )
    answers.append(client.get("/api/evaluators/"))
    for r in answers:
        assert r.status_code < 300, r.text
        _strict_json(r.text)


def test_an_int_too_large_for_a_float_is_a_400(client: httpx.Client) -> None:
    huge = "9" * 4_000  # JSON allows it and Python parses it; no float holds it
    config = '{"name": "q", "type": "llm", "score_value_type": "numerical", "score_config": '
    r = client.post(
        "/api/evaluators/", content=(config + '{"max_score": ' + huge + "}}").encode(), headers=JSON
    )
    _assert_4xx_json(r)
    made = client.post("/api/evaluators/", json=EVALUATOR)
    score = (
        '{"evaluator_id": "' + made.json()["id"] + '", "numerical_value": ' + huge + "}"
    ).encode()
    assert (
        "numerical_value"
        in _assert_4xx_json(client.post("/api/logs/log_1/scores/", content=score, headers=JSON))[
            "errors"
        ]
    )


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json;;;",
        "application/json; charset",
        "application/json; =x",
        "application/json; charset=nope",
    ],
)
def test_a_malformed_content_type_is_not_a_500(client: httpx.Client, content_type: str) -> None:
    r = client.post(
        "/api/evaluators/",
        content=json.dumps(EVALUATOR).encode(),
        headers={"content-type": content_type},
    )
    assert r.status_code in (201, 400, 415), (r.status_code, r.text[:300])
    _strict_json(r.text)


def test_a_non_finite_number_in_an_answer_is_a_recorded_500_never_nan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Should a handler ever produce NaN, the emulator says so instead of writing non-JSON."""
    from respan_evals.testing._store import Store

    with Emulator(rate_limit=None) as emu, emu.client() as c:
        made = c.post("/api/evaluators/", json=EVALUATOR).json()
        original = Store.get_evaluator

        def broken(self: Store, ref: str) -> dict[str, Any]:
            return {**original(self, ref), "score_config": {"min_score": float("nan")}}

        monkeypatch.setattr(Store, "get_evaluator", broken)
        r = c.get(f"/api/evaluators/{made['id']}/")
        body = _strict_json(r.text)
    assert r.status_code == 500
    assert "not JSON" in body["detail"]
    assert [v.status for v in emu.violations] == [500]
