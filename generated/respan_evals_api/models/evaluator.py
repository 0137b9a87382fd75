from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.eval_class import EvalClass
from ..models.evaluator_type import EvaluatorType
from ..models.score_value_type import ScoreValueType
from ..types import UNSET, Unset

T = TypeVar("T", bound="Evaluator")


@_attrs_define
class Evaluator:
    """An evaluator as returned by create, retrieve, replace, update and the list endpoints: the
    current draft/latest version of the evaluator family. Requiredness follows the SDK.
    Optional object-valued fields are nullable here even where the docs type them as plain
    objects (`score_config`, `configurations`, `created_by`, `updated_by`, `editor`, `tags`):
    the SDK types them optional (null accepted), and the nullable form keeps a response
    readable if the server sends null or an unexpected nested shape.

        Attributes:
            id (str): Stable evaluator ID shared by all versions.
            name (str):
            type_ (EvaluatorType | str):
            score_value_type (ScoreValueType | str):
            version_id (str | Unset): Unique ID for this evaluator version.
            version (int | Unset): Version number. The first draft is version 0.
            is_read_only (bool | Unset): Whether this version is committed and immutable.
            version_description (None | str | Unset): Commit message for this version. Docs type it as string; nullable
                because the SDK's
                version list item types the same field string-or-null (an uncommitted draft may have
                none).
            evaluator_slug (str | Unset): Organization-scoped evaluator slug.
            eval_class (EvalClass | None | str | Unset): Optional pre-built evaluator template (old examples show `""`).
            description (None | str | Unset):
            score_config (None | ScoreConfig | Unset):
            passing_conditions (Filters | None | Unset):
            llm_config (LlmConfig | None | Unset):
            code_config (CodeConfig | None | Unset):
            configurations (EvaluatorConfigurationsType0 | None | Unset): Legacy user-facing configuration object. New
                clients should prefer `llm_config`,
                `code_config`, `score_config` and `passing_conditions`.
            categorical_choices (list[ScoreChoice] | None | Unset): Legacy choices list; use `score_config.choices`.
            starred (bool | Unset):
            created_at (datetime.datetime | Unset):
            updated_at (datetime.datetime | Unset):
            created_by (None | Unset | UserRef):
            updated_by (None | Unset | UserRef):
            editor (None | Unset | UserRef): Who last edited the evaluator. In the create-evaluator page's field list
                (`editor
                object`) and example, and in SDK 0.1.29-0.1.46.
            tags (list[EvaluatorTag] | None | Unset): Tags attached to the evaluator. In the create-evaluator page's field
                list (`tags list
                of objects`) and example, and in SDK 0.1.29-0.1.46.
            is_public (bool | Unset): Whether this is a Respan-managed public evaluator. Inferred: SDK 0.1.46 only; not in
                the docs.
    """

    id: str
    name: str
    type_: EvaluatorType | str
    score_value_type: ScoreValueType | str
    version_id: str | Unset = UNSET
    version: int | Unset = UNSET
    is_read_only: bool | Unset = UNSET
    version_description: None | str | Unset = UNSET
    evaluator_slug: str | Unset = UNSET
    eval_class: EvalClass | None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    score_config: None | ScoreConfig | Unset = UNSET
    passing_conditions: Filters | None | Unset = UNSET
    llm_config: LlmConfig | None | Unset = UNSET
    code_config: CodeConfig | None | Unset = UNSET
    configurations: EvaluatorConfigurationsType0 | None | Unset = UNSET
    categorical_choices: list[ScoreChoice] | None | Unset = UNSET
    starred: bool | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET
    created_by: None | Unset | UserRef = UNSET
    updated_by: None | Unset | UserRef = UNSET
    editor: None | Unset | UserRef = UNSET
    tags: list[EvaluatorTag] | None | Unset = UNSET
    is_public: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        type_: str
        if isinstance(self.type_, EvaluatorType):
            type_ = self.type_.value
        else:
            type_ = self.type_

        score_value_type: str
        if isinstance(self.score_value_type, ScoreValueType):
            score_value_type = self.score_value_type.value
        else:
            score_value_type = self.score_value_type

        version_id = self.version_id

        version = self.version

        is_read_only = self.is_read_only

        version_description: None | str | Unset
        if isinstance(self.version_description, Unset):
            version_description = UNSET
        else:
            version_description = self.version_description

        evaluator_slug = self.evaluator_slug

        eval_class: None | str | Unset
        if isinstance(self.eval_class, Unset):
            eval_class = UNSET
        elif isinstance(self.eval_class, EvalClass):
            eval_class = self.eval_class.value
        else:
            eval_class = self.eval_class

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        score_config: dict[str, Any] | None | Unset
        if isinstance(self.score_config, Unset):
            score_config = UNSET
        elif isinstance(self.score_config, ScoreConfig):
            score_config = self.score_config.to_dict()
        else:
            score_config = self.score_config

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

        configurations: dict[str, Any] | None | Unset
        if isinstance(self.configurations, Unset):
            configurations = UNSET
        elif isinstance(self.configurations, EvaluatorConfigurationsType0):
            configurations = self.configurations.to_dict()
        else:
            configurations = self.configurations

        categorical_choices: list[dict[str, Any]] | None | Unset
        if isinstance(self.categorical_choices, Unset):
            categorical_choices = UNSET
        elif isinstance(self.categorical_choices, list):
            categorical_choices = []
            for categorical_choices_type_0_item_data in self.categorical_choices:
                categorical_choices_type_0_item = (
                    categorical_choices_type_0_item_data.to_dict()
                )
                categorical_choices.append(categorical_choices_type_0_item)

        else:
            categorical_choices = self.categorical_choices

        starred = self.starred

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat()

        created_by: dict[str, Any] | None | Unset
        if isinstance(self.created_by, Unset):
            created_by = UNSET
        elif isinstance(self.created_by, UserRef):
            created_by = self.created_by.to_dict()
        else:
            created_by = self.created_by

        updated_by: dict[str, Any] | None | Unset
        if isinstance(self.updated_by, Unset):
            updated_by = UNSET
        elif isinstance(self.updated_by, UserRef):
            updated_by = self.updated_by.to_dict()
        else:
            updated_by = self.updated_by

        editor: dict[str, Any] | None | Unset
        if isinstance(self.editor, Unset):
            editor = UNSET
        elif isinstance(self.editor, UserRef):
            editor = self.editor.to_dict()
        else:
            editor = self.editor

        tags: list[dict[str, Any]] | None | Unset
        if isinstance(self.tags, Unset):
            tags = UNSET
        elif isinstance(self.tags, list):
            tags = []
            for tags_type_0_item_data in self.tags:
                tags_type_0_item = tags_type_0_item_data.to_dict()
                tags.append(tags_type_0_item)

        else:
            tags = self.tags

        is_public = self.is_public

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "type": type_,
                "score_value_type": score_value_type,
            }
        )
        if version_id is not UNSET:
            field_dict["version_id"] = version_id
        if version is not UNSET:
            field_dict["version"] = version
        if is_read_only is not UNSET:
            field_dict["is_read_only"] = is_read_only
        if version_description is not UNSET:
            field_dict["version_description"] = version_description
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
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if created_by is not UNSET:
            field_dict["created_by"] = created_by
        if updated_by is not UNSET:
            field_dict["updated_by"] = updated_by
        if editor is not UNSET:
            field_dict["editor"] = editor
        if tags is not UNSET:
            field_dict["tags"] = tags
        if is_public is not UNSET:
            field_dict["is_public"] = is_public

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        def _parse_type_(data: object) -> EvaluatorType | str:
            if isinstance(data, str):
                try:
                    type_type_0 = EvaluatorType(data)

                    return type_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(EvaluatorType | str, data)

        type_ = _parse_type_(d.pop("type"))

        def _parse_score_value_type(data: object) -> ScoreValueType | str:
            if isinstance(data, str):
                try:
                    score_value_type_type_0 = ScoreValueType(data)

                    return score_value_type_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(ScoreValueType | str, data)

        score_value_type = _parse_score_value_type(d.pop("score_value_type"))

        version_id = d.pop("version_id", UNSET)

        version = d.pop("version", UNSET)

        is_read_only = d.pop("is_read_only", UNSET)

        version_description = cast(
            "None | str | Unset", d.pop("version_description", UNSET)
        )

        evaluator_slug = d.pop("evaluator_slug", UNSET)

        def _parse_eval_class(data: object) -> EvalClass | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, str):
                try:
                    eval_class_type_0 = EvalClass(data)

                    return eval_class_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(EvalClass | None | str | Unset, data)

        eval_class = _parse_eval_class(d.pop("eval_class", UNSET))

        description = cast("None | str | Unset", d.pop("description", UNSET))

        def _parse_score_config(data: object) -> None | ScoreConfig | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, dict):
                try:
                    score_config_type_0 = ScoreConfig.from_dict(data)

                    return score_config_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(None | ScoreConfig | Unset, data)

        score_config = _parse_score_config(d.pop("score_config", UNSET))

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

        def _parse_configurations(
            data: object,
        ) -> EvaluatorConfigurationsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, dict):
                try:
                    configurations_type_0 = EvaluatorConfigurationsType0.from_dict(data)

                    return configurations_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(EvaluatorConfigurationsType0 | None | Unset, data)

        configurations = _parse_configurations(d.pop("configurations", UNSET))

        def _parse_categorical_choices(
            data: object,
        ) -> list[ScoreChoice] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, list):
                try:
                    categorical_choices_type_0 = []
                    _categorical_choices_type_0 = data
                    for (
                        categorical_choices_type_0_item_data
                    ) in _categorical_choices_type_0:
                        categorical_choices_type_0_item = ScoreChoice.from_dict(
                            categorical_choices_type_0_item_data
                        )

                        categorical_choices_type_0.append(
                            categorical_choices_type_0_item
                        )

                    return categorical_choices_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(list[ScoreChoice] | None | Unset, data)

        categorical_choices = _parse_categorical_choices(
            d.pop("categorical_choices", UNSET)
        )

        starred = d.pop("starred", UNSET)

        _created_at = d.pop("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        _updated_at = d.pop("updated_at", UNSET)
        updated_at: datetime.datetime | Unset
        if isinstance(_updated_at, Unset):
            updated_at = UNSET
        else:
            updated_at = datetime.datetime.fromisoformat(_updated_at)

        def _parse_created_by(data: object) -> None | Unset | UserRef:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, dict):
                try:
                    created_by_type_0 = UserRef.from_dict(data)

                    return created_by_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(None | Unset | UserRef, data)

        created_by = _parse_created_by(d.pop("created_by", UNSET))

        def _parse_updated_by(data: object) -> None | Unset | UserRef:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, dict):
                try:
                    updated_by_type_0 = UserRef.from_dict(data)

                    return updated_by_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(None | Unset | UserRef, data)

        updated_by = _parse_updated_by(d.pop("updated_by", UNSET))

        def _parse_editor(data: object) -> None | Unset | UserRef:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, dict):
                try:
                    editor_type_0 = UserRef.from_dict(data)

                    return editor_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(None | Unset | UserRef, data)

        editor = _parse_editor(d.pop("editor", UNSET))

        def _parse_tags(data: object) -> list[EvaluatorTag] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, list):
                try:
                    tags_type_0 = []
                    _tags_type_0 = data
                    for tags_type_0_item_data in _tags_type_0:
                        tags_type_0_item = EvaluatorTag.from_dict(tags_type_0_item_data)

                        tags_type_0.append(tags_type_0_item)

                    return tags_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast(list[EvaluatorTag] | None | Unset, data)

        tags = _parse_tags(d.pop("tags", UNSET))

        is_public = d.pop("is_public", UNSET)

        evaluator = cls(
            id=id,
            name=name,
            type_=type_,
            score_value_type=score_value_type,
            version_id=version_id,
            version=version,
            is_read_only=is_read_only,
            version_description=version_description,
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
            created_at=created_at,
            updated_at=updated_at,
            created_by=created_by,
            updated_by=updated_by,
            editor=editor,
            tags=tags,
            is_public=is_public,
        )

        evaluator.additional_properties = d
        return evaluator

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
from ..models.evaluator_configurations_type_0 import EvaluatorConfigurationsType0
from ..models.evaluator_tag import EvaluatorTag
from ..models.filters import Filters
from ..models.llm_config import LlmConfig
from ..models.score_choice import ScoreChoice
from ..models.score_config import ScoreConfig
from ..models.user_ref import UserRef
