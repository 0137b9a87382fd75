"""`respan-evals evaluators ...`: tables for people, --json for scripts, the store as the judge."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import yaml

from respan_evals.testing import Emulator

from .conftest import Run

DEFINITION = """\
name: Answer quality
evaluator_slug: answer_quality
type: llm
score_value_type: numerical
description: How good the answer is.
score_config:
  min_score: 1
  max_score: 5
passing_conditions:
  primary_score: {operator: gte, value: [3]}
llm_config:
  model: gpt-4o-mini
  evaluator_definition: "Rate {{output}} from 1 to 5."
"""


def test_create_list_get_update_run_and_delete(run: Run, emu: Emulator, tmp_path: Path) -> None:
    definition = tmp_path / "quality.yaml"
    definition.write_text(DEFINITION)
    created = run("evaluators", "create", "-f", str(definition), "--json")
    assert created.code == 0, created.err
    evaluator = json.loads(created.out)
    evaluator_id = evaluator["id"]
    family = emu.evaluator(evaluator_id)
    assert family.slug == "answer_quality"
    assert family.draft["score_config"] == {"min_score": 1, "max_score": 5}
    assert family.draft["llm_config"]["model"] == "gpt-4o-mini"

    listed = run("evaluators", "list")
    assert listed.code == 0
    assert "1 evaluators" in listed.out
    row = next(line for line in listed.out.splitlines() if evaluator_id in line)
    assert "answer_quality" in row and "Answer quality" in row and "numerical" in row
    as_json = json.loads(run("evaluators", "list", "--json").out)
    assert [e["id"] for e in as_json] == [evaluator_id]

    shown = run("evaluators", "get", evaluator_id)
    assert shown.code == 0
    assert "score_value_type" in shown.out and "How good the answer is." in shown.out
    assert '"min_score": 1' in shown.out  # nested objects as JSON, not rich markup
    assert json.loads(run("evaluators", "get", evaluator_id, "--json").out)["name"] == (
        "Answer quality"
    )

    change = tmp_path / "change.json"
    change.write_text(json.dumps({"description": "Changed.", "starred": True}))
    updated = run("evaluators", "update", evaluator_id, "-f", str(change))
    assert updated.code == 0
    assert "updated evaluator" in updated.out and "description, starred" in updated.out
    assert emu.evaluator(evaluator_id).draft["description"] == "Changed."

    ran = run("evaluators", "run", evaluator_id, "--inputs", '{"input": "2+2?", "output": "4"}')
    assert ran.code == 0
    assert "numerical_value" in ran.out and "is_passed" in ran.out
    ran_json = json.loads(
        run(
            "evaluators",
            "run",
            evaluator_id,
            "--inputs",
            '{"input": "2+2?", "output": "4"}',
            "--json",
        ).out
    )
    assert 1 <= ran_json["numerical_value"] <= 5
    assert len(emu.store.scores) == 0  # a run stores nothing

    refused = run("evaluators", "delete", evaluator_id)
    assert refused.code == 2 and "--yes" in refused.err
    deleted = run("evaluators", "delete", evaluator_id, "--yes")
    assert deleted.code == 0 and f"deleted evaluator {evaluator_id}" in deleted.out
    assert emu.evaluator_count() == 0


def test_versions_commit_list_and_get(run: Run, emu: Emulator, seeded: dict[str, Any]) -> None:
    evaluator_id = seeded["quality"]["id"]
    committed = run("evaluators", "versions", "commit", evaluator_id, "-m", "first cut")
    assert committed.code == 0
    assert f"committed version 0 of {evaluator_id}; version 1 is the new draft" in committed.out
    family = emu.evaluator(evaluator_id)
    assert [v["is_read_only"] for v in family.versions] == [True, False]
    assert family.versions[0]["version_description"] == "first cut"

    listed = run("evaluators", "versions", "list", evaluator_id)
    assert listed.code == 0
    lines = listed.out.splitlines()
    draft = next(line for line in lines if "draft" in line)
    old = next(line for line in lines if "committed" in line)
    assert "first cut" in old and "│       1 │" in draft
    items = json.loads(run("evaluators", "versions", "list", evaluator_id, "--json").out)
    assert [i["version"] for i in items] == [1, 0]

    version = json.loads(run("evaluators", "versions", "get", evaluator_id, "0", "--json").out)
    assert version["is_read_only"] is True and version["version_description"] == "first cut"
    shown = run("evaluators", "versions", "get", evaluator_id, "0")
    assert "first cut" in shown.out


def test_bad_definitions_and_unknown_ids_are_one_line(
    run: Run, emu: Emulator, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ntype: llm\nscore_value_type: numerical\ncolour: blue\n")
    result = run("evaluators", "create", "-f", str(bad))
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "unknown field(s) colour" in result.err

    missing = tmp_path / "missing.json"
    missing.write_text('{"name": "x"}')
    assert "missing field 'type'" in run("evaluators", "create", "-f", str(missing)).err

    not_yaml = tmp_path / "broken.yaml"
    not_yaml.write_text("name: [unclosed\n")
    broken = run("evaluators", "create", "-f", str(not_yaml))
    assert broken.code == 2 and "is not valid YAML" in broken.err and broken.err.count("\n") == 1

    unknown = run("evaluators", "get", "evl_nope")
    assert unknown.code == 1
    assert unknown.err.count("\n") == 1
    assert unknown.err.startswith("error: ") and "404" in unknown.err
    assert emu.evaluator_count() == 0


def _help_example(help_text: str) -> str:
    """The example file in `evaluators create --help`, as a user would copy it."""
    lines = help_text.splitlines()
    start = next(i for i, line in enumerate(lines) if "Example file" in line) + 1
    end = next(i for i, line in enumerate(lines) if line.strip().startswith("Required:"))
    return textwrap.dedent("\n".join(lines[start:end])).strip() + "\n"


def test_create_help_shows_an_example_file_that_create_accepts(
    run: Run, emu: Emulator, tmp_path: Path
) -> None:
    shown = run("evaluators", "create", "--help")
    assert shown.code == 0
    example = _help_example(shown.out)
    assert "score_value_type: numerical" in example  # kept as lines, not rewrapped
    assert "json, comment" not in shown.out  # legacy value types are not offered

    as_yaml = tmp_path / "quality.yaml"
    as_yaml.write_text(example, encoding="utf-8")
    created = run("evaluators", "create", "-f", str(as_yaml), "--json")
    assert created.code == 0, created.err
    family = emu.evaluator(json.loads(created.out)["id"])
    assert family.slug == "answer_quality"
    assert family.draft["score_config"] == {"min_score": 1, "max_score": 5}
    assert "{{output}}" in family.draft["llm_config"]["evaluator_definition"]

    # "the same object as JSON works too"
    as_json = tmp_path / "quality.json"
    document = yaml.safe_load(example)
    as_json.write_text(json.dumps({**document, "evaluator_slug": "answer_quality_2"}))
    again = run("evaluators", "create", "-f", str(as_json))
    assert again.code == 0, again.err
    assert "(answer_quality_2), numerical" in again.out
    assert emu.evaluator_count() == 2
