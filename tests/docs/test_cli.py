"""The command itself: executable, and usage errors exit 2 before anything is fetched."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.docs import _pages
from tests.docs._run import run, write_spec
from tests.docs.conftest import SCRIPT

Capture = pytest.CaptureFixture[str]


def test_an_unknown_option_exits_2() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--no-such-option"], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "unrecognized arguments: --no-such-option" in done.stderr


def test_a_pages_folder_that_is_not_one_exits_2(tmp_path: Path, capsys: Capture) -> None:
    result = run(capsys, "--spec", str(write_spec(tmp_path)), "--pages", str(tmp_path / "none"))
    assert result.code == 2
    assert "not a folder" in result.err


def test_an_empty_pages_folder_exits_2(tmp_path: Path, capsys: Capture) -> None:
    (tmp_path / "empty").mkdir()
    result = run(capsys, "--spec", str(write_spec(tmp_path)), "--pages", str(tmp_path / "empty"))
    assert result.code == 2
    assert "no pages in it" in result.err


def test_a_spec_that_cannot_be_read_exits_2(tmp_path: Path, capsys: Capture) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.txt").write_text(_pages.CREATE)
    result = run(capsys, "--spec", str(tmp_path / "missing.yaml"), "--pages", str(tmp_path))
    assert result.code == 2
    assert "cannot read" in result.err


def test_a_timeout_that_is_not_positive_exits_2(tmp_path: Path, capsys: Capture) -> None:
    with pytest.raises(SystemExit) as stopped:
        run(capsys, "--spec", str(write_spec(tmp_path)), "--timeout", "0")
    assert stopped.value.code == 2
    assert "--timeout must be a positive number" in capsys.readouterr().err
