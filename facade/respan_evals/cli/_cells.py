"""How a score value is spelled in a CSV cell, both ways, by the check kind the spec names.

The spec gives each score_value_type a check kind (`x-respan-value-types`, generated into
`respan_evals_api.facts.VALUE_TYPES`); a CSV cell is read by that kind, where the reading is
unambiguous, and the facade's value check then has the last word:
- number / percentage: a decimal number ("4", "4.5", "-1e3") becomes a float;
- boolean: the spellings spreadsheets write, in any case and with spaces around:
  true/false, yes/no, y/n and 1/0 (`BOOLEAN_SPELLINGS`; 1/0 only here, where the evaluator is
  boolean: for a number it is a number); any other cell is refused with these spellings;
- multi_choice, choices (legacy categorical) and string_list (a ranking): a cell starting
  with "[" is read as a JSON array (`["first", "second"]`, order kept); any other cell is one
  item: a one-item list for multi_choice and string_list, one choice for choices;
- single_choice, text, json: the cell as it is (json: the cell holds the JSON text);
- cells that do not fit stay strings, which the value check then rejects with its reason.

Written back (`scores export`), a value reads the same way: a number, true/false, a list of one
plain string as that string, any other list or object as JSON, text as it is.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping

from respan_evals_api import facts

__all__ = ["BOOLEAN_SPELLINGS", "CSV_READERS", "UnreadableCell", "coerce_csv_value", "csv_cell"]

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


class UnreadableCell(ValueError):
    """A cell this command cannot read as its value type (the reason says what it got)."""


_TRUE = ("true", "yes", "y", "1")
_FALSE = ("false", "no", "n", "0")
BOOLEAN_SPELLINGS = "true/false, yes/no, y/n or 1/0 (any case)"


def _number(cell: str) -> object:
    text = cell.strip()
    if _NUMBER.fullmatch(text):
        number = float(text)
        if math.isfinite(number):
            return number
    return cell


def _boolean(cell: str) -> object:
    lowered = cell.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise UnreadableCell(
        f"expected {BOOLEAN_SPELLINGS}, got {json.dumps(cell, ensure_ascii=False)}"
    )


def _json_array(cell: str) -> object:
    """A cell starting with "[" as the JSON array it holds, or None when it holds none."""
    text = cell.strip()
    if not text.startswith("["):
        return None
    try:
        parsed = json.loads(text)
    except ValueError:
        return cell  # left for the value check, which says why it is not a list
    except RecursionError:
        raise UnreadableCell("the cell's JSON is nested too deeply to read") from None
    return parsed


def _list(cell: str) -> object:
    parsed = _json_array(cell)
    return [cell] if parsed is None else parsed


def _one_or_list(cell: str) -> object:
    parsed = _json_array(cell)
    return cell if parsed is None else parsed


def _as_is(cell: str) -> object:
    return cell


# One reader per check kind the spec may name (scripts/spec_facts.py CHECKS).
CSV_READERS: Mapping[str, Callable[[str], object]] = {
    "number": _number,
    "percentage": _number,
    "boolean": _boolean,
    "single_choice": _as_is,
    "multi_choice": _list,
    "choices": _one_or_list,
    "string_list": _list,
    "text": _as_is,
    "json": _as_is,
}


def coerce_csv_value(cell: str, value_type: str | None) -> object:
    """A CSV cell as the value its evaluator's type takes, where that reading is unambiguous.

    >>> coerce_csv_value("4.5", "numerical"), coerce_csv_value("TRUE", "boolean")
    (4.5, True)
    >>> coerce_csv_value(" No ", "boolean"), coerce_csv_value("1", "boolean")
    (False, True)
    >>> coerce_csv_value('["a", "b"]', "multi_select"), coerce_csv_value("4.5", "text")
    (['a', 'b'], '4.5')

    A value type the spec does not declare stays a string (the facade's check names it);
    one whose check kind this command has no reader for, or a boolean cell in none of
    `BOOLEAN_SPELLINGS`, raises UnreadableCell.
    """
    declared = facts.VALUE_TYPES.get(value_type) if value_type is not None else None
    if declared is None:
        return cell
    reader = CSV_READERS.get(declared.check)
    if reader is None:
        raise UnreadableCell(
            f"this respan-evals cannot read CSV cells of value type {value_type!r} (its check "
            f"{declared.check!r} is new to it; it reads {', '.join(CSV_READERS)}): "
            "give the value in a JSONL file, or upgrade respan-evals"
        )
    return reader(cell)


def csv_cell(value: object, field: str | None = None) -> str:
    """A value as the CSV cell `coerce_csv_value` reads back to it ('' for None).

    >>> csv_cell(4.5), csv_cell(True), csv_cell(["b", "a"]), csv_cell({"k": 1})
    ('4.5', 'true', '["b", "a"]', '{"k": 1}')
    >>> csv_cell(["calm"], "categorical_value"), csv_cell(["calm"], "json_value")
    ('calm', '["calm"]')

    `field` names the Score value field the value came from: a list of one plain string is
    written as that string only where every check kind of that field reads it back as one item.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list) and len(value) == 1 and _plain(value[0]) and _one_item(field):
        return str(value[0])
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# The kinds whose reader takes a cell that is not a JSON array as one item (see the readers).
_READS_ONE_ITEM = frozenset({"single_choice", "multi_choice", "choices", "string_list"})


def _one_item(field: str | None) -> bool:
    kinds = {vt.check for vt in facts.VALUE_TYPES.values() if vt.field == field}
    return bool(kinds) and kinds <= _READS_ONE_ITEM


def _plain(item: object) -> bool:
    """A list item that can stand alone in a cell and still read back as that one item."""
    return isinstance(item, str) and item != "" and item == item.strip() and item[0] != "["
