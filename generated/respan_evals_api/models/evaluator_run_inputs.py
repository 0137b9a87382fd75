from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="EvaluatorRunInputs")


@_attrs_define
class EvaluatorRunInputs:
    """Unified evaluator inputs (sent to Run an evaluator and echoed back in its result). Respan's
    agent tools say at least `input` and `output` must be present; the SDK types every key as
    optional. Extra keys are allowed. Every field accepts null: SDK 0.1.46 types each
    `Optional` (`input`, `output` and `expected_output` are untyped, so null already fits).

        Attributes:
            input_ (Any | Unset): Input/request being evaluated (any JSON value).
            output (Any | Unset): Output/response being evaluated (any JSON value).
            expected_output (Any | Unset): Reference output, when available (any JSON value).
            metrics (EvaluatorRunInputsMetricsType0 | None | Unset): Runtime metrics such as cost, latency and token counts.
            metadata (EvaluatorRunInputsMetadataType0 | None | Unset): Request metadata such as model, environment, trace
                IDs or customer identifiers.
            llm_input (None | str | Unset): Legacy alias for `input`.
            llm_output (None | str | Unset): Legacy alias for `output`.
    """

    input_: Any | Unset = UNSET
    output: Any | Unset = UNSET
    expected_output: Any | Unset = UNSET
    metrics: EvaluatorRunInputsMetricsType0 | None | Unset = UNSET
    metadata: EvaluatorRunInputsMetadataType0 | None | Unset = UNSET
    llm_input: None | str | Unset = UNSET
    llm_output: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        input_ = self.input_

        output = self.output

        expected_output = self.expected_output

        metrics: dict[str, Any] | None | Unset
        if isinstance(self.metrics, Unset):
            metrics = UNSET
        elif isinstance(self.metrics, EvaluatorRunInputsMetricsType0):
            metrics = self.metrics.to_dict()
        else:
            metrics = self.metrics

        metadata: dict[str, Any] | None | Unset
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        elif isinstance(self.metadata, EvaluatorRunInputsMetadataType0):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        llm_input: None | str | Unset
        if isinstance(self.llm_input, Unset):
            llm_input = UNSET
        else:
            llm_input = self.llm_input

        llm_output: None | str | Unset
        if isinstance(self.llm_output, Unset):
            llm_output = UNSET
        else:
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
        d = dict(src_dict)
        input_ = d.pop("input", UNSET)

        output = d.pop("output", UNSET)

        expected_output = d.pop("expected_output", UNSET)

        def _parse_metrics(
            data: object,
        ) -> EvaluatorRunInputsMetricsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, dict):
                try:
                    metrics_type_0 = EvaluatorRunInputsMetricsType0.from_dict(data)

                    return metrics_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(EvaluatorRunInputsMetricsType0 | None | Unset, data)

        metrics = _parse_metrics(d.pop("metrics", UNSET))

        def _parse_metadata(
            data: object,
        ) -> EvaluatorRunInputsMetadataType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, dict):
                try:
                    metadata_type_0 = EvaluatorRunInputsMetadataType0.from_dict(data)

                    return metadata_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(EvaluatorRunInputsMetadataType0 | None | Unset, data)

        metadata = _parse_metadata(d.pop("metadata", UNSET))

        llm_input = cast("None | str | Unset", d.pop("llm_input", UNSET))

        llm_output = cast("None | str | Unset", d.pop("llm_output", UNSET))

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


from ..models.evaluator_run_inputs_metadata_type_0 import (
    EvaluatorRunInputsMetadataType0,
)
from ..models.evaluator_run_inputs_metrics_type_0 import EvaluatorRunInputsMetricsType0
