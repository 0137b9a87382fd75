"""Integration tests: the facade (Respan / AsyncRespan) against the local emulator over loopback
HTTP. The `respan_emulator` fixture comes from the package's pytest plugin (strict: a response
that breaks openapi.yaml fails the test at teardown)."""

from __future__ import annotations

from typing import Any

import pytest

from respan_evals.testing import Emulator

from ._helpers import MODES


@pytest.fixture
def emu(respan_emulator: Emulator) -> Emulator:
    """The strict fixture emulator with its rate limit off."""
    respan_emulator.set_rate_limit(None)
    return respan_emulator


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    """ "sync" (Respan) or "async" (AsyncRespan)."""
    return str(request.param)


CHOICES = [
    {"name": "Good", "value": "good"},
    {"name": "Okay", "value": "okay"},
    {"name": "Bad", "value": "bad"},
]

# slug -> the evaluator's fields, one per value type.
EVALUATORS: dict[str, dict[str, Any]] = {
    "quality": {
        "name": "Quality",
        "score_value_type": "numerical",
        "score_config": {"min_score": 0, "max_score": 10},
    },
    "coverage": {"name": "Coverage", "score_value_type": "percentage"},
    "is_safe": {"name": "Is safe", "score_value_type": "boolean"},
    "verdict": {
        "name": "Verdict",
        "score_value_type": "single_select",
        "score_config": {"choices": CHOICES},
    },
    "tags": {
        "name": "Tags",
        "score_value_type": "multi_select",
        "score_config": {"choices": CHOICES},
    },
    "feedback": {"name": "Feedback", "score_value_type": "text"},
    "details": {"name": "Details", "score_value_type": "json"},
}


@pytest.fixture
def evaluators(emu: Emulator) -> dict[str, dict[str, Any]]:
    """One seeded evaluator per value type, by slug (seeded without HTTP)."""
    return {
        slug: emu.create_evaluator(evaluator_slug=slug, type="human", **fields)
        for slug, fields in EVALUATORS.items()
    }
