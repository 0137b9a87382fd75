"""Python client for Respan's Scores & Evaluators API.

    from respan_evals import Respan

    with Respan() as client:                      # RESPAN_API_KEY from the environment
        client.score_log("log_1", 4.5, evaluator="quality")

Models are the generated ones (`respan_evals.types`, or `respan_evals_api.models`).
`score_value(score)` reads a score's value from whichever field it is in. RESPAN_LOG=debug (or
info) in the environment logs requests to stderr (see `_logging`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._logging import configure_from_env as _configure_logging_from_env
from ._version import __version__

if TYPE_CHECKING:
    from respan_evals_api.resources.support import NOT_GIVEN, NotGiven, RawResponse

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

# Each public name and the module it is loaded from on first use (PEP 562): `from respan_evals
# import Respan` loads the client alone, not the outbox, the summaries or the frames.
_LAZY: dict[str, str] = {
    "NOT_GIVEN": "._not_given",
    "NotGiven": "._not_given",
    "RawResponse": "respan_evals_api.resources.support",
    "AsyncRespan": "._async._client",
    "Respan": "._sync._client",
    **dict.fromkeys(
        (
            "APIConnectionError",
            "APIResponseValidationError",
            "APIStatusError",
            "APITimeoutError",
            "AuthenticationError",
            "BadRequestError",
            "ConflictError",
            "InsecureTransportError",
            "InternalServerError",
            "NotFoundError",
            "PermissionDeniedError",
            "RateLimitError",
            "RespanError",
            "RespanValidationError",
            "ScoreValueError",
            "UnprocessableEntityError",
        ),
        "._errors",
    ),
    "condition": "._filters",
    "filters": "._filters",
    "to_pandas": "._frames",
    "to_polars": "._frames",
    "ResponseTooLargeError": "._limits",
    **dict.fromkeys(
        (
            "FailedScore",
            "Outbox",
            "OutboxClosedError",
            "OutboxError",
            "OutboxFullError",
            "OutboxStats",
        ),
        "._outbox",
    ),
    "ScoreOutcome": "._rows",
    "ScoreRow": "._rows",
    "score_value": "._score_value",
    "score_value_field": "._score_value",
    **dict.fromkeys(
        ("Comparison", "GroupChange", "GroupSummary", "NumberStats", "Summary", "summarize"),
        "._summary",
    ),
}

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


def __getattr__(name: str) -> Any:
    """A public name, imported from its module on first use and then kept here."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # the next lookup is a plain module attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


_configure_logging_from_env()  # one environment lookup; nothing is set up without RESPAN_LOG
