"""`scripts/api-diff` (make api-diff): Optic's changelog between two versions of the spec.

The base version is today's openapi.yaml, committed in a temporary git repository; the working
copy is then changed the way Respan's API might change, and the tests check how it is marked.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests import _openapi

from .conftest import ROOT

SCRIPT = ROOT / "scripts" / "api-diff"
OPTIC = ROOT / "node_modules" / ".bin" / "optic"
METHODS = ("get", "put", "post", "delete", "patch")
GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
ADDED_FIELD = "reviewed_at"

Spec = dict[str, Any]
Result = subprocess.CompletedProcess[str]


def operations(spec: Spec) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield method, path, item[method]


def first_operation(spec: Spec) -> tuple[str, str]:
    method, path, _ = next(operations(spec))
    return method, path


def first_query_parameter(spec: Spec) -> str:
    """The name of the first query parameter an operation uses (shared or its own)."""
    for _, _, op in operations(spec):
        for param in op.get("parameters", []):
            if "$ref" in param:
                param = spec["components"]["parameters"][param["$ref"].rsplit("/", 1)[-1]]
            if param["in"] == "query":
                return str(param["name"])
    raise AssertionError("the spec has no query parameter")


def first_returned_schema(spec: Spec) -> str:
    """The first component schema an operation returns directly (by $ref) on a 2xx."""
    for _, _, op in operations(spec):
        for status, response in op.get("responses", {}).items():
            media = response.get("content", {}).get("application/json", {})
            ref = str(media.get("schema", {}).get("$ref", ""))
            if str(status).startswith("2") and ref.startswith("#/components/schemas/"):
                return ref.rsplit("/", 1)[-1]
    raise AssertionError("no operation returns a component schema")


def remove_operation(spec: Spec) -> Spec:
    method, path = first_operation(spec)
    del spec["paths"][path][method]
    return spec


def rename_parameter(spec: Spec) -> Spec:
    old = first_query_parameter(spec)
    shared = spec["components"].get("parameters", {}).values()
    own = [p for _, _, op in operations(spec) for p in op.get("parameters", []) if "$ref" not in p]
    for param in [*shared, *own]:
        if param.get("in") == "query" and param["name"] == old:
            param["name"] = f"{old}_renamed"
    return spec


def add_optional_field(spec: Spec) -> Spec:
    schema = spec["components"]["schemas"][first_returned_schema(spec)]
    assert ADDED_FIELD not in schema.get("properties", {})
    schema.setdefault("properties", {})[ADDED_FIELD] = {
        "type": ["string", "null"],
        "format": "date-time",
    }
    return spec


# One Optic run per kind of verdict (each takes seconds of CPU): the two breaking changes share
# one diff, in which each is looked for by its own marked line; the compatible one has its own,
# whose exit status and unmarked changelog are its verdict.
CHANGES: dict[str, tuple[Callable[[Spec], Spec], ...]] = {
    "breaking": (rename_parameter, remove_operation),  # renamed first: as named in `original`
    "added_field": (add_optional_field,),
}


def git_repo(root: Path, spec_text: bytes) -> Path:
    """A git repository at `root` whose HEAD holds `spec_text` as openapi.yaml."""
    root.mkdir(parents=True)
    (root / "openapi.yaml").write_bytes(spec_text)
    for args in (["init", "-q"], ["add", "openapi.yaml"], ["commit", "-q", "-m", "base"]):
        subprocess.run([*GIT, "-C", str(root), *args], check=True, capture_output=True)
    return root / "openapi.yaml"


def command(spec: Path, *args: str) -> list[str]:
    return [sys.executable, str(SCRIPT), "--spec", str(spec), *args]


@pytest.fixture(scope="module")
def original() -> Spec:
    loaded: Spec = _openapi.load(ROOT / "openapi.yaml")
    return loaded


@pytest.fixture(scope="module")
def diffs(tmp_path_factory: pytest.TempPathFactory, original: Spec) -> dict[str, Result]:
    """scripts/api-diff HEAD for each set of changes, run side by side (Optic takes seconds)."""
    if not OPTIC.exists():
        pytest.fail(
            f"{OPTIC.relative_to(ROOT)} is missing: `make test` installs Optic (npm ci) "
            "first; `make api-diff` installs it too",
            pytrace=False,
        )
    base = (ROOT / "openapi.yaml").read_bytes()
    running = {}
    for name, changes in CHANGES.items():
        spec = git_repo(tmp_path_factory.mktemp("api-diff") / name, base)
        changed = copy.deepcopy(original)
        for change in changes:
            changed = change(changed)
        spec.write_text(yaml.safe_dump(changed, sort_keys=False))
        running[name] = subprocess.Popen(
            command(spec, "HEAD"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    results = {}
    for name, process in running.items():
        out, err = process.communicate(timeout=300)
        results[name] = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    return results


def test_a_removed_operation_is_breaking(diffs: dict[str, Result], original: Spec) -> None:
    result = diffs["breaking"]
    method, path = first_operation(original)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"x {method.upper()} {path}: removed" in result.stdout
    assert "x [prevent operation removal]" in result.stdout
    assert "api-diff: breaking changes since HEAD (marked x above)" in result.stdout


def test_a_renamed_parameter_is_breaking(diffs: dict[str, Result], original: Spec) -> None:
    result = diffs["breaking"]
    old = first_query_parameter(original)
    assert result.returncode == 1, result.stdout + result.stderr
    # Optic alone calls the removal of an optional parameter compatible; our ruleset does not.
    removed = f"x [client: prevent parameter removal] cannot remove query parameter {old};"
    assert removed in result.stdout
    assert f"query parameter {old}_renamed: added" in result.stdout


def test_an_added_optional_field_is_not_breaking(diffs: dict[str, Result]) -> None:
    result = diffs["added_field"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"/schema/properties/{ADDED_FIELD}: added" in result.stdout
    marked = [line for line in result.stdout.splitlines() if line.lstrip().startswith("x ")]
    assert marked == []
    assert "api-diff: no breaking change since HEAD" in result.stdout


def test_an_unknown_base_is_a_clear_error(tmp_path: Path) -> None:
    spec = git_repo(tmp_path / "repo", (ROOT / "openapi.yaml").read_bytes())
    result = subprocess.run(command(spec, "no-such-ref"), capture_output=True, text=True)
    assert result.returncode == 2
    assert "cannot read openapi.yaml at 'no-such-ref'" in result.stderr


def test_a_standard_that_does_not_load_is_not_a_pass(tmp_path: Path) -> None:
    """Optic only warns when a ruleset is missing, then passes: the script must fail."""
    tiny = b'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths: {}\n'
    spec = git_repo(tmp_path / "repo", tiny)
    standard = tmp_path / "optic.yml"
    standard.write_text("ruleset:\n  - breaking-changes\n  - ./no-such-ruleset.js\n")
    result = subprocess.run(
        command(spec, "--standard", str(standard), "HEAD"), capture_output=True, text=True
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "could not load the standard" in result.stderr
    assert "no-such-ruleset.js" in result.stderr
