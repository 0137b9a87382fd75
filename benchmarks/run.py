"""Run the respan-evals benchmarks and print one table (also written as JSON).

    python benchmarks/run.py [--quick] [--json PATH] [--only startup,overhead,memory,...]

Benchmarks measure; they never assert speeds. Figures are medians of interleaved runs; on a
noisy machine compare ratios, not absolute times. The official SDK (respan-api 0.1.46, the
`bench` extra) is optional: without it its rows say so.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import bench_bulk  # noqa: E402
import bench_emulator  # noqa: E402
import bench_export  # noqa: E402
import bench_memory  # noqa: E402
import bench_outbox  # noqa: E402
import bench_overhead  # noqa: E402
import bench_startup  # noqa: E402
from bench_common import Row, Section, machine  # noqa: E402

DEFAULT_JSON = HERE / "results" / "latest.json"
SECTIONS = ("startup", "overhead", "memory", "bulk", "outbox", "emulator", "export")

FULL: dict[str, dict[str, Any]] = {
    "startup": {"runs": 15, "importtime_runs": 5},
    "overhead": {"calls": 400, "rounds": 21, "profile_calls": 1000},
    "memory": {"clients": 8, "rounds": 3},
    "bulk": {"rows": 3000, "rate_limit": 6000.0, "concurrency": 8, "latency": (0.02, 0.06)},
    "outbox": {"latency_rows": 5000, "threads": 4, "drain_rows": 220, "rate_limit": 600.0},
    "emulator": {
        "requests": 300,
        "rounds": 15,
        "concurrency": 4,
        "warmup": 2000,
        "prism": True,
        "prism_timeout": 180.0,
    },
    "export": {"total_rows": 100_000, "mark": 10_000, "timed_rounds": 3},
}
QUICK: dict[str, dict[str, Any]] = {
    "startup": {"runs": 3, "importtime_runs": 1},
    "overhead": {"calls": 200, "rounds": 3, "profile_calls": 100},
    "bulk": {
        "rows": 1000,
        "rate_limit": 3000.0,
        "concurrency": 8,
        "ceiling_rows": 500,
        "latency": (0.02, 0.06),
    },
    "memory": {"clients": 3, "rounds": 1},
    "outbox": {"latency_rows": 1000, "threads": 4, "drain_rows": 160, "rate_limit": 600.0},
    "emulator": {
        "requests": 200,
        "rounds": 5,
        "concurrency": 4,
        "warmup": 2000,
        "prism": True,
        "prism_timeout": 180.0,
    },
    "export": {"total_rows": 20_000, "mark": 5_000, "timed_rounds": 1},
}
RUNNERS = {
    "startup": bench_startup.run,
    "overhead": bench_overhead.run,
    "memory": bench_memory.run,
    "bulk": bench_bulk.run,
    "outbox": bench_outbox.run,
    "emulator": bench_emulator.run,
    "export": bench_export.run,
}


def run_all(
    config: dict[str, dict[str, Any]], only: tuple[str, ...] = SECTIONS, log: Any = print
) -> dict[str, Any]:
    """Run the chosen sections; a section that fails becomes one row saying why."""
    sections: list[Section] = []
    started = time.time()
    load_at_start = os.getloadavg() if hasattr(os, "getloadavg") else None
    for name in only:
        log(f"[{name}] running ...", file=sys.stderr)
        t0 = time.perf_counter()
        try:
            sec = RUNNERS[name](**config[name])
        except Exception as exc:
            sec = Section(name)
            sec.row(
                f"{name}: could not run",
                None,
                "",
                met=False,
                note=f"{type(exc).__name__}: {exc}"[:500],
            )
            sec.details["error"] = repr(exc)
        sec.details["seconds"] = round(time.perf_counter() - t0, 1)
        log(f"[{name}] done in {sec.details['seconds']} s", file=sys.stderr)
        sections.append(sec)
    rows = [r for s in sections for r in s.rows]
    info = machine()
    info["loadavg_at_start"] = load_at_start
    info["loadavg_at_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
        "machine": info,
        "config": config,
        "rows": [r.as_dict() for r in rows],
        "targets": {
            "met": sum(r.met is True for r in rows),
            "missed": sum(r.met is False for r in rows),
        },
        "details": {s.name: s.details for s in sections},
    }


def _fmt_value(r: Row) -> str:
    if r.value is None:
        return "n/a"
    v = r.value
    text = f"{v:,.0f}" if isinstance(v, float) and abs(v) >= 1000 else f"{v:g}"
    return f"{text} {r.unit}".strip()


def _load(avg: Any) -> str:
    return "n/a" if not avg else f"{avg[0]:.1f}"


def format_table(result: dict[str, Any]) -> str:
    rows = [Row(**r) for r in result["rows"]]
    head = ("what", "value", "target", "met")
    body = [
        (r.what, _fmt_value(r), r.target or "-", {True: "yes", False: "NO", None: "-"}[r.met])
        for r in rows
    ]
    widths = [max(len(x[i]) for x in [head, *body]) for i in range(4)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    out = [line(head), line(tuple("-" * w for w in widths))]
    out += [line(b) for b in body]
    m = result["machine"]
    out.append("")
    out.append(
        f"machine: {m['nproc']} cpus, {m['cpu_model']}, Python {m['python']}, "
        f"httpx {m['httpx']}, respan-api {m['respan_api'] or 'not installed'}; load average "
        f"{_load(m.get('loadavg_at_start'))} at start, {_load(m.get('loadavg_at_end'))} at end"
    )
    notes = [r for r in rows if r.note and r.note != "reference"]
    if notes:
        out.append("")
        out.append("notes:")
        for r in notes:
            mark = "MISSED " if r.met is False else ""
            out.append(f"  - {mark}{r.what}: {r.note}")
    t = result["targets"]
    out.append("")
    out.append(f"targets met: {t['met']}, missed: {t['missed']}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small counts (a smoke run)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help=f"default {DEFAULT_JSON}")
    parser.add_argument(
        "--only", default=",".join(SECTIONS), help="comma-separated sections: " + ",".join(SECTIONS)
    )
    args = parser.parse_args(argv)
    only = tuple(s.strip() for s in args.only.split(",") if s.strip())
    unknown = [s for s in only if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown sections: {', '.join(unknown)}")
    config = QUICK if args.quick else FULL
    result = run_all(config, only)
    result["mode"] = "quick" if args.quick else "full"
    print(format_table(result))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nwritten: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
