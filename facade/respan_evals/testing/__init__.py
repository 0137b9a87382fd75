"""Local emulator of Respan's Scores & Evaluators API, for tests, cassettes and benchmarks.

Needs the `respan-evals[emulator]` extra (starlette, h11, openapi-core, jsonschema-rs,
PyYAML). Names are imported lazily so that `import respan_evals.testing` (e.g. by the pytest
plugin) works without the extra; `from respan_evals.testing import Emulator` without it raises an
ImportError that says what to install.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._faults import FaultPlan, FaultRecord

if TYPE_CHECKING:
    from ._emulator import Emulator, RequestRecord, Violation, emulator

__all__ = [
    "EXTRA_HINT",
    "Emulator",
    "FaultPlan",
    "FaultRecord",
    "RequestRecord",
    "Violation",
    "emulator",
]

EXTRA_HINT = "pip install 'respan-evals[emulator]'"
_LAZY = {"Emulator", "RequestRecord", "Violation", "emulator"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        try:
            module = importlib.import_module("._emulator", __name__)
        except ModuleNotFoundError as exc:
            if (exc.name or "").partition(".")[0] in ("respan_evals", "respan_evals_api"):
                raise  # our own module is missing: not a matter of the extra
            raise ImportError(
                f"respan_evals.testing.{name} needs the emulator extra ({exc.name} is not "
                f"installed): {EXTRA_HINT}",
                name=exc.name,
            ) from exc
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
