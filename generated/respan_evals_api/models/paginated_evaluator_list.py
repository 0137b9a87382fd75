from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PaginatedEvaluatorList")


@_attrs_define
class PaginatedEvaluatorList:
    """Paginated evaluator list (GET /api/evaluators/ and POST /api/evaluators/list/).
    `filters_data` is returned by the POST route only.

        Attributes:
            count (int): Number of resources returned on this page, in the docs' words. Respan's agent tool catalog calls
                the scores list's `count` the total number of matches (DRF's usual meaning); which one this envelope carries is
                unconfirmed. Do not compute pages from it: follow `next`.
            results (list[Evaluator]):
            next_ (None | str | Unset): URL for the next page, if any.
            previous (None | str | Unset): URL for the previous page, if any.
            current_filters (None | PaginatedEvaluatorListCurrentFiltersType0 | Unset): Normalized filters applied to this
                request. Free-form: the analogous Testsets example
                echoes conditions without `operator` (e.g. `{"name": {"value": "QA"}}`).
            filters_data (None | PaginatedEvaluatorListFiltersDataType0 | Unset): Available filter options for evaluator
                list UI clients (shape not documented;
                free-form map per the SDK).
    """

    count: int
    results: list[Evaluator]
    next_: None | str | Unset = UNSET
    previous: None | str | Unset = UNSET
    current_filters: None | PaginatedEvaluatorListCurrentFiltersType0 | Unset = UNSET
    filters_data: None | PaginatedEvaluatorListFiltersDataType0 | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        next_: None | str | Unset
        if isinstance(self.next_, Unset):
            next_ = UNSET
        else:
            next_ = self.next_

        previous: None | str | Unset
        if isinstance(self.previous, Unset):
            previous = UNSET
        else:
            previous = self.previous

        current_filters: dict[str, Any] | None | Unset
        if isinstance(self.current_filters, Unset):
            current_filters = UNSET
        elif isinstance(
            self.current_filters, PaginatedEvaluatorListCurrentFiltersType0
        ):
            current_filters = self.current_filters.to_dict()
        else:
            current_filters = self.current_filters

        filters_data: dict[str, Any] | None | Unset
        if isinstance(self.filters_data, Unset):
            filters_data = UNSET
        elif isinstance(self.filters_data, PaginatedEvaluatorListFiltersDataType0):
            filters_data = self.filters_data.to_dict()
        else:
            filters_data = self.filters_data

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "count": count,
                "results": results,
            }
        )
        if next_ is not UNSET:
            field_dict["next"] = next_
        if previous is not UNSET:
            field_dict["previous"] = previous
        if current_filters is not UNSET:
            field_dict["current_filters"] = current_filters
        if filters_data is not UNSET:
            field_dict["filters_data"] = filters_data

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        count = d.pop("count")

        results = []
        _results = d.pop("results")
        for results_item_data in _results:
            results_item = Evaluator.from_dict(results_item_data)

            results.append(results_item)

        next_ = cast("None | str | Unset", d.pop("next", UNSET))

        previous = cast("None | str | Unset", d.pop("previous", UNSET))

        def _parse_current_filters(
            data: object,
        ) -> None | PaginatedEvaluatorListCurrentFiltersType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, dict):
                try:
                    current_filters_type_0 = (
                        PaginatedEvaluatorListCurrentFiltersType0.from_dict(data)
                    )

                    return current_filters_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(None | PaginatedEvaluatorListCurrentFiltersType0 | Unset, data)

        current_filters = _parse_current_filters(d.pop("current_filters", UNSET))

        def _parse_filters_data(
            data: object,
        ) -> None | PaginatedEvaluatorListFiltersDataType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, dict):
                try:
                    filters_data_type_0 = (
                        PaginatedEvaluatorListFiltersDataType0.from_dict(data)
                    )

                    return filters_data_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(None | PaginatedEvaluatorListFiltersDataType0 | Unset, data)

        filters_data = _parse_filters_data(d.pop("filters_data", UNSET))

        paginated_evaluator_list = cls(
            count=count,
            results=results,
            next_=next_,
            previous=previous,
            current_filters=current_filters,
            filters_data=filters_data,
        )

        paginated_evaluator_list.additional_properties = d
        return paginated_evaluator_list

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


from ..models.evaluator import Evaluator
from ..models.paginated_evaluator_list_current_filters_type_0 import (
    PaginatedEvaluatorListCurrentFiltersType0,
)
from ..models.paginated_evaluator_list_filters_data_type_0 import (
    PaginatedEvaluatorListFiltersDataType0,
)
