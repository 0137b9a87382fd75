"""Setup through the facade: what the tests create is recorded in their own cassettes, so a
recording against the real API creates (and afterwards deletes) its own evaluators and scores."""

from __future__ import annotations

from typing import Any

from respan_evals import Respan
from respan_evals.types import (
    Evaluator,
    EvaluatorType,
    LlmConfig,
    Score,
    ScoreConfig,
    ScoreValueType,
)

from .conftest import SLUG_PREFIX

CHOICES = [
    {"name": "Calm", "value": "calm"},
    {"name": "Warm", "value": "warm"},
    {"name": "Cold", "value": "cold"},
]
_CONFIG: dict[str, dict[str, Any]] = {
    "numerical": {"min_score": 1, "max_score": 5},
    "single_select": {"choices": CHOICES},
    "multi_select": {"choices": CHOICES},
    "categorical": {"choices": CHOICES},
}


def evaluator_fields(
    value_type: str = "numerical",
    *,
    slug: str | None = None,
    kind: EvaluatorType = EvaluatorType.HUMAN,
    **fields: Any,
) -> dict[str, Any]:
    """The create arguments of a `value_type` evaluator named and slugged after the suite."""
    slug = SLUG_PREFIX + (slug or value_type.replace("_", "-"))
    if value_type in _CONFIG and "score_config" not in fields:
        fields["score_config"] = ScoreConfig.from_dict(_CONFIG[value_type])
    if kind is EvaluatorType.LLM and "llm_config" not in fields:
        fields["llm_config"] = LlmConfig.from_dict(
            {"model": "gpt-4o-mini", "evaluator_definition": "Rate {{output}} for {{input}}."}
        )
    return {
        "name": f"Contract {slug[len(SLUG_PREFIX) :]}",
        "type": kind,
        "score_value_type": ScoreValueType(value_type),
        "evaluator_slug": slug,
        **fields,
    }


def make_evaluator(client: Respan, value_type: str = "numerical", **options: Any) -> Evaluator:
    """Create a `value_type` evaluator (see evaluator_fields) through the facade."""
    return client.evaluators.create(**evaluator_fields(value_type, **options))


def make_score(client: Respan, evaluator: Evaluator, log_id: str, value: float = 4.0) -> Score:
    """A numerical score on `log_id`, through the log-scoped upsert."""
    return client.log_scores.upsert(log_id, evaluator_id=evaluator.id, numerical_value=value)
