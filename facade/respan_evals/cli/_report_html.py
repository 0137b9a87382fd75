"""`report --html PATH`: one self-contained page with a pass-rate chart and a histogram per group.

The charts are matplotlib's, rendered here to SVG and written inline: the page loads nothing (no
script, no font, no image from anywhere), so it opens offline, attached to a CI run or a mail.
SVG text is left as text (`svg.fonttype: none`), which keeps each chart a few kilobytes; the
browser draws it in its own sans-serif. matplotlib comes with the `report` extra and is imported
only when a page is written.

Each group (an evaluator, or an evaluator in an environment, per `Summary.by`) gets a card: its
pass rate with the Wilson interval, the baseline's beside it when there is one, and for numbers
a histogram of the current set over the baseline's (as shares of each set's count, so sets of
different sizes compare). A table below holds every number the charts show.
"""

from __future__ import annotations

import html
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._context import CliError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from respan_evals._summary import (
        Comparison,
        GroupChange,
        GroupSummary,
        NumberStats,
        Summary,
    )

CURRENT = "#2b6cb0"  # the current set, everywhere on the page
BASELINE = "#a0aec0"  # the baseline set
ERROR = "#1a202c"  # interval whiskers
INSTALL_HINT = "the HTML report needs matplotlib: pip install 'respan-evals[report]'"


def write_html(path: Path, summary: Summary, comparison: Comparison | None) -> None:
    """Write the report page for `summary` (against `comparison`'s baseline, if given) to `path`."""
    rows = list(_rows(summary, comparison))
    path.write_text(render_html(rows, by=summary.by, has_baseline=comparison is not None))


def _rows(summary: Summary, comparison: Comparison | None) -> Iterator[GroupChange]:
    """One row per group: the comparison's, or the summary's groups with no baseline."""
    if comparison is not None:
        yield from comparison.groups
        return
    from respan_evals import GroupChange

    for group in summary.groups:
        yield GroupChange(
            key=group.key,
            current=group,
            baseline=None,
            pass_rate_delta=None,
            mean_delta=None,
            significant=False,
            method="",
        )


def _label(key: Sequence[str]) -> str:
    return " · ".join(key) or "(all)"


def render_html(rows: Sequence[GroupChange], *, by: Sequence[str], has_baseline: bool) -> str:
    """The whole page as text."""
    charts = _Charts()
    cards = "\n".join(_card(row, charts, has_baseline) for row in rows)
    legend = f'<span class="swatch" style="background:{CURRENT}"></span>current'
    if has_baseline:
        legend += f' <span class="swatch" style="background:{BASELINE}"></span>baseline'
    grouped = html.escape(", ".join(by)) or "nothing"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>respan-evals report</title>
<style>{_CSS}</style>
</head>
<body>
<header><h1>Eval report</h1><p>{len(rows)} group(s) by {grouped} &nbsp; {legend}</p></header>
<main class="cards">
{cards or "<p>No scores matched.</p>"}
</main>
<h2>Numbers</h2>
{_table(rows, has_baseline)}
</body>
</html>
"""


def _card(row: GroupChange, charts: _Charts, has_baseline: bool) -> str:
    parts = [f'<section class="card"><h2>{html.escape(_label(row.key))}</h2>']
    parts.append(f'<p class="line">{_headline(row, has_baseline)}</p>')
    if _pass_rates(row):
        parts.append(f'<figure class="chart pass-rate">{charts.pass_rate(row)}</figure>')
    else:
        parts.append('<p class="none">No passed/failed scores: no pass rate.</p>')
    if _numbers(row.current) or _numbers(row.baseline):
        parts.append(f'<figure class="chart histogram">{charts.histogram(row)}</figure>')
    parts.append("</section>")
    return "\n".join(parts)


def _headline(row: GroupChange, has_baseline: bool) -> str:
    current = row.current
    text = f"{current.count if current else 0} scores"
    if current is not None and current.pass_rate is not None:
        text += f", pass rate {_pct(current.pass_rate)}"
    if has_baseline:
        base = row.baseline
        text += f"; baseline {base.count if base else 0}"
        if row.pass_rate_delta is not None:
            text += f", change {_points(row.pass_rate_delta)}"
            if row.significant:
                method = html.escape(row.method)
                text += f' <strong class="sig">larger than noise</strong> ({method})'
    return text


def _pass_rates(row: GroupChange) -> bool:
    return any(g is not None and g.pass_rate is not None for g in (row.current, row.baseline))


def _numbers(group: GroupSummary | None) -> NumberStats | None:
    if group is None or group.numbers is None or not group.numbers.histogram:
        return None
    return group.numbers


class _Charts:
    """Makes the SVG charts; each gets its own id salt, so ids never clash on the page."""

    def __init__(self) -> None:
        try:
            import matplotlib  # noqa: F401  (only to fail early, with the hint)
        except ImportError as exc:
            raise CliError(INSTALL_HINT) from exc
        self._made = 0

    def pass_rate(self, row: GroupChange) -> str:
        """Horizontal bars: current (and baseline) pass rate, whiskers at the Wilson interval."""
        sides = [("current", row.current, CURRENT)]
        if row.baseline is not None or row.pass_rate_delta is not None:
            sides.insert(0, ("baseline", row.baseline, BASELINE))
        fig = _figure(height=0.5 + 0.45 * len(sides))
        ax = fig.add_subplot()
        for y, (name, group, colour) in enumerate(sides):
            rate = group.pass_rate if group is not None else None
            if rate is None:
                ax.text(0.01, y, f"{name}: no pass rate", va="center", fontsize=8)
                continue
            ax.barh(y, rate, color=colour, height=0.6)
            interval = group.pass_rate_interval if group is not None else None
            right = rate
            if interval is not None:
                low, right = interval
                ax.errorbar(
                    rate,
                    y,
                    xerr=[[rate - low], [right - rate]],
                    fmt="none",
                    ecolor=ERROR,
                    capsize=3,
                    linewidth=1,
                )
            # The figure beside the whisker, or inside the bar when there is no room to its right.
            if right < 0.88:
                ax.text(right + 0.015, y, _pct(rate), va="center", fontsize=8)
            else:
                ax.text(0.015, y, _pct(rate), va="center", fontsize=8, color="white")
        ax.set_yticks(range(len(sides)), [name for name, _, _ in sides], fontsize=8)
        ax.set_xlim(0, 1)
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0%", "25%", "50%", "75%", "100%"], fontsize=8)
        ax.set_title("pass rate (95% Wilson interval)", fontsize=9, loc="left")
        _tidy(ax)
        return self._svg(fig)

    def histogram(self, row: GroupChange) -> str:
        """The current set's bins as bars, the baseline's as an outline over them."""
        fig = _figure(height=1.9)
        ax = fig.add_subplot()
        current, baseline = _numbers(row.current), _numbers(row.baseline)
        if current is not None:
            lows, widths, shares = _bins(current)
            ax.bar(lows, shares, width=widths, align="edge", color=CURRENT, label="current")
        if baseline is not None:
            lows, widths, shares = _bins(baseline)
            edges = [*lows, lows[-1] + widths[-1]]
            ax.stairs(shares, edges, color=BASELINE, linewidth=2, label="baseline")
            ax.legend(fontsize=7, frameon=False)
        ax.set_ylim(0, ax.get_ylim()[1] * 1.08)  # headroom, so the tallest bar is not cut off
        ax.set_title("distribution (share of scores per bin)", fontsize=9, loc="left")
        ax.tick_params(labelsize=8)
        _tidy(ax)
        return self._svg(fig)

    def _svg(self, fig: Figure) -> str:
        import matplotlib

        self._made += 1
        buffer = io.StringIO()
        with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": f"chart{self._made}"}):
            fig.savefig(buffer, format="svg", metadata={"Date": None})
        text = buffer.getvalue()
        return text[text.index("<svg") :]  # drop the XML prolog and doctype: it sits in HTML


def _figure(height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(5.2, height), layout="constrained")


def _tidy(ax: Any) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _bins(stats: NumberStats) -> tuple[list[float], list[float], list[float]]:
    total = sum(count for _, _, count in stats.histogram) or 1
    lows = [low for low, _, _ in stats.histogram]
    # A bin of zero width (every value equal) still needs a visible bar.
    widths = [(high - low) or 1.0 for low, high, _ in stats.histogram]
    shares = [count / total for _, _, count in stats.histogram]
    return lows, widths, shares


def _table(rows: Sequence[GroupChange], has_baseline: bool) -> str:
    head = [
        "group",
        "set",
        "count",
        "passed",
        "failed",
        "unknown",
        "pass rate",
        "95% interval",
        "mean",
        "median",
        "p10",
        "p90",
        "min",
        "max",
        "share true",
        "choices",
    ]
    if has_baseline:
        head += ["pass-rate change", "mean change", "larger than noise"]
    lines = ["<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>"]
    for row in rows:
        sides = [("current", row.current)] + ([("baseline", row.baseline)] if has_baseline else [])
        for index, (name, group) in enumerate(sides):
            cells = [_label(row.key) if index == 0 else "", name, *_group_cells(group)]
            if has_baseline:
                cells += (
                    [
                        _points(row.pass_rate_delta),
                        _num(row.mean_delta),
                        "yes" if row.significant else "no",  # the card names the test,
                    ]
                    if index == 0
                    else ["", "", ""]
                )
            lines.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    lines.append("</tbody></table>")
    return "\n".join(lines)


def _group_cells(group: GroupSummary | None) -> list[str]:
    if group is None:
        return ["0"] + [""] * 13
    numbers = group.numbers
    interval = group.pass_rate_interval
    stats = (
        [numbers.mean, numbers.median, numbers.p10, numbers.p90, numbers.min, numbers.max]
        if numbers is not None
        else [None] * 6
    )
    choices = (
        ", ".join(f"{k}: {v}" for k, v in sorted(group.choices.items())) if group.choices else ""
    )
    return [
        str(group.count),
        str(group.passed),
        str(group.failed),
        str(group.unknown),
        _pct(group.pass_rate),
        f"{_pct(interval[0])} to {_pct(interval[1])}" if interval is not None else "",
        *(_num(value) for value in stats),
        _pct(group.share_true),
        choices,
    ]


def _pct(rate: float | None) -> str:
    return "" if rate is None else f"{rate * 100:.1f}%"


def _points(delta: float | None) -> str:
    return "" if delta is None else f"{delta * 100:+.1f} pts"


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.4g}"


_CSS = """
body { font-family: system-ui, sans-serif; margin: 24px; color: #1a202c; background: #fff; }
header p { color: #4a5568; }
.swatch { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px;
  vertical-align: middle; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 16px; }
.card { border: 1px solid #e2e8f0; border-radius: 6px; padding: 12px; }
.card h2 { font-size: 16px; margin: 0 0 4px; }
.line, .none { font-size: 13px; color: #4a5568; margin: 0 0 8px; }
.sig { color: #c53030; }
figure { margin: 0; }
figure svg { width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 12px; }
th, td { border: 1px solid #e2e8f0; padding: 3px 6px; text-align: right; }
th:first-child, td:first-child, td:nth-child(2) { text-align: left; }
"""
