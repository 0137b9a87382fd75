"""The package version: a constant (reading the installed metadata costs start-up time).

Keep it equal to `version` in pyproject.toml (tests/unit/test_client.py checks it).
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
