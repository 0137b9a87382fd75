"""client.evaluators.versions: an evaluator's versions (5 operations)."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

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
        EvaluatorVersion,
        EvaluatorVersionCreateRequest,
        EvaluatorVersionListItem,
        EvaluatorVersionReplaceRequest,
        EvaluatorVersionUpdateRequest,
        PaginatedEvaluatorVersionList,
    )


__all__ = ["AsyncEvaluatorVersions", "EvaluatorVersions"]


class EvaluatorVersions(SyncResource):
    """/api/evaluators/{evaluator_id}/versions/. Committed versions are read-only (403)."""

    def list(
        self,
        evaluator_id: str,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
    ) -> PaginatedEvaluatorVersionList:
        """One page of versions, newest first."""
        from respan_evals_api.api.evaluator_versions import list_evaluator_versions
        from respan_evals_api.models import PaginatedEvaluatorVersionList

        return self._call(
            list_evaluator_versions.sync_detailed,
            PaginatedEvaluatorVersionList,
            evaluator_id,
            page=page,
            page_size=page_size,
        )

    @body_args_1(lazy_models.EvaluatorVersionCreateRequest)
    def create(self, evaluator_id: str, body: EvaluatorVersionCreateRequest) -> EvaluatorVersion:
        """Commit the draft (POST). Not retried after it may have been sent."""
        from respan_evals_api.api.evaluator_versions import create_evaluator_version
        from respan_evals_api.models import EvaluatorVersion

        return self._call(
            create_evaluator_version.sync_detailed, EvaluatorVersion, evaluator_id, body=body
        )

    def retrieve(self, evaluator_id: str, version: int) -> EvaluatorVersion:
        """One version, with its full configuration."""
        from respan_evals_api.api.evaluator_versions import retrieve_evaluator_version
        from respan_evals_api.models import EvaluatorVersion

        return self._call(
            retrieve_evaluator_version.sync_detailed, EvaluatorVersion, evaluator_id, version
        )

    @body_args_2(lazy_models.EvaluatorVersionUpdateRequest)
    def update(
        self, evaluator_id: str, version: int, body: EvaluatorVersionUpdateRequest
    ) -> EvaluatorVersion:
        """Change the fields given on the draft version (PATCH)."""
        from respan_evals_api.api.evaluator_versions import update_evaluator_version
        from respan_evals_api.models import EvaluatorVersion

        return self._call(
            update_evaluator_version.sync_detailed,
            EvaluatorVersion,
            evaluator_id,
            version,
            body=body,
        )

    @body_args_2(lazy_models.EvaluatorVersionReplaceRequest)
    def replace(
        self, evaluator_id: str, version: int, body: EvaluatorVersionReplaceRequest
    ) -> EvaluatorVersion:
        """Replace the draft version (PUT)."""
        from respan_evals_api.api.evaluator_versions import replace_evaluator_version
        from respan_evals_api.models import EvaluatorVersion

        return self._call(
            replace_evaluator_version.sync_detailed,
            EvaluatorVersion,
            evaluator_id,
            version,
            body=body,
        )

    def iter_list(
        self, evaluator_id: str, *, page_size: int = 100
    ) -> Iterator[EvaluatorVersionListItem]:
        """Every version, fetching one page at a time."""
        return iterate(fetcher(functools.partial(self.list, evaluator_id), page_size=page_size))


class AsyncEvaluatorVersions(AsyncResource):
    """/api/evaluators/{evaluator_id}/versions/. Committed versions are read-only (403)."""

    async def list(
        self,
        evaluator_id: str,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
    ) -> PaginatedEvaluatorVersionList:
        """One page of versions, newest first."""
        from respan_evals_api.api.evaluator_versions import list_evaluator_versions
        from respan_evals_api.models import PaginatedEvaluatorVersionList

        return await self._call(
            list_evaluator_versions.asyncio_detailed,
            PaginatedEvaluatorVersionList,
            evaluator_id,
            page=page,
            page_size=page_size,
        )

    @body_args_1(lazy_models.EvaluatorVersionCreateRequest)
    async def create(
        self, evaluator_id: str, body: EvaluatorVersionCreateRequest
    ) -> EvaluatorVersion:
        """Commit the draft (POST). Not retried after it may have been sent."""
        from respan_evals_api.api.evaluator_versions import create_evaluator_version
        from respan_evals_api.models import EvaluatorVersion

        return await self._call(
            create_evaluator_version.asyncio_detailed, EvaluatorVersion, evaluator_id, body=body
        )

    async def retrieve(self, evaluator_id: str, version: int) -> EvaluatorVersion:
        """One version, with its full configuration."""
        from respan_evals_api.api.evaluator_versions import retrieve_evaluator_version
        from respan_evals_api.models import EvaluatorVersion

        return await self._call(
            retrieve_evaluator_version.asyncio_detailed, EvaluatorVersion, evaluator_id, version
        )

    @body_args_2(lazy_models.EvaluatorVersionUpdateRequest)
    async def update(
        self, evaluator_id: str, version: int, body: EvaluatorVersionUpdateRequest
    ) -> EvaluatorVersion:
        """Change the fields given on the draft version (PATCH)."""
        from respan_evals_api.api.evaluator_versions import update_evaluator_version
        from respan_evals_api.models import EvaluatorVersion

        return await self._call(
            update_evaluator_version.asyncio_detailed,
            EvaluatorVersion,
            evaluator_id,
            version,
            body=body,
        )

    @body_args_2(lazy_models.EvaluatorVersionReplaceRequest)
    async def replace(
        self, evaluator_id: str, version: int, body: EvaluatorVersionReplaceRequest
    ) -> EvaluatorVersion:
        """Replace the draft version (PUT)."""
        from respan_evals_api.api.evaluator_versions import replace_evaluator_version
        from respan_evals_api.models import EvaluatorVersion

        return await self._call(
            replace_evaluator_version.asyncio_detailed,
            EvaluatorVersion,
            evaluator_id,
            version,
            body=body,
        )

    def iter_list(
        self, evaluator_id: str, *, page_size: int = 100
    ) -> AsyncIterator[EvaluatorVersionListItem]:
        """Every version, fetching one page at a time."""
        return aiterate(afetcher(functools.partial(self.list, evaluator_id), page_size=page_size))
