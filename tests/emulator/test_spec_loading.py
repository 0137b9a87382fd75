"""The emulator parses openapi.yaml with libyaml when it can: the same document as PyYAML's."""

from __future__ import annotations

import pytest
import yaml

from respan_evals.testing._spec import parse_yaml
from tests import _openapi


def test_the_fast_loader_reads_the_spec_as_the_safe_loader_does() -> None:
    text = _openapi.PATH.read_text(encoding="utf-8")
    assert parse_yaml(text) == yaml.safe_load(text)


def test_the_fast_loader_is_as_safe() -> None:
    with pytest.raises(yaml.YAMLError):
        parse_yaml("!!python/object/apply:os.system ['true']")
