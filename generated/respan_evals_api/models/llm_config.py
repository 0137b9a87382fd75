from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LlmConfig")


@_attrs_define
class LlmConfig:
    """LLM grader configuration; the backend validates it against the selected evaluator form.
    The old docs require `model` and `evaluator_definition` for LLM evaluators (not enforced
    here). Fields `model` to `verbosity` are typed by SDK 0.1.29-0.1.46; the rest come from the
    old docs page (`stream`, `parallel_tool_calls`) or Respan's agent tool catalog
    (`max_completion_tokens`, `reasoning_effort`) and are inferred. Extra keys are allowed.
    The SDK's fields, `model` to `verbosity`, accept null: SDK 0.1.46 types every one
    `Optional`. The inferred ones keep the type their source gives.

        Attributes:
            model (None | str | Unset):
            evaluator_definition (None | str | Unset): Prompt/template used by the LLM grader (Jinja2 per Respan's agent
                tools; must contain
                `{{output}}`, may use `{{input}}` and `{{expected_output}}`).
            scoring_rubric (None | str | Unset):
            temperature (float | None | Unset):
            max_tokens (int | None | Unset):
            top_p (float | None | Unset):
            frequency_penalty (float | None | Unset):
            presence_penalty (float | None | Unset):
            stop (list[str] | None | Unset):
            response_format (LlmConfigResponseFormatType0 | None | Unset):
            tools (list[LlmConfigToolsType0Item] | None | Unset):
            tool_choice (Any | Unset): Any JSON value (string or object, or null), passed through to the model.
            verbosity (None | str | Unset):
            max_completion_tokens (int | Unset): Inferred from Respan's agent tool catalog; not in the SDK.
            reasoning_effort (str | Unset): `low`, `medium` or `high` per Respan's agent tool catalog (inferred; not in the
                SDK,
                so typed as a plain string).
            stream (bool | Unset): Listed as accepted on the old docs page; not in the SDK.
            parallel_tool_calls (bool | Unset): Listed as accepted on the old docs page; not in the SDK.
    """

    model: None | str | Unset = UNSET
    evaluator_definition: None | str | Unset = UNSET
    scoring_rubric: None | str | Unset = UNSET
    temperature: float | None | Unset = UNSET
    max_tokens: int | None | Unset = UNSET
    top_p: float | None | Unset = UNSET
    frequency_penalty: float | None | Unset = UNSET
    presence_penalty: float | None | Unset = UNSET
    stop: list[str] | None | Unset = UNSET
    response_format: LlmConfigResponseFormatType0 | None | Unset = UNSET
    tools: list[LlmConfigToolsType0Item] | None | Unset = UNSET
    tool_choice: Any | Unset = UNSET
    verbosity: None | str | Unset = UNSET
    max_completion_tokens: int | Unset = UNSET
    reasoning_effort: str | Unset = UNSET
    stream: bool | Unset = UNSET
    parallel_tool_calls: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model: None | str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        else:
            model = self.model

        evaluator_definition: None | str | Unset
        if isinstance(self.evaluator_definition, Unset):
            evaluator_definition = UNSET
        else:
            evaluator_definition = self.evaluator_definition

        scoring_rubric: None | str | Unset
        if isinstance(self.scoring_rubric, Unset):
            scoring_rubric = UNSET
        else:
            scoring_rubric = self.scoring_rubric

        temperature: float | None | Unset
        if isinstance(self.temperature, Unset):
            temperature = UNSET
        else:
            temperature = self.temperature

        max_tokens: int | None | Unset
        if isinstance(self.max_tokens, Unset):
            max_tokens = UNSET
        else:
            max_tokens = self.max_tokens

        top_p: float | None | Unset
        if isinstance(self.top_p, Unset):
            top_p = UNSET
        else:
            top_p = self.top_p

        frequency_penalty: float | None | Unset
        if isinstance(self.frequency_penalty, Unset):
            frequency_penalty = UNSET
        else:
            frequency_penalty = self.frequency_penalty

        presence_penalty: float | None | Unset
        if isinstance(self.presence_penalty, Unset):
            presence_penalty = UNSET
        else:
            presence_penalty = self.presence_penalty

        stop: list[str] | None | Unset
        if isinstance(self.stop, Unset):
            stop = UNSET
        elif isinstance(self.stop, list):
            stop = self.stop

        else:
            stop = self.stop

        response_format: dict[str, Any] | None | Unset
        if isinstance(self.response_format, Unset):
            response_format = UNSET
        elif isinstance(self.response_format, LlmConfigResponseFormatType0):
            response_format = self.response_format.to_dict()
        else:
            response_format = self.response_format

        tools: list[dict[str, Any]] | None | Unset
        if isinstance(self.tools, Unset):
            tools = UNSET
        elif isinstance(self.tools, list):
            tools = []
            for tools_type_0_item_data in self.tools:
                tools_type_0_item = tools_type_0_item_data.to_dict()
                tools.append(tools_type_0_item)

        else:
            tools = self.tools

        tool_choice = self.tool_choice

        verbosity: None | str | Unset
        if isinstance(self.verbosity, Unset):
            verbosity = UNSET
        else:
            verbosity = self.verbosity

        max_completion_tokens = self.max_completion_tokens

        reasoning_effort = self.reasoning_effort

        stream = self.stream

        parallel_tool_calls = self.parallel_tool_calls

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if model is not UNSET:
            field_dict["model"] = model
        if evaluator_definition is not UNSET:
            field_dict["evaluator_definition"] = evaluator_definition
        if scoring_rubric is not UNSET:
            field_dict["scoring_rubric"] = scoring_rubric
        if temperature is not UNSET:
            field_dict["temperature"] = temperature
        if max_tokens is not UNSET:
            field_dict["max_tokens"] = max_tokens
        if top_p is not UNSET:
            field_dict["top_p"] = top_p
        if frequency_penalty is not UNSET:
            field_dict["frequency_penalty"] = frequency_penalty
        if presence_penalty is not UNSET:
            field_dict["presence_penalty"] = presence_penalty
        if stop is not UNSET:
            field_dict["stop"] = stop
        if response_format is not UNSET:
            field_dict["response_format"] = response_format
        if tools is not UNSET:
            field_dict["tools"] = tools
        if tool_choice is not UNSET:
            field_dict["tool_choice"] = tool_choice
        if verbosity is not UNSET:
            field_dict["verbosity"] = verbosity
        if max_completion_tokens is not UNSET:
            field_dict["max_completion_tokens"] = max_completion_tokens
        if reasoning_effort is not UNSET:
            field_dict["reasoning_effort"] = reasoning_effort
        if stream is not UNSET:
            field_dict["stream"] = stream
        if parallel_tool_calls is not UNSET:
            field_dict["parallel_tool_calls"] = parallel_tool_calls

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        model = cast("None | str | Unset", d.pop("model", UNSET))

        evaluator_definition = cast(
            "None | str | Unset", d.pop("evaluator_definition", UNSET)
        )

        scoring_rubric = cast("None | str | Unset", d.pop("scoring_rubric", UNSET))

        temperature = cast("float | None | Unset", d.pop("temperature", UNSET))

        max_tokens = cast("int | None | Unset", d.pop("max_tokens", UNSET))

        top_p = cast("float | None | Unset", d.pop("top_p", UNSET))

        frequency_penalty = cast(
            "float | None | Unset", d.pop("frequency_penalty", UNSET)
        )

        presence_penalty = cast(
            "float | None | Unset", d.pop("presence_penalty", UNSET)
        )

        stop = cast("list[str] | None | Unset", d.pop("stop", UNSET))

        def _parse_response_format(
            data: object,
        ) -> LlmConfigResponseFormatType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, dict):
                try:
                    response_format_type_0 = LlmConfigResponseFormatType0.from_dict(
                        data
                    )

                    return response_format_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(LlmConfigResponseFormatType0 | None | Unset, data)

        response_format = _parse_response_format(d.pop("response_format", UNSET))

        def _parse_tools(data: object) -> list[LlmConfigToolsType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, list):
                try:
                    tools_type_0 = []
                    _tools_type_0 = data
                    for tools_type_0_item_data in _tools_type_0:
                        tools_type_0_item = LlmConfigToolsType0Item.from_dict(
                            tools_type_0_item_data
                        )

                        tools_type_0.append(tools_type_0_item)

                    return tools_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(list[LlmConfigToolsType0Item] | None | Unset, data)

        tools = _parse_tools(d.pop("tools", UNSET))

        tool_choice = d.pop("tool_choice", UNSET)

        verbosity = cast("None | str | Unset", d.pop("verbosity", UNSET))

        max_completion_tokens = d.pop("max_completion_tokens", UNSET)

        reasoning_effort = d.pop("reasoning_effort", UNSET)

        stream = d.pop("stream", UNSET)

        parallel_tool_calls = d.pop("parallel_tool_calls", UNSET)

        llm_config = cls(
            model=model,
            evaluator_definition=evaluator_definition,
            scoring_rubric=scoring_rubric,
            temperature=temperature,
            max_tokens=max_tokens,
            top_p=top_p,
            frequency_penalty=frequency_penalty,
            presence_penalty=presence_penalty,
            stop=stop,
            response_format=response_format,
            tools=tools,
            tool_choice=tool_choice,
            verbosity=verbosity,
            max_completion_tokens=max_completion_tokens,
            reasoning_effort=reasoning_effort,
            stream=stream,
            parallel_tool_calls=parallel_tool_calls,
        )

        llm_config.additional_properties = d
        return llm_config

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


from ..models.llm_config_response_format_type_0 import LlmConfigResponseFormatType0
from ..models.llm_config_tools_type_0_item import LlmConfigToolsType0Item
