from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="EvaluatorFilterRequest")


@_attrs_define
class EvaluatorFilterRequest:
    """Body of List evaluators with filters. `{}` lists everything.

    Attributes:
        filters (Filters | Unset): Standard Respan filter format: keys are field names, values are
            conditions; all conditions are combined with AND (no OR syntax is
            documented). Custom metadata is filtered with a `metadata__` prefix,
            e.g. `metadata__user_id`. Which score fields are filterable is not
            documented (evaluator_slug, log_id, environment, type, created_at are the
            natural candidates).
        is_exporting (bool | Unset): Reserved for dashboard exports.
    """

    filters: Filters | Unset = UNSET
    is_exporting: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        filters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.filters, Unset):
            filters = self.filters.to_dict()

        is_exporting = self.is_exporting

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if filters is not UNSET:
            field_dict["filters"] = filters
        if is_exporting is not UNSET:
            field_dict["is_exporting"] = is_exporting

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        _filters = d.pop("filters", UNSET)
        filters: Filters | Unset
        if isinstance(_filters, Unset):
            filters = UNSET
        else:
            filters = Filters.from_dict(_filters)

        is_exporting = d.pop("is_exporting", UNSET)

        evaluator_filter_request = cls(
            filters=filters,
            is_exporting=is_exporting,
        )

        evaluator_filter_request.additional_properties = d
        return evaluator_filter_request

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


from ..models.filters import Filters
