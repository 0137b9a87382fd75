"""Enums that come back from the server accept values the spec does not list, and null."""

from __future__ import annotations

import pytest

from respan_evals_api.models import Evaluator, EvaluatorType, Score, ScoreType, ScoreValueType


def test_legacy_score_type_parses_and_is_kept() -> None:
    score = Score.from_dict(
        {"id": "score_1", "created_at": "2025-01-01T00:00:00Z", "type": "human_boolean"}
    )
    assert score.type_ == ScoreType.HUMAN_BOOLEAN
    assert score.to_dict()["type"] == "human_boolean"


@pytest.mark.parametrize("value", ["numerical", "brand_new_type", ""])
def test_score_type_outside_the_enum_is_handed_through(value: str) -> None:
    score = Score.from_dict({"id": "s", "created_at": "2025-01-01T00:00:00Z", "type": value})
    assert score.to_dict()["type"] == value


def test_score_type_null_is_accepted() -> None:
    score = Score.from_dict({"id": "s", "created_at": "2025-01-01T00:00:00Z", "type": None})
    assert score.type_ is None
    assert score.to_dict()["type"] is None


EVALUATOR = {"id": "evl_1", "name": "Quality", "type": "llm", "score_value_type": "numerical"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("eval_class", "respan_future_template"),
        ("eval_class", ""),
        ("type", "function"),
        ("type", "human_numerical"),
        ("score_value_type", "star_rating"),
    ],
)
def test_evaluator_enum_outside_the_spec_is_kept(field: str, value: str) -> None:
    evaluator = Evaluator.from_dict({**EVALUATOR, field: value})
    attribute = "type_" if field == "type" else field  # the generator avoids shadowing `type`
    assert getattr(evaluator, attribute) == value
    assert evaluator.to_dict()[field] == value


def test_known_values_still_become_enum_members() -> None:
    evaluator = Evaluator.from_dict(EVALUATOR)
    assert evaluator.type_ is EvaluatorType.LLM
    assert evaluator.score_value_type is ScoreValueType.NUMERICAL


def test_nullable_eval_class_accepts_null() -> None:
    evaluator = Evaluator.from_dict({**EVALUATOR, "eval_class": None})
    assert evaluator.eval_class is None
