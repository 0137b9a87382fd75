"""A maintainer changes openapi.yaml and runs scripts/regenerate: either it works end to end with no
hand-written line outside the spec, or a check fails naming what is missing.

Each test applies a realistic API change to a copy of the repository (never this checkout),
regenerates there, and runs the copy's own code (PYTHONPATH points at it) against the copy's
emulator, command and checks. The four additive changes (two new fields, a value type, an
operation) touch different parts of the spec and share one copy, regenerated once; each test
checks only its own change, and their scripts run in one process of the copy (each on a fresh
emulator of its own, its failure its test's alone). The renamed parameter, which must fail the
type check, has its own copy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from respan_evals.testing._spec import parse_yaml

from .conftest import ROOT

pytestmark = pytest.mark.slow

Spec = dict[str, Any]


def copy_repository(into: Path) -> Path:
    """The files git knows of (tracked, or new and not ignored), as they are in the work tree."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    repo = into / "repo"
    for name in filter(None, (n.decode() for n in listed)):
        source, target = ROOT / name, repo / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the work tree, not yet committed
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target)
    if (ROOT / ".mypy_cache").is_dir():  # a warm cache: mypy rechecks only what changed
        shutil.copytree(ROOT / ".mypy_cache", repo / ".mypy_cache")
    return repo


def run(repo: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": f"{repo / 'facade'}{os.pathsep}{repo / 'generated'}"}
    env.pop("RESPAN_API_KEY", None)
    return subprocess.run(
        [sys.executable, *args], cwd=repo, env=env, capture_output=True, text=True, timeout=timeout
    )


def changed(tmp_path: Path, *changes: Callable[[Spec], None]) -> Path:
    """A copy of the repository whose spec has `changes` applied, regenerated."""
    repo = copy_repository(tmp_path)
    spec: Spec = parse_yaml((repo / "openapi.yaml").read_text())
    for change in changes:
        change(spec)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's when PyYAML has it
    (repo / "openapi.yaml").write_text(
        yaml.dump(spec, Dumper=dumper, sort_keys=False, allow_unicode=True)
    )
    done = run(repo, "scripts/regenerate")
    assert done.returncode == 0, done.stdout + done.stderr
    return repo


HARNESS = """
import contextlib, io, json, os, traceback
from respan_evals import AsyncRespan, Respan
from respan_evals.cli import main
from respan_evals.testing import Emulator

def cli(*args):
    # The command in this process (the copy's code, as a subprocess would run it).
    os.environ.update(RESPAN_API_KEY=emu.api_key, RESPAN_BASE_URL=emu.base_url)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--rate-limit", "0", *args])
    assert code == 0, (code, out.getvalue() + err.getvalue())
    return out.getvalue()

def run_each(names):
    # Each script alone: what it printed, or its traceback; one failing leaves the others be.
    results = {}
    for index, name in enumerate(names):
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                globals()[f"script_{index}"]()
            results[name] = {"out": out.getvalue()}
        except BaseException:
            results[name] = {"out": out.getvalue(), "error": traceback.format_exc()}
    return results
"""
RESULTS = "scripts' results: "  # the harness's last line: this, then the results as JSON

Results = dict[str, dict[str, str]]


def scripts(repo: Path, bodies: dict[str, str]) -> Results:
    """Run each of `bodies` with `c` a Respan client on a fresh emulator of its own, all in one
    process of the copy (one start-up): {name: {"out": what it printed, "error" if it failed}}."""
    code = [HARNESS]
    for index, body in enumerate(bodies.values()):
        code.append(
            f"def script_{index}():\n"
            "    global emu\n"
            "    with Emulator(rate_limit=None) as emu, Respan(\n"
            "        emu.api_key, base_url=emu.base_url, rate_limit=None\n"
            "    ) as c:\n"
            + textwrap.indent(textwrap.dedent(body).strip("\n"), " " * 8)
            + "\n        assert emu.violations == [], emu.violations\n"
        )
    code.append(f"print({RESULTS!r} + json.dumps(run_each({list(bodies)!r})))\n")
    done = run(repo, "-c", "\n".join(code))
    assert done.returncode == 0, done.stdout + done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith(RESULTS), done.stdout + done.stderr
    results: Results = json.loads(last[len(RESULTS) :])
    return results


def output(results: Results, name: str) -> str:
    """What script `name` printed; its failure (and no other's) fails the test that asks."""
    result = results[name]
    assert "error" not in result, result["out"] + result["error"]
    return result["out"]


# The scripts the tests on `grown` run, one per test (each registered next to its test).
GROWN_SCRIPTS: dict[str, str] = {}


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy with every additive change applied, regenerated once."""
    return changed(tmp_path_factory.mktemp("grown"), *ADDITIVE)


@pytest.fixture(scope="module")
def grown_results(grown: Path) -> Results:
    """GROWN_SCRIPTS, run on `grown`."""
    return scripts(grown, GROWN_SCRIPTS)


def schema(spec: Spec, name: str) -> Spec:
    """Where `name`'s own properties are (its object part, for an allOf)."""
    found: Spec = spec["components"]["schemas"][name]
    for part in found.get("allOf", []):
        if "properties" in part:
            return part
    return found


def add_reviewed_at(spec: Spec) -> None:
    schema(spec, "Score")["properties"]["reviewed_at"] = {
        "type": ["string", "null"],
        "format": "date-time",
        "description": "When a human reviewed the score.",
    }


GROWN_SCRIPTS["reviewed_at"] = """
        c.evaluators.create(
            name="Q", type="human", score_value_type="numerical", evaluator_slug="q"
        )
        score = c.score_log("log_1", 3, evaluator="q")
        assert score.reviewed_at is None, score
        raw = c.api.get_httpx_client().get(f"/api/scores/{score.id}/").json()
        assert "reviewed_at" in raw and raw["reviewed_at"] is None, raw
        from respan_evals.types import Score
        parsed = Score.from_dict({**raw, "reviewed_at": "2026-01-02T03:04:05Z"})
        assert parsed.reviewed_at.year == 2026
        jsonl = cli("scores", "export", "--format", "jsonl", "-q")
        csv = cli("scores", "export", "--format", "csv", "-q")
        print(json.dumps({"jsonl": jsonl, "csv": csv}))
        """


def test_a_score_gains_an_optional_nullable_date_time(grown_results: Results) -> None:
    out = output(grown_results, "reviewed_at")
    exported = json.loads(out.strip().splitlines()[-1])
    assert "reviewed_at" in json.loads(exported["jsonl"].splitlines()[0])
    assert "reviewed_at" in exported["csv"].splitlines()[0].split(",")


def add_metadata(spec: Spec) -> None:
    metadata = {"type": "object", "additionalProperties": True, "description": "Free-form."}
    schema(spec, "ScoreCreateRequest")["properties"]["metadata"] = dict(metadata)
    schema(spec, "Score")["properties"]["metadata"] = {
        "anyOf": [dict(metadata), {"type": "null"}],
        "description": "Free-form, as created.",
    }


GROWN_SCRIPTS["metadata"] = """
        c.evaluators.create(
            name="Q", type="human", score_value_type="numerical", evaluator_slug="q"
        )
        made = c.scores.create(
            evaluator_slug="q", log_id="log_1", numerical_value=3, metadata={"run": 7}
        )
        assert made.to_dict()["metadata"] == {"run": 7}, made
        again = c.scores.retrieve(made.id)
        assert again.to_dict()["metadata"] == {"run": 7}, again
        """


def test_score_create_gains_an_optional_object(grown_results: Results) -> None:
    output(grown_results, "metadata")  # its checks are in its script


def add_ranking(spec: Spec) -> None:
    value_type = spec["components"]["schemas"]["ScoreValueType"]
    value_type["enum"].append("ranking")
    value_type["x-respan-value-types"]["ranking"] = {
        "field": "ranking_value",
        "check": "string_list",
    }
    ranking = {
        "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}],
        "description": "Choices in order, best first (ranking evaluators).",
    }
    schema(spec, "ScoreValueFields")["properties"]["ranking_value"] = dict(ranking)
    schema(spec, "Score")["properties"]["ranking_value"] = dict(ranking)


GROWN_SCRIPTS["ranking"] = """
        row = {"log_id": "log_2", "evaluator": "rank", "value": ["b", "a"]}
        with open("rows.jsonl", "w") as f:  # in the copy (the working directory)
            f.write(json.dumps(row) + "\\n")
        with open("rows.csv", "w") as f:
            f.write('log_id,evaluator,value\\nlog_3,rank,"[""c"", ""a""]"\\n')
        c.evaluators.create(
            name="R", type="human", score_value_type="ranking", evaluator_slug="rank"
        )
        score = c.score_log("log_1", ["a", "b", "c"], evaluator="rank")
        assert score.ranking_value == ["a", "b", "c"], score
        cli("scores", "import", "rows.jsonl", "-q")
        cli("scores", "import", "rows.csv", "-q")
        print(json.dumps({
            "jsonl": cli("scores", "export", "--format", "jsonl", "-q"),
            "csv": cli("scores", "export", "--format", "csv", "-q"),
        }))
        """


def test_a_new_value_type_with_its_own_field(grown_results: Results) -> None:
    out = output(grown_results, "ranking")
    exported = json.loads(out.strip().splitlines()[-1])
    rows = {r["log_id"]: r for r in map(json.loads, exported["jsonl"].splitlines())}
    assert {k: rows[k]["ranking_value"] for k in rows} == {
        "log_1": ["a", "b", "c"],
        "log_2": ["b", "a"],
        "log_3": ["c", "a"],
    }
    header = exported["csv"].splitlines()[0].split(",")
    assert "ranking_value" in header


def add_bulk_create(spec: Spec) -> None:
    ref = {"$ref": "#/components/schemas/Score"}
    spec["paths"]["/api/scores/bulk/"] = {
        "post": {
            "operationId": "bulk_create_scores",
            "x-respan-method": "bulk_create",
            "x-respan-idempotent": False,
            "tags": ["scores"],
            "summary": "Create many scores",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["scores"],
                            "properties": {
                                "scores": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/ScoreCreateRequest"},
                                }
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "What was created, and what was not.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["created", "errors"],
                                "properties": {
                                    "created": {"type": "array", "items": ref},
                                    "errors": {"type": "array", "items": {"type": "object"}},
                                },
                            }
                        }
                    },
                },
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "429": {"$ref": "#/components/responses/TooManyRequests"},
            },
        }
    }


GROWN_SCRIPTS["bulk_create"] = """
        import inspect
        for client in (c, AsyncRespan(emu.api_key, base_url=emu.base_url)):
            method = client.scores.bulk_create
            options = ["timeout", "max_retries", "extra_headers", "extra_query", "extra_body"]
            assert list(inspect.signature(method).parameters) == ["scores", *options], method
        assert inspect.iscoroutinefunction(AsyncRespan(emu.api_key).scores.bulk_create)
        assert "(POST /api/scores/bulk/)" in c.scores.bulk_create.__doc__
        """


def test_a_new_operation(grown: Path, grown_results: Results) -> None:
    repo = grown
    output(grown_results, "bulk_create")
    typed = run(repo, "-m", "mypy")
    assert typed.returncode == 0, typed.stdout  # no hand-written line needed anywhere
    # The emulator's test of its handlers, alone: the rest of its module is not about this.
    coverage = "tests/emulator/test_spec_coverage.py::test_every_operation_has_a_handler"
    quick = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest")  # a second less to start
    emulator = run(repo, "-m", "pytest", "-q", *quick, coverage)
    assert emulator.returncode != 0
    assert "bulk_create_scores" in emulator.stdout  # the emulator's missing handler, by name


ADDITIVE = (add_reviewed_at, add_metadata, add_ranking, add_bulk_create)


def rename_page_size(spec: Spec) -> None:
    spec["components"]["parameters"]["PageSize"]["name"] = "limit"
    for item in spec["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and "x-respan-paginate" in op:
                op["x-respan-paginate"]["page_size"] = "limit"


def test_a_renamed_query_parameter_fails_the_type_check_at_each_call_site(tmp_path: Path) -> None:
    repo = changed(tmp_path, rename_page_size)
    typed = run(repo, "-m", "mypy")
    assert typed.returncode != 0
    errors = [line for line in typed.stdout.splitlines() if ": error:" in line]
    assert errors and all('"page_size"' in line for line in errors), typed.stdout
    assert any(line.startswith("facade/respan_evals/_async/_scoring.py:") for line in errors)
