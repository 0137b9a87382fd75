from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests import _openapi

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    return _openapi.load(ROOT / "openapi.yaml")
