from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="EvaluatorRunResult")


@_attrs_define
class EvaluatorRunResult:
    """Result of Run an evaluator: a score-shaped object (typed by SDK 0.1.29-0.1.46; the docs
    example is cut after `scorer`). `type` is a plain string here, not the score type enum:
    the docs example returns `numerical`. The value fields are the shared `ScoreValueFields`;
    which one is set follows the evaluator's `score_value_type`. There is no `evaluator_name`;
    `evaluator` carries the full evaluator object instead.

        Attributes:
            numerical_value (float | None | Unset): Numeric score value. Use for `numerical` and `percentage` evaluators.
            string_value (None | str | Unset): Text score value. Use for `text` and legacy `comment` evaluators.
            boolean_value (bool | None | Unset): Boolean score value. Use for `boolean` evaluators.
            categorical_value (list[str] | None | Unset): Categorical score values. Use for `single_select`, `multi_select`
                and legacy `categorical` evaluators.
            json_value (None | str | Unset): JSON score value encoded as a STRING (e.g. "{\\"rating\\": 5}"). Use for `json`
                evaluators.
            id (None | str | Unset): Score/result ID.
            created_at (datetime.datetime | None | Unset):
            type_ (None | str | Unset): Plain string per the SDK; the docs example shows `numerical` (a score value type).
            environment (None | str | Unset):
            is_passed (bool | None | Unset): Whether the score passes the evaluator's passing conditions.
            cost (float | None | Unset): Evaluation cost in USD, when available.
            evaluator_id (None | str | Unset):
            evaluator_slug (None | str | Unset):
            scorer (None | str | Unset): Who/what produced the score (the model name in the docs example).
            log_id (None | str | Unset):
            prompt_id (None | str | Unset):
            prompt_version_number (int | None | Unset):
            dataset_id (None | str | Unset):
            automation_id (None | str | Unset):
            status (None | str | Unset): Evaluation status, when available (free string).
            error_message (None | str | Unset):
            inputs (EvaluatorRunInputs | None | Unset):
            evaluator (Evaluator | None | Unset):
    """

    numerical_value: float | None | Unset = UNSET
    string_value: None | str | Unset = UNSET
    boolean_value: bool | None | Unset = UNSET
    categorical_value: list[str] | None | Unset = UNSET
    json_value: None | str | Unset = UNSET
    id: None | str | Unset = UNSET
    created_at: datetime.datetime | None | Unset = UNSET
    type_: None | str | Unset = UNSET
    environment: None | str | Unset = UNSET
    is_passed: bool | None | Unset = UNSET
    cost: float | None | Unset = UNSET
    evaluator_id: None | str | Unset = UNSET
    evaluator_slug: None | str | Unset = UNSET
    scorer: None | str | Unset = UNSET
    log_id: None | str | Unset = UNSET
    prompt_id: None | str | Unset = UNSET
    prompt_version_number: int | None | Unset = UNSET
    dataset_id: None | str | Unset = UNSET
    automation_id: None | str | Unset = UNSET
    status: None | str | Unset = UNSET
    error_message: None | str | Unset = UNSET
    inputs: EvaluatorRunInputs | None | Unset = UNSET
    evaluator: Evaluator | None | Unset = UNSET
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

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        created_at: None | str | Unset
        if isinstance(self.created_at, Unset):
            created_at = UNSET
        elif isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

        type_: None | str | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        else:
            type_ = self.type_

        environment: None | str | Unset
        if isinstance(self.environment, Unset):
            environment = UNSET
        else:
            environment = self.environment

        is_passed: bool | None | Unset
        if isinstance(self.is_passed, Unset):
            is_passed = UNSET
        else:
            is_passed = self.is_passed

        cost: float | None | Unset
        if isinstance(self.cost, Unset):
            cost = UNSET
        else:
            cost = self.cost

        evaluator_id: None | str | Unset
        if isinstance(self.evaluator_id, Unset):
            evaluator_id = UNSET
        else:
            evaluator_id = self.evaluator_id

        evaluator_slug: None | str | Unset
        if isinstance(self.evaluator_slug, Unset):
            evaluator_slug = UNSET
        else:
            evaluator_slug = self.evaluator_slug

        scorer: None | str | Unset
        if isinstance(self.scorer, Unset):
            scorer = UNSET
        else:
            scorer = self.scorer

        log_id: None | str | Unset
        if isinstance(self.log_id, Unset):
            log_id = UNSET
        else:
            log_id = self.log_id

        prompt_id: None | str | Unset
        if isinstance(self.prompt_id, Unset):
            prompt_id = UNSET
        else:
            prompt_id = self.prompt_id

        prompt_version_number: int | None | Unset
        if isinstance(self.prompt_version_number, Unset):
            prompt_version_number = UNSET
        else:
            prompt_version_number = self.prompt_version_number

        dataset_id: None | str | Unset
        if isinstance(self.dataset_id, Unset):
            dataset_id = UNSET
        else:
            dataset_id = self.dataset_id

        automation_id: None | str | Unset
        if isinstance(self.automation_id, Unset):
            automation_id = UNSET
        else:
            automation_id = self.automation_id

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        else:
            status = self.status

        error_message: None | str | Unset
        if isinstance(self.error_message, Unset):
            error_message = UNSET
        else:
            error_message = self.error_message

        inputs: dict[str, Any] | None | Unset
        if isinstance(self.inputs, Unset):
            inputs = UNSET
        elif isinstance(self.inputs, EvaluatorRunInputs):
            inputs = self.inputs.to_dict()
        else:
            inputs = self.inputs

        evaluator: dict[str, Any] | None | Unset
        if isinstance(self.evaluator, Unset):
            evaluator = UNSET
        elif isinstance(self.evaluator, Evaluator):
            evaluator = self.evaluator.to_dict()
        else:
            evaluator = self.evaluator

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
        if id is not UNSET:
            field_dict["id"] = id
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if type_ is not UNSET:
            field_dict["type"] = type_
        if environment is not UNSET:
            field_dict["environment"] = environment
        if is_passed is not UNSET:
            field_dict["is_passed"] = is_passed
        if cost is not UNSET:
            field_dict["cost"] = cost
        if evaluator_id is not UNSET:
            field_dict["evaluator_id"] = evaluator_id
        if evaluator_slug is not UNSET:
            field_dict["evaluator_slug"] = evaluator_slug
        if scorer is not UNSET:
            field_dict["scorer"] = scorer
        if log_id is not UNSET:
            field_dict["log_id"] = log_id
        if prompt_id is not UNSET:
            field_dict["prompt_id"] = prompt_id
        if prompt_version_number is not UNSET:
            field_dict["prompt_version_number"] = prompt_version_number
        if dataset_id is not UNSET:
            field_dict["dataset_id"] = dataset_id
        if automation_id is not UNSET:
            field_dict["automation_id"] = automation_id
        if status is not UNSET:
            field_dict["status"] = status
        if error_message is not UNSET:
            field_dict["error_message"] = error_message
        if inputs is not UNSET:
            field_dict["inputs"] = inputs
        if evaluator is not UNSET:
            field_dict["evaluator"] = evaluator

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

        id = cast("None | str | Unset", d.pop("id", UNSET))

        def _parse_created_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, str):
                try:
                    created_at_type_0 = datetime.datetime.fromisoformat(data)

                    return created_at_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(datetime.datetime | None | Unset, data)

        created_at = _parse_created_at(d.pop("created_at", UNSET))

        type_ = cast("None | str | Unset", d.pop("type", UNSET))

        environment = cast("None | str | Unset", d.pop("environment", UNSET))

        is_passed = cast("bool | None | Unset", d.pop("is_passed", UNSET))

        cost = cast("float | None | Unset", d.pop("cost", UNSET))

        evaluator_id = cast("None | str | Unset", d.pop("evaluator_id", UNSET))

        evaluator_slug = cast("None | str | Unset", d.pop("evaluator_slug", UNSET))

        scorer = cast("None | str | Unset", d.pop("scorer", UNSET))

        log_id = cast("None | str | Unset", d.pop("log_id", UNSET))

        prompt_id = cast("None | str | Unset", d.pop("prompt_id", UNSET))

        prompt_version_number = cast(
            "int | None | Unset", d.pop("prompt_version_number", UNSET)
        )

        dataset_id = cast("None | str | Unset", d.pop("dataset_id", UNSET))

        automation_id = cast("None | str | Unset", d.pop("automation_id", UNSET))

        status = cast("None | str | Unset", d.pop("status", UNSET))

        error_message = cast("None | str | Unset", d.pop("error_message", UNSET))

        def _parse_inputs(data: object) -> EvaluatorRunInputs | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, dict):
                try:
                    inputs_type_0 = EvaluatorRunInputs.from_dict(data)

                    return inputs_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(EvaluatorRunInputs | None | Unset, data)

        inputs = _parse_inputs(d.pop("inputs", UNSET))

        def _parse_evaluator(data: object) -> Evaluator | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, dict):
                try:
                    evaluator_type_0 = Evaluator.from_dict(data)

                    return evaluator_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(Evaluator | None | Unset, data)

        evaluator = _parse_evaluator(d.pop("evaluator", UNSET))

        evaluator_run_result = cls(
            numerical_value=numerical_value,
            string_value=string_value,
            boolean_value=boolean_value,
            categorical_value=categorical_value,
            json_value=json_value,
            id=id,
            created_at=created_at,
            type_=type_,
            environment=environment,
            is_passed=is_passed,
            cost=cost,
            evaluator_id=evaluator_id,
            evaluator_slug=evaluator_slug,
            scorer=scorer,
            log_id=log_id,
            prompt_id=prompt_id,
            prompt_version_number=prompt_version_number,
            dataset_id=dataset_id,
            automation_id=automation_id,
            status=status,
            error_message=error_message,
            inputs=inputs,
            evaluator=evaluator,
        )

        evaluator_run_result.additional_properties = d
        return evaluator_run_result

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


from ..models.evaluator import Evaluator
from ..models.evaluator_run_inputs import EvaluatorRunInputs
