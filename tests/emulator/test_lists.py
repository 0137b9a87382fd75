"""Lists: pages, absolute next/previous links that work, sorting, filters, summaries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from respan_evals.testing import Emulator

MakeEvaluator = Callable[..., dict[str, Any]]


@pytest.fixture
def scores(emu: Emulator, make_evaluator: MakeEvaluator) -> list[dict[str, Any]]:
    """25 scores, seeded straight into the store (the same rules, minus 25 round trips)."""
    eid = make_evaluator(score_config={"min_score": 0, "max_score": 100})["id"]
    out = []
    for i in range(25):
        body = {
            "evaluator_id": eid,
            "log_id": f"log_{i:02d}",
            "numerical_value": i,
            "environment": "production" if i % 2 else "staging",
        }
        out.append(emu.store.create_score(body, "test@example.com"))
    return out


def test_three_pages_by_following_next(
    emu: Emulator, client: httpx.Client, scores: list[dict[str, Any]]
) -> None:
    seen: list[str] = []
    # GET /api/scores/ has no sort parameter in the spec: newest first.
    url: str | None = emu.url("/api/scores/?page_size=10")
    pages = []
    while url:
        assert url.startswith(emu.base_url + "/api/scores/")
        page = client.get(url).json()
        pages.append(page)
        seen += [s["id"] for s in page["results"]]
        url = page["next"]
    assert [p["count"] for p in pages] == [10, 10, 5]  # "returned on this page" per the spec
    assert seen == [s["id"] for s in reversed(scores)]
    assert pages[0]["previous"] is None
    back = client.get(pages[2]["previous"]).json()
    assert back["results"] == pages[1]["results"]
    assert client.get(pages[1]["previous"]).json()["results"] == pages[0]["results"]


def test_post_filter_pages_keep_the_query(
    client: httpx.Client, scores: list[dict[str, Any]]
) -> None:
    body = {"filters": {"environment": {"operator": "", "value": ["staging"]}}}
    first = client.post("/api/scores/list/?page_size=5&sort_by=-numerical_value", json=body).json()
    assert [s["numerical_value"] for s in first["results"]] == [24, 22, 20, 18, 16]
    assert first["current_filters"] == body["filters"]
    second = client.post(first["next"], json=body).json()
    assert [s["numerical_value"] for s in second["results"]] == [14, 12, 10, 8, 6]
    last = client.post(second["next"], json=body).json()
    assert (len(last["results"]), last["next"]) == (3, None)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"operator": "gte", "value": [20]}, [20, 21, 22, 23, 24]),
        ({"operator": "lt", "value": [2]}, [0, 1]),
        ({"operator": "lte", "value": 1}, [0, 1]),  # scalar value accepted
        ({"operator": "gt", "value": [22]}, [23, 24]),
        ({"operator": "in", "value": [3, 5, 99]}, [3, 5]),
        ({"operator": "", "value": [7]}, [7]),
    ],
)
def test_filter_numeric_operators(
    client: httpx.Client,
    scores: list[dict[str, Any]],
    condition: dict[str, Any],
    expected: list[int],
) -> None:
    body = {"filters": {"numerical_value": condition}}
    page = client.post("/api/scores/list/?page_size=100&sort_by=numerical_value", json=body).json()
    assert [s["numerical_value"] for s in page["results"]] == expected


@pytest.mark.parametrize(
    ("field", "condition", "count"),
    [
        ("log_id", {"operator": "startswith", "value": ["log_1"]}, 10),
        ("log_id", {"operator": "endswith", "value": ["5"]}, 2),
        ("log_id", {"operator": "contains", "value": ["_2"]}, 5),
        ("environment", {"operator": "iexact", "value": ["STAGING"]}, 13),
        ("environment", {"operator": "icontains", "value": ["PROD"]}, 12),
        ("environment", {"operator": "not", "value": ["staging"]}, 12),
        ("prompt_id", {"operator": "isnull", "value": [True]}, 25),
        ("prompt_id", {"operator": "isnull", "value": [False]}, 0),
    ],
)
def test_filter_text_operators(
    client: httpx.Client,
    scores: list[dict[str, Any]],
    field: str,
    condition: dict[str, Any],
    count: int,
) -> None:
    page = client.post(
        "/api/scores/list/?page_size=100", json={"filters": {field: condition}}
    ).json()
    assert page["count"] == count


def test_filters_are_anded_and_checked(client: httpx.Client, scores: list[dict[str, Any]]) -> None:
    both = {
        "environment": {"operator": "", "value": ["production"]},
        "numerical_value": {"operator": "gte", "value": [20]},
    }
    page = client.post("/api/scores/list/", json={"filters": both}).json()
    assert sorted(s["numerical_value"] for s in page["results"]) == [21, 23]
    bad = client.post(
        "/api/scores/list/", json={"filters": {"log_id": {"operator": "like", "value": ["x"]}}}
    )
    assert bad.status_code == 400


def test_list_scores_time_window_and_log_scope(
    client: httpx.Client, scores: list[dict[str, Any]]
) -> None:
    middle = scores[10]["created_at"]
    after = client.get("/api/scores/", params={"start_time": middle, "page_size": 100}).json()
    before = client.get("/api/scores/", params={"end_time": middle, "page_size": 100}).json()
    assert after["count"] + before["count"] == 25
    assert client.get("/api/logs/log_03/scores/").json()["count"] == 1


def test_evaluator_lists_filters_and_summaries(
    client: httpx.Client, make_evaluator: MakeEvaluator
) -> None:
    make_evaluator(name="Tone check", score_value_type="boolean", starred=True)
    make_evaluator(name="Response quality", llm_config={"model": "gpt-4o-mini"})
    make_evaluator(name="Quality of code", type="code")
    flt = {"filters": {"name": {"operator": "icontains", "value": "quality"}}}
    page = client.post("/api/evaluators/list/?sort_by=name", json=flt).json()
    assert [e["name"] for e in page["results"]] == ["Quality of code", "Response quality"]
    assert page["filters_data"] == {}
    assert client.post("/api/evaluators/summary/", json=flt).json() == {"total_count": 2}
    assert client.get("/api/evaluators/summary/").json() == {"total_count": 3}
    starred = {"filters": {"starred": {"operator": "", "value": [True]}}}
    assert client.post("/api/evaluators/list/", json=starred).json()["count"] == 1
    nested = {"filters": {"llm_config__model": {"operator": "", "value": ["gpt-4o-mini"]}}}
    assert client.post("/api/evaluators/list/", json=nested).json()["count"] == 1
    search = client.get("/api/evaluators/", params={"search": "TONE"}).json()
    assert [e["name"] for e in search["results"]] == ["Tone check"]


def test_page_size_over_100_breaks_the_spec(client: httpx.Client) -> None:
    r = client.get("/api/scores/", params={"page_size": 101})
    assert r.status_code == 400
    assert "maximum" in r.json()["errors"]["page_size"][0]
