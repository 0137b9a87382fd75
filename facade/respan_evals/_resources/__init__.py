"""The resources of the clients: one class per group of operations, sync and async."""

from .evaluator_versions import AsyncEvaluatorVersions, EvaluatorVersions
from .evaluators import AsyncEvaluators, Evaluators
from .log_scores import AsyncLogScores, LogScores
from .scores import AsyncScores, Scores

__all__ = [
    "AsyncEvaluatorVersions",
    "AsyncEvaluators",
    "AsyncLogScores",
    "AsyncScores",
    "EvaluatorVersions",
    "Evaluators",
    "LogScores",
    "Scores",
]
