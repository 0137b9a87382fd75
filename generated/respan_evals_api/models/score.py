from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.score_type import ScoreType
from ..types import UNSET, Unset

T = TypeVar("T", bound="Score")


@_attrs_define
class Score:
    """A score, as returned by every score endpoint. Only `id` and `created_at`
    are always present; every other field may be missing or null. `inputs` and
    `evaluator` appear (per the SDK) only on the id-scoped retrieve / replace /
    update responses. Unknown fields are kept.

        Attributes:
            id (str): Score ID.
            created_at (datetime.datetime): When the score was created.
            type_ (None | ScoreType | str | Unset): Evaluator execution type. Legacy rows may contain legacy type values;
                values outside ScoreType are kept as plain strings.
            environment (None | str | Unset): Environment associated with the score (e.g. production, staging, test).
            numerical_value (float | None | Unset): Numeric score value (numerical and percentage evaluators).
            string_value (None | str | Unset): Text score value (text and legacy comment evaluators).
            boolean_value (bool | None | Unset): Boolean score value (boolean evaluators).
            categorical_value (list[str] | None | Unset): Categorical score values (single_select, multi_select, legacy
                categorical evaluators).
            json_value (Any | Unset): JSON score value (json evaluators). The docs say it is a JSON-encoded string (e.g.
                "{\\"rating\\": 5}"), and that is what requests send; a careful client also accepts an already-decoded value
                here (object, array, number, boolean) or null, so this field is left untyped.
            is_passed (bool | None | Unset): Whether the score passes the evaluator conditions.
            cost (float | None | Unset): Evaluation cost in USD, when available.
            evaluator_id (None | str | Unset): Evaluator ID associated with the score.
            evaluator_slug (None | str | Unset): Evaluator slug associated with the score.
            evaluator_name (None | str | Unset): Human-readable evaluator name, when available.
            scorer (None | str | Unset): Who or what produced the score. For log-scoped writes the backend derives it from
                the authenticated user.
            log_id (None | str | Unset): Associated log/span ID.
            prompt_id (None | str | Unset): Associated prompt ID, when available.
            prompt_version_number (int | None | Unset): Associated prompt version number, when available.
            dataset_id (None | str | Unset): Associated dataset ID, when available.
            automation_id (None | str | Unset): Associated automation ID, when available.
            status (None | str | Unset): Evaluation status, when available. Free string. Known values: `completed` (docs
                examples); `pending`, `failed` (seen in Respan's MCP eval-run-history tool, not on these pages).
            error_message (None | str | Unset): Evaluation error message, when available (examples show null and "").
            explanation (None | str | Unset): Optional explanation for the score. From the SDK only (0.1.36+), not on any
                captured docs page.
            inputs (None | ScoreInputs | Unset): Unified evaluator inputs stored with the score. Not in the docs' field
                tables; seen in examples and typed by the SDK (id-scoped responses only).
            evaluator (None | ScoreEvaluatorType0 | Unset): Evaluator metadata when the score is associated with a platform
                evaluator. Not in the docs' field tables; seen in examples, typed as a free map by the SDK (id-scoped responses
                only).
    """

    id: str
    created_at: datetime.datetime
    type_: None | ScoreType | str | Unset = UNSET
    environment: None | str | Unset = UNSET
    numerical_value: float | None | Unset = UNSET
    string_value: None | str | Unset = UNSET
    boolean_value: bool | None | Unset = UNSET
    categorical_value: list[str] | None | Unset = UNSET
    json_value: Any | Unset = UNSET
    is_passed: bool | None | Unset = UNSET
    cost: float | None | Unset = UNSET
    evaluator_id: None | str | Unset = UNSET
    evaluator_slug: None | str | Unset = UNSET
    evaluator_name: None | str | Unset = UNSET
    scorer: None | str | Unset = UNSET
    log_id: None | str | Unset = UNSET
    prompt_id: None | str | Unset = UNSET
    prompt_version_number: int | None | Unset = UNSET
    dataset_id: None | str | Unset = UNSET
    automation_id: None | str | Unset = UNSET
    status: None | str | Unset = UNSET
    error_message: None | str | Unset = UNSET
    explanation: None | str | Unset = UNSET
    inputs: None | ScoreInputs | Unset = UNSET
    evaluator: None | ScoreEvaluatorType0 | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        created_at = self.created_at.isoformat()

        type_: None | str | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        elif isinstance(self.type_, ScoreType):
            type_ = self.type_.value
        else:
            type_ = self.type_

        environment: None | str | Unset
        if isinstance(self.environment, Unset):
            environment = UNSET
        else:
            environment = self.environment

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

        json_value = self.json_value

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

        evaluator_name: None | str | Unset
        if isinstance(self.evaluator_name, Unset):
            evaluator_name = UNSET
        else:
            evaluator_name = self.evaluator_name

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

        explanation: None | str | Unset
        if isinstance(self.explanation, Unset):
            explanation = UNSET
        else:
            explanation = self.explanation

        inputs: dict[str, Any] | None | Unset
        if isinstance(self.inputs, Unset):
            inputs = UNSET
        elif isinstance(self.inputs, ScoreInputs):
            inputs = self.inputs.to_dict()
        else:
            inputs = self.inputs

        evaluator: dict[str, Any] | None | Unset
        if isinstance(self.evaluator, Unset):
            evaluator = UNSET
        elif isinstance(self.evaluator, ScoreEvaluatorType0):
            evaluator = self.evaluator.to_dict()
        else:
            evaluator = self.evaluator

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "created_at": created_at,
            }
        )
        if type_ is not UNSET:
            field_dict["type"] = type_
        if environment is not UNSET:
            field_dict["environment"] = environment
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
        if is_passed is not UNSET:
            field_dict["is_passed"] = is_passed
        if cost is not UNSET:
            field_dict["cost"] = cost
        if evaluator_id is not UNSET:
            field_dict["evaluator_id"] = evaluator_id
        if evaluator_slug is not UNSET:
            field_dict["evaluator_slug"] = evaluator_slug
        if evaluator_name is not UNSET:
            field_dict["evaluator_name"] = evaluator_name
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
        if explanation is not UNSET:
            field_dict["explanation"] = explanation
        if inputs is not UNSET:
            field_dict["inputs"] = inputs
        if evaluator is not UNSET:
            field_dict["evaluator"] = evaluator

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_type_(data: object) -> None | ScoreType | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, str):
                try:
                    type_type_0 = ScoreType(data)

                    return type_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(None | ScoreType | str | Unset, data)

        type_ = _parse_type_(d.pop("type", UNSET))

        environment = cast("None | str | Unset", d.pop("environment", UNSET))

        numerical_value = cast("float | None | Unset", d.pop("numerical_value", UNSET))

        string_value = cast("None | str | Unset", d.pop("string_value", UNSET))

        boolean_value = cast("bool | None | Unset", d.pop("boolean_value", UNSET))

        categorical_value = cast(
            "list[str] | None | Unset", d.pop("categorical_value", UNSET)
        )

        json_value = d.pop("json_value", UNSET)

        is_passed = cast("bool | None | Unset", d.pop("is_passed", UNSET))

        cost = cast("float | None | Unset", d.pop("cost", UNSET))

        evaluator_id = cast("None | str | Unset", d.pop("evaluator_id", UNSET))

        evaluator_slug = cast("None | str | Unset", d.pop("evaluator_slug", UNSET))

        evaluator_name = cast("None | str | Unset", d.pop("evaluator_name", UNSET))

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

        explanation = cast("None | str | Unset", d.pop("explanation", UNSET))

        def _parse_inputs(data: object) -> None | ScoreInputs | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, dict):
                try:
                    inputs_type_0 = ScoreInputs.from_dict(data)

                    return inputs_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(None | ScoreInputs | Unset, data)

        inputs = _parse_inputs(d.pop("inputs", UNSET))

        def _parse_evaluator(data: object) -> None | ScoreEvaluatorType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, dict):
                try:
                    evaluator_type_0 = ScoreEvaluatorType0.from_dict(data)

                    return evaluator_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(None | ScoreEvaluatorType0 | Unset, data)

        evaluator = _parse_evaluator(d.pop("evaluator", UNSET))

        score = cls(
            id=id,
            created_at=created_at,
            type_=type_,
            environment=environment,
            numerical_value=numerical_value,
            string_value=string_value,
            boolean_value=boolean_value,
            categorical_value=categorical_value,
            json_value=json_value,
            is_passed=is_passed,
            cost=cost,
            evaluator_id=evaluator_id,
            evaluator_slug=evaluator_slug,
            evaluator_name=evaluator_name,
            scorer=scorer,
            log_id=log_id,
            prompt_id=prompt_id,
            prompt_version_number=prompt_version_number,
            dataset_id=dataset_id,
            automation_id=automation_id,
            status=status,
            error_message=error_message,
            explanation=explanation,
            inputs=inputs,
            evaluator=evaluator,
        )

        score.additional_properties = d
        return score

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


from ..models.score_evaluator_type_0 import ScoreEvaluatorType0
from ..models.score_inputs import ScoreInputs
