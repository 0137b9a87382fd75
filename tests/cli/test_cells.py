"""CSV cells both ways, by the check kind the spec gives each value type (no server)."""

from __future__ import annotations

import json

import pytest

from respan_evals._values import CHECK_KINDS, EvaluatorProfile, score_value_fields
from respan_evals.cli._cells import CSV_READERS, UnreadableCell, coerce_csv_value, csv_cell
from respan_evals_api import facts
from tests import _spec_facts as spec_facts

RANKING = facts.ValueType(name="ranking", field="ranking_value", check="string_list")


@pytest.mark.parametrize(
    ("cell", "value_type", "expected"),
    [
        ("4.5", "numerical", 4.5),
        (" -3 ", "numerical", -3.0),
        ("1e2", "percentage", 100.0),
        ("nan", "numerical", "nan"),  # not a finite number: left for the value check
        ("4,5", "numerical", "4,5"),
        ("True", "boolean", True),
        ("false", "boolean", False),
        ("1", "boolean", True),  # a boolean evaluator's 1/0 (a number's 1 stays a number)
        ("0", "boolean", False),
        (" Yes ", "boolean", True),
        ("NO", "boolean", False),
        ("y", "boolean", True),
        ("N", "boolean", False),
        ("FALSE", "boolean", False),
        ("1", "numerical", 1.0),
        ('["a","b"]', "multi_select", ["a", "b"]),
        ("[broken", "multi_select", "[broken"),
        ("a", "multi_select", ["a"]),  # one plain choice, as `scores export` writes it
        ('["a"]', "single_select", '["a"]'),
        ("a", "categorical", "a"),
        ('["a", "b"]', "categorical", ["a", "b"]),
        ('{"k": 1}', "json", '{"k": 1}'),  # JSON text, sent as it is
        ("4.5", "text", "4.5"),
        ("true", None, "true"),
        ("true", "not_a_spec_type", "true"),  # left for the facade, which names the type
    ],
)
def test_coerce_csv_value(cell: str, value_type: str | None, expected: object) -> None:
    assert coerce_csv_value(cell, value_type) == expected


@pytest.mark.parametrize("cell", ["maybe", "2", "", "truthy", "1.0"])
def test_a_boolean_cell_in_no_known_spelling_is_refused_with_them(cell: str) -> None:
    with pytest.raises(UnreadableCell) as caught:
        coerce_csv_value(cell, "boolean")
    assert str(caught.value) == (
        f"expected true/false, yes/no, y/n or 1/0 (any case), got {json.dumps(cell)}"
    )


@pytest.mark.parametrize("value_type", sorted(facts.VALUE_TYPES))
def test_every_value_type_in_the_spec_has_a_csv_reader(value_type: str) -> None:
    kind = facts.VALUE_TYPES[value_type].check
    assert kind in CSV_READERS, f"{value_type!r}: the CLI cannot read CSV cells of check {kind!r}"


def test_the_csv_readers_cover_every_check_kind() -> None:
    # The spec may name any kind scripts/spec_facts.py accepts; the facade checks each of them.
    module = spec_facts.load()
    assert set(CSV_READERS) == CHECK_KINDS == set(module.CHECKS)


def test_a_check_kind_the_cli_lacks_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    stars = facts.ValueType(name="stars", field="numerical_value", check="star_rating")
    monkeypatch.setattr(facts, "VALUE_TYPES", {**facts.VALUE_TYPES, "stars": stars})
    with pytest.raises(UnreadableCell, match=r"value type 'stars' .*'star_rating'.*JSONL"):
        coerce_csv_value("4", "stars")


# Values as a score carries them on the wire, by check kind: each must survive a CSV cell.
WIRE_VALUES: dict[str, list[object]] = {
    "number": [4.5, -3.0, 1e-7],
    "percentage": [37.5, 100.0],
    "boolean": [True, False],
    "single_choice": [["calm"], ["two words"]],
    "multi_choice": [["billing"], ["billing", "returns"], [], ["[odd]"], [" padded "]],
    "choices": [["a"], ["a", "b"]],
    "string_list": [["b", "a", "c"], ["a"], ["[x]"], []],
    "text": ["good answer", "4.5", "[not a list", "true"],
    "json": ['{"a": 1}', "3", '["x"]', "null"],
}


def round_trips(value_type: str) -> None:
    declared = facts.VALUE_TYPES[value_type]
    assert declared.check in WIRE_VALUES, f"add sample values for check {declared.check!r}"
    profile = EvaluatorProfile("q", value_type)
    for wire in WIRE_VALUES[declared.check]:
        cell = csv_cell(wire, declared.field)
        read = coerce_csv_value(cell, value_type)
        assert score_value_fields(read, profile) == {declared.field: wire}, (wire, cell, read)


@pytest.mark.parametrize("value_type", sorted(facts.VALUE_TYPES))
def test_what_export_writes_import_sends_again(value_type: str) -> None:
    round_trips(value_type)


def test_a_ranking_added_to_the_spec_round_trips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(facts, "VALUE_TYPES", {**facts.VALUE_TYPES, "ranking": RANKING})
    monkeypatch.setattr(facts, "VALUE_FIELDS", (*facts.VALUE_FIELDS, "ranking_value"))
    assert csv_cell(["b", "a"], "ranking_value") == '["b", "a"]'
    assert coerce_csv_value('["b", "a"]', "ranking") == ["b", "a"]
    round_trips("ranking")


def test_a_decoded_json_value_is_written_as_json() -> None:
    # json_value may come back decoded; a one-item list must stay a JSON array in its cell.
    assert csv_cell(["x"], "json_value") == '["x"]'
    assert json.loads(csv_cell({"k": [1, "é"]}, "json_value")) == {"k": [1, "é"]}
    assert csv_cell(["x"]) == '["x"]'  # a list in a column that is no value field
