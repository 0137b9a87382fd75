"""A newcomer's first import: it stops early when it cannot succeed, reads everyday files,
and every message tells the truth (issue 15)."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from typing import Any

from respan_evals.testing import Emulator, FaultPlan

from .conftest import Run, read_jsonl, stored, upserts, write_jsonl

WRONG_KEY = "sk_test_WRONG_key_not_known_3b1d"


def many_rows(count: int) -> list[dict[str, Any] | str]:
    return [
        {"log_id": f"log_{n:04d}", "evaluator": "quality", "value": 1 + n % 5} for n in range(count)
    ]


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_a_refused_key_stops_at_once_and_the_corrected_run_sends_everything(
    run: Run, emu: Emulator, seeded: dict[str, Any], tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "scores.jsonl", many_rows(1000))
    started = time.monotonic()
    bad = run("--api-key", WRONG_KEY, "scores", "import", str(source))
    elapsed = time.monotonic() - started

    assert bad.code != 0
    assert elapsed < 5
    assert len(emu.requests) <= 5  # a handful, not a thousand
    assert "the API key was refused (401" in bad.out
    assert "--api-key (or RESPAN_API_KEY)" in bad.out
    assert "Import of scores.jsonl: 0 of 1,000 rows landed, 1,000 left (not sent)" in bad.out
    assert "1,000 rows left (not sent, not rejected)" in bad.out
    assert WRONG_KEY not in bad.out + bad.err
    # Neither journaled nor rejected: nothing pins the journal to that key.
    assert not (tmp_path / "scores.jsonl.respan-journal").exists()
    assert not (tmp_path / "scores.jsonl.rejects.jsonl").exists()

    good = run("scores", "import", str(source), "--json")
    assert good.code == 0, good.out + good.err
    summary = json.loads(good.out)
    assert (summary["created"], summary["left"], summary["stopped"]) == (1000, 0, None)
    assert len(stored(emu)) == 1000


def test_a_refused_score_write_stops_the_run_and_leaves_the_rest(
    run: Run, emu: Emulator, seeded: dict[str, Any], tmp_path: Path
) -> None:
    # The lookups pass; every score write is refused (a key without write access).
    source = write_jsonl(tmp_path / "scores.jsonl", many_rows(200))
    emu.set_faults(FaultPlan(error_rate=1.0, error_statuses=(403,), only_paths=("/api/logs/",)))
    bad = run("scores", "import", str(source), "--concurrency", "4", "--json")

    assert bad.code == 1
    summary = json.loads(bad.out)
    assert summary["stopped"].startswith("the API key was refused (403")
    assert summary["rejected"] == summary["failed"] == 0
    assert summary["left"] == 200 and summary["ok"] is False
    assert upserts(emu) <= 4  # the rows in flight when the first answer came
    assert not (tmp_path / "scores.jsonl.rejects.jsonl").exists()

    emu.clear_faults()
    good = run("scores", "import", str(source), "--json")
    assert json.loads(good.out)["created"] == 200


def test_an_unreachable_host_stops_the_run_and_binds_no_journal(
    run: Run, emu: Emulator, seeded: dict[str, Any], tmp_path: Path, scaled_waits: float
) -> None:
    source = write_jsonl(tmp_path / "scores.jsonl", many_rows(1000))
    port = closed_port()
    started = time.monotonic()
    bad = run("--base-url", f"http://127.0.0.1:{port}", "scores", "import", str(source))
    elapsed = time.monotonic() - started

    assert bad.code == 1
    assert elapsed < 30
    assert f"cannot reach 127.0.0.1:{port}: 5 requests in a row got no answer" in bad.out
    assert "--base-url (or RESPAN_BASE_URL)" in bad.out
    assert "1,000 left (not sent)" in bad.out
    # A mistyped base URL pins nothing: the next run, at the right URL, is not refused.
    assert not (tmp_path / "scores.jsonl.respan-journal").exists()
    assert not (tmp_path / "scores.jsonl.rejects.jsonl").exists()

    good = run("scores", "import", str(source), "--json")
    assert good.code == 0, good.err
    assert json.loads(good.out)["created"] == 1000


def test_dropped_connections_in_a_row_stop_the_run_and_the_rest_is_sent_next_time(
    run: Run, emu: Emulator, seeded: dict[str, Any], tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "scores.jsonl", many_rows(100))
    emu.set_faults(FaultPlan(drop_after_write_rate=1.0, only_paths=("/api/logs/",)))
    bad = run("--max-retries", "0", "scores", "import", str(source), "--concurrency", "1")

    assert bad.code == 1
    assert "cannot reach 127.0.0.1:" in bad.out
    assert "100 left (not sent)" in bad.out
    assert upserts(emu) == 5

    emu.clear_faults()
    good = run("scores", "import", str(source), "--json")
    summary = json.loads(good.out)
    assert summary["created"] + summary["updated"] == 100  # the 5 dropped ones: updated
    assert summary["updated"] == 5


def test_csv_with_everyday_mess_is_read(
    run: Run, emu: Emulator, seeded: dict[str, Any], tmp_path: Path
) -> None:
    source = tmp_path / "scores.csv"
    source.write_text(
        "Log_ID, Evaluator ,VALUE,Colour,notes\n"
        "l1,safe,yes,vermilion,\n"
        "l2,safe,N,blue,\n"
        "l3,safe,1,,\n"
        "l4,safe,FALSE,,\n"
        "l5,quality,4.5,,\n",
        encoding="utf-8",
    )
    result = run("scores", "import", str(source))

    assert result.code == 0, result.out + result.err
    values = {s["log_id"]: s.get("boolean_value") for s in emu.store.scores.values()}
    assert values == {"l1": True, "l2": False, "l3": True, "l4": False, "l5": None}
    note = "ignoring 2 unknown columns 'Colour', 'notes' (not sent"
    assert result.err.count(note) == 1
    assert "vermilion" not in json.dumps(list(emu.store.scores.values()), default=str)  # not sent


def test_jsonl_keys_in_any_case_and_reasons_that_name_what_came(
    run: Run, emu: Emulator, seeded: dict[str, Any], tmp_path: Path
) -> None:
    rows: list[dict[str, Any] | str] = [
        {"LOG_ID": "l1", "Evaluator": "quality", " value ": 4, "source": "sheet"},
        {"log_id": "l2", "evaluator": "quality", "value": "4.5"},
        {"log_id": "l3", "evaluator": "safe", "value": 1},
    ]
    source = write_jsonl(tmp_path / "scores.jsonl", rows)
    result = run("scores", "import", str(source))

    assert result.code == 1
    assert stored(emu) == [("l1", "quality")]
    assert result.err.count("ignoring the unknown key 'source' (line 1)") == 1
    rejects = {r["line"]: r["reason"] for r in read_jsonl(tmp_path / "scores.jsonl.rejects.jsonl")}
    assert rejects[2].endswith('expected a finite number in [1.0, 5.0], got the string "4.5"')
    assert rejects[3].endswith("cannot take 1: expected true or false, got the number 1")
    assert "not 0/1 or a string" not in result.out


def test_one_row_is_one_row(
    run: Run, emu: Emulator, seeded: dict[str, Any], tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "scores.jsonl", [{"evaluator": "quality", "value": 2}])
    result = run("scores", "import", str(source))
    assert "Import of scores.jsonl: 0 of 1 row landed, 1 rejected, in " in result.out
    assert "1 row did not land. 1 rejected" in result.out
    assert "(unreadable rows)" not in result.out  # it lacks log_id; it is readable
    assert "1 rows" not in result.out


def test_plain_http_to_a_remote_host_is_refused_in_cli_words(
    run: Run, emu: Emulator, tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "scores.jsonl", many_rows(1))
    result = run("--base-url", "http://api.example.com", "scores", "import", str(source))
    assert result.code == 2
    assert "the base URL must be https" in result.err
    assert "--base-url https://" in result.err and "RESPAN_BASE_URL" in result.err
    assert "allow_insecure_http" not in result.err
    assert emu.requests == []
