from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    with (ROOT / "openapi.yaml").open() as f:
        loaded: dict[str, Any] = yaml.safe_load(f)
    return loaded
