"""Reading files into rows (no server): line numbers, problems, the journal."""

from __future__ import annotations

from pathlib import Path

import pytest

from respan_evals.cli._journal import Journal, JournalError
from respan_evals.cli._read import ReadError, detect_format, read_rows


def test_jsonl_rows_keep_their_line_numbers_and_problems(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_bytes(
        b'\xef\xbb\xbf{"log_id": "l1", "evaluator": "q", "value": 1}\n'
        b"\n"
        b"[1, 2]\n"
        b'{"log_id": "l2", "evaluator": "q", "evaluator_id": "evl_1", "value": null}\n'
        b'{"log_id": 5, "evaluator": "q", "value": 1}\n'
        b'{"log_id": "l3", "evaluator_id": "evl_1", "numerical_value": 2, "is_passed": true}\n'
        b"\xff\xfe\n"
    )
    rows = list(read_rows(path, "jsonl"))
    assert [r.line for r in rows] == [1, 3, 4, 5, 6, 7]
    assert rows[0].fields is not None and rows[0].fields.log_id == "l1"
    assert rows[1].problem == "expected a JSON object, got an array"
    assert rows[2].problem == "value is null"
    assert rows[3].problem == "log_id must be a non-empty string, got 5"
    exported = rows[4].fields
    assert exported is not None and exported.value == 2 and exported.evaluator_id == "evl_1"
    assert rows[5].problem is not None and rows[5].problem.startswith("not UTF-8")
    assert len({r.digest for r in rows}) == 6


def test_detect_format() -> None:
    assert detect_format(Path("a.JSONL"), None) == "jsonl"
    assert detect_format(Path("a.csv"), None) == "csv"
    assert detect_format(Path("a.txt"), "csv") == "csv"
    with pytest.raises(ReadError, match="--format"):
        detect_format(Path("a.txt"), None)


def test_journal_round_trip_and_repairs(tmp_path: Path) -> None:
    path = tmp_path / "j"
    journal = Journal(path, source="s.jsonl", base_url="http://x", api_key="k")
    journal.open()
    journal.record(3, "aaa", "score_1")
    journal.record(4, "bbb", None)
    journal.close()
    again = Journal(path, source="s.jsonl", base_url="http://x/", api_key="k")
    again.load()
    assert again.entries == {3: "aaa", 4: "bbb"}
    assert again.landed(3, "aaa") and not again.landed(3, "zzz") and again.changed(3, "zzz")
    again.close()  # the journal is locked from load to close

    path.write_bytes(path.read_bytes().rstrip(b"\n"))  # complete last line, newline lost
    third = Journal(path, source="s.jsonl", base_url="http://x", api_key="k")
    third.load()
    assert third.entries == {3: "aaa", 4: "bbb"}
    assert path.read_bytes().endswith(b"}\n")
    third.close()

    with pytest.raises(JournalError, match="records an import into http://x"):
        Journal(path, source="s.jsonl", base_url="http://y", api_key="k").load()
    path.write_text('{"line": 1, "hash": "a"}\n')
    with pytest.raises(JournalError, match="not a respan-evals journal"):
        Journal(path, source="s.jsonl", base_url="http://x", api_key="k").load()


def test_a_journal_is_bound_only_once_a_row_lands(tmp_path: Path) -> None:
    path = tmp_path / "j"
    unused = Journal(path, source="s.jsonl", base_url="https://typo.example", api_key="k")
    unused.open()
    assert not unused.bound
    unused.close()
    assert not path.exists()  # nothing landed: nothing written, nothing pinned

    path.write_text("")  # an empty journal someone made: still binds nothing
    other = Journal(path, source="s.jsonl", base_url="https://api.respan.ai", api_key="k2")
    other.open()
    other.record(1, "aaa", None)
    assert other.bound
    other.close()
    with pytest.raises(JournalError, match="another API key"):
        Journal(path, source="s.jsonl", base_url="https://api.respan.ai", api_key="k").load()
    with pytest.raises(JournalError, match="records an import into"):
        Journal(path, source="s.jsonl", base_url="https://typo.example", api_key="k2").load()


def test_names_are_read_in_any_case_and_unknown_ones_are_named(tmp_path: Path) -> None:
    csv_path = tmp_path / "s.csv"
    csv_path.write_text(" Log_ID ,Evaluator,VALUE,Colour\nl1,q,4,red\n", encoding="utf-8")
    (row,) = read_rows(csv_path, "csv")
    assert row.fields is not None
    assert (row.fields.log_id, row.fields.evaluator, row.fields.value) == ("l1", "q", "4")
    assert row.unknown == ("Colour",)
    assert row.raw == {"Log_ID": "l1", "Evaluator": "q", "VALUE": "4", "Colour": "red"}

    jsonl_path = tmp_path / "s.jsonl"
    jsonl_path.write_text(
        '{"LOG_ID": "l1", " evaluator ": "q", "Value": 1, "colour": "red", "is_passed": true}\n'
        '{"log_id": "l2", "value": 1, "Value": 2, "evaluator": "q"}\n'
        '{"value": 1, "evaluator": "q"}\n',
        encoding="utf-8",
    )
    first, clash, no_log = read_rows(jsonl_path, "jsonl")
    assert first.fields is not None and first.fields.value == 1 and first.fields.log_id == "l1"
    assert first.unknown == ("colour",)  # is_passed is an exported column: not reported
    assert clash.problem == "'value' and 'Value' both name value"
    assert no_log.problem == "missing log_id" and no_log.ref == "q" and no_log.readable


def test_a_csv_header_naming_one_column_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("log_id,evaluator,value,Value\nl1,q,1,2\n", encoding="utf-8")
    with pytest.raises(ReadError, match="'value' and 'Value' both name value"):
        list(read_rows(path, "csv"))
