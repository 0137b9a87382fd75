"""`scripts/regenerate --check` catches hand edits in generated/ and unregenerated specs, whatever
the hash order; its facade step reuses the generator's parse only of the same document, and a
post hook that cannot run stops it by name."""

from __future__ import annotations

import importlib.machinery
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from .conftest import ROOT

SCRIPT = ROOT / "scripts" / "regenerate"


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


HAND_EDITED = "models/evaluator.py"  # not a model the spec change below touches


@pytest.fixture(scope="module")
def stale(copy_of_repo: Path) -> subprocess.CompletedProcess[str]:
    """One --check of the copy with a hand edit in generated/ and, elsewhere, a spec change not
    regenerated (a run takes seconds): each is named by its own line, as its own difference."""
    target = copy_of_repo / "generated" / "respan_evals_api" / HAND_EDITED
    generated = target.read_text()
    spec = copy_of_repo / "openapi.yaml"
    original = spec.read_text()
    target.write_text(generated.replace("additional_properties", "additional_props", 1))
    # A new response field, as when the API grows and someone edits the spec but not generated/.
    start = original.index("\n    Score:\n")
    marker = "\n      properties:\n"
    at = original.index(marker, start) + len(marker)
    added = "        added_by_hand:\n          type: string\n"
    spec.write_text(original[:at] + added + original[at:])
    try:
        return check(copy_of_repo)
    finally:
        target.write_text(generated)
        spec.write_text(original)


def test_hand_edit_in_generated_is_caught(stale: subprocess.CompletedProcess[str]) -> None:
    assert stale.returncode == 1
    assert f"{HAND_EDITED}: differs" in stale.stderr


def test_spec_change_without_regenerating_is_caught(
    stale: subprocess.CompletedProcess[str],
) -> None:
    assert stale.returncode == 1
    assert "models/score.py: differs" in stale.stderr


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


def test_the_facade_step_reuses_the_generators_parse_only_of_the_same_document() -> None:
    from ruamel.yaml import YAML  # what the generator reads the spec with (YAML 1.2)

    sys.path.insert(0, str(ROOT / "scripts"))
    import facadegen

    parse = object()  # stands for the generator's GeneratorData
    text = b"enum: [on, off]\nlimit: 1e3\nname: x\n"
    same = b"name: x\n"
    assert facadegen.reusable((YAML(typ="safe").load(same), parse), yaml.safe_load(same)) is parse
    # PyYAML reads `on` as True and `1e3` as a string: the facade step parses its own document.
    assert facadegen.reusable((YAML(typ="safe").load(text), parse), yaml.safe_load(text)) is None
    assert facadegen.reusable(None, yaml.safe_load(same)) is None


def regenerate_module() -> ModuleType:
    """scripts/regenerate as a module (it has no .py suffix)."""
    loader = importlib.machinery.SourceFileLoader("regenerate_script", str(SCRIPT))
    module = ModuleType(loader.name)
    module.__file__ = loader.path
    loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("hook", "said"),
    [
        ("no-such-formatter-here .", "needs no-such-formatter-here, which is not installed"),
        ("ruff check --no-such-option .", "failed (see above)"),
    ],
)
def test_a_post_hook_that_cannot_run_stops_with_its_name(
    tmp_path: Path, hook: str, said: str
) -> None:
    with pytest.raises(SystemExit) as stopped:
        regenerate_module().run_post_hooks([hook], tmp_path)
    assert str(stopped.value) == f"regenerate: the post hook {hook!r} {said}"
