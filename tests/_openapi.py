"""openapi.yaml as the tests read it: parsed as the emulator parses it (libyaml, when PyYAML
has it: about 8x faster), as a fresh dict each time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from respan_evals.testing._spec import parse_yaml as parse

__all__ = ["PATH", "load", "parse"]

PATH = Path(__file__).resolve().parents[1] / "openapi.yaml"


def load(path: Path = PATH) -> dict[str, Any]:
    """The spec (or another YAML file) as a fresh dict: callers may change it."""
    loaded: dict[str, Any] = parse(path.read_bytes())
    return loaded
