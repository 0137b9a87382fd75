"""The run's findings as text: per operation what differs, then one summary line."""

from __future__ import annotations

from typing import TextIO

from docs_check.check import Outcome
from docs_check.page import Unreadable


def write(outcome: Outcome, out: TextIO, *, show_allowed: bool) -> None:
    """Per operation its differences (allowlisted ones counted, or listed with reasons)."""
    for one in outcome.checked:
        open_ = [d for d in one.differences if d.allowed is None]
        allowed = [d for d in one.differences if d.allowed is not None]
        if not open_ and not one.unreadable and not (show_allowed and allowed):
            continue
        out.write(f"{one.op.label()}: {one.source}\n")
        if one.note:
            out.write(f"  ({one.note})\n")
        for difference in open_:
            out.write(f"  - {difference.message}\n")
        _unreadable(one.unreadable, out)
        if show_allowed:
            for difference in allowed:
                out.write(f"  allowed: {difference.message}\n    because: {difference.allowed}\n")
        elif allowed:
            out.write(f"  ({len(allowed)} known deviations allowed; --show-allowed lists them)\n")
    for source, why, lines in outcome.unmatched:
        out.write(f"{source}: matches no operation: {why}\n")
        _unreadable(lines, out)
    for op, why in outcome.failed:
        out.write(f"{op.label()}: {why}\n")
    if show_allowed:
        for op, why in outcome.skipped:
            out.write(f"{op.label()}: not checked, no page: {why}\n")
    quiet = sum(
        1
        for one in outcome.checked
        if not any(d.allowed is None for d in one.differences) and not one.unreadable
    )
    problems = outcome.problems()
    allowed_count = sum(
        1 for one in outcome.checked for d in one.differences if d.allowed is not None
    )
    parts = [
        f"{len(outcome.checked)} pages compared ({quiet} agree with the spec)",
        f"{problems} differences" if problems != 1 else "1 difference",
        f"{allowed_count} allowed",
    ]
    if outcome.skipped:
        parts.append(f"{len(outcome.skipped)} operations without a page (allowlisted)")
    if outcome.uncovered and outcome.checked:
        parts.append(f"{len(outcome.uncovered)} operations had no page in the folder")
    out.write("check-docs: " + ", ".join(parts) + "\n")


def _unreadable(lines: list[Unreadable], out: TextIO) -> None:
    for line in lines:
        out.write(f"  - line {line.line}: cannot read {line.text!r}: {line.why}\n")
