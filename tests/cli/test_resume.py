"""Interrupted imports resume from the journal and never send a landed row again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from respan_evals import Respan, ScoreOutcome
from respan_evals.cli._journal import FORMAT_VERSION
from respan_evals.testing import Emulator, FaultPlan

from .conftest import FAKE_KEY, Run, stored, upserts, write_jsonl


def journal_lines(path: Path) -> list[dict[str, Any]]:
    entries = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    assert entries[0]["respan_journal"] == FORMAT_VERSION
    return entries[1:]


def interrupt_after(monkeypatch: pytest.MonkeyPatch, outcomes: int, *, hard: bool) -> None:
    """After `outcomes` outcomes: Ctrl-C (SIGINT to this process), or a bare KeyboardInterrupt."""
    original = Respan.iter_score_logs

    def wrapped(
        self: Respan, rows: Iterable[Any], *, concurrency: int = 8
    ) -> Iterator[ScoreOutcome]:
        for count, outcome in enumerate(original(self, rows, concurrency=concurrency), 1):
            yield outcome
            if count == outcomes:
                if hard:
                    raise KeyboardInterrupt
                os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(Respan, "iter_score_logs", wrapped)


def test_ctrl_c_finishes_rows_in_flight_and_the_rerun_sends_only_the_rest(
    run: Run,
    emu: Emulator,
    seeded: dict[str, Any],
    good_rows: list[dict[str, Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = write_jsonl(tmp_path / "scores.jsonl", [*good_rows])
    with monkeypatch.context() as patch:
        interrupt_after(patch, 10, hard=False)
        first = run("scores", "import", str(source), "--concurrency", "4")

    assert first.code == 130
    assert "stopping: finishing" in first.err
    assert "respan-evals --rate-limit 0 scores import" in first.err  # how to resume
    landed = journal_lines(tmp_path / "scores.jsonl.respan-journal")
    assert 10 <= len(landed) < 40  # the rows in flight finished and were journaled
    assert len(stored(emu)) == len(landed)  # nothing landed that the journal does not know
    assert "Interrupted with" in first.out
    # The headline counts what landed and what was left, never "40 rows" as if imported.
    left = 40 - len(landed)
    assert f"Import of scores.jsonl: {len(landed)} of 40 rows landed, {left} left (not sent)" in (
        first.out
    )
    assert f"Interrupted with {left} rows not yet sent" in first.out
    sent_first = upserts(emu)

    second = run("scores", "import", str(source), "--json")
    assert second.code == 0
    summary = json.loads(second.out)
    assert summary["skipped"] == len(landed)
    assert summary["created"] == 40 - len(landed)
    assert summary["updated"] == 0
    assert upserts(emu) - sent_first == 40 - len(landed)  # only the remaining rows were sent
    assert stored(emu) == sorted((r["log_id"], r["evaluator"]) for r in good_rows)


def test_a_hard_stop_keeps_the_journal_consistent(
    run: Run,
    emu: Emulator,
    seeded: dict[str, Any],
    good_rows: list[dict[str, Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = write_jsonl(tmp_path / "scores.jsonl", [*good_rows])
    before = set(threading.enumerate())
    with monkeypatch.context() as patch:
        interrupt_after(patch, 7, hard=True)
        first = run("scores", "import", str(source), "--concurrency", "4")

    assert first.code == 130
    landed = journal_lines(tmp_path / "scores.jsonl.respan-journal")
    assert len(landed) == 7  # exactly the outcomes that came back
    # Stopping at once waits for no thread: the rows in flight land (or not) after the return.
    deadline = time.monotonic() + 10
    while any(t.name.startswith("respan-evals_") for t in set(threading.enumerate()) - before):
        assert time.monotonic() < deadline, "the rows in flight never finished"
        time.sleep(0.01)
    in_flight = len(stored(emu)) - 7  # landed on the server, answer never read
    assert 0 <= in_flight <= 4

    second = run("scores", "import", str(source), "--json")
    summary = json.loads(second.out)
    assert second.code == 0
    assert summary["skipped"] == 7
    # Rows whose answer was lost are sent again; the upsert makes that an update.
    assert summary["updated"] == in_flight
    assert summary["created"] == 33 - in_flight
    assert stored(emu) == sorted((r["log_id"], r["evaluator"]) for r in good_rows)


@pytest.mark.respan_emulator(faults=FaultPlan(latency=0.03, only_paths=("/api/logs/",)))
def test_sigint_to_a_real_process_then_resume(
    run: Run,
    emu: Emulator,
    seeded: dict[str, Any],
    good_rows: list[dict[str, Any]],
    tmp_path: Path,
) -> None:
    source = write_jsonl(tmp_path / "scores.jsonl", [*good_rows])
    journal = tmp_path / "scores.jsonl.respan-journal"
    env = {**os.environ, "RESPAN_API_KEY": FAKE_KEY, "RESPAN_BASE_URL": emu.base_url}
    command = [sys.executable, "-m", "respan_evals.cli", "--rate-limit", "0"]
    process = subprocess.Popen(
        [*command, "scores", "import", str(source), "--concurrency", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if journal.exists() and len(journal.read_text().splitlines()) > 8:
            break
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)

    assert process.returncode == 130, err
    assert FAKE_KEY not in out + err
    assert "Traceback" not in err
    assert "interrupted: the journal" in err
    landed = journal_lines(journal)
    assert 8 <= len(landed) < 40
    assert len(stored(emu)) == len(landed)
    sent_first = upserts(emu)

    second = run("scores", "import", str(source), "--json")
    assert second.code == 0
    assert json.loads(second.out)["skipped"] == len(landed)
    assert upserts(emu) - sent_first == 40 - len(landed)
    assert stored(emu) == sorted((r["log_id"], r["evaluator"]) for r in good_rows)


def test_an_edited_file_is_detected(
    run: Run, emu: Emulator, seeded: dict[str, Any], good_rows: list[dict[str, Any]], tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "scores.jsonl", [*good_rows])
    assert run("scores", "import", str(source)).code == 0
    edited = [dict(r) for r in good_rows]
    edited[4]["value"] = 1  # line 5 landed with another value
    write_jsonl(source, [*edited, {"log_id": "new", "evaluator": "quality", "value": 5}])
    sent = upserts(emu)

    refused = run("scores", "import", str(source))
    assert refused.code == 2
    assert refused.err.count("\n") == 1
    assert "changed since the journal was written" in refused.err
    assert "(line 5)" in refused.err and "--resend-changed" in refused.err
    assert upserts(emu) == sent  # nothing was sent

    resumed = run("scores", "import", str(source), "--resend-changed", "--json")
    summary = json.loads(resumed.out)
    assert resumed.code == 0
    assert (summary["created"], summary["updated"], summary["skipped"]) == (1, 1, 39)
    assert summary["changed_rows_resent"] == 1
    score = next(
        s
        for s in emu.store.scores.values()
        if s["log_id"] == edited[4]["log_id"] and s["evaluator_slug"] == edited[4]["evaluator"]
    )
    assert score["numerical_value"] == 1


def test_a_torn_journal_line_is_dropped(
    run: Run, emu: Emulator, seeded: dict[str, Any], good_rows: list[dict[str, Any]], tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "scores.jsonl", [*good_rows[:4]])
    journal = tmp_path / "scores.jsonl.respan-journal"
    assert run("scores", "import", str(source)).code == 0
    text = journal.read_text()
    lines = text.splitlines(keepends=True)
    journal.write_text("".join(lines[:-1]) + lines[-1][:9])  # the process died mid-write
    sent = upserts(emu)

    result = run("scores", "import", str(source), "--json")
    summary = json.loads(result.out)
    assert (summary["skipped"], summary["updated"]) == (3, 1)
    assert upserts(emu) - sent == 1
    assert len(journal_lines(journal)) == 4

    header = journal.read_text().splitlines()[0]
    journal.write_text(header + '\nnot json\n{"line": 1, "hash": "x"}\n')
    damaged = run("scores", "import", str(source))
    assert damaged.code == 2 and "damaged" in damaged.err and "--restart" in damaged.err


def test_a_journal_for_another_server_is_refused(
    run: Run, emu: Emulator, seeded: dict[str, Any], good_rows: list[dict[str, Any]], tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "scores.jsonl", [*good_rows[:2]])
    journal = tmp_path / "elsewhere.journal"
    header = f'{{"respan_journal": {FORMAT_VERSION}, "base_url": "https://api.respan.ai"}}\n'
    journal.write_text(header + '{"line": 1, "hash": "aaa"}\n')  # a row landed there
    result = run("scores", "import", str(source), "--journal", str(journal))
    assert result.code == 2
    assert "records an import into https://api.respan.ai" in result.err
    assert upserts(emu) == 0


def test_a_journal_where_nothing_landed_binds_no_server(
    run: Run, emu: Emulator, seeded: dict[str, Any], good_rows: list[dict[str, Any]], tmp_path: Path
) -> None:
    # An older run wrote the header before anything landed: it pins nothing.
    source = write_jsonl(tmp_path / "scores.jsonl", [*good_rows[:2]])
    journal = tmp_path / "elsewhere.journal"
    journal.write_text(
        f'{{"respan_journal": {FORMAT_VERSION}, "base_url": "https://api.respan.ai"}}\n'
    )
    result = run("scores", "import", str(source), "--journal", str(journal))
    assert result.code == 0, result.err
    first = json.loads(journal.read_text().splitlines()[0])
    assert first["base_url"] == emu.base_url  # rebound to the server the rows landed on
    assert len(journal_lines(journal)) == 2
