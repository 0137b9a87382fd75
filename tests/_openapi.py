"""openapi.yaml as the tests read it: parsed as the emulator parses it (libyaml, when PyYAML
has it: about 8x faster), as a fresh dict each time."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from respan_evals.testing._spec import parse_yaml as parse

__all__ = ["PATH", "load", "parse"]

PATH = Path(__file__).resolve().parents[1] / "openapi.yaml"

# Each file's bytes and its parse, pickled: a fresh copy comes from pickle in a few ms, where
# parsing the spec again takes about 100 (two dozen modules and tests load it, per worker).
_parsed: dict[Path, tuple[bytes, bytes]] = {}


def load(path: Path = PATH) -> dict[str, Any]:
    """The spec (or another YAML file) as a fresh dict: callers may change it."""
    text = path.read_bytes()
    cached = _parsed.get(path)
    if cached is None or cached[0] != text:
        cached = _parsed[path] = (text, pickle.dumps(parse(text), pickle.HIGHEST_PROTOCOL))
    loaded: dict[str, Any] = pickle.loads(cached[1])
    return loaded
