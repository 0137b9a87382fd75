"""The generated models, re-exported: `from respan_evals.types import Score, EvaluatorType`."""

from respan_evals_api.models import *  # noqa: F403
from respan_evals_api.models import __all__ as _models_all
from respan_evals_api.types import UNSET, Unset

__all__ = [*_models_all, "UNSET", "Unset"]
