"""client.log_scores: the scores of one log (6 operations). POST here is an upsert."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

from .._call import acall, call
from .._pagination import aiterate, iterate
from ._base import (
    NOT_GIVEN,
    AsyncResource,
    NotGiven,
    SyncResource,
    afetcher,
    body_args_1,
    body_args_2,
    fetcher,
    lazy_models,
)

if TYPE_CHECKING:
    from respan_evals_api.models import (
        LogScoreReplaceRequest,
        LogScoreUpdateRequest,
        LogScoreUpsertRequest,
        PaginatedScoreList,
        Score,
    )


__all__ = ["AsyncLogScores", "LogScores"]

_CREATED = 201


class LogScores(SyncResource):
    """The scores of one log: /api/logs/{log_id}/scores/."""

    @body_args_1(lazy_models.LogScoreUpsertRequest)
    def upsert(self, log_id: str, body: LogScoreUpsertRequest) -> Score:
        """Create or update the log's score for the evaluator (POST, safe to retry)."""
        return self.upsert_detailed(log_id, body)[0]

    def upsert_detailed(self, log_id: str, body: LogScoreUpsertRequest) -> tuple[Score, bool]:
        """`upsert` with a built body: (score, created), created False when it was updated."""
        from respan_evals_api.api.log_scores import upsert_log_score
        from respan_evals_api.models import Score

        score, status = call(
            self._api.get(), upsert_log_score.sync_detailed, Score, log_id, body=body
        )
        return score, status == _CREATED

    def list(
        self,
        log_id: str,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
    ) -> PaginatedScoreList:
        """One page of the log's scores (GET /api/logs/{log_id}/scores/)."""
        from respan_evals_api.api.log_scores import list_log_scores
        from respan_evals_api.models import PaginatedScoreList

        return self._call(
            list_log_scores.sync_detailed,
            PaginatedScoreList,
            log_id,
            page=page,
            page_size=page_size,
        )

    def retrieve(self, log_id: str, score_id: str) -> Score:
        """One score of the log."""
        from respan_evals_api.api.log_scores import retrieve_log_score
        from respan_evals_api.models import Score

        return self._call(retrieve_log_score.sync_detailed, Score, log_id, score_id)

    @body_args_2(lazy_models.LogScoreUpdateRequest)
    def update(self, log_id: str, score_id: str, body: LogScoreUpdateRequest) -> Score:
        """Change the value fields given (PATCH)."""
        from respan_evals_api.api.log_scores import update_log_score
        from respan_evals_api.models import Score

        return self._call(update_log_score.sync_detailed, Score, log_id, score_id, body=body)

    @body_args_2(lazy_models.LogScoreReplaceRequest)
    def replace(self, log_id: str, score_id: str, body: LogScoreReplaceRequest) -> Score:
        """Replace one score of the log (PUT)."""
        from respan_evals_api.api.log_scores import replace_log_score
        from respan_evals_api.models import Score

        return self._call(replace_log_score.sync_detailed, Score, log_id, score_id, body=body)

    def delete(self, log_id: str, score_id: str) -> None:
        """Delete one score of the log."""
        from respan_evals_api.api.log_scores import delete_log_score

        self._call(delete_log_score.sync_detailed, None, log_id, score_id)

    def iter_list(self, log_id: str, *, page_size: int = 100) -> Iterator[Score]:
        """Every score of the log, fetching one page at a time."""
        return iterate(fetcher(functools.partial(self.list, log_id), page_size=page_size))


class AsyncLogScores(AsyncResource):
    """The scores of one log: /api/logs/{log_id}/scores/."""

    @body_args_1(lazy_models.LogScoreUpsertRequest)
    async def upsert(self, log_id: str, body: LogScoreUpsertRequest) -> Score:
        """Create or update the log's score for the evaluator (POST, safe to retry)."""
        return (await self.upsert_detailed(log_id, body))[0]

    async def upsert_detailed(self, log_id: str, body: LogScoreUpsertRequest) -> tuple[Score, bool]:
        """`upsert` with a built body: (score, created), created False when it was updated."""
        from respan_evals_api.api.log_scores import upsert_log_score
        from respan_evals_api.models import Score

        score, status = await acall(
            self._api.get(), upsert_log_score.asyncio_detailed, Score, log_id, body=body
        )
        return score, status == _CREATED

    async def list(
        self,
        log_id: str,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
    ) -> PaginatedScoreList:
        """One page of the log's scores (GET /api/logs/{log_id}/scores/)."""
        from respan_evals_api.api.log_scores import list_log_scores
        from respan_evals_api.models import PaginatedScoreList

        return await self._call(
            list_log_scores.asyncio_detailed,
            PaginatedScoreList,
            log_id,
            page=page,
            page_size=page_size,
        )

    async def retrieve(self, log_id: str, score_id: str) -> Score:
        """One score of the log."""
        from respan_evals_api.api.log_scores import retrieve_log_score
        from respan_evals_api.models import Score

        return await self._call(retrieve_log_score.asyncio_detailed, Score, log_id, score_id)

    @body_args_2(lazy_models.LogScoreUpdateRequest)
    async def update(self, log_id: str, score_id: str, body: LogScoreUpdateRequest) -> Score:
        """Change the value fields given (PATCH)."""
        from respan_evals_api.api.log_scores import update_log_score
        from respan_evals_api.models import Score

        return await self._call(
            update_log_score.asyncio_detailed, Score, log_id, score_id, body=body
        )

    @body_args_2(lazy_models.LogScoreReplaceRequest)
    async def replace(self, log_id: str, score_id: str, body: LogScoreReplaceRequest) -> Score:
        """Replace one score of the log (PUT)."""
        from respan_evals_api.api.log_scores import replace_log_score
        from respan_evals_api.models import Score

        return await self._call(
            replace_log_score.asyncio_detailed, Score, log_id, score_id, body=body
        )

    async def delete(self, log_id: str, score_id: str) -> None:
        """Delete one score of the log."""
        from respan_evals_api.api.log_scores import delete_log_score

        await self._call(delete_log_score.asyncio_detailed, None, log_id, score_id)

    def iter_list(self, log_id: str, *, page_size: int = 100) -> AsyncIterator[Score]:
        """Every score of the log, fetching one page at a time."""
        return aiterate(afetcher(functools.partial(self.list, log_id), page_size=page_size))
