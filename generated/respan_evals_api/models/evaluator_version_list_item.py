from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.evaluator_type import EvaluatorType
from ..models.score_value_type import ScoreValueType
from ..types import UNSET, Unset

T = TypeVar("T", bound="EvaluatorVersionListItem")


@_attrs_define
class EvaluatorVersionListItem:
    """Slim version row returned by List evaluator versions (shape from the SDK).

    Attributes:
        id (str): Stable evaluator ID shared by all versions.
        version_id (str): Unique ID for this evaluator version.
        version (int): Version number. The first draft is version 0.
        is_read_only (bool): Whether this version is committed and immutable.
        name (str):
        type_ (EvaluatorType | str):
        score_value_type (ScoreValueType | str):
        version_description (None | str | Unset): Commit message for this version.
        description (None | str | Unset):
        created_at (datetime.datetime | Unset):
        created_by (None | Unset | UserRef):
    """

    id: str
    version_id: str
    version: int
    is_read_only: bool
    name: str
    type_: EvaluatorType | str
    score_value_type: ScoreValueType | str
    version_description: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    created_by: None | Unset | UserRef = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        version_id = self.version_id

        version = self.version

        is_read_only = self.is_read_only

        name = self.name

        type_: str
        if isinstance(self.type_, EvaluatorType):
            type_ = self.type_.value
        else:
            type_ = self.type_

        score_value_type: str
        if isinstance(self.score_value_type, ScoreValueType):
            score_value_type = self.score_value_type.value
        else:
            score_value_type = self.score_value_type

        version_description: None | str | Unset
        if isinstance(self.version_description, Unset):
            version_description = UNSET
        else:
            version_description = self.version_description

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        created_by: dict[str, Any] | None | Unset
        if isinstance(self.created_by, Unset):
            created_by = UNSET
        elif isinstance(self.created_by, UserRef):
            created_by = self.created_by.to_dict()
        else:
            created_by = self.created_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "version_id": version_id,
                "version": version,
                "is_read_only": is_read_only,
                "name": name,
                "type": type_,
                "score_value_type": score_value_type,
            }
        )
        if version_description is not UNSET:
            field_dict["version_description"] = version_description
        if description is not UNSET:
            field_dict["description"] = description
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if created_by is not UNSET:
            field_dict["created_by"] = created_by

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        version_id = d.pop("version_id")

        version = d.pop("version")

        is_read_only = d.pop("is_read_only")

        name = d.pop("name")

        def _parse_type_(data: object) -> EvaluatorType | str:
            if isinstance(data, str):
                try:
                    type_type_0 = EvaluatorType(data)

                    return type_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(EvaluatorType | str, data)

        type_ = _parse_type_(d.pop("type"))

        def _parse_score_value_type(data: object) -> ScoreValueType | str:
            if isinstance(data, str):
                try:
                    score_value_type_type_0 = ScoreValueType(data)

                    return score_value_type_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(ScoreValueType | str, data)

        score_value_type = _parse_score_value_type(d.pop("score_value_type"))

        version_description = cast(
            "None | str | Unset", d.pop("version_description", UNSET)
        )

        description = cast("None | str | Unset", d.pop("description", UNSET))

        _created_at = d.pop("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        def _parse_created_by(data: object) -> None | Unset | UserRef:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, dict):
                try:
                    created_by_type_0 = UserRef.from_dict(data)

                    return created_by_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(None | Unset | UserRef, data)

        created_by = _parse_created_by(d.pop("created_by", UNSET))

        evaluator_version_list_item = cls(
            id=id,
            version_id=version_id,
            version=version,
            is_read_only=is_read_only,
            name=name,
            type_=type_,
            score_value_type=score_value_type,
            version_description=version_description,
            description=description,
            created_at=created_at,
            created_by=created_by,
        )

        evaluator_version_list_item.additional_properties = d
        return evaluator_version_list_item

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


from ..models.user_ref import UserRef
