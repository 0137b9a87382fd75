from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UserRef")


@_attrs_define
class UserRef:
    """User reference in `created_by`, `updated_by` and `editor` (shape from SDK 0.1.29-0.1.46
    and the create-evaluator page's example; the old example omits `id`). Every field accepts
    null: SDK 0.1.46 types each `Optional`.

        Attributes:
            id (int | None | Unset):
            first_name (None | str | Unset):
            last_name (None | str | Unset):
            email (None | str | Unset):
    """

    id: int | None | Unset = UNSET
    first_name: None | str | Unset = UNSET
    last_name: None | str | Unset = UNSET
    email: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id: int | None | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        first_name: None | str | Unset
        if isinstance(self.first_name, Unset):
            first_name = UNSET
        else:
            first_name = self.first_name

        last_name: None | str | Unset
        if isinstance(self.last_name, Unset):
            last_name = UNSET
        else:
            last_name = self.last_name

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if first_name is not UNSET:
            field_dict["first_name"] = first_name
        if last_name is not UNSET:
            field_dict["last_name"] = last_name
        if email is not UNSET:
            field_dict["email"] = email

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = cast("int | None | Unset", d.pop("id", UNSET))

        first_name = cast("None | str | Unset", d.pop("first_name", UNSET))

        last_name = cast("None | str | Unset", d.pop("last_name", UNSET))

        email = cast("None | str | Unset", d.pop("email", UNSET))

        user_ref = cls(
            id=id,
            first_name=first_name,
            last_name=last_name,
            email=email,
        )

        user_ref.additional_properties = d
        return user_ref

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
