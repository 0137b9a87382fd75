"""Local emulator of Respan's Scores & Evaluators API, for tests, cassettes and benchmarks.

Needs the `respan-evals[emulator]` extra (starlette, uvicorn, openapi-core). Names are
imported lazily so that `import respan_evals.testing` (e.g. by the pytest plugin) works
without the extra until an emulator is actually created.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._faults import FaultPlan, FaultRecord

if TYPE_CHECKING:
    from ._emulator import Emulator, RequestRecord, Violation, emulator

__all__ = ["Emulator", "FaultPlan", "FaultRecord", "RequestRecord", "Violation", "emulator"]

_LAZY = {"Emulator", "RequestRecord", "Violation", "emulator"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = importlib.import_module("._emulator", __name__)
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
