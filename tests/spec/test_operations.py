"""The spec covers the 28 documented operations, each named and tagged as the facade expects."""

from __future__ import annotations

from typing import Any

import pytest

EXPECTED = {
    ("post", "/api/scores/"): ("create_score", "scores"),
    ("get", "/api/scores/"): ("list_scores", "scores"),
    ("post", "/api/scores/list/"): ("filter_scores", "scores"),
    ("get", "/api/scores/{id}/"): ("retrieve_score", "scores"),
    ("patch", "/api/scores/{id}/"): ("update_score", "scores"),
    ("put", "/api/scores/{id}/"): ("replace_score", "scores"),
    ("delete", "/api/scores/{id}/"): ("delete_score", "scores"),
    ("post", "/api/logs/{log_id}/scores/"): ("upsert_log_score", "log_scores"),
    ("get", "/api/logs/{log_id}/scores/"): ("list_log_scores", "log_scores"),
    ("get", "/api/logs/{log_id}/scores/{score_id}/"): ("retrieve_log_score", "log_scores"),
    ("patch", "/api/logs/{log_id}/scores/{score_id}/"): ("update_log_score", "log_scores"),
    ("put", "/api/logs/{log_id}/scores/{score_id}/"): ("replace_log_score", "log_scores"),
    ("delete", "/api/logs/{log_id}/scores/{score_id}/"): ("delete_log_score", "log_scores"),
    ("post", "/api/evaluators/"): ("create_evaluator", "evaluators"),
    ("get", "/api/evaluators/"): ("list_evaluators", "evaluators"),
    ("post", "/api/evaluators/list/"): ("filter_evaluators", "evaluators"),
    ("get", "/api/evaluators/{evaluator_id}/"): ("retrieve_evaluator", "evaluators"),
    ("patch", "/api/evaluators/{evaluator_id}/"): ("update_evaluator", "evaluators"),
    ("put", "/api/evaluators/{evaluator_id}/"): ("replace_evaluator", "evaluators"),
    ("delete", "/api/evaluators/{evaluator_id}/"): ("delete_evaluator", "evaluators"),
    ("post", "/api/evaluators/{evaluator_id}/run/"): ("run_evaluator", "evaluators"),
    ("get", "/api/evaluators/summary/"): ("get_evaluators_summary", "evaluators"),
    ("post", "/api/evaluators/summary/"): ("filter_evaluators_summary", "evaluators"),
    ("get", "/api/evaluators/{evaluator_id}/versions/"): (
        "list_evaluator_versions",
        "evaluator_versions",
    ),
    ("post", "/api/evaluators/{evaluator_id}/versions/"): (
        "create_evaluator_version",
        "evaluator_versions",
    ),
    ("get", "/api/evaluators/{evaluator_id}/versions/{version}/"): (
        "retrieve_evaluator_version",
        "evaluator_versions",
    ),
    ("put", "/api/evaluators/{evaluator_id}/versions/{version}/"): (
        "replace_evaluator_version",
        "evaluator_versions",
    ),
    ("patch", "/api/evaluators/{evaluator_id}/versions/{version}/"): (
        "update_evaluator_version",
        "evaluator_versions",
    ),
}
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def operations(spec: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method, path): op
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in METHODS
    }


def test_exactly_the_28_documented_operations(spec: dict[str, Any]) -> None:
    ops = operations(spec)
    assert len(EXPECTED) == 28
    assert {k: (op["operationId"], op["tags"]) for k, op in ops.items()} == {
        k: (op_id, [tag]) for k, (op_id, tag) in EXPECTED.items()
    }


def test_every_path_ends_with_a_slash(spec: dict[str, Any]) -> None:
    assert [p for p in spec["paths"] if not p.endswith("/")] == []


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_every_operation_documents_auth_and_rate_limit_errors(
    spec: dict[str, Any], key: tuple[str, str]
) -> None:
    responses = operations(spec)[key]["responses"]
    assert "401" in responses
    assert "429" in responses
    assert any(code.startswith("2") for code in responses)


def test_bearer_auth_and_server(spec: dict[str, Any]) -> None:
    assert spec["servers"][0]["url"] == "https://api.respan.ai"
    scheme = spec["components"]["securitySchemes"]["respanApiKey"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert spec["security"] == [{"respanApiKey": []}]


def test_pagination_parameters_are_bounded(spec: dict[str, Any]) -> None:
    params = spec["components"]["parameters"]
    assert params["Page"]["schema"]["minimum"] == 1
    size = params["PageSize"]["schema"]
    assert (size["minimum"], size["maximum"]) == (1, 100)
