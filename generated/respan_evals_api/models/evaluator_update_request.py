from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.eval_class import EvalClass
from ..models.evaluator_type import EvaluatorType
from ..models.score_value_type import ScoreValueType
from ..types import UNSET, Unset

T = TypeVar("T", bound="EvaluatorUpdateRequest")


@_attrs_define
class EvaluatorUpdateRequest:
    """Body of Update an evaluator (PATCH); every field optional. Field set from the SDK (the
    current docs page was not captured). Respan's agent tools say `score_value_type` is fixed
    at creation and ignored here, although the SDK lists it. The old page's `tags` and
    `custom_required_fields` are not in any SDK release and are left out.

        Attributes:
            name (str | Unset):
            type_ (EvaluatorType | Unset): How an evaluator produces scores. Current public types: `llm`, `human`, `code`
                (SDK
                0.1.0-0.1.46; the docs render the allowed-values list empty). Legacy stored values
                (`function`, `human_*`) remain readable on older evaluators, so responses also accept any
                string. Respan's agent tools say the backend defaults to `human` when `type` is omitted.
            score_value_type (ScoreValueType | Unset): Kind of value an evaluator's scores carry; decides which score value
                field is used
                (`numerical`/`percentage` -> `numerical_value`, `boolean` -> `boolean_value`,
                `single_select`/`multi_select`/`categorical` -> `categorical_value`, `text`/`comment` ->
                `string_value`, `json` -> `json_value`). `comment` and `categorical` are legacy values that
                remain readable for older evaluators. Order as in the SDK (0.1.16+). Respan's agent tools
                say it is fixed when the evaluator is created, although the SDK lists it on PUT/PATCH.
            evaluator_slug (str | Unset): Organization-scoped evaluator slug.
            eval_class (EvalClass | Unset): Optional pre-built evaluator template. History: `respan_custom_llm` appears in
                the old
                Respan docs and SDK 0.1.15 only; from SDK 0.1.16 (and in every current docs example) the
                LLM template is `keywordsai_custom_llm` again, alongside `custom_code`. `respan_custom_llm`
                is kept so old evaluators still validate; prefer `keywordsai_custom_llm` when sending. Old
                examples also show `""` (no template), which responses accept.
            description (None | str | Unset):
            score_config (ScoreConfig | Unset): Score configuration. For numerical/percentage scores use `min_score` and
                `max_score`
                (`choices` optionally lists discrete values); for select scores use `choices`. All three
                accept null: SDK 0.1.46 types each `Optional`.
            passing_conditions (Filters | None | Unset):
            llm_config (LlmConfig | None | Unset):
            code_config (CodeConfig | None | Unset):
            configurations (EvaluatorUpdateRequestConfigurations | Unset): Legacy user-facing configuration object.
            categorical_choices (list[ScoreChoice] | Unset): Legacy choices; use `score_config.choices`.
            starred (bool | Unset):
    """

    name: str | Unset = UNSET
    type_: EvaluatorType | Unset = UNSET
    score_value_type: ScoreValueType | Unset = UNSET
    evaluator_slug: str | Unset = UNSET
    eval_class: EvalClass | Unset = UNSET
    description: None | str | Unset = UNSET
    score_config: ScoreConfig | Unset = UNSET
    passing_conditions: Filters | None | Unset = UNSET
    llm_config: LlmConfig | None | Unset = UNSET
    code_config: CodeConfig | None | Unset = UNSET
    configurations: EvaluatorUpdateRequestConfigurations | Unset = UNSET
    categorical_choices: list[ScoreChoice] | Unset = UNSET
    starred: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value

        score_value_type: str | Unset = UNSET
        if not isinstance(self.score_value_type, Unset):
            score_value_type = self.score_value_type.value

        evaluator_slug = self.evaluator_slug

        eval_class: str | Unset = UNSET
        if not isinstance(self.eval_class, Unset):
            eval_class = self.eval_class.value

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        score_config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.score_config, Unset):
            score_config = self.score_config.to_dict()

        passing_conditions: dict[str, Any] | None | Unset
        if isinstance(self.passing_conditions, Unset):
            passing_conditions = UNSET
        elif isinstance(self.passing_conditions, Filters):
            passing_conditions = self.passing_conditions.to_dict()
        else:
            passing_conditions = self.passing_conditions

        llm_config: dict[str, Any] | None | Unset
        if isinstance(self.llm_config, Unset):
            llm_config = UNSET
        elif isinstance(self.llm_config, LlmConfig):
            llm_config = self.llm_config.to_dict()
        else:
            llm_config = self.llm_config

        code_config: dict[str, Any] | None | Unset
        if isinstance(self.code_config, Unset):
            code_config = UNSET
        elif isinstance(self.code_config, CodeConfig):
            code_config = self.code_config.to_dict()
        else:
            code_config = self.code_config

        configurations: dict[str, Any] | Unset = UNSET
        if not isinstance(self.configurations, Unset):
            configurations = self.configurations.to_dict()

        categorical_choices: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.categorical_choices, Unset):
            categorical_choices = []
            for categorical_choices_item_data in self.categorical_choices:
                categorical_choices_item = categorical_choices_item_data.to_dict()
                categorical_choices.append(categorical_choices_item)

        starred = self.starred

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if type_ is not UNSET:
            field_dict["type"] = type_
        if score_value_type is not UNSET:
            field_dict["score_value_type"] = score_value_type
        if evaluator_slug is not UNSET:
            field_dict["evaluator_slug"] = evaluator_slug
        if eval_class is not UNSET:
            field_dict["eval_class"] = eval_class
        if description is not UNSET:
            field_dict["description"] = description
        if score_config is not UNSET:
            field_dict["score_config"] = score_config
        if passing_conditions is not UNSET:
            field_dict["passing_conditions"] = passing_conditions
        if llm_config is not UNSET:
            field_dict["llm_config"] = llm_config
        if code_config is not UNSET:
            field_dict["code_config"] = code_config
        if configurations is not UNSET:
            field_dict["configurations"] = configurations
        if categorical_choices is not UNSET:
            field_dict["categorical_choices"] = categorical_choices
        if starred is not UNSET:
            field_dict["starred"] = starred

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        _type_ = d.pop("type", UNSET)
        type_: EvaluatorType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = EvaluatorType(_type_)

        _score_value_type = d.pop("score_value_type", UNSET)
        score_value_type: ScoreValueType | Unset
        if isinstance(_score_value_type, Unset):
            score_value_type = UNSET
        else:
            score_value_type = ScoreValueType(_score_value_type)

        evaluator_slug = d.pop("evaluator_slug", UNSET)

        _eval_class = d.pop("eval_class", UNSET)
        eval_class: EvalClass | Unset
        if isinstance(_eval_class, Unset):
            eval_class = UNSET
        else:
            eval_class = EvalClass(_eval_class)

        description = cast("None | str | Unset", d.pop("description", UNSET))

        _score_config = d.pop("score_config", UNSET)
        score_config: ScoreConfig | Unset
        if isinstance(_score_config, Unset):
            score_config = UNSET
        else:
            score_config = ScoreConfig.from_dict(_score_config)

        def _parse_passing_conditions(data: object) -> Filters | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, dict):
                try:
                    passing_conditions_type_0 = Filters.from_dict(data)

                    return passing_conditions_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(Filters | None | Unset, data)

        passing_conditions = _parse_passing_conditions(
            d.pop("passing_conditions", UNSET)
        )

        def _parse_llm_config(data: object) -> LlmConfig | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, dict):
                try:
                    llm_config_type_0 = LlmConfig.from_dict(data)

                    return llm_config_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(LlmConfig | None | Unset, data)

        llm_config = _parse_llm_config(d.pop("llm_config", UNSET))

        def _parse_code_config(data: object) -> CodeConfig | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, dict):
                try:
                    code_config_type_0 = CodeConfig.from_dict(data)

                    return code_config_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(CodeConfig | None | Unset, data)

        code_config = _parse_code_config(d.pop("code_config", UNSET))

        _configurations = d.pop("configurations", UNSET)
        configurations: EvaluatorUpdateRequestConfigurations | Unset
        if isinstance(_configurations, Unset):
            configurations = UNSET
        else:
            configurations = EvaluatorUpdateRequestConfigurations.from_dict(
                _configurations
            )

        _categorical_choices = d.pop("categorical_choices", UNSET)
        categorical_choices: list[ScoreChoice] | Unset = UNSET
        if _categorical_choices is not UNSET:
            categorical_choices = []
            for categorical_choices_item_data in _categorical_choices:
                categorical_choices_item = ScoreChoice.from_dict(
                    categorical_choices_item_data
                )

                categorical_choices.append(categorical_choices_item)

        starred = d.pop("starred", UNSET)

        evaluator_update_request = cls(
            name=name,
            type_=type_,
            score_value_type=score_value_type,
            evaluator_slug=evaluator_slug,
            eval_class=eval_class,
            description=description,
            score_config=score_config,
            passing_conditions=passing_conditions,
            llm_config=llm_config,
            code_config=code_config,
            configurations=configurations,
            categorical_choices=categorical_choices,
            starred=starred,
        )

        evaluator_update_request.additional_properties = d
        return evaluator_update_request

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


from ..models.code_config import CodeConfig
from ..models.evaluator_update_request_configurations import (
    EvaluatorUpdateRequestConfigurations,
)
from ..models.filters import Filters
from ..models.llm_config import LlmConfig
from ..models.score_choice import ScoreChoice
from ..models.score_config import ScoreConfig
