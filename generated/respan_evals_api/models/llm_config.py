from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.llm_config_response_format import LlmConfigResponseFormat
    from ..models.llm_config_tools_item import LlmConfigToolsItem


T = TypeVar("T", bound="LlmConfig")


@_attrs_define
class LlmConfig:
    """LLM grader configuration; the backend validates it against the selected evaluator form.
    The old docs require `model` and `evaluator_definition` for LLM evaluators (not enforced
    here). Fields `model` to `verbosity` are typed by SDK 0.1.29-0.1.46; the rest come from the
    old docs page (`stream`, `parallel_tool_calls`) or Respan's agent tool catalog
    (`max_completion_tokens`, `reasoning_effort`) and are inferred. Extra keys are allowed.

        Attributes:
            model (str | Unset):
            evaluator_definition (str | Unset): Prompt/template used by the LLM grader (Jinja2 per Respan's agent tools;
                must contain
                `{{output}}`, may use `{{input}}` and `{{expected_output}}`).
            scoring_rubric (str | Unset):
            temperature (float | Unset):
            max_tokens (int | Unset):
            top_p (float | Unset):
            frequency_penalty (float | Unset):
            presence_penalty (float | Unset):
            stop (list[str] | Unset):
            response_format (LlmConfigResponseFormat | Unset):
            tools (list[LlmConfigToolsItem] | Unset):
            tool_choice (Any | Unset): Any JSON value (string or object), passed through to the model.
            verbosity (str | Unset):
            max_completion_tokens (int | Unset): Inferred from Respan's agent tool catalog; not in the SDK.
            reasoning_effort (str | Unset): `low`, `medium` or `high` per Respan's agent tool catalog (inferred; not in the
                SDK,
                so typed as a plain string).
            stream (bool | Unset): Listed as accepted on the old docs page; not in the SDK.
            parallel_tool_calls (bool | Unset): Listed as accepted on the old docs page; not in the SDK.
    """

    model: str | Unset = UNSET
    evaluator_definition: str | Unset = UNSET
    scoring_rubric: str | Unset = UNSET
    temperature: float | Unset = UNSET
    max_tokens: int | Unset = UNSET
    top_p: float | Unset = UNSET
    frequency_penalty: float | Unset = UNSET
    presence_penalty: float | Unset = UNSET
    stop: list[str] | Unset = UNSET
    response_format: LlmConfigResponseFormat | Unset = UNSET
    tools: list[LlmConfigToolsItem] | Unset = UNSET
    tool_choice: Any | Unset = UNSET
    verbosity: str | Unset = UNSET
    max_completion_tokens: int | Unset = UNSET
    reasoning_effort: str | Unset = UNSET
    stream: bool | Unset = UNSET
    parallel_tool_calls: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model = self.model

        evaluator_definition = self.evaluator_definition

        scoring_rubric = self.scoring_rubric

        temperature = self.temperature

        max_tokens = self.max_tokens

        top_p = self.top_p

        frequency_penalty = self.frequency_penalty

        presence_penalty = self.presence_penalty

        stop: list[str] | Unset = UNSET
        if not isinstance(self.stop, Unset):
            stop = self.stop

        response_format: dict[str, Any] | Unset = UNSET
        if not isinstance(self.response_format, Unset):
            response_format = self.response_format.to_dict()

        tools: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tools, Unset):
            tools = []
            for tools_item_data in self.tools:
                tools_item = tools_item_data.to_dict()
                tools.append(tools_item)

        tool_choice = self.tool_choice

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
        from ..models.llm_config_response_format import LlmConfigResponseFormat
        from ..models.llm_config_tools_item import LlmConfigToolsItem

        d = dict(src_dict)
        model = d.pop("model", UNSET)

        evaluator_definition = d.pop("evaluator_definition", UNSET)

        scoring_rubric = d.pop("scoring_rubric", UNSET)

        temperature = d.pop("temperature", UNSET)

        max_tokens = d.pop("max_tokens", UNSET)

        top_p = d.pop("top_p", UNSET)

        frequency_penalty = d.pop("frequency_penalty", UNSET)

        presence_penalty = d.pop("presence_penalty", UNSET)

        stop = cast(list[str], d.pop("stop", UNSET))

        _response_format = d.pop("response_format", UNSET)
        response_format: LlmConfigResponseFormat | Unset
        if isinstance(_response_format, Unset):
            response_format = UNSET
        else:
            response_format = LlmConfigResponseFormat.from_dict(_response_format)

        _tools = d.pop("tools", UNSET)
        tools: list[LlmConfigToolsItem] | Unset = UNSET
        if _tools is not UNSET:
            tools = []
            for tools_item_data in _tools:
                tools_item = LlmConfigToolsItem.from_dict(tools_item_data)

                tools.append(tools_item)

        tool_choice = d.pop("tool_choice", UNSET)

        verbosity = d.pop("verbosity", UNSET)

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
