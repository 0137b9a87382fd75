"""Modified copies of openapi.yaml, for the maintainer scenarios of issue 12."""

from __future__ import annotations

import copy
import functools
from typing import Any

from tests import _openapi

SPEC_PATH = _openapi.PATH
SCORE_BODIES = (
    "ScoreCreateRequest",
    "ScoreReplaceRequest",
    "LogScoreUpsertRequest",
    "LogScoreReplaceRequest",
)


@functools.cache
def _original() -> dict[str, Any]:
    return _openapi.load(SPEC_PATH)


def spec_copy() -> dict[str, Any]:
    """A fresh, mutable copy of the repository's spec."""
    return copy.deepcopy(_original())


def schemas(spec: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = spec["components"]["schemas"]
    return found


def _own_properties(schema: dict[str, Any]) -> dict[str, Any]:
    """The properties dict to extend: the schema's own, or its last allOf part's."""
    if "properties" in schema:
        found: dict[str, Any] = schema["properties"]
        return found
    part = schema["allOf"][-1]
    found = part.setdefault("properties", {})
    return found


def add_property(spec: dict[str, Any], schema: str, name: str, prop: dict[str, Any]) -> None:
    _own_properties(schemas(spec)[schema])[name] = prop


def with_reviewed_at(spec: dict[str, Any]) -> dict[str, Any]:
    """Scenario a: Score gains an optional, nullable `reviewed_at`."""
    add_property(spec, "Score", "reviewed_at", {"type": ["string", "null"], "format": "date-time"})
    return spec


def with_metadata(spec: dict[str, Any]) -> dict[str, Any]:
    """Scenario b: score create takes an optional `metadata` object, and Score returns it."""
    add_property(spec, "ScoreCreateRequest", "metadata", {"type": "object"})
    add_property(spec, "Score", "metadata", {"anyOf": [{"type": "object"}, {"type": "null"}]})
    return spec


def with_ranking(spec: dict[str, Any]) -> dict[str, Any]:
    """Scenario c: a `ranking` value type with its own value field, `ranking_value`."""
    value_type = schemas(spec)["ScoreValueType"]
    value_type["enum"].append("ranking")
    value_type["x-respan-value-types"]["ranking"] = {
        "field": "ranking_value",
        "check": "string_list",
    }
    field = {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}]}
    add_property(spec, "ScoreValueFields", "ranking_value", field)
    add_property(spec, "Score", "ranking_value", field)
    return spec


def with_bulk_create(spec: dict[str, Any]) -> dict[str, Any]:
    """Scenario d: `POST /api/scores/bulk/` (bulk_create_scores), which has no handler."""
    spec["paths"]["/api/scores/bulk/"] = {
        "post": {
            "operationId": "bulk_create_scores",
            "x-respan-method": "bulk_create",
            "x-respan-idempotent": False,
            "tags": ["scores"],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "scores": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/ScoreCreateRequest"},
                                }
                            },
                        }
                    }
                },
            },
            "responses": {
                "201": {
                    "description": "Created scores.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "created": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Score"},
                                    },
                                    "errors": {"type": "array", "items": {}},
                                },
                            }
                        }
                    },
                },
                "401": {"$ref": "#/components/responses/Unauthorized"},
            },
        }
    }
    return spec
