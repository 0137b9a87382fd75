from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.evaluator_run_inputs_metadata import EvaluatorRunInputsMetadata
    from ..models.evaluator_run_inputs_metrics import EvaluatorRunInputsMetrics


T = TypeVar("T", bound="EvaluatorRunInputs")


@_attrs_define
class EvaluatorRunInputs:
    """Unified evaluator inputs (sent to Run an evaluator and echoed back in its result). Respan's
    agent tools say at least `input` and `output` must be present; the SDK types every key as
    optional. Extra keys are allowed.

        Attributes:
            input_ (Any | Unset): Input/request being evaluated (any JSON value).
            output (Any | Unset): Output/response being evaluated (any JSON value).
            expected_output (Any | Unset): Reference output, when available (any JSON value).
            metrics (EvaluatorRunInputsMetrics | Unset): Runtime metrics such as cost, latency and token counts.
            metadata (EvaluatorRunInputsMetadata | Unset): Request metadata such as model, environment, trace IDs or
                customer identifiers.
            llm_input (str | Unset): Legacy alias for `input`.
            llm_output (str | Unset): Legacy alias for `output`.
    """

    input_: Any | Unset = UNSET
    output: Any | Unset = UNSET
    expected_output: Any | Unset = UNSET
    metrics: EvaluatorRunInputsMetrics | Unset = UNSET
    metadata: EvaluatorRunInputsMetadata | Unset = UNSET
    llm_input: str | Unset = UNSET
    llm_output: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        input_ = self.input_

        output = self.output

        expected_output = self.expected_output

        metrics: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metrics, Unset):
            metrics = self.metrics.to_dict()

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        llm_input = self.llm_input

        llm_output = self.llm_output

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if input_ is not UNSET:
            field_dict["input"] = input_
        if output is not UNSET:
            field_dict["output"] = output
        if expected_output is not UNSET:
            field_dict["expected_output"] = expected_output
        if metrics is not UNSET:
            field_dict["metrics"] = metrics
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if llm_input is not UNSET:
            field_dict["llm_input"] = llm_input
        if llm_output is not UNSET:
            field_dict["llm_output"] = llm_output

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.evaluator_run_inputs_metadata import EvaluatorRunInputsMetadata
        from ..models.evaluator_run_inputs_metrics import EvaluatorRunInputsMetrics

        d = dict(src_dict)
        input_ = d.pop("input", UNSET)

        output = d.pop("output", UNSET)

        expected_output = d.pop("expected_output", UNSET)

        _metrics = d.pop("metrics", UNSET)
        metrics: EvaluatorRunInputsMetrics | Unset
        if isinstance(_metrics, Unset):
            metrics = UNSET
        else:
            metrics = EvaluatorRunInputsMetrics.from_dict(_metrics)

        _metadata = d.pop("metadata", UNSET)
        metadata: EvaluatorRunInputsMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = EvaluatorRunInputsMetadata.from_dict(_metadata)

        llm_input = d.pop("llm_input", UNSET)

        llm_output = d.pop("llm_output", UNSET)

        evaluator_run_inputs = cls(
            input_=input_,
            output=output,
            expected_output=expected_output,
            metrics=metrics,
            metadata=metadata,
            llm_input=llm_input,
            llm_output=llm_output,
        )

        evaluator_run_inputs.additional_properties = d
        return evaluator_run_inputs

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
