from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="FieldErrors")


@_attrs_define
class FieldErrors:
    """Field name to that field's errors (DRF's shape, nested as the body is)."""

    additional_properties: dict[str, FieldErrors | list[FieldErrors | str] | str] = (
        _attrs_field(init=False, factory=dict)
    )

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            if isinstance(prop, list):
                field_dict[prop_name] = []
                for componentsschemas_field_error_value_type_1_item_data in prop:
                    componentsschemas_field_error_value_type_1_item: (
                        dict[str, Any] | str
                    )
                    if isinstance(
                        componentsschemas_field_error_value_type_1_item_data,
                        FieldErrors,
                    ):
                        componentsschemas_field_error_value_type_1_item = componentsschemas_field_error_value_type_1_item_data.to_dict()
                    else:
                        componentsschemas_field_error_value_type_1_item = (
                            componentsschemas_field_error_value_type_1_item_data
                        )
                    field_dict[prop_name].append(
                        componentsschemas_field_error_value_type_1_item
                    )

            elif isinstance(prop, FieldErrors):
                field_dict[prop_name] = prop.to_dict()
            else:
                field_dict[prop_name] = prop

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        field_errors = cls()

        additional_properties = {}
        for prop_name, prop_dict in d.items():

            def _parse_additional_property(
                data: object,
            ) -> FieldErrors | list[FieldErrors | str] | str:
                if isinstance(data, list):
                    try:
                        componentsschemas_field_error_value_type_1 = []
                        _componentsschemas_field_error_value_type_1 = data
                        for (
                            componentsschemas_field_error_value_type_1_item_data
                        ) in _componentsschemas_field_error_value_type_1:

                            def _parse_componentsschemas_field_error_value_type_1_item(
                                data: object,
                            ) -> FieldErrors | str:
                                if isinstance(data, dict):
                                    try:
                                        componentsschemas_field_error_value_type_1_item_type_1 = FieldErrors.from_dict(
                                            data
                                        )

                                        return componentsschemas_field_error_value_type_1_item_type_1
                                    except (
                                        TypeError,
                                        ValueError,
                                        AttributeError,
                                        KeyError,
                                    ):
                                        pass
                                return cast(FieldErrors | str, data)

                            componentsschemas_field_error_value_type_1_item = (
                                _parse_componentsschemas_field_error_value_type_1_item(
                                    componentsschemas_field_error_value_type_1_item_data
                                )
                            )

                            componentsschemas_field_error_value_type_1.append(
                                componentsschemas_field_error_value_type_1_item
                            )

                        return componentsschemas_field_error_value_type_1
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                if isinstance(data, dict):
                    try:
                        componentsschemas_field_error_value_type_2 = (
                            FieldErrors.from_dict(data)
                        )

                        return componentsschemas_field_error_value_type_2
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                return cast(FieldErrors | list[FieldErrors | str] | str, data)

            additional_property = _parse_additional_property(prop_dict)

            additional_properties[prop_name] = additional_property

        field_errors.additional_properties = additional_properties
        return field_errors

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> FieldErrors | list[FieldErrors | str] | str:
        return self.additional_properties[key]

    def __setitem__(
        self, key: str, value: FieldErrors | list[FieldErrors | str] | str
    ) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
