from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ScoreInputs")


@_attrs_define
class ScoreInputs:
    """Unified evaluator inputs stored with the score, when available. Typed by the SDK; the docs show it only in examples.

    Attributes:
        input_ (Any | Unset): Input/request evaluated (any JSON).
        output (Any | Unset): Output/response evaluated (any JSON).
        metrics (None | ScoreInputsMetricsType0 | Unset):
        metadata (None | ScoreInputsMetadataType0 | Unset):
    """

    input_: Any | Unset = UNSET
    output: Any | Unset = UNSET
    metrics: None | ScoreInputsMetricsType0 | Unset = UNSET
    metadata: None | ScoreInputsMetadataType0 | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        input_ = self.input_

        output = self.output

        metrics: dict[str, Any] | None | Unset
        if isinstance(self.metrics, Unset):
            metrics = UNSET
        elif isinstance(self.metrics, ScoreInputsMetricsType0):
            metrics = self.metrics.to_dict()
        else:
            metrics = self.metrics

        metadata: dict[str, Any] | None | Unset
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        elif isinstance(self.metadata, ScoreInputsMetadataType0):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if input_ is not UNSET:
            field_dict["input"] = input_
        if output is not UNSET:
            field_dict["output"] = output
        if metrics is not UNSET:
            field_dict["metrics"] = metrics
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        input_ = d.pop("input", UNSET)

        output = d.pop("output", UNSET)

        def _parse_metrics(data: object) -> None | ScoreInputsMetricsType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, dict):
                try:
                    metrics_type_0 = ScoreInputsMetricsType0.from_dict(data)

                    return metrics_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(None | ScoreInputsMetricsType0 | Unset, data)

        metrics = _parse_metrics(d.pop("metrics", UNSET))

        def _parse_metadata(data: object) -> None | ScoreInputsMetadataType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, dict):
                try:
                    metadata_type_0 = ScoreInputsMetadataType0.from_dict(data)

                    return metadata_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(None | ScoreInputsMetadataType0 | Unset, data)

        metadata = _parse_metadata(d.pop("metadata", UNSET))

        score_inputs = cls(
            input_=input_,
            output=output,
            metrics=metrics,
            metadata=metadata,
        )

        score_inputs.additional_properties = d
        return score_inputs

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


from ..models.score_inputs_metadata_type_0 import ScoreInputsMetadataType0
from ..models.score_inputs_metrics_type_0 import ScoreInputsMetricsType0
