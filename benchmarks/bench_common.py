"""Shared helpers: result rows, medians, machine description, spec examples, optional SDK."""

from __future__ import annotations

import functools
import os
import platform
import statistics
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"
NOT_INSTALLED = "not installed (pip install -e '.[bench]')"


@dataclass
class Row:
    """One line of the table: what was measured, the figure, the target and whether it was met.

    met is True/False, or None when there is no target (a reference figure) or the figure could
    not be taken (then `note` says why).
    """

    section: str
    what: str
    value: float | None
    unit: str
    target: str = ""
    met: bool | None = None
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Section:
    """What one measurement returns: its table rows and the raw figures behind them."""

    name: str
    rows: list[Row] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def row(
        self,
        what: str,
        value: float | None,
        unit: str,
        target: str = "",
        met: bool | None = None,
        note: str = "",
    ) -> Row:
        r = Row(self.name, what, value, unit, target, met, note)
        self.rows.append(r)
        return r


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def official_sdk_available() -> bool:
    """The official SDK (respan-api 0.1.46) is a benchmark-only extra; it may be absent."""
    try:
        import importlib.util

        return importlib.util.find_spec("respan") is not None and _official_has_scores()
    except Exception:
        return False


def _official_has_scores() -> bool:
    import importlib.util

    return importlib.util.find_spec("respan.scores") is not None


def official_sdk_version() -> str | None:
    try:
        from importlib.metadata import version

        return version("respan-api")
    except Exception:
        return None


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import httpx

    return {
        "nproc": os.cpu_count(),
        "sched_affinity": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else None,
        "cpu_model": cpu,
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "httpx": httpx.__version__,
        "respan_api": official_sdk_version(),
    }


@functools.lru_cache(maxsize=1)
def _spec() -> dict[str, Any]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with SPEC.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=loader)


def spec_example(path: str, method: str, status: str, name: str = "docs") -> Any:
    """The documented example body of one response in openapi.yaml."""
    op = _spec()["paths"][path][method]
    return op["responses"][status]["content"]["application/json"]["examples"][name]["value"]
