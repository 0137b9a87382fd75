"""score_log, and scoring many logs at once: the value goes into the field its evaluator expects.

    await client.score_log("log_1", 4.5, evaluator="quality")
    async for outcome in client.iter_score_logs(rows, concurrency=8):
        print(outcome.index, outcome.ok)

Every score goes through the log-scoped upsert (POST /api/logs/{log_id}/scores/): one score per
log, evaluator and scorer, so a retry or a re-run never duplicates. An evaluator is looked up
once per client for its score_value_type, bounds and choices (see _profiles). An outcome's
`created` is None when a retry's 200 cannot tell: the lost attempt before it may have created.
"""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING, Any

from respan_evals_api.resources.support import NOT_GIVEN, NotGiven
from respan_evals_api.resources.support import options as request_options

from .._bulk import anumbered, run_in_tasks
from .._profiles import AsyncProfileCache, profile_of, slug_filters, slug_match
from .._retries import earlier_attempt_may_have_applied
from .._rows import (
    CREATED,
    AsyncRows,
    Key,
    ScoreOutcome,
    ScoreRequest,
    ScoreRow,
    check_concurrency,
    failed,
    to_row,
)
from .._transport import last_response
from .._values import EvaluatorProfile

if TYPE_CHECKING:
    import httpx

    from respan_evals_api.client import Client
    from respan_evals_api.models import Score
    from respan_evals_api.resources import AsyncEvaluators
    from respan_evals_api.resources.support import RequestOptions
    from respan_evals_api.types import Response

    from ._core import AsyncCore

__all__ = ["AsyncScoring"]


class AsyncScoring:
    """score_log and the bulk helpers of the client."""

    evaluators: AsyncEvaluators
    _core: AsyncCore
    _profiles: AsyncProfileCache

    async def score_log(
        self,
        log_id: str,
        value: object,
        *,
        evaluator: str | None = None,
        evaluator_id: str | None = None,
        value_type: str | None = None,
        timestamp: datetime.datetime | str | None = None,
        environment: str | None = None,
        explanation: str | None = None,
        prompt_id: str | None = None,
        prompt_version_number: int | None = None,
        dataset_id: str | None = None,
        automation_id: str | None = None,
        timeout: float | httpx.Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Score:
        """Score a log with an evaluator (by slug or ID), the value in the field it expects.

        A value that does not fit the evaluator raises ScoreValueError before the score is sent.
        The per-request options apply to the score's request; the evaluator's lookup (once per
        client) uses the client's settings.
        """
        row = ScoreRow(
            log_id=log_id,
            value=value,
            evaluator=evaluator,
            evaluator_id=evaluator_id,
            value_type=value_type,
            timestamp=timestamp,
            environment=environment,
            explanation=explanation,
            prompt_id=prompt_id,
            prompt_version_number=prompt_version_number,
            dataset_id=dataset_id,
            automation_id=automation_id,
        )
        options = request_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        return (await self._score(row, options))[0]

    def iter_score_logs(
        self, rows: AsyncRows, *, concurrency: int = 8
    ) -> AsyncIterator[ScoreOutcome]:
        """One outcome per row, in completion order, with at most `concurrency` in flight.

        `rows` is read lazily, so it may be a generator over millions of rows. A row that
        fails becomes an outcome with its error; the rest go on.
        """
        limit = check_concurrency(concurrency)
        return run_in_tasks(self._score_item, anumbered(rows), limit)

    async def score_logs(self, rows: AsyncRows, *, concurrency: int = 8) -> list[ScoreOutcome]:
        """Every row's outcome, in input order (outcome.index == position)."""
        outcomes = [o async for o in self.iter_score_logs(rows, concurrency=concurrency)]
        return sorted(outcomes, key=lambda o: o.index)

    async def _score(
        self, row: ScoreRow, options: RequestOptions | None = None
    ) -> tuple[Score, bool | None]:
        """The score, and whether it is new: None when a retry's answer cannot tell."""
        from respan_evals_api.api.log_scores import upsert_log_score
        from respan_evals_api.models import Score

        request = ScoreRequest.check(row)
        profile = request.given_profile() or await self._profiles.get(
            request.key, lambda: self._lookup(request.key)
        )
        body = request.body(row.value, profile)
        unclear = False

        async def send(client: Client) -> Response[Any]:
            nonlocal unclear
            result = await upsert_log_score.asyncio_detailed(
                request.log_id, client=client, body=body
            )
            unclear = earlier_attempt_may_have_applied(last_response().get())
            return result

        score, status = await self._core.call_detailed(
            "upsert_log_score", send, Score, path=(request.log_id,), options=options
        )
        # A 201 proves this attempt created it; a 200 after a lost attempt may be our own.
        return score, True if status == CREATED else (None if unclear else False)

    async def _lookup(self, key: Key) -> EvaluatorProfile:
        kind, ref = key
        if kind == "id":
            return profile_of(await self.evaluators.retrieve(ref))
        page = await self.evaluators.filter(filters=slug_filters(ref), page_size=1)
        return profile_of(slug_match(page, ref))

    async def _score_item(self, index: int, item: object) -> ScoreOutcome:
        row = None
        try:
            row = to_row(item)
            score, created = await self._score(row)
        except Exception as e:
            return failed(index, row, e)
        return ScoreOutcome(index=index, row=row, score=score, error=None, created=created)
