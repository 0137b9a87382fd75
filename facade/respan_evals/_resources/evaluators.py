"""client.evaluators: evaluators (10 operations); `.versions` holds their versions."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._call import LazyApi
from .._errors import RespanValidationError
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
    checked_body,
    fetcher,
    lazy_models,
    to_filters,
    to_run_inputs,
)
from .evaluator_versions import AsyncEvaluatorVersions, EvaluatorVersions

if TYPE_CHECKING:
    from respan_evals_api.models import (
        Evaluator,
        EvaluatorCreateRequest,
        EvaluatorFilterRequest,
        EvaluatorReplaceRequest,
        EvaluatorRunInputs,
        EvaluatorRunRequest,
        EvaluatorRunResult,
        EvaluatorsSummary,
        EvaluatorSummaryFilterRequest,
        EvaluatorUpdateRequest,
        GenerationMethod,
        PaginatedEvaluatorList,
    )


__all__ = ["AsyncEvaluators", "Evaluators"]


def _filter_body(filters: FiltersArg, is_exporting: bool | NotGiven) -> EvaluatorFilterRequest:
    from respan_evals_api.models import EvaluatorFilterRequest

    body = {"filters": to_filters(filters), "is_exporting": is_exporting}
    return checked_body(EvaluatorFilterRequest, body)


def _summary_body(
    filters: FiltersArg, is_exporting: bool | NotGiven
) -> EvaluatorSummaryFilterRequest:
    from respan_evals_api.models import EvaluatorSummaryFilterRequest

    body = {"filters": to_filters(filters), "is_exporting": is_exporting}
    return checked_body(EvaluatorSummaryFilterRequest, body)


def _run_body(
    inputs: EvaluatorRunInputs | Mapping[str, Any],
    generation_method: GenerationMethod | str | NotGiven,
    evaluation_id: str | NotGiven,
    log_ids: Sequence[str] | NotGiven,
    dataset_id: str | NotGiven,
) -> EvaluatorRunRequest:
    from respan_evals_api.models import EvaluatorRunRequest, GenerationMethod

    if isinstance(log_ids, str):
        raise RespanValidationError("log_ids takes a list of log IDs, not one str")
    fields: dict[str, Any] = {
        "inputs": to_run_inputs(inputs),
        "evaluation_id": evaluation_id,
        "dataset_id": dataset_id,
        "log_ids": log_ids if isinstance(log_ids, NotGiven) else list(log_ids),
    }
    if isinstance(generation_method, str):
        try:
            fields["generation_method"] = GenerationMethod(generation_method)
        except ValueError:
            known = [m.value for m in GenerationMethod]
            raise RespanValidationError(
                f"generation_method must be one of {known}, got {generation_method!r}"
            ) from None
    return checked_body(EvaluatorRunRequest, fields)


class Evaluators(SyncResource):
    """Evaluators: /api/evaluators/."""

    def __init__(self, api: LazyApi) -> None:
        super().__init__(api)
        self.versions = EvaluatorVersions(api)

    @body_args(lazy_models.EvaluatorCreateRequest)
    def create(self, body: EvaluatorCreateRequest) -> Evaluator:
        """Create an evaluator (POST). Not retried after it may have been sent."""
        from respan_evals_api.api.evaluators import create_evaluator
        from respan_evals_api.models import Evaluator

        return self._call(create_evaluator.sync_detailed, Evaluator, body=body)

    def list(
        self,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        search: str | NotGiven = NOT_GIVEN,
    ) -> PaginatedEvaluatorList:
        """One page of evaluators (GET /api/evaluators/)."""
        from respan_evals_api.api.evaluators import list_evaluators
        from respan_evals_api.models import PaginatedEvaluatorList

        return self._call(
            list_evaluators.sync_detailed,
            PaginatedEvaluatorList,
            page=page,
            page_size=page_size,
            search=search,
        )

    def filter(
        self,
        *,
        filters: FiltersArg = NOT_GIVEN,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        sort_by: str | NotGiven = NOT_GIVEN,
        is_including_public_evaluators: bool | NotGiven = NOT_GIVEN,
        is_exporting: bool | NotGiven = NOT_GIVEN,
    ) -> PaginatedEvaluatorList:
        """One page of evaluators matching `filters` (POST /api/evaluators/list/)."""
        from respan_evals_api.api.evaluators import filter_evaluators
        from respan_evals_api.models import PaginatedEvaluatorList

        return self._call(
            filter_evaluators.sync_detailed,
            PaginatedEvaluatorList,
            body=_filter_body(filters, is_exporting),
            page=page,
            page_size=page_size,
            sort_by=sort_by,
            is_including_public_evaluators=is_including_public_evaluators,
        )

    def retrieve(self, evaluator_id: str) -> Evaluator:
        """One evaluator (its current draft/latest version)."""
        from respan_evals_api.api.evaluators import retrieve_evaluator
        from respan_evals_api.models import Evaluator

        return self._call(retrieve_evaluator.sync_detailed, Evaluator, evaluator_id)

    @body_args_1(lazy_models.EvaluatorUpdateRequest)
    def update(self, evaluator_id: str, body: EvaluatorUpdateRequest) -> Evaluator:
        """Change the fields given on the draft (PATCH)."""
        from respan_evals_api.api.evaluators import update_evaluator
        from respan_evals_api.models import Evaluator

        return self._call(update_evaluator.sync_detailed, Evaluator, evaluator_id, body=body)

    @body_args_1(lazy_models.EvaluatorReplaceRequest)
    def replace(self, evaluator_id: str, body: EvaluatorReplaceRequest) -> Evaluator:
        """Replace the draft's configuration (PUT)."""
        from respan_evals_api.api.evaluators import replace_evaluator
        from respan_evals_api.models import Evaluator

        return self._call(replace_evaluator.sync_detailed, Evaluator, evaluator_id, body=body)

    def delete(self, evaluator_id: str) -> None:
        """Delete an evaluator and all its versions. Irreversible."""
        from respan_evals_api.api.evaluators import delete_evaluator

        self._call(delete_evaluator.sync_detailed, None, evaluator_id)

    def run(
        self,
        evaluator_id: str,
        *,
        inputs: EvaluatorRunInputs | Mapping[str, Any],
        generation_method: GenerationMethod | str | NotGiven = NOT_GIVEN,
        evaluation_id: str | NotGiven = NOT_GIVEN,
        log_ids: Sequence[str] | NotGiven = NOT_GIVEN,
        dataset_id: str | NotGiven = NOT_GIVEN,
    ) -> EvaluatorRunResult:
        """Run an evaluator on `inputs` ({"input": ..., "output": ...}); "evl_x:2" pins a version.

        Not retried after it may have been sent.
        """
        from respan_evals_api.api.evaluators import run_evaluator
        from respan_evals_api.models import EvaluatorRunResult

        body = _run_body(inputs, generation_method, evaluation_id, log_ids, dataset_id)
        return self._call(run_evaluator.sync_detailed, EvaluatorRunResult, evaluator_id, body=body)

    def summary(self) -> EvaluatorsSummary:
        """How many evaluators there are (GET /api/evaluators/summary/)."""
        from respan_evals_api.api.evaluators import get_evaluators_summary
        from respan_evals_api.models import EvaluatorsSummary

        return self._call(get_evaluators_summary.sync_detailed, EvaluatorsSummary)

    def filter_summary(
        self, *, filters: FiltersArg = NOT_GIVEN, is_exporting: bool | NotGiven = NOT_GIVEN
    ) -> EvaluatorsSummary:
        """How many evaluators match `filters` (POST /api/evaluators/summary/)."""
        from respan_evals_api.api.evaluators import filter_evaluators_summary
        from respan_evals_api.models import EvaluatorsSummary

        return self._call(
            filter_evaluators_summary.sync_detailed,
            EvaluatorsSummary,
            body=_summary_body(filters, is_exporting),
        )

    def iter_list(
        self, *, page_size: int = 100, search: str | NotGiven = NOT_GIVEN
    ) -> Iterator[Evaluator]:
        """Every evaluator, fetching one page at a time."""
        return iterate(fetcher(self.list, page_size=page_size, search=search))

    def iter_filter(
        self,
        *,
        filters: FiltersArg = NOT_GIVEN,
        page_size: int = 100,
        sort_by: str | NotGiven = NOT_GIVEN,
        is_including_public_evaluators: bool | NotGiven = NOT_GIVEN,
    ) -> Iterator[Evaluator]:
        """Every evaluator matching `filters`, fetching one page at a time."""
        return iterate(
            fetcher(
                self.filter,
                filters=to_filters(filters),
                page_size=page_size,
                sort_by=sort_by,
                is_including_public_evaluators=is_including_public_evaluators,
            )
        )


class AsyncEvaluators(AsyncResource):
    """Evaluators: /api/evaluators/."""

    def __init__(self, api: LazyApi) -> None:
        super().__init__(api)
        self.versions = AsyncEvaluatorVersions(api)

    @body_args(lazy_models.EvaluatorCreateRequest)
    async def create(self, body: EvaluatorCreateRequest) -> Evaluator:
        """Create an evaluator (POST). Not retried after it may have been sent."""
        from respan_evals_api.api.evaluators import create_evaluator
        from respan_evals_api.models import Evaluator

        return await self._call(create_evaluator.asyncio_detailed, Evaluator, body=body)

    async def list(
        self,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        search: str | NotGiven = NOT_GIVEN,
    ) -> PaginatedEvaluatorList:
        """One page of evaluators (GET /api/evaluators/)."""
        from respan_evals_api.api.evaluators import list_evaluators
        from respan_evals_api.models import PaginatedEvaluatorList

        return await self._call(
            list_evaluators.asyncio_detailed,
            PaginatedEvaluatorList,
            page=page,
            page_size=page_size,
            search=search,
        )

    async def filter(
        self,
        *,
        filters: FiltersArg = NOT_GIVEN,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        sort_by: str | NotGiven = NOT_GIVEN,
        is_including_public_evaluators: bool | NotGiven = NOT_GIVEN,
        is_exporting: bool | NotGiven = NOT_GIVEN,
    ) -> PaginatedEvaluatorList:
        """One page of evaluators matching `filters` (POST /api/evaluators/list/)."""
        from respan_evals_api.api.evaluators import filter_evaluators
        from respan_evals_api.models import PaginatedEvaluatorList

        return await self._call(
            filter_evaluators.asyncio_detailed,
            PaginatedEvaluatorList,
            body=_filter_body(filters, is_exporting),
            page=page,
            page_size=page_size,
            sort_by=sort_by,
            is_including_public_evaluators=is_including_public_evaluators,
        )

    async def retrieve(self, evaluator_id: str) -> Evaluator:
        """One evaluator (its current draft/latest version)."""
        from respan_evals_api.api.evaluators import retrieve_evaluator
        from respan_evals_api.models import Evaluator

        return await self._call(retrieve_evaluator.asyncio_detailed, Evaluator, evaluator_id)

    @body_args_1(lazy_models.EvaluatorUpdateRequest)
    async def update(self, evaluator_id: str, body: EvaluatorUpdateRequest) -> Evaluator:
        """Change the fields given on the draft (PATCH)."""
        from respan_evals_api.api.evaluators import update_evaluator
        from respan_evals_api.models import Evaluator

        return await self._call(
            update_evaluator.asyncio_detailed, Evaluator, evaluator_id, body=body
        )

    @body_args_1(lazy_models.EvaluatorReplaceRequest)
    async def replace(self, evaluator_id: str, body: EvaluatorReplaceRequest) -> Evaluator:
        """Replace the draft's configuration (PUT)."""
        from respan_evals_api.api.evaluators import replace_evaluator
        from respan_evals_api.models import Evaluator

        return await self._call(
            replace_evaluator.asyncio_detailed, Evaluator, evaluator_id, body=body
        )

    async def delete(self, evaluator_id: str) -> None:
        """Delete an evaluator and all its versions. Irreversible."""
        from respan_evals_api.api.evaluators import delete_evaluator

        await self._call(delete_evaluator.asyncio_detailed, None, evaluator_id)

    async def run(
        self,
        evaluator_id: str,
        *,
        inputs: EvaluatorRunInputs | Mapping[str, Any],
        generation_method: GenerationMethod | str | NotGiven = NOT_GIVEN,
        evaluation_id: str | NotGiven = NOT_GIVEN,
        log_ids: Sequence[str] | NotGiven = NOT_GIVEN,
        dataset_id: str | NotGiven = NOT_GIVEN,
    ) -> EvaluatorRunResult:
        """Run an evaluator on `inputs` ({"input": ..., "output": ...}); "evl_x:2" pins a version.

        Not retried after it may have been sent.
        """
        from respan_evals_api.api.evaluators import run_evaluator
        from respan_evals_api.models import EvaluatorRunResult

        body = _run_body(inputs, generation_method, evaluation_id, log_ids, dataset_id)
        return await self._call(
            run_evaluator.asyncio_detailed, EvaluatorRunResult, evaluator_id, body=body
        )

    async def summary(self) -> EvaluatorsSummary:
        """How many evaluators there are (GET /api/evaluators/summary/)."""
        from respan_evals_api.api.evaluators import get_evaluators_summary
        from respan_evals_api.models import EvaluatorsSummary

        return await self._call(get_evaluators_summary.asyncio_detailed, EvaluatorsSummary)

    async def filter_summary(
        self, *, filters: FiltersArg = NOT_GIVEN, is_exporting: bool | NotGiven = NOT_GIVEN
    ) -> EvaluatorsSummary:
        """How many evaluators match `filters` (POST /api/evaluators/summary/)."""
        from respan_evals_api.api.evaluators import filter_evaluators_summary
        from respan_evals_api.models import EvaluatorsSummary

        return await self._call(
            filter_evaluators_summary.asyncio_detailed,
            EvaluatorsSummary,
            body=_summary_body(filters, is_exporting),
        )

    def iter_list(
        self, *, page_size: int = 100, search: str | NotGiven = NOT_GIVEN
    ) -> AsyncIterator[Evaluator]:
        """Every evaluator, fetching one page at a time."""
        return aiterate(afetcher(self.list, page_size=page_size, search=search))

    def iter_filter(
        self,
        *,
        filters: FiltersArg = NOT_GIVEN,
        page_size: int = 100,
        sort_by: str | NotGiven = NOT_GIVEN,
        is_including_public_evaluators: bool | NotGiven = NOT_GIVEN,
    ) -> AsyncIterator[Evaluator]:
        """Every evaluator matching `filters`, fetching one page at a time."""
        return aiterate(
            afetcher(
                self.filter,
                filters=to_filters(filters),
                page_size=page_size,
                sort_by=sort_by,
                is_including_public_evaluators=is_including_public_evaluators,
            )
        )
