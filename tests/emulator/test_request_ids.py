"""Every answer carries `x-request-id: req_<hex>`, repeatable under `id_seed`."""

from __future__ import annotations

import re

import httpx
import pytest

from respan_evals import NotFoundError, Respan
from respan_evals.testing import Emulator, FaultPlan

REQUEST_ID = re.compile(r"req_[0-9a-f]{24}")


def _ids(emu: Emulator, paths: list[str]) -> list[str]:
    with emu.client() as client:
        return [client.get(path).headers["x-request-id"] for path in paths]


def test_every_kind_of_answer_has_one(emu: Emulator) -> None:
    with emu.client() as client:
        answers = [
            client.get("/api/scores/"),  # 200
            client.get("/api/scores/nope/"),  # 404 from a handler
            client.get("/api/nowhere/"),  # 404, no such path
            client.request("TRACE", "/api/scores/"),  # 405, a probe
            client.get("/api/scores/", headers={"Authorization": "Bearer wrong"}),  # 401
        ]
        emu.set_faults(FaultPlan(burst_429=1, html_rate=0.0))
        answers.append(client.get("/api/scores/"))  # an injected 429
        emu.set_faults(FaultPlan(html_rate=1.0))
        answers.append(client.get("/api/scores/"))  # an injected HTML 502
        emu.clear_faults()
    assert [a.status_code for a in answers] == [200, 404, 404, 405, 401, 429, 502]
    ids = [a.headers.get("x-request-id", "") for a in answers]
    assert all(REQUEST_ID.fullmatch(i) for i in ids), ids
    assert len(set(ids)) == len(ids)


def test_seeded_ids_repeat_and_restart_on_reset() -> None:
    paths = ["/api/scores/", "/api/scores/nope/", "/api/evaluators/"]
    with Emulator(id_seed=3, rate_limit=None) as first, Emulator(id_seed=3, rate_limit=None) as b:
        once = _ids(first, paths)
        assert _ids(b, paths) == once
        first.reset()
        assert _ids(first, paths) == once
    with Emulator(id_seed=4, rate_limit=None) as other:
        assert set(_ids(other, paths)).isdisjoint(once)


def test_request_ids_leave_the_seeded_store_ids_as_they_were() -> None:
    """Cassettes recorded with id_seed keep their score and evaluator ids."""
    with Emulator(id_seed=5, rate_limit=None) as quiet:
        expected = quiet.create_evaluator()["id"]
    with Emulator(id_seed=5, rate_limit=None) as busy:
        _ids(busy, ["/api/scores/"] * 5)
        assert busy.create_evaluator()["id"] == expected


def test_the_client_keeps_the_emulators_id_on_its_error(emu: Emulator) -> None:
    with (
        Respan(emu.api_key, base_url=emu.base_url, rate_limit=None) as client,
        pytest.raises(NotFoundError) as caught,
    ):
        client.scores.retrieve("nope")
    error = caught.value
    assert REQUEST_ID.fullmatch(error.request_id or "")
    assert error.response.headers["x-request-id"] == error.request_id
    assert str(error).endswith(f"(request id {error.request_id})")


def test_a_plain_httpx_answer_names_it_once(emu: Emulator) -> None:
    with emu.client() as client:
        response = client.get("/api/scores/")
    assert isinstance(response, httpx.Response)
    assert response.headers.get_list("x-request-id") == [response.headers["x-request-id"]]
