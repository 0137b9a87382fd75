"""The x-respan-* declarations: every operation, tag and value type has them, and a gap is named.

scripts/spec_facts.py reads them for scripts/regenerate (which stops on a gap); these tests take
each declaration away from a copy of the spec and check the message names what is missing.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

import respan_evals_api.facts as facts
from tests import _spec_facts

spec_facts = _spec_facts.load()

METHODS = set(spec_facts.METHODS)


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [op for item in spec["paths"].values() for m, op in item.items() if m in METHODS]


def problems(spec: dict[str, Any]) -> list[str]:
    with pytest.raises(spec_facts.SpecFactsError) as caught:
        spec_facts.read(spec)
    return caught.value.problems


def test_the_spec_declares_everything(spec: dict[str, Any]) -> None:
    read = spec_facts.read(spec)
    assert [op.operation_id for op in read.operations] == [
        op["operationId"] for op in operations(spec)
    ]
    enum = spec["components"]["schemas"]["ScoreValueType"]["enum"]
    assert [vt.name for vt in read.value_types] == enum


def test_the_generated_facts_are_the_spec_s(spec: dict[str, Any]) -> None:
    read = spec_facts.read(spec)
    assert list(facts.OPERATIONS) == [op.operation_id for op in read.operations]
    for op in read.operations:
        made = facts.OPERATIONS[op.operation_id]
        assert (made.method, made.path, made.resource, made.name, made.idempotent) == (
            op.method,
            op.path,
            op.resource,
            op.name,
            op.idempotent,
        )
        assert (made.pagination is None) == (op.pagination is None)
    assert {k: (v.field, v.check) for k, v in facts.VALUE_TYPES.items()} == {
        vt.name: (vt.field, vt.check) for vt in read.value_types
    }


@pytest.mark.parametrize("key", ["x-respan-method", "x-respan-idempotent"])
def test_an_operation_without_its_declaration_is_named(spec: dict[str, Any], key: str) -> None:
    for index, op in enumerate(operations(spec)):
        broken = copy.deepcopy(spec)
        del operations(broken)[index][key]
        found = problems(broken)
        assert len(found) == 1 and op["operationId"] in found[0] and key in found[0], found


def test_a_tag_without_its_resource_is_named(spec: dict[str, Any]) -> None:
    broken = copy.deepcopy(spec)
    tag = broken["tags"][0]
    del tag["x-respan-resource"]
    found = problems(broken)
    assert any(tag["name"] in p and "x-respan-resource" in p for p in found), found


def test_a_new_value_type_without_its_declaration_is_named(spec: dict[str, Any]) -> None:
    broken = copy.deepcopy(spec)
    broken["components"]["schemas"]["ScoreValueType"]["enum"].append("ranking")
    found = problems(broken)
    assert len(found) == 1 and "'ranking'" in found[0], found


def test_every_value_type_needs_its_declaration(spec: dict[str, Any]) -> None:
    for name in spec["components"]["schemas"]["ScoreValueType"]["enum"]:
        broken = copy.deepcopy(spec)
        del broken["components"]["schemas"]["ScoreValueType"]["x-respan-value-types"][name]
        found = problems(broken)
        assert len(found) == 1 and repr(name) in found[0], found


def test_a_check_the_facade_lacks_is_named(spec: dict[str, Any]) -> None:
    broken = copy.deepcopy(spec)
    declared = broken["components"]["schemas"]["ScoreValueType"]["x-respan-value-types"]
    declared["numerical"]["check"] = "telepathy"
    found = problems(broken)
    assert len(found) == 1 and "telepathy" in found[0] and "'numerical'" in found[0], found


def test_a_value_field_that_score_lacks_is_named(spec: dict[str, Any]) -> None:
    broken = copy.deepcopy(spec)
    declared = broken["components"]["schemas"]["ScoreValueType"]["x-respan-value-types"]
    declared["boolean"]["field"] = "bool_value"
    found = problems(broken)
    assert len(found) == 1 and "bool_value" in found[0], found


def test_pagination_naming_a_missing_parameter_is_named(spec: dict[str, Any]) -> None:
    broken = copy.deepcopy(spec)
    broken["components"]["parameters"]["PageSize"]["name"] = "limit"  # renamed, not re-declared
    found = problems(broken)
    paginated = [op["operationId"] for op in operations(spec) if "x-respan-paginate" in op]
    assert paginated and len(found) == len(paginated)
    for op_id, problem in zip(paginated, found, strict=True):
        assert op_id in problem and "'page_size' is not a query parameter" in problem


def test_two_operations_on_one_method_name_are_named(spec: dict[str, Any]) -> None:
    broken = copy.deepcopy(spec)
    ops = [op for op in operations(broken) if op["tags"] == ["scores"]]
    ops[1]["x-respan-method"] = ops[0]["x-respan-method"]
    found = problems(broken)
    assert len(found) == 1 and ops[1]["operationId"] in found[0] and "taken" in found[0]


def test_a_get_cannot_be_declared_unsafe_to_repeat(spec: dict[str, Any]) -> None:
    broken = copy.deepcopy(spec)
    get = next(op for op in operations(broken) if op["operationId"].startswith("retrieve_"))
    get["x-respan-idempotent"] = False
    found = problems(broken)
    assert len(found) == 1 and get["operationId"] in found[0]
