"""`scores import` and `scores export` against hostile files, other keys, other processes and
impatient users: nothing is lost, destroyed, sent twice, or aborted by one row (issue 13)."""

from __future__ import annotations

import csv
import fcntl
import json
import math
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest

from respan_evals import ScoreRow
from respan_evals.cli import _journal, main
from respan_evals.cli._export import run_export
from respan_evals.cli._output import Output
from respan_evals.testing import Emulator, FaultPlan

from .conftest import Recorder

KEY = "sk_test_IMPORT_key_one_4b7d2e"
OTHER_KEY = "sk_test_IMPORT_key_two_9c1a5f"
USER, OTHER_USER = "import@example.com", "other@example.com"
DEEP = 200_000


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def emu(respan_emulator: Emulator) -> Iterator[Emulator]:
    """The emulator with two keys (two users), a `quality` evaluator, and no rate limit."""
    respan_emulator.add_api_key(KEY, USER)
    respan_emulator.add_api_key(OTHER_KEY, OTHER_USER)
    respan_emulator.set_rate_limit(None)
    respan_emulator.create_evaluator(
        USER, name="Quality", evaluator_slug="quality", score_value_type="numerical"
    )
    yield respan_emulator
    respan_emulator.clear_faults()


@pytest.fixture
def cli(emu: Emulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """cli("scores", "import", path, key=...) -> Result, in this process."""
    monkeypatch.setenv("RESPAN_BASE_URL", emu.base_url)
    monkeypatch.setenv("COLUMNS", "200")

    def invoke(*args: str, key: str = KEY) -> Result:
        monkeypatch.setenv("RESPAN_API_KEY", key)
        capsys.readouterr()
        code = main(["--rate-limit", "0", *args])
        out, err = capsys.readouterr()
        assert KEY not in out + err and OTHER_KEY not in out + err
        return Result(code, out, err)

    return invoke


def rows(count: int = 10) -> list[dict[str, Any]]:
    return [{"log_id": f"log_{n}", "evaluator": "quality", "value": n % 5} for n in range(count)]


def write_jsonl(path: Path, items: list[Any]) -> Path:
    lines = [item if isinstance(item, str) else json.dumps(item) for item in items]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def upserts(emu: Emulator) -> int:
    return sum(1 for r in emu.requests if r.method == "POST" and r.path.startswith("/api/logs/"))


def stored(emu: Emulator, scorer: str | None = None) -> int:
    scores = emu.store.scores.values()
    return sum(1 for s in scores if scorer is None or s.get("scorer") == scorer)


def journal_entries(path: Path) -> list[dict[str, Any]]:
    """The journal's records (none when nothing landed: it is written with the first row)."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()[1:] if line.strip()]


def fault_row(table: list[dict[str, Any]], fault: str, calls: int, ok: int, lost: int) -> None:
    table.append(
        {"fault": fault, "call": "scores import", "calls": calls, "faults injected": 1,
         "retries": 0, "succeeded": ok, "outcome-unknown": 0, "failed": calls - ok,
         "lost": lost, "duplicated": 0, "misreported": 0}
    )  # fmt: skip


# ---- 5: the journal knows whose data it holds ----------------------------------------------
def test_a_journal_written_with_another_key_is_refused(
    cli: Any, emu: Emulator, tmp_path: Path, fault_table: list[dict[str, Any]]
) -> None:
    source = write_jsonl(tmp_path / "s.jsonl", rows())
    assert cli("scores", "import", str(source)).code == 0
    journal = tmp_path / "s.jsonl.respan-journal"
    text = journal.read_text()
    assert KEY not in text and KEY[-12:] not in text  # a fingerprint, never the key
    sent = upserts(emu)

    other = cli("scores", "import", str(source), key=OTHER_KEY)
    assert other.code == 2, other.out + other.err
    assert "another API key" in other.err and "--restart" in other.err
    assert upserts(emu) == sent  # nothing sent, nothing claimed

    restarted = cli("scores", "import", str(source), "--restart", "--json", key=OTHER_KEY)
    assert restarted.code == 0
    assert json.loads(restarted.out)["created"] == 10
    assert stored(emu, OTHER_USER) == 10
    fault_row(fault_table, "journal, other key", 10, 10, 0)


# ---- 6: --journal never destroys a file that is not a journal -------------------------------
@pytest.mark.parametrize(
    "content",
    ["notes about this import", "notes about this import\n", '{"a": 1}\n', "[1, 2]\n"],
    ids=["notes", "notes-newline", "other-json", "array"],
)
def test_a_file_that_is_not_a_journal_is_refused_and_kept(
    cli: Any, emu: Emulator, tmp_path: Path, content: str
) -> None:
    source = write_jsonl(tmp_path / "s.jsonl", rows(3))
    notes = tmp_path / "notes.txt"
    notes.write_text(content)
    for extra in ([], ["--restart"]):
        result = cli("scores", "import", str(source), "--journal", str(notes), *extra)
        assert result.code == 2, result.out + result.err
        assert "not a respan-evals journal" in result.err
        assert notes.read_text() == content  # untouched
    assert upserts(emu) == 0


def test_a_journal_with_records_of_the_wrong_types_is_refused(
    cli: Any, emu: Emulator, tmp_path: Path, fault_table: list[dict[str, Any]]
) -> None:
    source = write_jsonl(tmp_path / "s.jsonl", rows(4))
    assert cli("scores", "import", str(source)).code == 0
    journal = tmp_path / "s.jsonl.respan-journal"
    header, *records = journal.read_text().splitlines()
    bad = [json.dumps({**json.loads(r), "line": str(json.loads(r)["line"])}) for r in records]
    journal.write_text("\n".join([header, *bad]) + "\n")
    sent = upserts(emu)

    result = cli("scores", "import", str(source))
    assert result.code == 2, result.out + result.err
    assert "damaged" in result.err and "--restart" in result.err
    assert upserts(emu) == sent  # not ignored and resent
    fault_row(fault_table, "journal, bad types", 4, 0, 0)

    journal.write_text(header + "\n" + records[0] + "\n" + records[1][:7])  # torn last line
    resumed = cli("scores", "import", str(source), "--json")
    assert resumed.code == 0
    assert json.loads(resumed.out)["skipped"] == 1


# ---- 7: one hostile row never aborts the import ---------------------------------------------
def test_rows_nested_200000_deep_are_rejected_and_the_rest_land(
    cli: Any, emu: Emulator, tmp_path: Path, fault_table: list[dict[str, Any]]
) -> None:
    deep_value = '{"log_id": "deep", "evaluator": "quality", "value": ' + "[" * DEEP + "]" * DEEP
    source = write_jsonl(
        tmp_path / "s.jsonl", [*rows(3), "[" * DEEP + "]" * DEEP, deep_value + "}", *rows(6)[3:]]
    )
    result = cli("scores", "import", str(source), "--json")
    assert result.code == 1, result.err
    summary = json.loads(result.out)
    assert (summary["created"], summary["rejected"], summary["failed"]) == (6, 2, 0)
    rejects = [json.loads(x) for x in (tmp_path / "s.jsonl.rejects.jsonl").read_text().splitlines()]
    assert [r["line"] for r in rejects] == [4, 5]
    assert all("nested too deeply" in r["reason"] for r in rejects)
    fault_row(fault_table, "row nested 200k", 8, stored(emu), 6 - stored(emu))


def test_a_csv_cell_nested_100000_deep_is_rejected(cli: Any, emu: Emulator, tmp_path: Path) -> None:
    emu.create_evaluator(
        USER, name="Topics", evaluator_slug="topics", score_value_type="multi_select",
        score_config={"choices": [{"name": "a", "value": "a"}]},
    )  # fmt: skip
    source = tmp_path / "s.csv"
    # 100,000 deep: a CSV field stays under the csv module's 128 KiB limit.
    cell = "[" * 100_000
    source.write_text(f"log_id,evaluator,value\nl1,topics,a\nl2,topics,{cell}\n")
    result = cli("scores", "import", str(source), "--json")
    summary = json.loads(result.out)
    assert (summary["created"], summary["rejected"]) == (1, 1)


def test_a_journal_line_nested_200000_deep_is_refused_not_a_crash(
    cli: Any, emu: Emulator, tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "s.jsonl", rows(3))
    assert cli("scores", "import", str(source)).code == 0
    journal = tmp_path / "s.jsonl.respan-journal"
    header, *records = journal.read_text().splitlines()
    deep = '{"line": ' + "[" * DEEP + "]" * DEEP + "}"
    journal.write_text("\n".join([header, deep, *records]) + "\n")
    result = cli("scores", "import", str(source))
    assert result.code == 2, result.err
    assert "damaged" in result.err and "RecursionError" not in result.err


# ---- 8: Ctrl-C twice stops at once and loses no record --------------------------------------
class _Lines:
    """A subprocess stream read line by line on a thread."""

    def __init__(self, stream: IO[str]) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.put(line)
        self.lines.put("")

    def wait_for(self, text: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return False
            self.seen.append(line)
            if text in line:
                return True
            if line == "":
                return False
        return False

    def rest(self) -> str:
        while self.wait_for("\0", 5):
            pass
        return "".join(self.seen)


def _start_import(
    emu: Emulator, source: Path, rate_limit: str, *args: str
) -> subprocess.Popen[str]:
    env = {**os.environ, "RESPAN_API_KEY": KEY, "RESPAN_BASE_URL": emu.base_url}
    command = [sys.executable, "-m", "respan_evals.cli", "--rate-limit", rate_limit]
    return subprocess.Popen(
        [*command, "scores", "import", str(source), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait(
    condition: Any, timeout: float = 30, process: subprocess.Popen[str] | None = None
) -> None:
    """Until `condition()`; fails at once, with its output, if `process` has ended first."""
    deadline = time.monotonic() + timeout
    while not condition():
        if process is not None and process.poll() is not None:
            out, err = process.communicate()
            raise AssertionError(f"the import ended first ({process.returncode}): {out}{err}")
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_ctrl_c_twice_stops_at_once_and_says_what_was_journaled(
    cli: Any, emu: Emulator, tmp_path: Path, fault_table: list[dict[str, Any]]
) -> None:
    source = write_jsonl(tmp_path / "s.jsonl", rows(40))
    journal = tmp_path / "s.jsonl.respan-journal"
    # 12 requests a minute, a burst of 2: the two evaluator look-ups go at once, then the
    # eight rows in flight wait in the pacer, 5 s apart.
    process = _start_import(emu, source, "12")
    err = _Lines(process.stderr)  # type: ignore[arg-type]
    out = _Lines(process.stdout)  # type: ignore[arg-type]
    try:
        _wait(lambda: len(emu.requests) >= 2)
        process.send_signal(signal.SIGINT)
        assert err.wait_for("stopping:", 30)
        process.send_signal(signal.SIGINT)
        stopped_at = time.monotonic()
        process.wait(timeout=15)  # today: about 40 s, until each thread has slept and sent
        took = time.monotonic() - stopped_at
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    text = err.rest() + out.rest()
    assert process.returncode == 130, text
    assert took < 15
    assert "Traceback" not in text and KEY not in text
    landed = journal_entries(journal)
    time.sleep(0.2)  # let the emulator finish any request whose answer the process never read
    unjournaled = stored(emu) - len(landed)
    assert "stopped at once" in text
    said = re.search(r"holds the (\d+) rows? that landed.*?; (\d+) rows? may have", text)
    assert said is not None, text
    assert int(said[1]) == len(landed)
    claimed = int(said[2])
    assert 0 <= unjournaled <= claimed <= 9  # 8 in flight, and one on its way

    rerun = cli("scores", "import", str(source), "--json")
    summary = json.loads(rerun.out)
    assert rerun.code == 0
    assert summary["skipped"] == len(landed)
    assert summary["created"] + summary["updated"] == 40 - len(landed)
    assert stored(emu) == 40
    fault_row(fault_table, "Ctrl-C twice", 40, stored(emu), 40 - stored(emu))


def test_breaking_out_of_iter_score_logs_does_not_wait_for_the_pacer() -> None:
    # A fake server (threads left waiting in the pacer may still send, later, to it alone).
    recorder = Recorder()
    client = recorder.client(rate_limit=12)  # a burst of 2, then one send every 5 s
    items = [
        ScoreRow(log_id=f"l{i}", value=1.0, evaluator_id="evl_1", value_type="numerical")
        for i in range(20)
    ]
    try:
        started = time.monotonic()
        for outcome in client.iter_score_logs(items, concurrency=8):
            assert outcome.ok, outcome.error
            break
        took = time.monotonic() - started
    finally:
        client.close()
    assert took < 4.5  # today: about 30 s, the last of the 8 threads' turn in the pacer


# ---- 9: two imports of the same file at once ------------------------------------------------
@pytest.mark.respan_emulator(faults=FaultPlan(latency=0.1, only_paths=("/api/logs/",)))
def test_a_second_import_of_the_same_file_refuses_while_the_first_runs(
    cli: Any, emu: Emulator, tmp_path: Path, fault_table: list[dict[str, Any]]
) -> None:
    source = write_jsonl(tmp_path / "s.jsonl", rows(40))
    journal = tmp_path / "s.jsonl.respan-journal"
    first = _start_import(emu, source, "0", "--concurrency", "1")
    try:
        _wait(lambda: journal.exists() and len(journal.read_text().splitlines()) >= 2, 30, first)
        second = cli("scores", "import", str(source))
        running = first.poll() is None
        first.send_signal(signal.SIGINT)
        first.communicate(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert running  # the refusal happened while the first import held the journal
    assert second.code == 2, second.out + second.err
    assert "another import" in second.err
    fault_row(fault_table, "2 imports at once", 40, 0, 0)


def test_a_journal_lock_held_elsewhere_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "j"
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        journal = _journal.Journal(path, source="s", base_url="http://x", api_key=KEY)
        with pytest.raises(_journal.JournalError, match="another import"):
            journal.load()
    journal.load()  # free again
    journal.close()


def test_without_file_locks_the_journal_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(_journal, "fcntl", None)
    journal = _journal.Journal(tmp_path / "j", source="s", base_url="http://x", api_key=KEY)
    with caplog.at_level("WARNING", logger="respan_evals.cli"):
        journal.load()
    journal.close()
    assert "cannot lock" in caplog.text


# ---- 10: the CSV fingerprint covers the header ----------------------------------------------
def test_renaming_a_csv_column_is_a_change(cli: Any, emu: Emulator, tmp_path: Path) -> None:
    source = tmp_path / "s.csv"
    body = "".join(f"log_{n},quality,{n},production\n" for n in range(5))
    source.write_text("log_id,evaluator,value,environment\n" + body)
    assert cli("scores", "import", str(source)).code == 0
    source.write_text("log_id,evaluator,value,env\n" + body)  # environment is no longer sent
    sent = upserts(emu)
    result = cli("scores", "import", str(source))
    assert result.code == 2, result.out + result.err
    assert "changed since the journal was written" in result.err
    assert upserts(emu) == sent


# ---- 11: export never writes NaN or Infinity ------------------------------------------------
SCORES: list[dict[str, Any]] = [
    {"id": "s1", "log_id": "l1", "numerical_value": math.nan},
    {"id": "s2", "log_id": "l2", "numerical_value": 2.5},
    {"id": "s3", "log_id": "l3", "json_value": {"a": [math.inf, 1]}, "numerical_value": -math.inf},
]


def _strict(text: str) -> Any:
    def refuse(name: str) -> Any:
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def test_export_jsonl_never_writes_nan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "e.jsonl"
    result = run_export(iter(SCORES), fmt="jsonl", output=Output(), out_path=out, quiet=True)
    written = [_strict(line) for line in out.read_text().splitlines()]
    assert result.count == 3
    assert [w["numerical_value"] for w in written] == [None, 2.5, None]
    assert written[2]["json_value"] == {"a": [None, 1]}
    err = capsys.readouterr().err
    assert "not finite" in err and "s1" in err and "s3" in err


def test_export_csv_never_writes_nan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "e.csv"
    run_export(iter(SCORES), fmt="csv", output=Output(), out_path=out, quiet=True)
    text = out.read_text()
    assert "nan" not in text.lower() and "inf" not in text.lower()
    records = list(csv.DictReader(text.splitlines()))
    assert [r["numerical_value"] for r in records] == ["", "2.5", ""]
    assert "not finite" in capsys.readouterr().err


# ---- 15 (CLI part): a row the client refuses is a reject, not a failure ---------------------
def test_a_row_whose_id_the_client_refuses_is_a_reject(
    cli: Any, emu: Emulator, tmp_path: Path
) -> None:
    long_id = "x" * 70_000
    items = [*rows(2), {"log_id": long_id, "evaluator": "quality", "value": 3}]
    items.append({"log_id": "fine", "evaluator_id": long_id, "value": 3})
    source = write_jsonl(tmp_path / "s.jsonl", items)
    result = cli("scores", "import", str(source), "--json")
    summary = json.loads(result.out)
    assert (summary["created"], summary["rejected"], summary["failed"]) == (2, 2, 0), summary
    plain = cli("scores", "import", str(source))
    assert "failed (server or network)" not in plain.out
    assert "2 rejected" in plain.out


# ---- 16 (CLI side): an upsert whose earlier attempt may have landed is "landed (unclear)" ---
@pytest.mark.respan_emulator(
    faults=FaultPlan(seed=1, drop_after_write_rate=0.25, only_paths=("/api/logs/",))
)
def test_an_upsert_retried_after_a_lost_answer_is_landed_unclear(
    cli: Any, emu: Emulator, tmp_path: Path, scaled_waits: float
) -> None:
    # One row at a time: the seeded faults then fall on the same requests every run.
    source = write_jsonl(tmp_path / "s.jsonl", rows(12))
    result = cli(
        "--max-retries", "6", "scores", "import", str(source), "--json", "--concurrency", "1"
    )
    summary = json.loads(result.out)
    assert result.code == 0, summary
    assert summary["landed_unclear"] >= 1  # each retried row: new or not is unknown
    assert summary["created"] + summary["landed_unclear"] == 12
    assert summary["updated"] == 0  # none was there before: never claimed as an update
    assert len(journal_entries(tmp_path / "s.jsonl.respan-journal")) == 12

    more = [{**row, "log_id": f"more_{n}"} for n, row in enumerate(rows(12))]
    plain = cli(
        "--max-retries",
        "6",
        "scores",
        "import",
        str(write_jsonl(tmp_path / "m.jsonl", more)),
        "--concurrency",
        "1",
    )
    assert plain.code == 0
    assert "whether as a new score or an update is unknown" in plain.out


def test_a_stopped_thread_run_waits_for_nothing_and_raises_its_stop_flag() -> None:
    from respan_evals._bulk import current_stop, numbered, run_in_threads
    from respan_evals._rows import ScoreOutcome

    saw_stop: list[bool] = []

    def score_item(index: int, item: object) -> ScoreOutcome:
        stop = current_stop()
        if index > 0 and stop is not None:  # as a worker waiting in the pacer would
            saw_stop.append(stop.wait(30))
        return ScoreOutcome(index=index, row=None, score=None, error=None, created=True)

    run = run_in_threads(score_item, numbered(range(10)), 3)
    assert next(run).index == 0
    started = time.monotonic()
    stopped = run.stop()
    assert time.monotonic() - started < 5
    assert sorted(stopped.unfinished + stopped.cancelled + [o.index for o in stopped.finished]) == [
        1,
        2,
    ]
    assert list(run) == []  # nothing more is handed over, nor started
    _wait(lambda: len(saw_stop) == len(stopped.unfinished))
    assert all(saw_stop)
    assert current_stop() is None  # only the run's threads see it
