"""`make test` on a fresh machine: it installs what its tests need, Chromium included.

The `chromium` target runs with a PATH of stand-ins (`chromium`, `apt-get`, `id`) that write
down how they were called, so nothing is installed and no registry is asked.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT

MAKE = shutil.which("make")


def _stand_in(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def _make_chromium(tmp_path: Path, *, chromium: bool, apt: bool, uid: int) -> tuple[int, str, str]:
    """`make chromium` with only the given stand-ins on PATH: (exit status, output, apt calls)."""
    assert MAKE is not None, "make is not installed"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "apt-calls"
    calls.touch()
    _stand_in(bin_dir, "id", f"echo {uid}")
    if chromium:
        _stand_in(bin_dir, "chromium", "exit 0")
    if apt:
        _stand_in(bin_dir, "apt-get", f'echo "$*" >> {calls}')
    result = subprocess.run(
        [MAKE, "--no-print-directory", "-C", str(ROOT), "chromium"],
        env={"PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.returncode, result.stdout + result.stderr, calls.read_text()


def test_make_test_installs_chromium_before_the_tests() -> None:
    assert MAKE is not None, "make is not installed"
    planned = subprocess.run(
        [MAKE, "-n", "-C", str(ROOT), "test"], capture_output=True, text=True, check=True
    ).stdout
    assert "command -v chromium" in planned
    assert planned.index("command -v chromium") < planned.index("bin/pytest")


def test_chromium_on_path_installs_nothing(tmp_path: Path) -> None:
    status, output, apt = _make_chromium(tmp_path, chromium=True, apt=True, uid=0)
    assert (status, apt) == (0, ""), output


def test_as_root_with_apt_it_installs_debians_chromium(tmp_path: Path) -> None:
    status, output, apt = _make_chromium(tmp_path, chromium=False, apt=True, uid=0)
    assert status == 0, output
    assert apt.splitlines() == ["update -q", "install -y -q chromium"]


@pytest.mark.parametrize(("apt", "uid"), [(False, 0), (True, 1000)], ids=["no apt", "not root"])
def test_where_it_cannot_install_it_stops_and_says_what_is_missing(
    tmp_path: Path, apt: bool, uid: int
) -> None:
    status, output, calls = _make_chromium(tmp_path, chromium=False, apt=apt, uid=uid)
    assert status != 0
    assert "needs Chromium, as `chromium` on PATH" in output
    assert calls == ""
