"""Python client for Respan's Scores & Evaluators API.

    from respan_evals import Respan

    with Respan() as client:                      # RESPAN_API_KEY from the environment
        client.score_log("log_1", 4.5, evaluator="quality")

Models are the generated ones (`respan_evals.types`, or `respan_evals_api.models`).
"""

from ._async._client import AsyncRespan
from ._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InsecureTransportError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RespanError,
    RespanValidationError,
    ScoreValueError,
    UnprocessableEntityError,
)
from ._filters import condition, filters
from ._limits import ResponseTooLargeError
from ._not_given import NOT_GIVEN, NotGiven
from ._rows import ScoreOutcome, ScoreRow
from ._sync._client import Respan
from ._version import __version__

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncRespan",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InsecureTransportError",
    "InternalServerError",
    "NotFoundError",
    "NotGiven",
    "PermissionDeniedError",
    "RateLimitError",
    "Respan",
    "RespanError",
    "RespanValidationError",
    "ResponseTooLargeError",
    "ScoreOutcome",
    "ScoreRow",
    "ScoreValueError",
    "UnprocessableEntityError",
    "__version__",
    "condition",
    "filters",
]
