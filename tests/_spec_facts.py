"""scripts/spec_facts.py, loaded for the tests (scripts/ is not a package)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

PATH = Path(__file__).resolve().parents[1] / "scripts" / "spec_facts.py"


def load() -> ModuleType:
    """The module, imported once under the name `spec_facts`."""
    if "spec_facts" in sys.modules:
        return sys.modules["spec_facts"]
    spec = importlib.util.spec_from_file_location("spec_facts", PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["spec_facts"] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module
