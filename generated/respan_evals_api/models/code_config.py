from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CodeConfig")


@_attrs_define
class CodeConfig:
    """Code grader configuration. `eval_code_snippet` accepts null (SDK 0.1.46 `Optional`).

    Attributes:
        eval_code_snippet (None | str | Unset): Python code defining `main(eval_inputs)`; `main` must return a scalar
            (int/float/str/bool) per Respan's agent tools.
    """

    eval_code_snippet: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        eval_code_snippet: None | str | Unset
        if isinstance(self.eval_code_snippet, Unset):
            eval_code_snippet = UNSET
        else:
            eval_code_snippet = self.eval_code_snippet

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if eval_code_snippet is not UNSET:
            field_dict["eval_code_snippet"] = eval_code_snippet

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        eval_code_snippet = cast(
            "None | str | Unset", d.pop("eval_code_snippet", UNSET)
        )

        code_config = cls(
            eval_code_snippet=eval_code_snippet,
        )

        code_config.additional_properties = d
        return code_config

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
