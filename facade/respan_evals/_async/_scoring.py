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

from respan_evals_api import facts
from respan_evals_api.resources.support import NOT_GIVEN, NotGiven
from respan_evals_api.resources.support import options as request_options

from .._retries import earlier_attempt_may_have_applied
from .._transport import last_response

# _rows, _values, _profiles and _bulk load on the first score, not with the client: a client
# that only reads (its first request a retrieve) never needs them. _rows, which every score
# needs, is kept in a global once loaded: an import statement in a method costs each call 1 µs.
if TYPE_CHECKING:
    import httpx

    from respan_evals_api.client import Client
    from respan_evals_api.models import Score
    from respan_evals_api.resources import AsyncEvaluators
    from respan_evals_api.resources.support import RequestOptions
    from respan_evals_api.types import Response

    from .. import _rows
    from .._profiles import AsyncProfileCache
    from .._rows import AsyncRows, Key, ScoreOutcome, ScoreRow
    from .._values import EvaluatorProfile
    from ._core import AsyncCore
else:
    _rows = None  # set by _load_rows() on the first score


def _load_rows() -> None:
    global _rows
    from .. import _rows as module

    _rows = module


__all__ = ["AsyncScoring", "value_type_table"]

# What each value check (facts.ValueType.check, implemented in _values) takes from Python.
VALUE_CHECK_DOCS = {
    "number": "a real number (not a bool) within min/max_score",
    "percentage": "a number; bounds default to 0 and 100",
    "boolean": "True or False (not 0/1, not a string)",
    "single_choice": 'one choice\'s value: "calm" or ["calm"]',
    "multi_choice": "a list or set of distinct choices ([]: none)",
    "choices": "a choice, or a list of choices",
    "text": "a str (not bytes)",
    "json": "a dict, list, number or bool, or a str of JSON",
    "string_list": "a list or tuple of distinct str, order kept (not a set)",
}


def value_type_table(indent: int = 0) -> str:
    """The value types of the spec: each one's field and the Python value it takes."""
    rows = [("value type", "field", "Python value")]
    rows += [
        (vt.name, vt.field, VALUE_CHECK_DOCS.get(vt.check, f"(check {vt.check!r})"))
        for vt in facts.VALUE_TYPES.values()
    ]
    name_width = max(len(r[0]) for r in rows) + 2
    field_width = max(len(r[1]) for r in rows) + 2
    pad = " " * indent
    lines = [f"{r[0]:<{name_width}}{r[1]:<{field_width}}{r[2]}" for r in rows]
    return f"\n{pad}".join(line.rstrip() for line in lines)


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

        An upsert: the server keeps one score per log, evaluator and scorer (the scorer is
        the API key's user), so a second call for the same log and evaluator updates that
        score instead of adding one, and a retry or a re-run never duplicates.

        Sends:
            Once per client and evaluator, a lookup for its score_value_type, bounds and
            choices (POST /api/evaluators/list/ by slug, GET /api/evaluators/{id}/ by
            `evaluator_id`); then POST /api/logs/{log_id}/scores/, the value in its field.
            With `value_type` given there is no lookup (and no bounds or choices check).
            The per-request options apply to the score's request; the lookup uses the
            client's settings.

        Value types (from the spec's x-respan-value-types), the field each is sent in, and
        the Python value it takes:

        {VALUE_TYPE_TABLE}

        None is never a value: to clear a score, delete it.

        Returns:
            Score: the score as the server stored it.

        Raises:
            ScoreValueError: the value does not fit the evaluator; nothing was sent.
            RespanValidationError: another argument is wrong (neither or both of
                `evaluator` and `evaluator_id`, an unsafe `log_id`, a bad timestamp), or
                no evaluator has that slug; nothing was sent for the score.
            NotFoundError: no evaluator with that `evaluator_id`, or no such log (404).
            AuthenticationError: the API key is missing, invalid or expired (401).
            BadRequestError, RateLimitError, InternalServerError, APIStatusError: the
                server's other answers, as for every method (see client.log_scores.upsert).
            APIConnectionError: no answer (APITimeoutError: an attempt timed out).

        Example:
            score = await client.score_log("log_123", 4.5, evaluator="response_quality")
        """
        if _rows is None:
            _load_rows()
        row = _rows.ScoreRow(
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

    # The table comes from the spec's value types, so it lists every one (a test checks).
    if score_log.__doc__:  # None under python -OO
        score_log.__doc__ = score_log.__doc__.replace(
            "{VALUE_TYPE_TABLE}", value_type_table(indent=8)
        )

    def iter_score_logs(
        self, rows: AsyncRows, *, concurrency: int = 8
    ) -> AsyncIterator[ScoreOutcome]:
        """One outcome per row, in completion order, with at most `concurrency` in flight.

        A row is a ScoreRow (the arguments of `score_log`, as data) or a mapping with its
        field names (`{"log_id": "log_1", "value": 4.5, "evaluator": "quality"}`). `rows` is
        read lazily, so it may be a generator over millions of rows: only the rows in flight
        are held, which makes this the method for large inputs.

        Sends:
            What `score_log` sends, once per row (each evaluator looked up once per client).

        Returns:
            AsyncIterator[ScoreOutcome]: one per row, as each finishes; `outcome.index` is
            the row's position in `rows`.

        Raises:
            RespanValidationError: `concurrency` is not an int >= 1 (before anything is read).
            A row's own failure (a ScoreValueError, a bad row, an API error) is never
            raised: it comes back in `outcome.error` and the other rows go on.

        Example:
            async for outcome in client.iter_score_logs(rows, concurrency=8):
                if outcome.error is not None:
                    print(outcome.index, outcome.error)
        """
        from .._bulk import anumbered, run_in_tasks
        from .._rows import check_concurrency

        limit = check_concurrency(concurrency)
        return run_in_tasks(self._score_item, anumbered(rows), limit)

    async def score_logs(self, rows: AsyncRows, *, concurrency: int = 8) -> list[ScoreOutcome]:
        """Every row's outcome, in input order (outcome.index == position).

        A row is a ScoreRow or a mapping with its field names, as for `iter_score_logs`.
        Every outcome is kept until the end (about 2.6 KB each, its score included): for
        large inputs use `iter_score_logs`, which holds only the rows in flight.

        Sends:
            What `score_log` sends, once per row, at most `concurrency` at a time.

        Returns:
            list[ScoreOutcome]: one per row, in input order; `outcome.ok`, `outcome.score`,
            `outcome.created` (True new, False updated, None unknown), `outcome.error`.

        Raises:
            RespanValidationError: `concurrency` is not an int >= 1.
            A row's own failure is never raised: it comes back in `outcome.error`.

        Example:
            outcomes = await client.score_logs(
                [{"log_id": "log_123", "value": 4.5, "evaluator": "response_quality"}]
            )
        """
        outcomes = [o async for o in self.iter_score_logs(rows, concurrency=concurrency)]
        return sorted(outcomes, key=lambda o: o.index)

    async def _score(
        self, row: ScoreRow, options: RequestOptions | None = None
    ) -> tuple[Score, bool | None]:
        """The score, and whether it is new: None when a retry's answer cannot tell."""
        from respan_evals_api.api.log_scores import upsert_log_score
        from respan_evals_api.models import Score

        if _rows is None:
            _load_rows()
        request = _rows.ScoreRequest.check(row)
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
        return score, True if status == _rows.CREATED else (None if unclear else False)

    async def _lookup(self, key: Key) -> EvaluatorProfile:
        from .._profiles import profile_of, slug_filters, slug_match

        kind, ref = key
        if kind == "id":
            return profile_of(await self.evaluators.retrieve(ref))
        page = await self.evaluators.filter(filters=slug_filters(ref), page_size=1)
        return profile_of(slug_match(page, ref))

    async def _score_item(self, index: int, item: object) -> ScoreOutcome:
        if _rows is None:
            _load_rows()
        row = None
        try:
            row = _rows.to_row(item)
            score, created = await self._score(row)
        except Exception as e:
            return _rows.failed(index, row, e)
        return _rows.ScoreOutcome(index=index, row=row, score=score, error=None, created=created)
