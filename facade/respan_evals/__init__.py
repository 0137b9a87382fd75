"""Python client for Respan's Scores & Evaluators API.

    from respan_evals import Respan

    with Respan() as client:                      # RESPAN_API_KEY from the environment
        client.score_log("log_1", 4.5, evaluator="quality")

Models are the generated ones (`respan_evals.types`, or `respan_evals_api.models`).
`score_value(score)` reads a score's value from whichever field it is in. RESPAN_LOG=debug (or
info) in the environment logs requests to stderr (see `_logging`).
"""

from respan_evals_api.resources.support import RawResponse

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
from ._frames import to_pandas, to_polars
from ._limits import ResponseTooLargeError
from ._logging import configure_from_env as _configure_logging_from_env
from ._not_given import NOT_GIVEN, NotGiven
from ._outbox import (
    FailedScore,
    Outbox,
    OutboxClosedError,
    OutboxError,
    OutboxFullError,
    OutboxStats,
)
from ._rows import ScoreOutcome, ScoreRow
from ._score_value import score_value, score_value_field
from ._summary import (
    Comparison,
    GroupChange,
    GroupSummary,
    NumberStats,
    Summary,
    summarize,
)
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
    "Comparison",
    "ConflictError",
    "FailedScore",
    "GroupChange",
    "GroupSummary",
    "InsecureTransportError",
    "InternalServerError",
    "NotFoundError",
    "NotGiven",
    "NumberStats",
    "Outbox",
    "OutboxClosedError",
    "OutboxError",
    "OutboxFullError",
    "OutboxStats",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponse",
    "Respan",
    "RespanError",
    "RespanValidationError",
    "ResponseTooLargeError",
    "ScoreOutcome",
    "ScoreRow",
    "ScoreValueError",
    "Summary",
    "UnprocessableEntityError",
    "__version__",
    "condition",
    "filters",
    "score_value",
    "score_value_field",
    "summarize",
    "to_pandas",
    "to_polars",
]

_configure_logging_from_env()  # one environment lookup; nothing is set up without RESPAN_LOG
