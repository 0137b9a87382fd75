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
