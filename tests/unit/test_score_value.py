"""score_value: a score's value from the field its type uses; the fields come from the spec."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

import respan_evals
from respan_evals import RespanValidationError, score_value, score_value_field
from respan_evals.types import Evaluator, EvaluatorRunResult, Score, ScoreEvaluatorType0
from respan_evals_api import facts

# A value each value type's field can hold, by the check kind the spec names for it.
SAMPLES: dict[str, Any] = {
    "number": 4.5,
    "percentage": 87.5,
    "boolean": False,  # falsy, yet a value: only None means "not set"
    "single_choice": ["calm"],
    "multi_choice": [],  # "no option selected" is a value too
    "choices": ["a", "b"],
    "string_list": ["first", "second"],
    "text": "",
}
JSON_CASES: list[tuple[str, Any]] = [
    ('{"rating": 5}', {"rating": 5}),
    ("[1, 2]", [1, 2]),
    ('"yes"', "yes"),
    ("3.5", 3.5),
    ("true", True),
    ("null", None),
]


def _value_types() -> list[str]:
    return sorted(facts.VALUE_TYPES)


def _sample(value_type: str) -> Any:
    declared = facts.VALUE_TYPES[value_type]
    return '{"k": [1]}' if declared.field == "json_value" else SAMPLES[declared.check]


def _expected(value_type: str) -> Any:
    value = _sample(value_type)
    return {"k": [1]} if facts.VALUE_TYPES[value_type].field == "json_value" else value


def _model(**fields: Any) -> Score:
    return Score(
        id="score_1", created_at=datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC), **fields
    )


def test_exported_from_the_package() -> None:
    assert respan_evals.score_value is score_value
    assert {"score_value", "score_value_field"} <= set(respan_evals.__all__)


@pytest.mark.parametrize("value_type", _value_types())
def test_one_set_field_is_the_value(value_type: str) -> None:
    field = facts.VALUE_TYPES[value_type].field
    others = {name: None for name in facts.VALUE_FIELDS if name != field}
    row = {"id": "s", **others, field: _sample(value_type)}
    assert score_value_field(row) == field
    assert score_value(row) == _expected(value_type)
    assert score_value(_model(**{field: _sample(value_type)})) == _expected(value_type)


@pytest.mark.parametrize("value_type", _value_types())
def test_the_given_value_type_decides(value_type: str) -> None:
    row = {name: f"{name} text" for name in facts.VALUE_FIELDS}
    field = facts.VALUE_TYPES[value_type].field
    row[field] = _sample(value_type)
    assert score_value_field(row, value_type=value_type) == field
    assert score_value(row, value_type=value_type) == _expected(value_type)
    # The value type's field is null: that score holds no value of this type.
    assert score_value({**row, field: None}, value_type=value_type) is None


def test_an_unknown_value_type_is_refused() -> None:
    with pytest.raises(RespanValidationError, match="unknown score_value_type 'ranking'"):
        score_value({"numerical_value": 1.0}, value_type="ranking")


def test_no_value_field_set_is_none() -> None:
    assert score_value({"id": "s", "is_passed": True}) is None
    assert score_value({name: None for name in facts.VALUE_FIELDS}) is None
    assert score_value(_model()) is None  # every field UNSET
    assert score_value_field(_model()) is None


@pytest.mark.parametrize(("text", "decoded"), JSON_CASES)
def test_json_text_is_decoded(text: str, decoded: Any) -> None:
    assert score_value({"json_value": text}) == decoded
    assert score_value(_model(json_value=text)) == decoded


def test_json_already_decoded_or_not_json_is_returned_as_it_is() -> None:
    assert score_value({"json_value": {"rating": 5}}) == {"rating": 5}
    assert score_value({"json_value": "not json"}) == "not json"
    assert score_value({"json_value": "[" * 100_000}) == "[" * 100_000  # too deep to decode


def test_several_fields_without_a_hint_go_by_the_facts_order() -> None:
    row = {name: f"{name} text" for name in reversed(facts.VALUE_FIELDS)}
    assert score_value_field(row) == facts.VALUE_FIELDS[0]
    assert score_value_field({**row, facts.VALUE_FIELDS[0]: None}) == facts.VALUE_FIELDS[1]


@pytest.mark.parametrize("value_type", _value_types())
def test_several_fields_and_the_evaluator_on_the_score_names_the_type(value_type: str) -> None:
    field = facts.VALUE_TYPES[value_type].field
    row: dict[str, Any] = {name: f"{name} text" for name in facts.VALUE_FIELDS}
    row[field] = _sample(value_type)
    assert score_value({**row, "evaluator": {"score_value_type": value_type}}) == _expected(
        value_type
    )
    evaluator = ScoreEvaluatorType0()
    evaluator.additional_properties["score_value_type"] = value_type
    assert score_value(_model(**row, evaluator=evaluator)) == _expected(value_type)


@pytest.mark.parametrize("value_type", _value_types())
def test_several_fields_and_a_type_naming_the_value_type(value_type: str) -> None:
    field = facts.VALUE_TYPES[value_type].field
    row: dict[str, Any] = {name: f"{name} text" for name in facts.VALUE_FIELDS}
    row[field] = _sample(value_type)
    for score_type in (value_type, f"human_{value_type}"):
        assert score_value_field({**row, "type": score_type}) == field
        assert score_value_field(_model(**row, type_=score_type)) == field


def test_a_run_result_with_its_evaluator_model() -> None:
    evaluator = Evaluator.from_dict(
        {
            "id": "evl_1",
            "name": "Tone",
            "type": "llm",
            "score_value_type": "text",
            "evaluator_slug": "tone",
        }
    )
    result = EvaluatorRunResult(numerical_value=1.0, string_value="calm", evaluator=evaluator)
    assert score_value(result) == "calm"


def test_a_hint_whose_field_is_not_set_falls_back_to_the_facts_order() -> None:
    row = {"numerical_value": 2.0, "string_value": "x", "type": "human_boolean"}
    assert score_value_field(row) == "numerical_value"
    assert score_value_field({**row, "type": "llm"}) == "numerical_value"
