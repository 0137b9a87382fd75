"""`scripts/api-diff` (make api-diff): Optic's changelog between two versions of the spec.

The base version is today's openapi.yaml cut to the paths of its first tag, committed in a
temporary git repository; the working copy is then changed the way Respan's API might change, and
the tests check how it is marked. (Optic's time grows with the operations: about 7 CPU-s for the
whole spec, 3 for the cut one, 2 for an empty one.)
"""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from collections.abc import Iterator
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


def first_tag(spec: Spec) -> Spec:
    """`spec` with only the paths whose operations carry its first operation's first tag."""
    tag = next(operations(spec))[2]["tags"][0]
    spec["paths"] = {
        path: item
        for path, item in spec["paths"].items()
        if any(tag in item[method].get("tags", ()) for method in METHODS if method in item)
    }
    return spec


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


# One Optic run over today's spec with every change at once (a run takes seconds of CPU): Optic
# prints each check that fails under the change it judges, so each change's verdict is read from
# its own lines. A diff with no breaking change at all, for its exit status, is of a small spec.
# The parameter renamed first (as `original` names it), the field added last (to a schema that
# an operation still returns).
CHANGES = (rename_parameter, remove_operation, add_optional_field)
SMALL_SPEC: Spec = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/things/{id}/": {
            "get": {
                "operationId": "get_thing",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "A thing.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Thing": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "string"}},
            }
        }
    },
}


def nested(output: str, text: str) -> list[list[str]]:
    """Each changelog line holding `text`, with the lines indented under it (its checks)."""

    def depth(line: str) -> int:
        return len(line) - len(line.lstrip())

    lines = output.splitlines()
    found: list[list[str]] = []
    for at, line in enumerate(lines):
        if text in line:
            under: list[str] = []
            for below in lines[at + 1 :]:
                if below.strip() and depth(below) <= depth(line):
                    break
                under.append(below)
            found.append([line, *under])
    return found


# An operation's heading in Optic's changelog: its verdict, method and path.
OPERATION_HEADING = re.compile(rf"^\S+ ({'|'.join(m.upper() for m in METHODS)}) /")


def marked(lines: list[str]) -> list[str]:
    """The lines Optic marks `x` (a failed check, or an operation or diff with one)."""
    return [line for line in lines if line.lstrip().startswith("x ")]


def operations_in(output: str) -> list[list[str]]:
    """The changelog's sections, one per operation: its `x`/`✔` heading and what follows."""
    lines = output.splitlines()
    starts = [at for at, line in enumerate(lines) if OPERATION_HEADING.match(line)]
    return [lines[a:b] for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]


def changes(lines: list[str]) -> list[str]:
    """The changes listed in a changelog section (`- ...: added`, `removed` or `changed`)."""
    kinds = (": added", ": removed", ": changed")
    return [line for line in lines if line.lstrip().startswith("- ") and line.endswith(kinds)]


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
    return first_tag(_openapi.load(ROOT / "openapi.yaml"))


@pytest.fixture(scope="module")
def diffs(tmp_path_factory: pytest.TempPathFactory, original: Spec) -> dict[str, Result]:
    """scripts/api-diff HEAD after CHANGES to `original` ("changed"), and after the added
    field alone to SMALL_SPEC ("compatible"), run side by side (Optic takes seconds)."""
    if not OPTIC.exists():
        pytest.fail(
            f"{OPTIC.relative_to(ROOT)} is missing: `make test` installs Optic (npm ci) "
            "first; `make api-diff` installs it too",
            pytrace=False,
        )
    changed = copy.deepcopy(original)
    for change in CHANGES:
        changed = change(changed)
    versions = {
        "changed": (yaml.safe_dump(original, sort_keys=False).encode(), changed),
        "compatible": (
            yaml.safe_dump(SMALL_SPEC, sort_keys=False).encode(),
            add_optional_field(copy.deepcopy(SMALL_SPEC)),
        ),
    }
    running = {}
    for name, (base, head) in versions.items():
        spec = git_repo(tmp_path_factory.mktemp("api-diff") / name, base)
        spec.write_text(yaml.safe_dump(head, sort_keys=False))
        running[name] = subprocess.Popen(
            command(spec, "HEAD"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    results = {}
    for name, process in running.items():
        out, err = process.communicate(timeout=300)
        results[name] = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    return results


def test_a_removed_operation_is_breaking(diffs: dict[str, Result], original: Spec) -> None:
    result = diffs["changed"]
    method, path = first_operation(original)
    assert result.returncode == 1, result.stdout + result.stderr
    [removed] = nested(result.stdout, f"x {method.upper()} {path}: removed")
    assert "x [prevent operation removal]" in "\n".join(removed)  # under the removal itself
    assert "api-diff: breaking changes since HEAD (marked x above)" in result.stdout


def test_a_renamed_parameter_is_breaking(diffs: dict[str, Result], original: Spec) -> None:
    result = diffs["changed"]
    old = first_query_parameter(original)
    assert result.returncode == 1, result.stdout + result.stderr
    # Optic alone calls the removal of an optional parameter compatible; our ruleset does not.
    removed = f"x [client: prevent parameter removal] cannot remove query parameter {old};"
    assert removed in result.stdout
    removals = nested(result.stdout, f"query parameter {old}: removed")
    assert removals and all(any(removed in line for line in r) for r in removals), removals
    assert f"query parameter {old}_renamed: added" in result.stdout


def test_an_added_optional_field_is_not_breaking(diffs: dict[str, Result]) -> None:
    output = diffs["changed"].stdout
    added = nested(output, f"/schema/properties/{ADDED_FIELD}: added")
    assert added, output
    assert [marked(lines) for lines in added] == [[]] * len(added), added  # no check fails
    # An operation whose only change is the field is not marked either.
    alone = [
        op for op in operations_in(output) if {ADDED_FIELD in c for c in changes(op)} == {True}
    ]
    assert alone, output
    assert [op[0] for op in alone if marked(op)] == []


def test_a_diff_without_a_breaking_change_passes(diffs: dict[str, Result]) -> None:
    result = diffs["compatible"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"/schema/properties/{ADDED_FIELD}: added" in result.stdout
    assert marked(result.stdout.splitlines()) == []
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
