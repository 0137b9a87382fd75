"""The examples in the outbox's docstrings run as written."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import respan_evals._outbox as package

MODULES = [m.name for m in pkgutil.iter_modules(package.__path__, package.__name__ + ".")]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0
