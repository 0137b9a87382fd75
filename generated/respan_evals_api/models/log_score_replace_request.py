from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LogScoreReplaceRequest")


@_attrs_define
class LogScoreReplaceRequest:
    """Body of PUT /api/logs/{log_id}/scores/{score_id}/. Same fields as
    LogScoreUpsertRequest (no `log_id`), all optional. The docs page rendered
    descriptions only; names and types are from the SDK (0.1.18-0.1.46).

        Attributes:
            numerical_value (float | None | Unset): Numeric score value. Use for `numerical` and `percentage` evaluators.
            string_value (None | str | Unset): Text score value. Use for `text` and legacy `comment` evaluators.
            boolean_value (bool | None | Unset): Boolean score value. Use for `boolean` evaluators.
            categorical_value (list[str] | None | Unset): Categorical score values. Use for `single_select`, `multi_select`
                and legacy `categorical` evaluators.
            json_value (None | str | Unset): JSON score value encoded as a STRING (e.g. "{\\"rating\\": 5}"). Use for `json`
                evaluators.
            evaluator_id (str | Unset): Evaluator ID. Provide either evaluator_id or evaluator_slug.
            evaluator_slug (str | Unset): Custom evaluator slug. Provide either evaluator_id or evaluator_slug.
            timestamp (datetime.datetime | Unset): Log timestamp. Supplying it can avoid an additional log lookup.
            environment (str | Unset): Score environment.
            prompt_id (str | Unset): Associated prompt ID (undescribed in the docs).
            prompt_version_number (int | Unset): Associated prompt version number (undescribed in the docs).
            dataset_id (str | Unset): Associated dataset ID (undescribed in the docs).
            automation_id (str | Unset): Associated automation ID (undescribed in the docs).
            scorer (str | Unset): Optional score producer. Log-scoped routes derive this from the authenticated user.
            explanation (str | Unset): Optional explanation for the score. From the SDK only (0.1.36+), not on any captured
                docs page; re-check against the live API.
    """

    numerical_value: float | None | Unset = UNSET
    string_value: None | str | Unset = UNSET
    boolean_value: bool | None | Unset = UNSET
    categorical_value: list[str] | None | Unset = UNSET
    json_value: None | str | Unset = UNSET
    evaluator_id: str | Unset = UNSET
    evaluator_slug: str | Unset = UNSET
    timestamp: datetime.datetime | Unset = UNSET
    environment: str | Unset = UNSET
    prompt_id: str | Unset = UNSET
    prompt_version_number: int | Unset = UNSET
    dataset_id: str | Unset = UNSET
    automation_id: str | Unset = UNSET
    scorer: str | Unset = UNSET
    explanation: str | Unset = UNSET
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

        evaluator_id = self.evaluator_id

        evaluator_slug = self.evaluator_slug

        timestamp: str | Unset = UNSET
        if not isinstance(self.timestamp, Unset):
            timestamp = self.timestamp.isoformat()

        environment = self.environment

        prompt_id = self.prompt_id

        prompt_version_number = self.prompt_version_number

        dataset_id = self.dataset_id

        automation_id = self.automation_id

        scorer = self.scorer

        explanation = self.explanation

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
        if evaluator_id is not UNSET:
            field_dict["evaluator_id"] = evaluator_id
        if evaluator_slug is not UNSET:
            field_dict["evaluator_slug"] = evaluator_slug
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp
        if environment is not UNSET:
            field_dict["environment"] = environment
        if prompt_id is not UNSET:
            field_dict["prompt_id"] = prompt_id
        if prompt_version_number is not UNSET:
            field_dict["prompt_version_number"] = prompt_version_number
        if dataset_id is not UNSET:
            field_dict["dataset_id"] = dataset_id
        if automation_id is not UNSET:
            field_dict["automation_id"] = automation_id
        if scorer is not UNSET:
            field_dict["scorer"] = scorer
        if explanation is not UNSET:
            field_dict["explanation"] = explanation

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

        evaluator_id = d.pop("evaluator_id", UNSET)

        evaluator_slug = d.pop("evaluator_slug", UNSET)

        _timestamp = d.pop("timestamp", UNSET)
        timestamp: datetime.datetime | Unset
        if isinstance(_timestamp, Unset):
            timestamp = UNSET
        else:
            timestamp = datetime.datetime.fromisoformat(_timestamp)

        environment = d.pop("environment", UNSET)

        prompt_id = d.pop("prompt_id", UNSET)

        prompt_version_number = d.pop("prompt_version_number", UNSET)

        dataset_id = d.pop("dataset_id", UNSET)

        automation_id = d.pop("automation_id", UNSET)

        scorer = d.pop("scorer", UNSET)

        explanation = d.pop("explanation", UNSET)

        log_score_replace_request = cls(
            numerical_value=numerical_value,
            string_value=string_value,
            boolean_value=boolean_value,
            categorical_value=categorical_value,
            json_value=json_value,
            evaluator_id=evaluator_id,
            evaluator_slug=evaluator_slug,
            timestamp=timestamp,
            environment=environment,
            prompt_id=prompt_id,
            prompt_version_number=prompt_version_number,
            dataset_id=dataset_id,
            automation_id=automation_id,
            scorer=scorer,
            explanation=explanation,
        )

        log_score_replace_request.additional_properties = d
        return log_score_replace_request

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
