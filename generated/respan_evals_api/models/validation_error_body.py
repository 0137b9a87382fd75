from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.validation_error_body_errors import ValidationErrorBodyErrors


T = TypeVar("T", bound="ValidationErrorBody")


@_attrs_define
class ValidationErrorBody:
    """Body of 400/422 responses. Two documented shapes, both accepted:
    (1) `{"detail": "...", "errors": {"field": ["message", ...]}}`
    (error-handling page; `errors` only on 422, 400 may carry `detail` alone);
    (2) a DRF-style bare map of field name to a list of messages (or a single
    message), e.g. `{"configurations": ["..."]}` (legacy docs).

        Attributes:
            detail (str | Unset):
            errors (ValidationErrorBodyErrors | Unset): Field name to list of messages.
    """

    detail: str | Unset = UNSET
    errors: ValidationErrorBodyErrors | Unset = UNSET
    additional_properties: dict[str, list[str] | str] = _attrs_field(
        init=False, factory=dict
    )

    def to_dict(self) -> dict[str, Any]:
        detail = self.detail

        errors: dict[str, Any] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = self.errors.to_dict()

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            if isinstance(prop, list):
                field_dict[prop_name] = prop

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
        from ..models.validation_error_body_errors import ValidationErrorBodyErrors

        d = dict(src_dict)
        detail = d.pop("detail", UNSET)

        _errors = d.pop("errors", UNSET)
        errors: ValidationErrorBodyErrors | Unset
        if isinstance(_errors, Unset):
            errors = UNSET
        else:
            errors = ValidationErrorBodyErrors.from_dict(_errors)

        validation_error_body = cls(
            detail=detail,
            errors=errors,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():

            def _parse_additional_property(data: object) -> list[str] | str:
                try:
                    if not isinstance(data, list):
                        raise TypeError()
                    additional_property_type_0 = cast(list[str], data)

                    return additional_property_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast(list[str] | str, data)

            additional_property = _parse_additional_property(prop_dict)

            additional_properties[prop_name] = additional_property

        validation_error_body.additional_properties = additional_properties
        return validation_error_body

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> list[str] | str:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: list[str] | str) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
