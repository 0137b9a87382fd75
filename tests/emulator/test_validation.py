"""Spec checks: requests that break the spec get 400; responses that would are emulator bugs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from respan_evals.testing import Emulator
from respan_evals.testing._store import Store


def test_request_breaking_the_spec_names_the_rule(client: httpx.Client) -> None:
    missing = client.post("/api/evaluators/", json={"name": "No type"})
    assert missing.status_code == 400
    body = missing.json()
    assert set(body["errors"]) == {"type", "score_value_type"}
    assert "rule: required" in body["errors"]["type"][0]
    assert "score_value_type" in body["detail"]

    wrong_type = client.post("/api/scores/", json={"evaluator_id": 5, "numerical_value": "high"})
    errors = wrong_type.json()["errors"]
    assert (
        "rule: type" in errors["evaluator_id"][0] and "rule: type" in errors["numerical_value"][0]
    )

    bad_enum = client.post(
        "/api/evaluators/", json={"name": "E", "type": "robot", "score_value_type": "numerical"}
    )
    assert bad_enum.status_code == 400 and "rule: enum" in bad_enum.json()["errors"]["type"][0]

    bad_param = client.get("/api/evaluators/evl_x/versions/latest/")
    assert bad_param.status_code == 400 and "version" in bad_param.json()["errors"]

    not_json = client.post(
        "/api/evaluators/", content=b"{oops", headers={"content-type": "application/json"}
    )
    assert not_json.status_code == 400

    no_body = client.post("/api/scores/")
    assert no_body.status_code == 400


def _break_scores(monkeypatch: pytest.MonkeyPatch) -> None:
    original = Store.score_view

    def broken(self: Store, rec: Any, *, detail: bool = False) -> dict[str, Any]:
        out = original(self, rec, detail=detail)
        out["created_at"] = 12345  # not a date-time string
        return out

    monkeypatch.setattr(Store, "score_view", broken)


def test_strict_mode_turns_a_bad_response_into_500(
    emu: Emulator,
    client: httpx.Client,
    make_evaluator: Callable[..., dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    eid = make_evaluator()["id"]
    _break_scores(monkeypatch)
    r = client.post("/api/scores/", json={"evaluator_id": eid, "log_id": "l", "numerical_value": 1})
    assert r.status_code == 500
    assert "created_at" in r.json()["detail"]
    assert emu.score_count() == 1
    assert len(emu.violations) == 1
    assert emu.violations[0].status == 201
    with pytest.raises(AssertionError):
        emu.assert_no_violations()
    emu.violations.clear()  # expected here; the fixture would fail teardown otherwise


def test_lenient_mode_sends_it_but_records_it(
    emu: Emulator,
    client: httpx.Client,
    make_evaluator: Callable[..., dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    eid = make_evaluator()["id"]
    emu.strict = False
    _break_scores(monkeypatch)
    r = client.post("/api/scores/", json={"evaluator_id": eid, "log_id": "l", "numerical_value": 1})
    assert r.status_code == 201 and r.json()["created_at"] == 12345
    assert [v.status for v in emu.violations] == [201]
    emu.violations.clear()


def test_validation_can_be_switched_off() -> None:
    with Emulator(validate=False, rate_limit=None) as emu, emu.client() as client:
        r = client.post("/api/evaluators/", json={"name": "No type"})
        assert r.status_code == 400  # still the emulator's own rule, with a field error
        assert "type" in r.json()["errors"]
        assert client.get("/api/scores/", params={"page_size": 500}).status_code == 400
