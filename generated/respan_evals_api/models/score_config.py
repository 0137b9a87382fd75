from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ScoreConfig")


@_attrs_define
class ScoreConfig:
    """Score configuration. For numerical/percentage scores use `min_score` and `max_score`
    (`choices` optionally lists discrete values); for select scores use `choices`. All three
    accept null: SDK 0.1.46 types each `Optional`.

        Attributes:
            min_score (float | None | Unset):
            max_score (float | None | Unset):
            choices (list[ScoreChoice] | None | Unset):
    """

    min_score: float | None | Unset = UNSET
    max_score: float | None | Unset = UNSET
    choices: list[ScoreChoice] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        min_score: float | None | Unset
        if isinstance(self.min_score, Unset):
            min_score = UNSET
        else:
            min_score = self.min_score

        max_score: float | None | Unset
        if isinstance(self.max_score, Unset):
            max_score = UNSET
        else:
            max_score = self.max_score

        choices: list[dict[str, Any]] | None | Unset
        if isinstance(self.choices, Unset):
            choices = UNSET
        elif isinstance(self.choices, list):
            choices = []
            for choices_type_0_item_data in self.choices:
                choices_type_0_item = choices_type_0_item_data.to_dict()
                choices.append(choices_type_0_item)

        else:
            choices = self.choices

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if min_score is not UNSET:
            field_dict["min_score"] = min_score
        if max_score is not UNSET:
            field_dict["max_score"] = max_score
        if choices is not UNSET:
            field_dict["choices"] = choices

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        min_score = cast("float | None | Unset", d.pop("min_score", UNSET))

        max_score = cast("float | None | Unset", d.pop("max_score", UNSET))

        def _parse_choices(data: object) -> list[ScoreChoice] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, list):
                try:
                    choices_type_0 = []
                    _choices_type_0 = data
                    for choices_type_0_item_data in _choices_type_0:
                        choices_type_0_item = ScoreChoice.from_dict(
                            choices_type_0_item_data
                        )

                        choices_type_0.append(choices_type_0_item)

                    return choices_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(list[ScoreChoice] | None | Unset, data)

        choices = _parse_choices(d.pop("choices", UNSET))

        score_config = cls(
            min_score=min_score,
            max_score=max_score,
            choices=choices,
        )

        score_config.additional_properties = d
        return score_config

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


from ..models.score_choice import ScoreChoice
