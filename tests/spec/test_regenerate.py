"""`scripts/regenerate --check` catches hand edits in generated/ and unregenerated specs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def copy_of_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("repo")
    shutil.copy(ROOT / "openapi.yaml", root / "openapi.yaml")
    shutil.copytree(ROOT / "scripts", root / "scripts")
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "generated", root / "generated", ignore=ignore)
    return root


def check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(root / "scripts" / "regenerate"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_hand_edit_in_generated_is_caught(copy_of_repo: Path) -> None:
    target = copy_of_repo / "generated" / "respan_evals_api" / "models" / "score.py"
    original = target.read_text()
    target.write_text(original.replace("additional_properties", "additional_props", 1))
    try:
        result = check(copy_of_repo)
    finally:
        target.write_text(original)
    assert result.returncode == 1
    assert "models/score.py: differs" in result.stderr


def test_spec_change_without_regenerating_is_caught(copy_of_repo: Path) -> None:
    spec = copy_of_repo / "openapi.yaml"
    original = spec.read_text()
    # A new response field, as when the API grows and someone edits the spec but not generated/.
    start = original.index("\n    Score:\n")
    marker = "\n      properties:\n"
    at = original.index(marker, start) + len(marker)
    added = "        added_by_hand:\n          type: string\n"
    spec.write_text(original[:at] + added + original[at:])
    try:
        result = check(copy_of_repo)
    finally:
        spec.write_text(original)
    assert result.returncode == 1
    assert "models/score.py: differs" in result.stderr


@pytest.mark.parametrize("seed", ["1", "2"])
def test_the_output_does_not_depend_on_hash_order(copy_of_repo: Path, seed: str) -> None:
    # Set and dict orders of str keys change with PYTHONHASHSEED: the bytes must not.
    result = subprocess.run(
        [sys.executable, str(copy_of_repo / "scripts" / "regenerate"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONHASHSEED": seed},
    )
    assert result.returncode == 0, result.stderr
