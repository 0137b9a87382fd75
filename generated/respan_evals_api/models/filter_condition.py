from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.filter_operator import FilterOperator
from ..types import UNSET, Unset

T = TypeVar("T", bound="FilterCondition")


@_attrs_define
class FilterCondition:
    """One filter condition, `{operator, value}`.

    `value` accepts an array or a scalar. The filters page says the value is
    always an array (e.g. `[100]`, `["test"]`, `[true]`), but evaluator
    `passing_conditions` examples and Respan's own MCP client use a scalar
    (e.g. `{"operator": "gte", "value": 3}`), so both are allowed. Prefer
    arrays in request filters.
    Neither key is marked required: a condition the server echoes back
    (current_filters, passing_conditions) may lack one, and that must not
    fail the whole response. Clients always send both.
    Both accept `null`: SDK 0.1.46 types these routes' `filters`, `passing_conditions`
    and `current_filters` as free maps (`Dict[str, Any]`), and where it spells a
    condition of the same filter format out (the datasets API's `filters` and
    `current_filters`) it types `operator: Optional[str]` and `value: Optional[Any]`.

        Attributes:
            operator (FilterOperator | None | str | Unset): Filter operator; "" means equal. Unknown strings are accepted so
                that conditions stored or echoed by the server still parse; null too (SDK `Optional`).
            value (bool | float | list[Any] | None | str | Unset): Operand(s). Array per the filters page; scalar seen in
                passing_conditions; null accepted (SDK `Optional`).
    """

    operator: FilterOperator | None | str | Unset = UNSET
    value: bool | float | list[Any] | None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        operator: None | str | Unset
        if isinstance(self.operator, Unset):
            operator = UNSET
        elif isinstance(self.operator, FilterOperator):
            operator = self.operator.value
        else:
            operator = self.operator

        value: bool | float | list[Any] | None | str | Unset
        if isinstance(self.value, Unset):
            value = UNSET
        elif isinstance(self.value, list):
            value = self.value

        else:
            value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if operator is not UNSET:
            field_dict["operator"] = operator
        if value is not UNSET:
            field_dict["value"] = value

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_operator(data: object) -> FilterOperator | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, str):
                try:
                    operator_type_0 = FilterOperator(data)

                    return operator_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(FilterOperator | None | str | Unset, data)

        operator = _parse_operator(d.pop("operator", UNSET))

        value = cast(
            "bool | float | list[Any] | None | str | Unset", d.pop("value", UNSET)
        )

        filter_condition = cls(
            operator=operator,
            value=value,
        )

        filter_condition.additional_properties = d
        return filter_condition

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
