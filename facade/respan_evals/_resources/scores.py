"""client.scores: scores by ID, across logs (7 operations)."""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

from .._pagination import aiterate, iterate
from ._base import (
    NOT_GIVEN,
    AsyncResource,
    FiltersArg,
    NotGiven,
    SyncResource,
    afetcher,
    body_args,
    body_args_1,
    fetcher,
    lazy_models,
    to_filters,
)

if TYPE_CHECKING:
    from respan_evals_api.models import (
        PaginatedScoreList,
        Score,
        ScoreCreateRequest,
        ScoreFilterRequest,
        ScoreReplaceRequest,
        ScoreUpdateRequest,
    )


__all__ = ["AsyncScores", "Scores"]


def _filter_body(filters: FiltersArg) -> ScoreFilterRequest:
    from respan_evals_api.models import ScoreFilterRequest

    return ScoreFilterRequest(filters=to_filters(filters))


class Scores(SyncResource):
    """Scores by ID: /api/scores/."""

    @body_args(lazy_models.ScoreCreateRequest)
    def create(self, body: ScoreCreateRequest) -> Score:
        """Create a score (POST /api/scores/). Not retried after it may have been sent."""
        from respan_evals_api.api.scores import create_score
        from respan_evals_api.models import Score

        return self._call(create_score.sync_detailed, Score, body=body)

    def list(
        self,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        start_time: datetime.datetime | NotGiven = NOT_GIVEN,
        end_time: datetime.datetime | NotGiven = NOT_GIVEN,
    ) -> PaginatedScoreList:
        """One page of scores (GET /api/scores/)."""
        from respan_evals_api.api.scores import list_scores
        from respan_evals_api.models import PaginatedScoreList

        return self._call(
            list_scores.sync_detailed,
            PaginatedScoreList,
            page=page,
            page_size=page_size,
            start_time=start_time,
            end_time=end_time,
        )

    def retrieve(self, id: str) -> Score:
        """One score (GET /api/scores/{id}/)."""
        from respan_evals_api.api.scores import retrieve_score
        from respan_evals_api.models import Score

        return self._call(retrieve_score.sync_detailed, Score, id)

    @body_args_1(lazy_models.ScoreUpdateRequest)
    def update(self, id: str, body: ScoreUpdateRequest) -> Score:
        """Change the value fields given (PATCH /api/scores/{id}/)."""
        from respan_evals_api.api.scores import update_score
        from respan_evals_api.models import Score

        return self._call(update_score.sync_detailed, Score, id, body=body)

    @body_args_1(lazy_models.ScoreReplaceRequest)
    def replace(self, id: str, body: ScoreReplaceRequest) -> Score:
        """Replace a score (PUT /api/scores/{id}/)."""
        from respan_evals_api.api.scores import replace_score
        from respan_evals_api.models import Score

        return self._call(replace_score.sync_detailed, Score, id, body=body)

    def delete(self, id: str) -> None:
        """Delete a score (DELETE /api/scores/{id}/)."""
        from respan_evals_api.api.scores import delete_score

        self._call(delete_score.sync_detailed, None, id)

    def filter(
        self,
        *,
        filters: FiltersArg = NOT_GIVEN,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        sort_by: str | NotGiven = NOT_GIVEN,
    ) -> PaginatedScoreList:
        """One page of scores matching `filters` (POST /api/scores/list/)."""
        from respan_evals_api.api.scores import filter_scores
        from respan_evals_api.models import PaginatedScoreList

        return self._call(
            filter_scores.sync_detailed,
            PaginatedScoreList,
            body=_filter_body(filters),
            page=page,
            page_size=page_size,
            sort_by=sort_by,
        )

    def iter_list(
        self,
        *,
        page_size: int = 100,
        start_time: datetime.datetime | NotGiven = NOT_GIVEN,
        end_time: datetime.datetime | NotGiven = NOT_GIVEN,
    ) -> Iterator[Score]:
        """Every score, fetching one page at a time."""
        return iterate(
            fetcher(self.list, page_size=page_size, start_time=start_time, end_time=end_time)
        )

    def iter_filter(
        self,
        *,
        filters: FiltersArg = NOT_GIVEN,
        page_size: int = 100,
        sort_by: str | NotGiven = NOT_GIVEN,
    ) -> Iterator[Score]:
        """Every score matching `filters`, fetching one page at a time."""
        return iterate(
            fetcher(self.filter, filters=to_filters(filters), page_size=page_size, sort_by=sort_by)
        )


class AsyncScores(AsyncResource):
    """Scores by ID: /api/scores/."""

    @body_args(lazy_models.ScoreCreateRequest)
    async def create(self, body: ScoreCreateRequest) -> Score:
        """Create a score (POST /api/scores/). Not retried after it may have been sent."""
        from respan_evals_api.api.scores import create_score
        from respan_evals_api.models import Score

        return await self._call(create_score.asyncio_detailed, Score, body=body)

    async def list(
        self,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        start_time: datetime.datetime | NotGiven = NOT_GIVEN,
        end_time: datetime.datetime | NotGiven = NOT_GIVEN,
    ) -> PaginatedScoreList:
        """One page of scores (GET /api/scores/)."""
        from respan_evals_api.api.scores import list_scores
        from respan_evals_api.models import PaginatedScoreList

        return await self._call(
            list_scores.asyncio_detailed,
            PaginatedScoreList,
            page=page,
            page_size=page_size,
            start_time=start_time,
            end_time=end_time,
        )

    async def retrieve(self, id: str) -> Score:
        """One score (GET /api/scores/{id}/)."""
        from respan_evals_api.api.scores import retrieve_score
        from respan_evals_api.models import Score

        return await self._call(retrieve_score.asyncio_detailed, Score, id)

    @body_args_1(lazy_models.ScoreUpdateRequest)
    async def update(self, id: str, body: ScoreUpdateRequest) -> Score:
        """Change the value fields given (PATCH /api/scores/{id}/)."""
        from respan_evals_api.api.scores import update_score
        from respan_evals_api.models import Score

        return await self._call(update_score.asyncio_detailed, Score, id, body=body)

    @body_args_1(lazy_models.ScoreReplaceRequest)
    async def replace(self, id: str, body: ScoreReplaceRequest) -> Score:
        """Replace a score (PUT /api/scores/{id}/)."""
        from respan_evals_api.api.scores import replace_score
        from respan_evals_api.models import Score

        return await self._call(replace_score.asyncio_detailed, Score, id, body=body)

    async def delete(self, id: str) -> None:
        """Delete a score (DELETE /api/scores/{id}/)."""
        from respan_evals_api.api.scores import delete_score

        await self._call(delete_score.asyncio_detailed, None, id)

    async def filter(
        self,
        *,
        filters: FiltersArg = NOT_GIVEN,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        sort_by: str | NotGiven = NOT_GIVEN,
    ) -> PaginatedScoreList:
        """One page of scores matching `filters` (POST /api/scores/list/)."""
        from respan_evals_api.api.scores import filter_scores
        from respan_evals_api.models import PaginatedScoreList

        return await self._call(
            filter_scores.asyncio_detailed,
            PaginatedScoreList,
            body=_filter_body(filters),
            page=page,
            page_size=page_size,
            sort_by=sort_by,
        )

    def iter_list(
        self,
        *,
        page_size: int = 100,
        start_time: datetime.datetime | NotGiven = NOT_GIVEN,
        end_time: datetime.datetime | NotGiven = NOT_GIVEN,
    ) -> AsyncIterator[Score]:
        """Every score, fetching one page at a time: `async for score in ...`."""
        return aiterate(
            afetcher(self.list, page_size=page_size, start_time=start_time, end_time=end_time)
        )

    def iter_filter(
        self,
        *,
        filters: FiltersArg = NOT_GIVEN,
        page_size: int = 100,
        sort_by: str | NotGiven = NOT_GIVEN,
    ) -> AsyncIterator[Score]:
        """Every score matching `filters`, fetching one page at a time."""
        return aiterate(
            afetcher(self.filter, filters=to_filters(filters), page_size=page_size, sort_by=sort_by)
        )
