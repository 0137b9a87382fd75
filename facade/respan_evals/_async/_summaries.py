"""client.scores with `summarize`: the generated scores resource plus one streaming summary."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from respan_evals_api.resources.scores import AsyncScores

from .._not_given import NOT_GIVEN, NotGiven

if TYPE_CHECKING:
    import httpx

    from respan_evals_api.models import Filters

    from .._summary import Summary

__all__ = ["AsyncSummarizingScores"]


class AsyncSummarizingScores(AsyncScores):
    """client.scores: Scores by id, and listing or filtering them across logs."""

    async def summarize(
        self,
        *,
        filters: Filters | Mapping[str, Any] | NotGiven = NOT_GIVEN,
        by: Sequence[str] = ("evaluator",),
        page_size: int | NotGiven = 100,
        timeout: float | httpx.Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Summary:
        """Pass rates and value statistics per group of the scores `filters` matches.

        Reads the matching scores once, a page at a time, keeping a bounded state per group
        (see `respan_evals.summarize` for the statistics and their exactness).

        Sends:
            POST /api/scores/list/ once a page, as `iter_filter` does.

        Returns:
            Summary: one GroupSummary per group of the `by` fields ("evaluator",
            "environment", "prompt_version_number", "dataset_id", "day"), sorted by key.

        Raises:
            RespanValidationError: an unknown `by` field (nothing is sent), or an argument
                the API cannot take.
            APIStatusError, APIConnectionError: as `iter_filter` raises them.

        Example:
            summary = await client.scores.summarize(filters={"environment": ...}, by=("evaluator",))
        """
        from .._summary import Summarizer  # loaded on first use: `client.scores` need not

        summarizer = Summarizer(by)  # an unknown field fails before anything is sent
        async for score in self.iter_filter(
            filters=filters,
            page_size=page_size,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        ):
            summarizer.add(score)
        return summarizer.result()
