"""scripts/check-docs for the tests: its package importable, its main() callable in-process."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check-docs"
# The published pages as captured, next to the repository when the machine has them.
CAPTURED = ROOT.parent / "shared" / "api-docs" / "captured"  # tests/conftest.py says if absent
NEEDS_CAPTURED = "needs_captured_pages"

if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))


def load_script() -> ModuleType:
    """scripts/check-docs as a module (it has no .py suffix)."""
    if "check_docs_script" in sys.modules:
        return sys.modules["check_docs_script"]
    loader = importlib.machinery.SourceFileLoader("check_docs_script", str(SCRIPT))
    spec = importlib.util.spec_from_loader("check_docs_script", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    sys.modules["check_docs_script"] = module
    return module


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{NEEDS_CAPTURED}: runs on ../shared/api-docs/captured")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # CI clones the repository alone: without the captured pages that test is deselected
    # (tests/conftest.py says so in the summary), never skipped silently; the parser's own
    # tests still run.
    if CAPTURED.is_dir():
        return
    dropped = [item for item in items if item.get_closest_marker(NEEDS_CAPTURED)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]
