"""The fault table goes to a file, and to the terminal only with -v: a run ends on its pass line.
Under pytest-xdist the controller writes it, with every worker's rows in collection order."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from .._fault_table import TABLE_FILE

ROOT = Path(__file__).resolve().parents[2]
# No cache folder in tmp_path, no colours to strip.
PLAIN = ("-p", "no:cacheprovider", "--color=no")

TINY = """\
from typing import Any


def test_adds_a_row(fault_table: list[dict[str, Any]], summary_lines: list[str]) -> None:
    fault_table.append({"fault": "tiny fault", "call": "upsert (sync)", "calls": 1, "lost": 0})
    summary_lines.append("2 threads, one Respan: tiny figure")
"""

# Two tests for two workers (`--dist load` gives each one): each waits for the other to start.
PAIR = """\
import time
from pathlib import Path
from typing import Any

import pytest


@pytest.mark.parametrize("n", [1, 2])
def test_adds_a_row(n: int, fault_table: list[dict[str, Any]]) -> None:
    base = Path(__file__).parent
    (base / f"started-{n}").touch()
    deadline = time.monotonic() + 60
    while not (base / f"started-{3 - n}").exists():
        assert time.monotonic() < deadline, "the other worker never started"
        time.sleep(0.01)
    fault_table.append({"fault": f"fault {n}", "call": "upsert (sync)", "calls": n})
"""
PAIR_ROW = re.compile(r"(fault \d) +\| upsert")


def _pytest(where: Path, *args: str, test: str = TINY) -> list[str]:
    """The output lines of a pytest run of `test` in `where`, with this suite's conftest loaded."""
    (where / "test_tiny.py").write_text(test, encoding="utf-8")
    # Only the plugins these runs need: loading every installed one costs seconds per process.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    command = [sys.executable, "-m", "pytest", "-p", "tests.conftest", *PLAIN]
    done = subprocess.run(
        [*command, *args, "--rootdir", str(where), "test_tiny.py"],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return [line for line in done.stdout.splitlines() if line.strip()]


def test_the_table_goes_to_a_file_and_the_pass_line_ends_the_run(tmp_path: Path) -> None:
    lines = _pytest(tmp_path)
    assert "1 passed" in lines[-1] and lines[-1].startswith("=")
    shown = "\n".join(lines)
    assert "tiny fault" not in shown and "tiny figure" not in shown
    assert f"{TABLE_FILE} (-v prints them)" in shown  # one line says where the tables are
    written = (tmp_path / TABLE_FILE).read_text(encoding="utf-8")
    assert "injected faults vs. what was stored" in written
    row = next(line for line in written.splitlines() if "tiny fault" in line)
    assert "upsert (sync)" in row and row == row.rstrip()
    assert "2 threads, one Respan: tiny figure" in written


def test_verbose_prints_the_tables_before_the_pass_line(tmp_path: Path) -> None:
    lines = _pytest(tmp_path, "-v")
    assert "1 passed" in lines[-1]
    table = next(i for i, line in enumerate(lines) if "tiny fault" in line)
    assert "tiny figure" in "\n".join(lines[:table])
    assert table < len(lines) - 1
    assert "tiny fault" in (tmp_path / TABLE_FILE).read_text(encoding="utf-8")


def test_under_xdist_the_controller_writes_every_workers_rows(tmp_path: Path) -> None:
    lines = _pytest(tmp_path, "-p", "xdist.plugin", "-n", "2", "--dist", "load", "-v", test=PAIR)
    assert "2 passed" in lines[-1]
    assert any("[gw0]" in line for line in lines) and any("[gw1]" in line for line in lines)
    written = (tmp_path / TABLE_FILE).read_text(encoding="utf-8").splitlines()
    rows = [m.group(1) for m in map(PAIR_ROW.match, written) if m]
    assert rows == ["fault 1", "fault 2"]  # both workers' rows, in collection order
    shown = [m.group(1) for m in map(PAIR_ROW.match, lines) if m]
    assert shown == rows  # -v: printed once, by the controller
