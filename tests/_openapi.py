"""openapi.yaml as the tests read it: parsed with libyaml when PyYAML has it (7x faster)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

PATH = Path(__file__).resolve().parents[1] / "openapi.yaml"
# The same safe subset of YAML either way; libyaml only parses it faster than pure Python.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str | bytes) -> Any:
    """A YAML document, loaded safely."""
    return yaml.load(text, Loader=_LOADER)


def load(path: Path = PATH) -> dict[str, Any]:
    """The spec (or another YAML file) as a fresh dict: callers may change it."""
    loaded: dict[str, Any] = parse(path.read_bytes())
    return loaded
