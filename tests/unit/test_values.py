"""The value-field table and the checks on score values."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from respan_evals._errors import RespanValidationError, ScoreValueError
from respan_evals._values import (
    CHECK_KINDS,
    VALUE_FIELDS,
    EvaluatorProfile,
    check_value_type,
    score_value_fields,
)
from respan_evals_api import facts
from tests import _spec_facts as spec_facts

# Scenario c of issue 12: a ranking type, as a later spec would declare it.
RANKING = facts.ValueType(name="ranking", field="ranking_value", check="string_list")


class bool_:  # stands in for numpy.bool_ without importing numpy
    __module__ = "numpy"

    def __init__(self, value: bool) -> None:
        self.value = value

    def __bool__(self) -> bool:
        return self.value


class float64(float):  # stands in for numpy.float64, a float subclass
    __module__ = "numpy"


def profile(
    value_type: str,
    *,
    min_score: float | None = None,
    max_score: float | None = None,
    choices: tuple[str, ...] | None = None,
) -> EvaluatorProfile:
    return EvaluatorProfile("quality", value_type, min_score, max_score, choices)


@pytest.mark.parametrize("value_type", sorted(facts.VALUE_TYPES))
def test_value_fields_come_from_the_spec(value_type: str) -> None:
    declared = facts.VALUE_TYPES[value_type]
    assert VALUE_FIELDS[value_type] == declared.field
    assert check_value_type(value_type) == declared.field
    assert declared.field in facts.VALUE_FIELDS
    assert declared.field in facts.SCORE_FIELDS


def test_value_field_table_is_the_spec_table() -> None:
    assert dict(VALUE_FIELDS) == {name: vt.field for name, vt in facts.VALUE_TYPES.items()}
    assert set(VALUE_FIELDS.values()) == set(facts.VALUE_FIELDS)


@pytest.mark.parametrize("value_type", sorted(facts.VALUE_TYPES))
def test_every_value_type_in_the_spec_has_its_check(value_type: str) -> None:
    kind = facts.VALUE_TYPES[value_type].check
    assert kind in CHECK_KINDS, f"{value_type!r}: respan_evals._values has no check {kind!r}"


def test_the_spec_reader_and_the_facade_know_the_same_check_kinds() -> None:
    # scripts/spec_facts.py refuses a kind outside its CHECKS; each of those must be a check here.
    module = spec_facts.load()
    assert set(module.CHECKS) == CHECK_KINDS


def test_a_check_kind_the_facade_lacks_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    stars = facts.ValueType(name="stars", field="numerical_value", check="star_rating")
    monkeypatch.setattr(facts, "VALUE_TYPES", {**facts.VALUE_TYPES, "stars": stars})
    with pytest.raises(RespanValidationError, match="'star_rating'") as caught:
        check_value_type("stars")
    assert "does not implement" in str(caught.value)
    with pytest.raises(ScoreValueError, match="check 'star_rating'"):
        score_value_fields(3, profile("stars"))


def test_unknown_type_message_lists_the_spec_types(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(facts, "VALUE_TYPES", {**facts.VALUE_TYPES, "ranking": RANKING})
    with pytest.raises(RespanValidationError) as caught:
        check_value_type("stars")
    for name in facts.VALUE_TYPES:
        assert name in str(caught.value)


def test_check_value_type_rejects_unknown() -> None:
    with pytest.raises(RespanValidationError, match="does not know 'stars' yet"):
        check_value_type("stars")


ABC = ("a", "b", "c")

ACCEPTED: list[tuple[EvaluatorProfile, object, dict[str, object]]] = [
    (profile("numerical"), 4.5, {"numerical_value": 4.5}),
    (profile("numerical"), 4, {"numerical_value": 4.0}),
    (profile("numerical"), -1e300, {"numerical_value": -1e300}),
    (profile("numerical"), Fraction(1, 4), {"numerical_value": 0.25}),
    (profile("numerical"), Decimal("2.5"), {"numerical_value": 2.5}),
    (profile("numerical"), float64(3.0), {"numerical_value": 3.0}),
    (profile("numerical", min_score=1, max_score=5), 1, {"numerical_value": 1.0}),
    (profile("numerical", min_score=1, max_score=5), 5.0, {"numerical_value": 5.0}),
    (profile("numerical", min_score=1), 1e9, {"numerical_value": 1e9}),
    (profile("percentage"), 0, {"numerical_value": 0.0}),
    (profile("percentage"), 100, {"numerical_value": 100.0}),
    (profile("percentage"), 37.5, {"numerical_value": 37.5}),
    (profile("percentage", max_score=1), 0.5, {"numerical_value": 0.5}),
    (profile("boolean"), True, {"boolean_value": True}),
    (profile("boolean"), False, {"boolean_value": False}),
    (profile("boolean"), bool_(True), {"boolean_value": True}),
    (profile("boolean"), bool_(False), {"boolean_value": False}),
    (profile("single_select", choices=ABC), "a", {"categorical_value": ["a"]}),
    (profile("single_select", choices=ABC), ["b"], {"categorical_value": ["b"]}),
    (profile("single_select", choices=ABC), ("c",), {"categorical_value": ["c"]}),
    (profile("single_select"), "anything", {"categorical_value": ["anything"]}),
    (profile("multi_select", choices=ABC), ["c", "a"], {"categorical_value": ["c", "a"]}),
    (profile("multi_select", choices=ABC), ("a",), {"categorical_value": ["a"]}),
    (profile("multi_select", choices=ABC), {"c", "a", "b"}, {"categorical_value": ["a", "b", "c"]}),
    (profile("multi_select", choices=ABC), frozenset({"b"}), {"categorical_value": ["b"]}),
    (profile("multi_select", choices=ABC), [], {"categorical_value": []}),
    (profile("multi_select"), ["x", "y"], {"categorical_value": ["x", "y"]}),
    (profile("categorical", choices=ABC), "a", {"categorical_value": ["a"]}),
    (profile("categorical", choices=ABC), ["a", "b"], {"categorical_value": ["a", "b"]}),
    (profile("text"), "good answer", {"string_value": "good answer"}),
    (profile("text"), "", {"string_value": ""}),
    (profile("comment"), "naïve — 東京 🙂", {"string_value": "naïve — 東京 🙂"}),
    (profile("json"), {"a": 1}, {"json_value": '{"a":1}'}),
    (profile("json"), {"b": [1, 2.5, None]}, {"json_value": '{"b":[1,2.5,null]}'}),
    (profile("json"), [1, "x"], {"json_value": '[1,"x"]'}),
    (profile("json"), (1, 2), {"json_value": "[1,2]"}),
    (profile("json"), {"k": "東京"}, {"json_value": '{"k":"東京"}'}),
    (profile("json"), 3, {"json_value": "3"}),
    (profile("json"), 2.5, {"json_value": "2.5"}),
    (profile("json"), True, {"json_value": "true"}),
    (profile("json"), '{"rating": 5}', {"json_value": '{"rating": 5}'}),
    (profile("json"), '"just a string"', {"json_value": '"just a string"'}),
    (profile("json"), "null", {"json_value": "null"}),
]


@pytest.mark.parametrize(("prof", "value", "expected"), ACCEPTED)
def test_accepted_values(prof: EvaluatorProfile, value: object, expected: dict[str, Any]) -> None:
    fields = score_value_fields(value, prof)
    assert fields == expected
    (result,) = fields.values()
    assert type(result) is type(next(iter(expected.values())))


REJECTED: list[tuple[EvaluatorProfile, object, str]] = [
    (profile("numerical"), True, "finite number"),
    (profile("numerical"), bool_(True), "finite number"),
    (profile("numerical"), "4.5", "finite number"),
    (profile("numerical"), math.nan, "finite number"),
    (profile("numerical"), math.inf, "finite number"),
    (profile("numerical"), -math.inf, "finite number"),
    (profile("numerical"), Decimal("NaN"), "finite number"),
    (profile("numerical"), Decimal("1e400"), "finite number"),
    (profile("numerical"), 10**400, "too large for a float"),
    (profile("numerical"), 1 + 2j, "finite number"),
    (profile("numerical", min_score=1, max_score=5), 0.99, r"\[1.0, 5.0\]"),
    (profile("numerical", min_score=1, max_score=5), 5.01, r"\[1.0, 5.0\]"),
    (profile("numerical", max_score=5), 6, r"\[-inf, 5.0\]"),
    (profile("percentage"), 100.5, r"\[0.0, 100.0\]"),
    (profile("percentage"), -0.1, r"\[0.0, 100.0\]"),
    (profile("percentage", max_score=1), 50, r"\[0.0, 1.0\]"),
    (profile("boolean"), 1, "True or False"),
    (profile("boolean"), 0, "True or False"),
    (profile("boolean"), "true", "True or False"),
    (profile("single_select", choices=ABC), "d", r"\['d'\] not among them"),
    (profile("single_select", choices=ABC), ["a", "b"], "got 2 values"),
    (profile("single_select", choices=ABC), [], "got 0 values"),
    (profile("single_select", choices=ABC), 1, "one choice"),
    (profile("single_select", choices=ABC), [1], "one choice"),
    (profile("single_select", choices=ABC), {"a"}, "one choice"),
    (profile("multi_select", choices=ABC), ["a", "a"], "repeats a choice"),
    (profile("multi_select", choices=ABC), ["a", "z"], r"\['z'\] not among them"),
    (profile("multi_select", choices=ABC), "a", "list of distinct choices"),
    (profile("multi_select", choices=ABC), ["a", 1], "list of distinct choices"),
    (profile("multi_select", choices=ABC), {"a", 1}, "list of distinct choices"),
    (profile("categorical", choices=ABC), "q", r"\['q'\] not among them"),
    (profile("categorical", choices=ABC), 3, "a choice or a list of choices"),
    (profile("text"), b"bytes", "decode it first"),
    (profile("text"), bytearray(b"x"), "decode it first"),
    (profile("text"), 42, "a str"),
    (profile("comment"), "bad \ud800 surrogate", "lone surrogate at index 4"),
    (profile("json"), math.nan, "JSON can encode"),
    (profile("json"), {"a": math.inf}, "JSON can encode"),
    (profile("json"), {"when": object()}, "not JSON serializable"),
    (profile("json"), {(1, 2): "tuple key"}, "JSON can encode"),
    (profile("json"), {1, 2}, "JSON can encode"),
    (profile("json"), b"{}", "JSON can encode"),
    (profile("json"), "{not json", "valid JSON"),
    (profile("json"), "NaN", "NaN is not valid JSON"),
    (profile("json"), '{"a": Infinity}', "Infinity is not valid JSON"),
    (profile("json"), "", "valid JSON"),
    (profile("json"), {"k": "\udc80"}, "lone surrogate"),
]


@pytest.mark.parametrize(("prof", "value", "match"), REJECTED)
def test_rejected_values(prof: EvaluatorProfile, value: object, match: str) -> None:
    with pytest.raises(ScoreValueError, match=match) as caught:
        score_value_fields(value, prof)
    error = caught.value
    assert error.evaluator == "quality"
    assert error.value_type == prof.value_type
    assert error.value is value
    assert "'quality'" in str(error)
    assert repr(prof.value_type) in str(error)


@pytest.mark.parametrize("value_type", sorted(VALUE_FIELDS))
def test_none_is_never_a_value(value_type: str) -> None:
    with pytest.raises(ScoreValueError, match="to clear a score, delete it"):
        score_value_fields(None, profile(value_type))


def test_json_none_suggests_the_string_null() -> None:
    with pytest.raises(ScoreValueError, match='pass the string "null"'):
        score_value_fields(None, profile("json"))


def test_unknown_type_says_how_to_send_the_raw_field() -> None:
    with pytest.raises(ScoreValueError) as caught:
        score_value_fields(3, profile("stars"))
    message = str(caught.value)
    assert "does not know 'stars' yet" in message
    assert "client.log_scores.upsert(log_id, evaluator_slug=..., numerical_value=...)" in message


def test_missing_value_type_is_explained() -> None:
    with pytest.raises(ScoreValueError, match="reported no score_value_type"):
        score_value_fields(3, profile(""))


def test_score_value_error_is_a_validation_error_and_a_value_error() -> None:
    with pytest.raises(ScoreValueError) as caught:
        score_value_fields("x", profile("boolean"))
    assert isinstance(caught.value, RespanValidationError)
    assert isinstance(caught.value, ValueError)
    assert caught.value.expected.startswith("True or False")


def test_long_values_are_cut_in_messages() -> None:
    value = "x" * 10_000
    with pytest.raises(ScoreValueError) as caught:
        score_value_fields(value, profile("numerical"))
    assert len(str(caught.value)) < 300
    assert "..." in str(caught.value)
    assert caught.value.value is value


def test_json_dict_keeps_key_order_and_unicode() -> None:
    (text,) = score_value_fields({"z": 1, "a": "é"}, profile("json")).values()
    assert text == '{"z":1,"a":"é"}'
    assert json.loads(str(text)) == {"z": 1, "a": "é"}


@pytest.mark.parametrize(
    ("evaluator", "expected"),
    [
        (
            {
                "id": "evl_1",
                "evaluator_slug": "quality",
                "score_value_type": "numerical",
                "score_config": {"min_score": 0, "max_score": 5.0},
            },
            EvaluatorProfile("quality", "numerical", 0.0, 5.0, None),
        ),
        (
            {
                "id": "evl_2",
                "score_value_type": "single_select",
                "score_config": {
                    "choices": [{"name": "A", "value": "a"}, {"name": "B", "value": 2}]
                },
            },
            EvaluatorProfile("evl_2", "single_select", None, None, ("a", "2")),
        ),
        (
            {
                "id": "evl_3",
                "score_value_type": "categorical",
                "score_config": {"choices": []},
                "categorical_choices": [
                    {"name": "Yes", "value": True},
                    {"name": "No", "value": False},
                ],
            },
            EvaluatorProfile("evl_3", "categorical", None, None, ("true", "false")),
        ),
        (
            {
                "id": "evl_4",
                "score_value_type": "multi_select",
                "score_config": None,
                "categorical_choices": None,
            },
            EvaluatorProfile("evl_4", "multi_select", None, None, None),
        ),
        (
            {"name": "Only a name", "score_value_type": "percentage", "score_config": {}},
            EvaluatorProfile("Only a name", "percentage", None, None, None),
        ),
        (
            {
                "id": "evl_5",
                "score_value_type": None,
                "score_config": {"min_score": "1.5", "max_score": True, "choices": "junk"},
            },
            EvaluatorProfile("evl_5", "", 1.5, None, None),
        ),
        (
            {
                "score_config": {
                    "min_score": "NaN",
                    "max_score": "nope",
                    "choices": [None, {"x": 1}],
                }
            },
            EvaluatorProfile("?", "", None, None, None),
        ),
    ],
)
def test_profile_from_evaluator_dict(evaluator: dict[str, Any], expected: EvaluatorProfile) -> None:
    assert EvaluatorProfile.from_evaluator_dict(evaluator) == expected


def test_profile_from_dict_checks_choices_end_to_end() -> None:
    prof = EvaluatorProfile.from_evaluator_dict(
        {
            "evaluator_slug": "tone",
            "score_value_type": "multi_select",
            "score_config": {"choices": [{"name": "Calm", "value": "calm"}]},
        }
    )
    assert score_value_fields(["calm"], prof) == {"categorical_value": ["calm"]}
    with pytest.raises(ScoreValueError, match="'tone'"):
        score_value_fields(["Calm"], prof)


class NumpyTwoBool(bool_):  # numpy 2 renamed its bool scalar from bool_ to bool
    __module__ = "numpy"


NumpyTwoBool.__name__ = "bool"


def test_numpy_2_bool_is_a_bool_and_never_a_number() -> None:
    assert score_value_fields(NumpyTwoBool(True), profile("boolean")) == {"boolean_value": True}
    with pytest.raises(ScoreValueError):
        score_value_fields(NumpyTwoBool(True), profile("numerical"))


def test_signaling_nan_is_refused_like_any_nan() -> None:
    with pytest.raises(ScoreValueError, match="finite number"):
        score_value_fields(Decimal("sNaN"), profile("numerical"))


@pytest.mark.parametrize(
    "value", [{1: "a", "1": "b"}, {None: 1, "null": 2}, [{True: 1, "true": 2}]]
)
def test_json_keys_that_json_spells_alike_are_refused(value: object) -> None:
    with pytest.raises(ScoreValueError, match="spells the same"):
        score_value_fields(value, profile("json"))


def test_a_value_too_large_to_print_still_gives_the_value_error() -> None:
    with pytest.raises(ScoreValueError, match="cannot be shown"):
        score_value_fields(10**5000, profile("text"))


def test_messages_name_a_generated_value_type_by_its_value() -> None:
    from respan_evals_api.models import ScoreValueType

    prof = EvaluatorProfile.from_evaluator_dict(
        {"evaluator_slug": "q", "score_value_type": ScoreValueType.NUMERICAL}
    )
    assert type(prof.value_type) is str
    with pytest.raises(ScoreValueError) as info:
        score_value_fields("high", prof)
    assert "(score_value_type 'numerical')" in str(info.value)
    assert "ScoreValueType" not in str(info.value)


@pytest.fixture
def ranking(monkeypatch: pytest.MonkeyPatch) -> None:
    """A spec that declares `ranking` (check string_list) with its own field, ranking_value."""
    monkeypatch.setattr(facts, "VALUE_TYPES", {**facts.VALUE_TYPES, "ranking": RANKING})
    monkeypatch.setattr(facts, "VALUE_FIELDS", (*facts.VALUE_FIELDS, "ranking_value"))


@pytest.mark.usefixtures("ranking")
def test_a_new_value_type_and_field_need_no_edit_here() -> None:
    assert VALUE_FIELDS["ranking"] == "ranking_value"
    assert check_value_type("ranking") == "ranking_value"
    assert score_value_fields(["b", "a"], profile("ranking")) == {"ranking_value": ["b", "a"]}


RANKED: list[tuple[tuple[str, ...] | None, object, list[str]]] = [
    (ABC, ["c", "a", "b"], ["c", "a", "b"]),  # order kept, not sorted
    (ABC, ("b", "a"), ["b", "a"]),  # a partial ranking
    (ABC, [], []),
    (None, ["x", "y"], ["x", "y"]),  # no choices configured: not checked against any
    (None, ["東京", "naïve"], ["東京", "naïve"]),
]


@pytest.mark.usefixtures("ranking")
@pytest.mark.parametrize(("choices", "value", "expected"), RANKED)
def test_string_list_accepts(
    choices: tuple[str, ...] | None, value: object, expected: list[str]
) -> None:
    fields = score_value_fields(value, profile("ranking", choices=choices))
    assert fields == {"ranking_value": expected}
    assert type(fields["ranking_value"]) is list


UNRANKED: list[tuple[tuple[str, ...] | None, object, str]] = [
    (ABC, {"a", "b"}, "a set has no order"),
    (ABC, frozenset({"a"}), "a set has no order"),
    (ABC, ["a", "a"], "repeats an item"),
    (ABC, ["a", "z"], r"\['z'\] not among them"),
    (ABC, "a", "ordered list of distinct strings among"),
    (None, ["a", 1], "ordered list of distinct strings"),
    (None, {"a": 1}, "ordered list of distinct strings"),
    (None, ["bad \ud800"], "lone surrogate"),
]


@pytest.mark.usefixtures("ranking")
@pytest.mark.parametrize(("choices", "value", "match"), UNRANKED)
def test_string_list_rejects(choices: tuple[str, ...] | None, value: object, match: str) -> None:
    with pytest.raises(ScoreValueError, match=match) as caught:
        score_value_fields(value, profile("ranking", choices=choices))
    assert caught.value.value_type == "ranking"
    assert caught.value.value is value


@pytest.mark.usefixtures("ranking")
def test_string_list_none_is_not_a_value() -> None:
    with pytest.raises(ScoreValueError, match="to clear a score, delete it"):
        score_value_fields(None, profile("ranking"))


def test_checks_follow_the_kind_the_spec_names(monkeypatch: pytest.MonkeyPatch) -> None:
    # A value type is checked by its declared kind, not by its name: "stars" is a percentage.
    stars = facts.ValueType(name="stars", field="numerical_value", check="percentage")
    monkeypatch.setattr(facts, "VALUE_TYPES", {**facts.VALUE_TYPES, "stars": stars})
    assert score_value_fields(100, profile("stars")) == {"numerical_value": 100.0}
    with pytest.raises(ScoreValueError, match=r"\[0.0, 100.0\]"):
        score_value_fields(101, profile("stars"))
