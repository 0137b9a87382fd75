from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.generation_method import GenerationMethod
from ..types import UNSET, Unset

T = TypeVar("T", bound="EvaluatorRunRequest")


@_attrs_define
class EvaluatorRunRequest:
    """Body of Run an evaluator (SDK 0.1.16-0.1.46 and the docs example).

    Attributes:
        inputs (EvaluatorRunInputs): Unified evaluator inputs (sent to Run an evaluator and echoed back in its result).
            Respan's
            agent tools say at least `input` and `output` must be present; the SDK types every key as
            optional. Extra keys are allowed. Every field accepts null: SDK 0.1.46 types each
            `Optional` (`input`, `output` and `expected_output` are untyped, so null already fits).
        generation_method (GenerationMethod | Unset): Execution-mode override for Run an evaluator: `auto` (default;
            tries LLM, then code, then
            legacy configuration), `llm` (needs `llm_config`), `code` (needs `code_config`). Values
            from SDK 0.1.16-0.1.46 and Respan's MCP tools; not rendered on the docs page.
        evaluation_id (str | Unset): Legacy evaluator ID field. Prefer the path parameter or `evaluator_id`.
        evaluator_id (str | Unset): Optional evaluator ID override. Supports version suffixes such as `evl_abc123:2`.
            The client's `run(evaluator_id, evaluator_id_override=...)` sends it: the path
            parameter has the same name.
        log_ids (list[str] | Unset): Legacy (SDK 0.1.0-0.1.15): span IDs to evaluate. Gone from SDK 0.1.16 and the docs
            page; Respan's MCP server still sent it at one point. Kept for reading old traffic.
        dataset_id (str | Unset): Legacy (SDK 0.1.0-0.1.15) - dataset whose spans to evaluate.
    """

    inputs: EvaluatorRunInputs
    generation_method: GenerationMethod | Unset = UNSET
    evaluation_id: str | Unset = UNSET
    evaluator_id: str | Unset = UNSET
    log_ids: list[str] | Unset = UNSET
    dataset_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        inputs = self.inputs.to_dict()

        generation_method: str | Unset = UNSET
        if not isinstance(self.generation_method, Unset):
            generation_method = self.generation_method.value

        evaluation_id = self.evaluation_id

        evaluator_id = self.evaluator_id

        log_ids: list[str] | Unset = UNSET
        if not isinstance(self.log_ids, Unset):
            log_ids = self.log_ids

        dataset_id = self.dataset_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "inputs": inputs,
            }
        )
        if generation_method is not UNSET:
            field_dict["generation_method"] = generation_method
        if evaluation_id is not UNSET:
            field_dict["evaluation_id"] = evaluation_id
        if evaluator_id is not UNSET:
            field_dict["evaluator_id"] = evaluator_id
        if log_ids is not UNSET:
            field_dict["log_ids"] = log_ids
        if dataset_id is not UNSET:
            field_dict["dataset_id"] = dataset_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        inputs = EvaluatorRunInputs.from_dict(d.pop("inputs"))

        _generation_method = d.pop("generation_method", UNSET)
        generation_method: GenerationMethod | Unset
        if isinstance(_generation_method, Unset):
            generation_method = UNSET
        else:
            generation_method = GenerationMethod(_generation_method)

        evaluation_id = d.pop("evaluation_id", UNSET)

        evaluator_id = d.pop("evaluator_id", UNSET)

        log_ids = cast(list[str], d.pop("log_ids", UNSET))

        dataset_id = d.pop("dataset_id", UNSET)

        evaluator_run_request = cls(
            inputs=inputs,
            generation_method=generation_method,
            evaluation_id=evaluation_id,
            evaluator_id=evaluator_id,
            log_ids=log_ids,
            dataset_id=dataset_id,
        )

        evaluator_run_request.additional_properties = d
        return evaluator_run_request

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


from ..models.evaluator_run_inputs import EvaluatorRunInputs
