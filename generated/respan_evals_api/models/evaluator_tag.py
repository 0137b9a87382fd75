from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="EvaluatorTag")


@_attrs_define
class EvaluatorTag:
    """Tag attached to an evaluator. Shape from SDK 0.1.29-0.1.46 and the create-evaluator page's
    example (`{"id": 10, "name": "Quality", "color": "#4CAF50"}`); the page's field list
    types `tags` only as a list of objects. Every field accepts null: SDK 0.1.46 types each
    `Optional`.

        Attributes:
            id (int | None | Unset):
            name (None | str | Unset):
            color (None | str | Unset):
    """

    id: int | None | Unset = UNSET
    name: None | str | Unset = UNSET
    color: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id: int | None | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        color: None | str | Unset
        if isinstance(self.color, Unset):
            color = UNSET
        else:
            color = self.color

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if name is not UNSET:
            field_dict["name"] = name
        if color is not UNSET:
            field_dict["color"] = color

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = cast("int | None | Unset", d.pop("id", UNSET))

        name = cast("None | str | Unset", d.pop("name", UNSET))

        color = cast("None | str | Unset", d.pop("color", UNSET))

        evaluator_tag = cls(
            id=id,
            name=name,
            color=color,
        )

        evaluator_tag.additional_properties = d
        return evaluator_tag

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
