"""One score to write (ScoreRow), what became of it (ScoreOutcome), and its checked request.

>>> ScoreRequest.check(ScoreRow(log_id="log_1", value=4, evaluator="quality")).key
('slug', 'quality')
"""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterable, Iterable, Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from ._call import check_path, checked_body
from ._errors import RespanError, RespanValidationError, short_repr
from ._not_given import NOT_GIVEN, NotGiven, omit_not_given
from ._values import EvaluatorProfile, check_value_type, score_value_fields

if TYPE_CHECKING:
    from respan_evals_api.models import LogScoreUpsertRequest, Score

__all__ = [
    "CREATED",
    "AsyncRows",
    "Key",
    "Rows",
    "ScoreOutcome",
    "ScoreRequest",
    "ScoreRow",
    "check_concurrency",
    "failed",
    "to_row",
]

Rows = Iterable["ScoreRow | Mapping[str, object]"]
AsyncRows = Rows | AsyncIterable["ScoreRow | Mapping[str, object]"]
CREATED = 201  # the upsert's answer when the score is new (200: updated)
Key = tuple[str, str]  # ("slug", "quality") or ("id", "evl_1")


@dataclass(frozen=True)
class ScoreRow:
    """One score to write: the arguments of `score_log`, as data.

    A row of `score_logs` / `iter_score_logs` is a ScoreRow or a mapping with these field
    names (`log_id` and `value` required; exactly one of `evaluator`, the slug, and
    `evaluator_id`); an unknown key makes that row's outcome an error.

    >>> ScoreRow(log_id="log_123", value=4.5, evaluator="response_quality").evaluator
    'response_quality'
    """

    log_id: str
    value: object
    evaluator: str | None = None
    evaluator_id: str | None = None
    value_type: str | None = None
    timestamp: datetime.datetime | str | None = None
    environment: str | None = None
    explanation: str | None = None
    prompt_id: str | None = None
    prompt_version_number: int | None = None
    dataset_id: str | None = None
    automation_id: str | None = None


@dataclass(frozen=True)
class ScoreOutcome:
    """What became of one input row: a score, or the error that stopped it.

    `score_logs` and `iter_score_logs` never raise for a row: its failure (a ScoreValueError,
    a row that is not one, an API error) is `error`, and `ok` is False.
    """

    index: int  # position of the row in the input
    row: ScoreRow | None  # None when the input item could not be read as a ScoreRow
    score: Score | None  # set on success
    error: RespanError | None  # set on failure (validation or API)
    # True: new score (201); False: updated (200); None: failed, or unknown (a retry's 200
    # after an attempt whose answer was lost, and which may have created the score).
    created: bool | None

    @property
    def ok(self) -> bool:
        """True when the row was scored (no error)."""
        return self.error is None


def to_row(item: object) -> ScoreRow:
    """A ScoreRow from a ScoreRow or a mapping with ScoreRow's field names."""
    if isinstance(item, ScoreRow):
        return item
    if not isinstance(item, Mapping):
        raise RespanValidationError(
            f"a row must be a ScoreRow or a mapping, got {type(item).__name__}"
        )
    names = {f.name for f in fields(ScoreRow)}
    unknown = sorted(str(k) for k in item if k not in names)
    if unknown:
        raise RespanValidationError(f"unknown row keys {unknown}; known: {sorted(names)}")
    missing = [k for k in ("log_id", "value") if k not in item]
    if missing:
        raise RespanValidationError(f"a row needs {missing}")
    return ScoreRow(**{str(k): v for k, v in item.items()})


@dataclass(frozen=True)
class ScoreRequest:
    """The checked arguments of one score_log call, short of the value's field."""

    log_id: str
    key: Key
    value_type: str | None
    extra: Mapping[str, Any]  # the other upsert body fields

    @classmethod
    def check(cls, row: ScoreRow) -> ScoreRequest:
        if not isinstance(row.log_id, str):
            raise RespanValidationError(f"log_id must be a str, got {short_repr(row.log_id)}")
        check_path(row.log_id)
        if (row.evaluator is None) == (row.evaluator_id is None):
            raise RespanValidationError(
                "pass exactly one of evaluator (the slug) or evaluator_id; got "
                + ("both" if row.evaluator is not None else "neither")
            )
        key = ("slug", row.evaluator) if row.evaluator is not None else ("id", row.evaluator_id)
        if not isinstance(key[1], str) or not key[1].strip():
            raise RespanValidationError(f"evaluator {key[0]} must be a non-empty str")
        if row.value_type is not None:
            if not isinstance(row.value_type, str):
                raise RespanValidationError(f"value_type must be a str, got {row.value_type!r}")
            check_value_type(row.value_type)
        extra: dict[str, Any] = {
            "evaluator_slug" if key[0] == "slug" else "evaluator_id": key[1],
            "timestamp": _timestamp(row.timestamp),
        }
        for name in ("environment", "explanation", "prompt_id", "dataset_id", "automation_id"):
            extra[name] = _optional(name, getattr(row, name), str)
        extra["prompt_version_number"] = _optional(
            "prompt_version_number", row.prompt_version_number, int
        )
        return cls(row.log_id, (key[0], key[1]), row.value_type, extra)

    def given_profile(self) -> EvaluatorProfile | None:
        """With value_type given, no lookup: bounds and choices are then not checked."""
        if self.value_type is None:
            return None
        return EvaluatorProfile(self.key[1], self.value_type, None, None, None)

    def body(self, value: object, profile: EvaluatorProfile) -> LogScoreUpsertRequest:
        from respan_evals_api.models import LogScoreUpsertRequest

        fields = omit_not_given({**score_value_fields(value, profile), **self.extra})
        return checked_body(lambda: LogScoreUpsertRequest(**fields))


def _timestamp(value: object) -> datetime.datetime | NotGiven:
    if value is None:
        return NOT_GIVEN
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            pass
    raise RespanValidationError(
        f"timestamp must be a datetime or an ISO 8601 str, got {short_repr(value)}"
    )


def _optional(name: str, value: object, kind: type) -> Any:
    if value is None:
        return NOT_GIVEN
    if isinstance(value, bool) or not isinstance(value, kind):
        raise RespanValidationError(f"{name} must be a {kind.__name__}, got {short_repr(value)}")
    return value


def check_concurrency(concurrency: object) -> int:
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise RespanValidationError(f"concurrency must be an int >= 1, got {concurrency!r}")
    return concurrency


def failed(index: int, row: ScoreRow | None, error: Exception) -> ScoreOutcome:
    if not isinstance(error, RespanError):
        # A bulk run never stops on one row: an unexpected error is that row's outcome.
        wrapped = RespanError(f"unexpected {type(error).__name__}: {short_repr(str(error), 200)}")
        wrapped.__cause__ = error
        error = wrapped
    return ScoreOutcome(index=index, row=row, score=None, error=error, created=None)
