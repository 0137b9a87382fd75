from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Filters")


@_attrs_define
class Filters:
    """Standard Respan filter format: keys are field names, values are
    conditions; all conditions are combined with AND (no OR syntax is
    documented). Custom metadata is filtered with a `metadata__` prefix,
    e.g. `metadata__user_id`. Which score fields are filterable is not
    documented (evaluator_slug, log_id, environment, type, created_at are the
    natural candidates).

    """

    additional_properties: dict[str, FilterCondition] = _attrs_field(
        init=False, factory=dict
    )

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            field_dict[prop_name] = prop.to_dict()

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        filters = cls()

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional_property = FilterCondition.from_dict(prop_dict)

            additional_properties[prop_name] = additional_property

        filters.additional_properties = additional_properties
        return filters

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> FilterCondition:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: FilterCondition) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


from ..models.filter_condition import FilterCondition
