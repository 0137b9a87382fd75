"""The pages' type words and field entry lines (`numerical_valuedouble or nullOptional`)."""

from __future__ import annotations

import pytest
from docs_check.vocabulary import DocType, compatible, parse_field_line, parse_type


@pytest.mark.parametrize(
    "words",
    [
        "string",
        "integer",
        "double",
        "boolean",
        "datetime",
        "enum",
        "object",
        "any",
        "list of strings",
        "list of objects",
        "list of lists of integers",
        "map from strings to any",
        "map from strings to strings",
        "map from strings to lists of strings",
        "string or null",
        "list of strings or null",
        "map from strings to any or null",
        "double or string",
    ],
)
def test_every_type_of_the_vocabulary_reads_and_prints_back(words: str) -> None:
    typed = parse_type(words)
    assert typed is not None
    assert typed.words() == words


@pytest.mark.parametrize("words", ["uuid", "list of", "strings", "map from ints to any", "or null"])
def test_words_outside_the_vocabulary_are_not_a_type(words: str) -> None:
    assert parse_type(words) is None


@pytest.mark.parametrize(
    ("line", "name", "words", "required"),
    [
        ("evaluator_idstringOptional", "evaluator_id", "string", False),
        ("numerical_valuedouble or nullOptional", "numerical_value", "double or null", False),
        ("categorical_valuelist of strings or nullOptional", "categorical_value",
         "list of strings or null", False),
        ("created_atdatetime", "created_at", "datetime", None),
        ("AuthorizationstringRequired", "Authorization", "string", True),
        ("configurationsmap from strings to anyOptional", "configurations",
         "map from strings to any", False),
        ("string_valuestring or null", "string_value", "string or null", None),
        ("typeenumRequired", "type", "enum", True),
    ],
)  # fmt: skip
def test_a_field_line_splits_into_name_type_and_requiredness(
    line: str, name: str, words: str, required: bool | None
) -> None:
    entry = parse_field_line(line)
    assert entry is not None
    assert (entry.name, entry.typed.words(), entry.required) == (name, words, required)


@pytest.mark.parametrize("line", ["Score ID.", "Allowed values:", "weightdecimalOptional"])
def test_prose_and_unknown_types_are_not_field_lines(line: str) -> None:
    assert parse_field_line(line) is None


def test_object_on_a_page_covers_the_specs_maps_and_nothing_else() -> None:
    any_map = DocType("map", (DocType("any"),))
    assert compatible(DocType("object"), any_map)
    assert compatible(any_map, DocType("object"))
    assert not compatible(DocType("string"), DocType("object"))
    assert not compatible(
        DocType("list", (DocType("string"),)), DocType("list", (DocType("integer"),))
    )
