from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LogScoreUpdateRequest")


@_attrs_define
class LogScoreUpdateRequest:
    """Body of PATCH /api/logs/{log_id}/scores/{score_id}/: only the five value fields; only the fields sent are changed.

    Attributes:
        numerical_value (float | None | Unset): Numeric score value. Use for `numerical` and `percentage` evaluators.
        string_value (None | str | Unset): Text score value. Use for `text` and legacy `comment` evaluators.
        boolean_value (bool | None | Unset): Boolean score value. Use for `boolean` evaluators.
        categorical_value (list[str] | None | Unset): Categorical score values. Use for `single_select`, `multi_select`
            and legacy `categorical` evaluators.
        json_value (None | str | Unset): JSON score value encoded as a STRING (e.g. "{\\"rating\\": 5}"). Use for `json`
            evaluators.
    """

    numerical_value: float | None | Unset = UNSET
    string_value: None | str | Unset = UNSET
    boolean_value: bool | None | Unset = UNSET
    categorical_value: list[str] | None | Unset = UNSET
    json_value: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        numerical_value: float | None | Unset
        if isinstance(self.numerical_value, Unset):
            numerical_value = UNSET
        else:
            numerical_value = self.numerical_value

        string_value: None | str | Unset
        if isinstance(self.string_value, Unset):
            string_value = UNSET
        else:
            string_value = self.string_value

        boolean_value: bool | None | Unset
        if isinstance(self.boolean_value, Unset):
            boolean_value = UNSET
        else:
            boolean_value = self.boolean_value

        categorical_value: list[str] | None | Unset
        if isinstance(self.categorical_value, Unset):
            categorical_value = UNSET
        elif isinstance(self.categorical_value, list):
            categorical_value = self.categorical_value

        else:
            categorical_value = self.categorical_value

        json_value: None | str | Unset
        if isinstance(self.json_value, Unset):
            json_value = UNSET
        else:
            json_value = self.json_value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if numerical_value is not UNSET:
            field_dict["numerical_value"] = numerical_value
        if string_value is not UNSET:
            field_dict["string_value"] = string_value
        if boolean_value is not UNSET:
            field_dict["boolean_value"] = boolean_value
        if categorical_value is not UNSET:
            field_dict["categorical_value"] = categorical_value
        if json_value is not UNSET:
            field_dict["json_value"] = json_value

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        numerical_value = cast("float | None | Unset", d.pop("numerical_value", UNSET))

        string_value = cast("None | str | Unset", d.pop("string_value", UNSET))

        boolean_value = cast("bool | None | Unset", d.pop("boolean_value", UNSET))

        categorical_value = cast(
            "list[str] | None | Unset", d.pop("categorical_value", UNSET)
        )

        json_value = cast("None | str | Unset", d.pop("json_value", UNSET))

        log_score_update_request = cls(
            numerical_value=numerical_value,
            string_value=string_value,
            boolean_value=boolean_value,
            categorical_value=categorical_value,
            json_value=json_value,
        )

        log_score_update_request.additional_properties = d
        return log_score_update_request

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
