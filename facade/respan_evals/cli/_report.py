"""`respan-evals report`: pass rates and distributions per evaluator, a baseline, a CI gate.

The current set is every score the filter options match (--filter, --evaluator,
--environment); the baseline (--baseline FILTER_JSON, --baseline-environment) is the current
filter with the baseline's conditions put in place of those on the same fields, so
`--environment production --baseline-environment staging` compares the same evaluators in two
environments. Both are streamed once (constant memory) and summarised by `respan_evals.summarize`.

Output: a terminal table with bars (default), `--format markdown` (for $GITHUB_STEP_SUMMARY or a
pull-request comment), `--format json`; `--html PATH` also writes the page with charts.

Gate: `--fail-under RATE` (a fraction, 0.9, or a percentage, 90%) fails every group whose pass
rate is below it; `--max-regression POINTS` (percentage points: 5 means 0.05 of rate) fails every
group whose pass rate fell by more than that from the baseline (with --significant-only: and the
comparison calls the fall larger than noise). A failed gate exits EXIT_GATE_FAILED (4), names the
groups on stderr, and the Markdown and JSON say the same. Groups with no pass rate (no passing
conditions, or no judged scores) are not gated; an empty current set fails any gate.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from rich.text import Text

from respan_evals import (
    Comparison,
    GroupChange,
    GroupSummary,
    Respan,
    Summary,
    condition,
    filters,
    summarize,
)
from respan_evals.testing.cli import EXIT_MISSING_EXTRA

from ._context import CliError, Settings
from ._export import build_filters, iter_export_rows
from ._output import Output

__all__ = [
    "BY_FIELDS",
    "EXIT_GATE_FAILED",
    "GateFailure",
    "ReportData",
    "build_report",
    "gate_failures",
    "markdown_report",
    "parse_points",
    "parse_rate",
    "print_report",
    "report_command",
    "report_json",
]

EXIT_GATE_FAILED = 4
BY_FIELDS = ("evaluator", "environment", "prompt_version_number", "dataset_id", "day")
FORMATS = ("terminal", "markdown", "json")
BAR_WIDTH = 20
SPARKS = "▁▂▃▄▅▆▇█"
HTML_MODULE = "respan_evals.cli._report_html"
_EPSILON = 1e-9  # a rate exactly at the threshold passes, whatever the float rounding


@dataclass(frozen=True)
class GateFailure:
    """One group that fails the gate, and why (one sentence)."""

    key: tuple[str, ...]
    reason: str

    @property
    def label(self) -> str:
        return label(self.key)


@dataclass(frozen=True)
class ReportData:
    """What one report shows: both sets, their filters, the comparison and the gate."""

    current: Summary
    current_filters: dict[str, Any]
    baseline: Summary | None = None
    baseline_filters: dict[str, Any] | None = None
    comparison: Comparison | None = None
    fail_under: float | None = None
    max_regression: float | None = None  # percentage points
    significant_only: bool = False
    failures: tuple[GateFailure, ...] = ()

    @property
    def gated(self) -> bool:
        return self.fail_under is not None or self.max_regression is not None


def label(key: Sequence[str]) -> str:
    """A group's name: its values joined, `quality` or `quality / production`."""
    return " / ".join(key) or "all"


def parse_rate(text: str) -> float:
    """--fail-under: `0.9` (a fraction, 0 to 1) or `90%`; anything else is ambiguous.

    >>> parse_rate("0.9"), parse_rate("90%"), parse_rate("1")
    (0.9, 0.9, 1.0)
    """
    raw = text.strip()
    percent = raw.endswith("%")
    try:
        number = float(raw.removesuffix("%").strip())
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a rate: write 0.9 or 90%") from None
    rate = number / 100 if percent else number
    if not 0 <= rate <= 1 or rate != rate:
        hint = f" (did you mean {number:g}%?)" if not percent and 1 < number <= 100 else ""
        raise click.BadParameter(f"{text!r} is not between 0 and 1 (or 0% and 100%){hint}")
    return rate


def parse_points(text: str) -> float:
    """--max-regression: percentage points of pass rate, `5` (or `5pp`, `5%`): 0.05 of rate.

    >>> parse_points("5"), parse_points("2.5pp"), parse_points("5%")
    (5.0, 2.5, 5.0)
    """
    raw = text.strip().removesuffix("pp").removesuffix("%").strip()
    try:
        points = float(raw)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a number of points, e.g. 5") from None
    if not 0 <= points <= 100:
        raise click.BadParameter(f"{text!r} is not between 0 and 100 points")
    return points


def gate_failures(
    current: Summary,
    comparison: Comparison | None,
    *,
    fail_under: float | None,
    max_regression: float | None,
    significant_only: bool = False,
) -> tuple[GateFailure, ...]:
    """Every group that fails --fail-under or --max-regression, in key order."""
    if fail_under is None and max_regression is None:
        return ()
    if not current.groups:
        return (GateFailure((), "no scores matched the current filter: nothing to gate on"),)
    found: list[GateFailure] = []
    if fail_under is not None:
        for group in current.groups:
            if group.pass_rate is not None and group.pass_rate < fail_under - _EPSILON:
                found.append(
                    GateFailure(
                        group.key,
                        f"pass rate {group.pass_rate:.1%} is under {fail_under:.1%}"
                        f" ({group.passed}/{group.passed + group.failed} passed)",
                    )
                )
    if max_regression is not None and comparison is not None:
        for change in comparison.groups:
            delta = change.pass_rate_delta
            if delta is None or -delta * 100 <= max_regression + _EPSILON:
                continue
            if significant_only and not change.significant:
                continue
            before = _rate(change.baseline)
            after = _rate(change.current)
            noise = "larger than noise" if change.significant else "within noise"
            found.append(
                GateFailure(
                    change.key,
                    f"pass rate fell {-delta * 100:.1f} points ({before} to {after}; {noise}), "
                    f"more than the {max_regression:g} allowed",
                )
            )
    return tuple(sorted(found, key=lambda f: f.key))


def _rate(group: GroupSummary | None) -> str:
    if group is None or group.pass_rate is None:
        return "n/a"
    return f"{group.pass_rate:.1%}"


def build_report(
    client: Respan,
    current_filters: Mapping[str, Any],
    *,
    by: Sequence[str] = ("evaluator",),
    baseline_filters: Mapping[str, Any] | None = None,
    fail_under: float | None = None,
    max_regression: float | None = None,
    significant_only: bool = False,
) -> ReportData:
    """Stream and summarise the current set (and the baseline), then apply the gate."""
    current = summarize(iter_export_rows(client, current_filters), by=by)
    baseline = comparison = None
    if baseline_filters is not None:
        baseline = summarize(iter_export_rows(client, baseline_filters), by=by)
        comparison = current.compare(baseline)
    failures = gate_failures(
        current,
        comparison,
        fail_under=fail_under,
        max_regression=max_regression,
        significant_only=significant_only,
    )
    return ReportData(
        current=current,
        current_filters=dict(current_filters),
        baseline=baseline,
        baseline_filters=None if baseline_filters is None else dict(baseline_filters),
        comparison=comparison,
        fail_under=fail_under,
        max_regression=max_regression,
        significant_only=significant_only,
        failures=failures,
    )


# --- what a row shows, shared by the terminal and the Markdown --------------------------------


def _rows(data: ReportData) -> list[tuple[GroupSummary | None, GroupChange | None]]:
    """(current, change) per group: the comparison's groups (both sets) or the current ones."""
    if data.comparison is None:
        return [(group, None) for group in data.current.groups]
    return [(change.current, change) for change in data.comparison.groups]


def _key(group: GroupSummary | None, change: GroupChange | None) -> tuple[str, ...]:
    if change is not None:
        return change.key
    assert group is not None  # a row has one or the other
    return group.key


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3g}"


def distribution(group: GroupSummary) -> str:
    """The value type's natural statistics in a few words."""
    if group.numbers is not None and group.numbers.count:
        n = group.numbers
        return (
            f"mean {_number(n.mean)}, median {_number(n.median)}, "
            f"p10-p90 {_number(n.p10)}-{_number(n.p90)}, min-max {_number(n.min)}-{_number(n.max)}"
        )
    if group.share_true is not None:
        return f"{group.share_true:.0%} true"
    if group.choices:
        ranked = sorted(group.choices.items(), key=lambda item: (-item[1], item[0]))
        shown = ", ".join(f"{name} {count}" for name, count in ranked[:5])
        return shown + (f", +{len(ranked) - 5} more" if len(ranked) > 5 else "")
    return "-"


def _change(change: GroupChange | None) -> str:
    if change is None or change.pass_rate_delta is None:
        return "-"
    flag = "significant" if change.significant else "noise"
    return f"{change.pass_rate_delta * 100:+.1f} pts ({flag})"


def _methods(data: ReportData) -> str | None:
    if data.comparison is None:
        return None
    methods = sorted({c.method for c in data.comparison.groups if c.method})
    return "; ".join(methods) or None


def _gate_rule(data: ReportData) -> str:
    parts = []
    if data.fail_under is not None:
        parts.append(f"pass rate at least {data.fail_under:.1%}")
    if data.max_regression is not None:
        noise = " (and larger than noise)" if data.significant_only else ""
        parts.append(f"no fall of more than {data.max_regression:g} points{noise}")
    return "; ".join(parts)


# --- terminal ------------------------------------------------------------------------------------


def _bar(rate: float | None, failing: bool) -> Text:
    if rate is None:
        return Text("")
    filled = round(rate * BAR_WIDTH)
    bar = Text("█" * filled, style="red" if failing else "green")
    bar.append("░" * (BAR_WIDTH - filled), style="dim")
    return bar


def _sparkline(group: GroupSummary) -> str:
    """The histogram as one line of block characters (numbers only)."""
    if group.numbers is None or not group.numbers.histogram:
        return ""
    counts = [count for _, _, count in group.numbers.histogram]
    top = max(counts) or 1
    return "".join(SPARKS[round(c / top * (len(SPARKS) - 1))] if c else " " for c in counts)


def print_report(output: Output, data: ReportData) -> None:
    """The report as a rich table on stdout, then the gate's verdict."""
    failing = {f.key for f in data.failures}
    by = data.current.by
    columns = [*by, "type", "scores", "passed", "pass rate", "95% CI", "", "distribution"]
    if data.comparison is not None:
        columns[-1:-1] = ["baseline", "change"]
    if data.gated:
        columns.append("gate")
    rows: list[list[object]] = []
    for group, change in _rows(data):
        key = _key(group, change)
        row: list[object] = list(key)
        if group is None:
            row += ["-", 0, "-", Text("not in current", style="dim"), "-", ""]
        else:
            judged = group.passed + group.failed
            rate = group.pass_rate
            interval = group.pass_rate_interval
            row += [
                group.value_type or "-",
                group.count,
                f"{group.passed}/{judged}" if judged else Text("no pass/fail", style="dim"),
                f"{rate:.0%}" if rate is not None else Text("n/a", style="dim"),
                f"{interval[0]:.0%}-{interval[1]:.0%}" if interval else "-",
                _bar(rate, key in failing),
            ]
        if data.comparison is not None:
            baseline = change.baseline if change is not None else None
            row += [_rate(baseline), _change(change)]
        spark = _sparkline(group) if group is not None else ""
        row.append((spark + "  " if spark else "") + (distribution(group) if group else "-"))
        if data.gated:
            row.append(Text("FAIL", style="bold red") if key in failing else Text("ok"))
        rows.append(row)
    output.table(columns, rows, numeric=("scores", "passed", "pass rate", "baseline"))
    methods = _methods(data)
    if methods:
        output.line(f"change: points of pass rate; significant by {methods}", style="dim")
    if data.gated:
        if data.failures:
            output.line(f"Gate failed ({_gate_rule(data)}):", style="bold red")
            for failure in data.failures:
                output.line(f"  {failure.label}: {failure.reason}", style="red")
        else:
            output.line(f"Gate passed ({_gate_rule(data)}).", style="green")


# --- Markdown -------------------------------------------------------------------------------------


def _md(text: object) -> str:
    """A table cell: pipes escaped, no line breaks."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _md_code(text: str) -> str:
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def markdown_report(data: ReportData, *, title: str = "Eval report") -> str:
    """The report as GitHub-flavoured Markdown (a step summary or a pull-request comment)."""
    failing = {f.key for f in data.failures}
    by = data.current.by
    lines = [f"## {title}", ""]
    sets = [f"**Current:** {_count(data.current)}, filter {_filter_text(data.current_filters)}"]
    if data.baseline is not None and data.baseline_filters is not None:
        sets.append(
            f"**Baseline:** {_count(data.baseline)}, filter {_filter_text(data.baseline_filters)}"
        )
    lines += ["  \n".join(sets), ""]
    if data.gated:
        if data.failures:
            lines.append(f"**:x: Gate failed** ({_md(_gate_rule(data))}):")
            lines += [f"- {_md_code(f.label)}: {f.reason}" for f in data.failures]
        else:
            lines.append(f"**:white_check_mark: Gate passed** ({_md(_gate_rule(data))}).")
        lines.append("")
    columns = [*by, "type", "scores", "passed", "pass rate", "95% CI"]
    if data.comparison is not None:
        columns += ["baseline", "change"]
    columns.append("distribution")
    if data.gated:
        columns.append("gate")
    right = {"scores", "passed", "pass rate", "95% CI", "baseline", "change"}
    lines.append("| " + " | ".join(columns) + " |")
    lines.append("|" + "|".join("--:" if c in right else "---" for c in columns) + "|")
    for group, change in _rows(data):
        key = _key(group, change)
        cells: list[str] = list(key)
        if group is None:
            cells += ["-", "0", "-", "not in current", "-"]
        else:
            judged = group.passed + group.failed
            interval = group.pass_rate_interval
            cells += [
                group.value_type or "-",
                f"{group.count:,}",
                f"{group.passed}/{judged}" if judged else "-",
                f"{group.pass_rate:.1%}" if group.pass_rate is not None else "n/a",
                f"{interval[0]:.1%}-{interval[1]:.1%}" if interval else "-",
            ]
        if data.comparison is not None:
            cells += [_rate(change.baseline if change else None), _change(change)]
        cells.append(distribution(group) if group is not None else "-")
        if data.gated:
            cells.append(":x: fail" if key in failing else "ok")
        lines.append("| " + " | ".join(_md(c) for c in cells) + " |")
    methods = _methods(data)
    lines.append("")
    note = "Pass rate: passed / (passed + failed), with a Wilson 95% interval."
    if methods:
        note += f" Change: points of pass rate; significant by {methods}."
    lines.append(f"<sub>{_md(note)}</sub>")
    return "\n".join(lines) + "\n"


def _count(summary: Summary) -> str:
    total = sum(group.count for group in summary.groups)
    return f"{total:,} score{'' if total == 1 else 's'}"


def _filter_text(flt: Mapping[str, Any]) -> str:
    if not flt:
        return "none (every score)"
    return _md_code(json.dumps(flt, ensure_ascii=False, separators=(",", ":")))


# --- JSON -----------------------------------------------------------------------------------------


def report_json(data: ReportData) -> dict[str, Any]:
    """The report as JSON: both summaries, the comparison and the gate."""
    return {
        "by": list(data.current.by),
        "current": {"filters": data.current_filters, "summary": data.current.to_dict()},
        "baseline": None
        if data.baseline is None
        else {"filters": data.baseline_filters, "summary": data.baseline.to_dict()},
        "comparison": None if data.comparison is None else data.comparison.to_dict(),
        "gate": {
            "fail_under": data.fail_under,
            "max_regression_points": data.max_regression,
            "significant_only": data.significant_only,
            "passed": not data.failures,
            "exit_code": EXIT_GATE_FAILED if data.failures else 0,
            "failures": [
                {"group": list(f.key), "label": f.label, "reason": f.reason} for f in data.failures
            ],
        },
    }


# --- the command ----------------------------------------------------------------------------------


def _with_environment(
    flt: dict[str, Any], environments: Sequence[str], option: str
) -> dict[str, Any]:
    if not environments:
        return flt
    if "environment" in flt:
        raise CliError(
            f"the filter already has a condition on environment; give it once ({option} or "
            "the filter JSON)",
            exit_code=2,
        )
    extra = (
        filters(environment=environments[0])
        if len(environments) == 1
        else condition("environment", "in", list(environments))
    )
    return {**flt, **extra}


def baseline_filters(
    current: Mapping[str, Any], baseline_json: str | None, environments: Sequence[str]
) -> dict[str, Any] | None:
    """The current filter with the baseline's conditions in place of those on the same fields."""
    if baseline_json is None and not environments:
        return None
    try:
        own = build_filters(baseline_json, (), ())
    except CliError as e:
        raise CliError(str(e).replace("--filter", "--baseline"), exit_code=e.exit_code) from None
    own = _with_environment(own, environments, "--baseline-environment")
    return {**current, **own}


def write_html(path: Path, data: ReportData) -> None:
    """--html: the page with charts, by `respan_evals.cli._report_html` (the `report` extra)."""
    try:
        module = importlib.import_module(HTML_MODULE)
        module.write_html(path, data.current, data.comparison)
    except ImportError as e:
        if e.name == HTML_MODULE:
            raise CliError("--html is not available in this version", exit_code=2) from None
        raise CliError(
            f"--html needs the report extra ({e.name or e}): pip install 'respan-evals[report]'",
            exit_code=EXIT_MISSING_EXTRA,
        ) from None


@click.command("report", short_help="Pass rates per evaluator, against a baseline; a CI gate.")
@click.option("--filter", "filter_json", metavar="JSON", help="A filter object for the scores.")
@click.option(
    "--evaluator", "evaluators", multiple=True, metavar="SLUG", help="Scores of this evaluator."
)
@click.option(
    "--environment", "environments", multiple=True, metavar="ENV", help="Scores of this env."
)
@click.option(
    "--by",
    "by",
    multiple=True,
    type=click.Choice(BY_FIELDS),
    help="Group by this field (repeat for several) [default: evaluator].",
)
@click.option(
    "--baseline",
    "baseline_json",
    metavar="FILTER_JSON",
    help="Compare with the scores this filter matches (put over the current filter).",
)
@click.option(
    "--baseline-environment",
    "baseline_environments",
    multiple=True,
    metavar="ENV",
    help="Compare with this environment's scores (the rest of the filter as the current's).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="terminal",
    show_default=True,
    help="terminal: a table with bars; markdown: for $GITHUB_STEP_SUMMARY; json: for scripts.",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write a self-contained HTML page with charts (needs respan-evals[report]).",
)
@click.option(
    "--fail-under",
    metavar="RATE",
    help="Exit 4 when a group's pass rate is below RATE: 0.9 or 90%.",
)
@click.option(
    "--max-regression",
    metavar="POINTS",
    help="Exit 4 when a group's pass rate fell more than POINTS percentage points (5 = 0.05) "
    "from the baseline.",
)
@click.option(
    "--significant-only",
    is_flag=True,
    help="--max-regression counts only falls the comparison calls larger than noise.",
)
@click.pass_obj
def report_command(
    settings: Settings,
    filter_json: str | None,
    evaluators: tuple[str, ...],
    environments: tuple[str, ...],
    by: tuple[str, ...],
    baseline_json: str | None,
    baseline_environments: tuple[str, ...],
    fmt: str,
    html_path: Path | None,
    fail_under: str | None,
    max_regression: str | None,
    significant_only: bool,
) -> int:
    """Summarise the matching scores per evaluator; compare with a baseline; gate CI on it.

    \b
    The baseline is the current filter with --baseline's conditions (and
    --baseline-environment) put in place of those on the same fields.
    Pass rate: passed / (passed + failed) from each score's is_passed, with a
    Wilson 95% interval; groups with no passing conditions show n/a and are not gated.

    \b
    Exit codes: 0 done (and the gate passed); 4 the gate failed (--fail-under,
    --max-regression, or no scores matched with a gate set): the failing groups
    are named on stderr and in the report; 1 and 2 as for every command.
    """
    rate = _parsed(parse_rate, fail_under, "--fail-under")
    points = _parsed(parse_points, max_regression, "--max-regression")
    current = _with_environment(
        build_filters(filter_json, evaluators, ()), environments, "--environment"
    )
    baseline = baseline_filters(current, baseline_json, baseline_environments)
    if points is not None and baseline is None:
        raise CliError(
            "--max-regression needs a baseline: --baseline FILTER_JSON or --baseline-environment",
            exit_code=2,
        )
    with settings.client() as client:
        data = build_report(
            client,
            current,
            by=by or ("evaluator",),
            baseline_filters=baseline,
            fail_under=rate,
            max_regression=points,
            significant_only=significant_only,
        )
    output = settings.output
    if fmt == "json":
        output.json(report_json(data))
    elif fmt == "markdown":
        sys.stdout.write(output.redact(markdown_report(data)))
        sys.stdout.flush()
    else:
        print_report(output, data)
    if html_path is not None:
        write_html(html_path, data)
        output.note(f"wrote {html_path}")
    if data.failures:
        reasons = "; ".join(f"{f.label}: {f.reason}" for f in data.failures)
        output.error(f"gate failed (exit {EXIT_GATE_FAILED}): {reasons}")
        return EXIT_GATE_FAILED
    return 0


def _parsed(parse: Callable[[str], float], text: str | None, option: str) -> float | None:
    if text is None:
        return None
    try:
        return parse(text)
    except click.BadParameter as e:
        raise CliError(f"{option}: {e.format_message()}", exit_code=2) from None
