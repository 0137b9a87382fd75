from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PaginatedScoreList")


@_attrs_define
class PaginatedScoreList:
    """Paginated page of scores.

    Attributes:
        count (int): Number of scores returned on this page, in the docs' words. Respan's agent tool catalog
            (`score_list`) calls it the total number of matches (DRF's usual meaning); which one the server sends is
            unconfirmed. Do not compute pages from it: follow `next`.
        results (list[Score]):
        next_ (None | str | Unset): URL of the next page, if any.
        previous (None | str | Unset): URL of the previous page, if any.
        current_filters (None | PaginatedScoreListCurrentFiltersType0 | Unset): Normalized filters applied to this
            request (free-form; may be absent or null).
    """

    count: int
    results: list[Score]
    next_: None | str | Unset = UNSET
    previous: None | str | Unset = UNSET
    current_filters: None | PaginatedScoreListCurrentFiltersType0 | Unset = UNSET
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
        elif isinstance(self.current_filters, PaginatedScoreListCurrentFiltersType0):
            current_filters = self.current_filters.to_dict()
        else:
            current_filters = self.current_filters

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

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        count = d.pop("count")

        results = []
        _results = d.pop("results")
        for results_item_data in _results:
            results_item = Score.from_dict(results_item_data)

            results.append(results_item)

        next_ = cast("None | str | Unset", d.pop("next", UNSET))

        previous = cast("None | str | Unset", d.pop("previous", UNSET))

        def _parse_current_filters(
            data: object,
        ) -> None | PaginatedScoreListCurrentFiltersType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, dict):
                try:
                    current_filters_type_0 = (
                        PaginatedScoreListCurrentFiltersType0.from_dict(data)
                    )

                    return current_filters_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(None | PaginatedScoreListCurrentFiltersType0 | Unset, data)

        current_filters = _parse_current_filters(d.pop("current_filters", UNSET))

        paginated_score_list = cls(
            count=count,
            results=results,
            next_=next_,
            previous=previous,
            current_filters=current_filters,
        )

        paginated_score_list.additional_properties = d
        return paginated_score_list

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


from ..models.paginated_score_list_current_filters_type_0 import (
    PaginatedScoreListCurrentFiltersType0,
)
from ..models.score import Score
