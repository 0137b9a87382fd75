"""The fault table goes to a file, and to the terminal only with -v: a run ends on its pass line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import TABLE_FILE

ROOT = Path(__file__).resolve().parents[2]
# No cache folder in tmp_path, no colours to strip.
PLAIN = ("-p", "no:cacheprovider", "--color=no")

TINY = """\
from typing import Any


def test_adds_a_row(fault_table: list[dict[str, Any]], summary_lines: list[str]) -> None:
    fault_table.append({"fault": "tiny fault", "call": "upsert (sync)", "calls": 1, "lost": 0})
    summary_lines.append("2 threads, one Respan: tiny figure")
"""


def _pytest(where: Path, *args: str) -> list[str]:
    """The output lines of a pytest run of TINY in `where`, with this suite's conftest loaded."""
    (where / "test_tiny.py").write_text(TINY, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "pytest", "-p", "tests.reliability.conftest", *PLAIN]
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
