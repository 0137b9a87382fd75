from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ValidationErrorBody")


@_attrs_define
class ValidationErrorBody:
    """Body of 400 (and 422) responses. Documented shapes, all accepted:
    (1) `{"detail": "...", "errors": {"field": ["message", ...]}}` (error-handling page, on
    422; a 400 may carry `detail` alone); (2) a Django REST framework bare map of field name
    to a list of messages (or a single message), e.g. `{"configurations": ["..."]}` (legacy
    create-evaluator docs). A field of a nested object maps to the nested object's own field
    errors, as DRF writes them for a nested serializer
    (`{"score_config": {"min_score": ["..."]}}`), and a list field to one entry per item
    (`{}` for an item without errors); see FieldErrors. Respan documents no nested error, but
    its bodies are DRF's and `score_config`, `llm_config` and `passing_conditions` are nested
    objects. The client reads every field error as a dotted path (`score_config.min_score`,
    `categorical_choices.1.value`).

        Attributes:
            detail (str | Unset):
            errors (FieldErrors | Unset): Field name to that field's errors (DRF's shape, nested as the body is).
    """

    detail: str | Unset = UNSET
    errors: FieldErrors | Unset = UNSET
    additional_properties: dict[str, FieldErrors | list[FieldErrors | str] | str] = (
        _attrs_field(init=False, factory=dict)
    )

    def to_dict(self) -> dict[str, Any]:
        detail = self.detail

        errors: dict[str, Any] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = self.errors.to_dict()

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

        field_dict.update({})
        if detail is not UNSET:
            field_dict["detail"] = detail
        if errors is not UNSET:
            field_dict["errors"] = errors

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        detail = d.pop("detail", UNSET)

        _errors = d.pop("errors", UNSET)
        errors: FieldErrors | Unset
        if isinstance(_errors, Unset):
            errors = UNSET
        else:
            errors = FieldErrors.from_dict(_errors)

        validation_error_body = cls(
            detail=detail,
            errors=errors,
        )

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

        validation_error_body.additional_properties = additional_properties
        return validation_error_body

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


from ..models.field_errors import FieldErrors
