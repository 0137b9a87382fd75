"""scripts/record-cassettes re-records only the tests it is given (by test id or cassette)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import MODE, ROOT

SCRIPT = ROOT / "scripts" / "record-cassettes"
MODULE, TEST = "test_errors", "test_unknown_id_is_404"

# Recording runs the contract suite itself: these would record inside a recording.
pytestmark = pytest.mark.skipif(MODE != "replay", reason="cassettes are being recorded")


# The pytest runs the script starts need no Hypothesis: its plugin costs each a second to load.
QUICK_PYTEST = "-p no:hypothesispytest"


def start(*args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RESPAN_")}
    env["PYTEST_ADDOPTS"] = f"{env.get('PYTEST_ADDOPTS', '')} {QUICK_PYTEST}".strip()
    return subprocess.Popen(
        [sys.executable, str(SCRIPT), "--emulator", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )


def finish(process: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    out, err = process.communicate(timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def record(*args: str) -> subprocess.CompletedProcess[str]:
    return finish(start(*args))


def files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_one_test_by_id_or_by_cassette_records_just_its_cassette(tmp_path: Path) -> None:
    by_id, by_cassette = tmp_path / "by_id", tmp_path / "by_cassette"
    # Side by side: each records against its own emulator into its own folder. The first also
    # replays its recording offline (the script's default); the second's bytes must equal it.
    running = [
        start(f"tests/contract/{MODULE}.py::{TEST}", "--out", str(by_id)),
        start(f"{MODULE}/{TEST}.yaml", "--out", str(by_cassette), "--no-verify"),
    ]
    first, second = map(finish, running)
    assert first.returncode == 0, first.stdout + first.stderr
    assert second.returncode == 0, second.stdout + second.stderr
    assert files(by_id) == files(by_cassette) == [f"{MODULE}/{TEST}.yaml"]
    assert "replaying offline" in first.stdout and "replaying offline" not in second.stdout
    # A fresh emulator per test, deterministic ids and clock: the same bytes every time.
    cassette = f"{MODULE}/{TEST}.yaml"
    assert (by_id / cassette).read_bytes() == (by_cassette / cassette).read_bytes()


@pytest.mark.parametrize(
    ("selector", "complaint"),
    [
        ("score_log", "is neither a test id (file::test) nor a cassette"),
        ("test_nothing/test_x.yaml", "no such contract test module"),
        ("tests/unit/test_client.py::test_x", "no such contract test module"),
    ],
)
def test_a_selector_that_names_no_contract_test_is_refused(selector: str, complaint: str) -> None:
    result = record(selector, "--out", "/nonexistent/never-written")
    assert result.returncode == 2
    assert complaint in result.stderr
    assert repr(selector) in result.stderr
