"""`respan-evals demo`: the whole job against a local emulator, no key and no network.

Starts the emulator in this process, creates one evaluator of each value type, imports the
example file shipped with the package (`data/demo_scores.jsonl`: 356 rows, 6 bad on purpose)
through the same code as `scores import`, exports the scores again through the same code as
`scores export`, and reports what happened, with what the same import would take at Respan's
documented limit (the demo lifts it); it ends with the report of what it imported, through the
same code as `respan-evals report`. Its files (the export, the rejects, the journal) are kept,
in --keep DIR or a new temporary folder that it names. Exit 0 when it all behaved as expected;
3 without the emulator extra.
"""

from __future__ import annotations

import math
import shutil
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import click

from respan_evals import Respan
from respan_evals.testing.cli import EXIT_MISSING_EXTRA
from respan_evals.types import EvaluatorCreateRequest

from ._context import CliError, Settings
from ._evaluators import body_fields
from ._export import iter_export_rows, run_export
from ._import import ImportResult, run_import
from ._output import Output, as_dict
from ._report import build_report, print_report
from ._scores import print_import_summary

__all__ = [
    "DEMO_EVALUATORS",
    "EXPECTED_REJECTS",
    "demo_command",
    "demo_data_path",
    "real_run_estimate",
]

DEMO_FILE = "demo_scores.jsonl"
EXPORT_FILE = "exported_scores.jsonl"
DEMO_RATE_LIMIT = 60_000.0  # requests per minute, for both the emulator and the client
REAL_RATE_LIMIT = 60.0  # Respan's documented limit for these APIs, requests per minute

# One evaluator of each value type, as a YAML file for `evaluators create` would hold them.
DEMO_EVALUATORS: tuple[dict[str, Any], ...] = (
    {
        "name": "Helpfulness",
        "evaluator_slug": "helpfulness",
        "type": "llm",
        "score_value_type": "numerical",
        "description": "How well the answer helps, from 1 to 5.",
        "score_config": {"min_score": 1, "max_score": 5},
        "passing_conditions": {"primary_score": {"operator": "gte", "value": [3]}},
        "llm_config": {
            "model": "gpt-4o-mini",
            "evaluator_definition": "Rate how helpful {{output}} is for {{input}}, 1 to 5.",
        },
    },
    {
        "name": "Groundedness",
        "evaluator_slug": "groundedness",
        "type": "human",
        "score_value_type": "percentage",
        "description": "Share of the answer supported by the sources.",
        "passing_conditions": {"primary_score": {"operator": "gte", "value": [70]}},
    },
    {
        "name": "Is safe",
        "evaluator_slug": "is_safe",
        "type": "code",
        "score_value_type": "boolean",
        "description": "No unsafe content (passes when true).",
        "code_config": {"eval_code_snippet": "def main(eval_inputs):\n    return True\n"},
    },
    {
        "name": "Tone",
        "evaluator_slug": "tone",
        "type": "human",
        "score_value_type": "single_select",
        "score_config": {
            "choices": [
                {"name": "Professional", "value": "professional"},
                {"name": "Friendly", "value": "friendly"},
                {"name": "Neutral", "value": "neutral"},
                {"name": "Curt", "value": "curt"},
            ]
        },
        "passing_conditions": {
            "primary_score": {"operator": "in", "value": ["professional", "friendly", "neutral"]}
        },
    },
    {
        "name": "Topics",
        "evaluator_slug": "topics",
        "type": "human",
        "score_value_type": "multi_select",
        "score_config": {
            "choices": [
                {"name": "Billing", "value": "billing"},
                {"name": "Shipping", "value": "shipping"},
                {"name": "Returns", "value": "returns"},
                {"name": "Account", "value": "account"},
                {"name": "Product", "value": "product"},
            ]
        },
    },
    {
        "name": "Summary",
        "evaluator_slug": "summary",
        "type": "human",
        "score_value_type": "text",
        "description": "One sentence on what happened.",
    },
    {
        "name": "Extraction",
        "evaluator_slug": "extraction",
        "type": "code",
        "score_value_type": "json",
        "description": "Fields pulled out of the conversation.",
        "code_config": {"eval_code_snippet": "def main(eval_inputs):\n    return {}\n"},
    },
)

# The rows of the example file that are bad on purpose: line -> what is wrong.
EXPECTED_REJECTS: dict[int, str] = {
    40: "unknown evaluator (a typo: helpfullness)",
    95: 'wrong value type ("yes" for a boolean)',
    150: "malformed JSON (the closing brace is missing)",
    210: "out of range (7 on a 1 to 5 scale)",
    260: "not one of the choices (sarcastic)",
    320: "missing column (no log_id)",
}


def demo_data_path() -> Path:
    """The example file shipped inside the package."""
    return Path(str(resources.files("respan_evals.cli") / "data" / DEMO_FILE))


def _workdir(keep: Path | None) -> Path:
    """--keep's folder, or a new temporary one; kept either way (the demo names it)."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        return keep
    return Path(tempfile.mkdtemp(prefix="respan-evals-demo-"))


def real_run_estimate(requests: int, writes: int, per_minute: float = REAL_RATE_LIMIT) -> str:
    """What `requests` (`writes` of them score writes, the rest lookups) take at `per_minute`."""
    minutes = math.ceil(requests / per_minute)
    took = "under a minute" if requests < per_minute else f"about {minutes} minute"
    took += "s" if minutes > 1 else ""
    return (
        f"At Respan's documented limit of {per_minute:g} requests a minute, the same import "
        f"takes {took}: {requests} requests ({writes} score writes, {requests - writes} "
        f"evaluator lookups). The demo lifts the limit to {DEMO_RATE_LIMIT:,.0f} a minute."
    )


@click.command("demo", short_help="Try it all on a local emulator: no key, no network.")
@click.option(
    "--keep",
    "keep",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write the demo's files (journal, rejects, export) to this folder and keep them.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
@click.pass_obj
def demo_command(settings: Settings, keep: Path | None, quiet: bool) -> int:
    """Try everything on a local emulator: no API key, no network, a few seconds."""
    try:
        from respan_evals.testing import Emulator
    except ImportError as e:  # the emulator extra is missing
        raise CliError(
            f"the demo runs the emulator, which needs its extra ({e.name or e}): "
            "pip install 'respan-evals[emulator]'",
            exit_code=EXIT_MISSING_EXTRA,
        ) from None
    out = settings.output
    workdir = _workdir(keep)
    with Emulator(rate_limit=DEMO_RATE_LIMIT) as emu:
        out.add_secret(emu.api_key)
        out.line(
            "respan-evals demo: a local emulator of the Respan API; no key, no network",
            style="bold",
        )
        out.line(f"  emulator running at {emu.base_url}", style="dim")
        with Respan(
            api_key=emu.api_key, base_url=emu.base_url, rate_limit=DEMO_RATE_LIMIT
        ) as client:
            _step(out, 1, "Create one evaluator of each value type")
            _create_evaluators(client, out)
            _step(out, 2, "Import the example file (respan-evals scores import)")
            source = workdir / DEMO_FILE
            shutil.copyfile(demo_data_path(), source)
            sent_before = len(emu.requests)
            result = run_import(
                client,
                source,
                fmt="jsonl",
                base_url=emu.base_url,
                api_key=emu.api_key,
                output=out,
                restart=True,
                concurrency=16,
                quiet=quiet,
            )
            print_import_summary(out, result, show_rejects=False, verdict=False)
            sent = emu.requests[sent_before:]
            writes = sum(r.method == "POST" and r.path.startswith("/api/logs/") for r in sent)
            out.line(f"  {real_run_estimate(len(sent), writes)}", style="yellow")
            _show_rejects(out, result)
            _step(out, 3, "Export every score back (respan-evals scores export)")
            exported_path = workdir / EXPORT_FILE
            exported = run_export(
                iter_export_rows(client, {}),
                fmt="jsonl",
                output=out,
                out_path=exported_path,
                quiet=True,
            )
            out.line(f"  {exported.count} scores written to {exported_path}")
            _step(out, 4, "Pass rate per evaluator (respan-evals report)")
            print_report(out, build_report(client, {}))
            out.line(
                "  In CI: `respan-evals report --evaluator helpfulness --fail-under 80% "
                '--format markdown >> "$GITHUB_STEP_SUMMARY"` exits 4 when it fails.',
                style="dim",
            )
            problems = _check(result, exported.count, emu.score_count())
    out.line("")
    out.line(
        f"Files kept in {workdir}: {EXPORT_FILE} (the export), {DEMO_FILE}.rejects.jsonl "
        "(the bad rows and why) and the import's journal"
        + ("" if keep is not None else "; --keep DIR puts them elsewhere"),
        style="dim",
    )
    if problems:
        for problem in problems:
            out.error(f"demo: {problem}")
        out.line("The demo did not behave as expected (see above).", style="red")
        return 1
    landed = result.totals.sent_ok
    out.line(
        f"Demo OK: {landed} good rows landed once each and came back in the export; "
        f"the {len(EXPECTED_REJECTS)} bad rows were rejected with their reasons.",
        style="green",
    )
    out.line(
        "Next: export RESPAN_API_KEY=... and run `respan-evals scores import your_scores.jsonl` "
        "(`respan-evals --help` for more).",
        style="dim",
    )
    return 0


def _step(out: Output, number: int, title: str) -> None:
    out.line("")
    out.line(f"{number}. {title}", style="bold cyan")


def _create_evaluators(client: Respan, out: Output) -> None:
    rows = []
    for spec in DEMO_EVALUATORS:
        body = body_fields(EvaluatorCreateRequest, spec, "demo evaluator")
        created = as_dict(client.evaluators.create(**body))
        rows.append(
            [created.get("evaluator_slug"), created.get("score_value_type"), _describe_config(spec)]
        )
    out.table(("evaluator", "value type", "configuration"), rows)


def _describe_config(spec: dict[str, Any]) -> str:
    parts = []
    config = spec.get("score_config") or {}
    if "min_score" in config:
        parts.append(f"{config['min_score']} to {config['max_score']}")
    if "choices" in config:
        parts.append("choices " + "/".join(str(c["value"]) for c in config["choices"]))
    passing = spec.get("passing_conditions")
    if passing:
        condition = passing["primary_score"]
        values = condition["value"]
        shown = values[0] if len(values) == 1 else "/".join(map(str, values))
        parts.append(f"passes when {condition['operator']} {shown}")
    elif spec["score_value_type"] == "boolean":
        parts.append("passes when true")
    return "; ".join(parts) or "-"


def _show_rejects(out: Output, result: ImportResult) -> None:
    if not result.rejects:
        return
    out.line("")
    out.line(
        f"  {len(result.rejects)} rows were bad on purpose; each went to the rejects file "
        "with its line and reason, and the good rows went on:"
    )
    for reject in result.rejects:
        planted = EXPECTED_REJECTS.get(reject.line, "NOT a planted fault")
        out.line(f"  line {reject.line:>3}  {planted}", style="bold")
        out.line(f"            -> {reject.reason}", style="dim")


def _check(result: ImportResult, exported: int, stored: int) -> list[str]:
    """What differs from the demo's expectations (nothing, when all went well)."""
    problems = []
    totals = result.totals
    good = result.total - len(EXPECTED_REJECTS)
    rejected_lines = {r.line for r in result.rejects}
    if rejected_lines != set(EXPECTED_REJECTS) or totals.rejected != len(EXPECTED_REJECTS):
        problems.append(
            f"rejected lines {sorted(rejected_lines)}, expected {sorted(EXPECTED_REJECTS)}"
        )
    if totals.failed or result.interrupted:
        problems.append(f"{totals.failed} rows failed; interrupted: {result.interrupted}")
    if totals.sent_ok != good:
        problems.append(f"{totals.sent_ok} rows landed, expected {good}")
    if exported != good or stored != good:
        problems.append(f"{exported} scores exported and {stored} stored, expected {good}")
    return problems
