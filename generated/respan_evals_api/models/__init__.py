"""Contains all the data models used in inputs/outputs"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .code_config import CodeConfig
    from .error_detail import ErrorDetail
    from .eval_class import EvalClass
    from .evaluator import Evaluator
    from .evaluator_configurations_type_0 import EvaluatorConfigurationsType0
    from .evaluator_create_request import EvaluatorCreateRequest
    from .evaluator_create_request_configurations import (
        EvaluatorCreateRequestConfigurations,
    )
    from .evaluator_filter_request import EvaluatorFilterRequest
    from .evaluator_replace_request import EvaluatorReplaceRequest
    from .evaluator_replace_request_configurations import (
        EvaluatorReplaceRequestConfigurations,
    )
    from .evaluator_run_inputs import EvaluatorRunInputs
    from .evaluator_run_inputs_metadata_type_0 import EvaluatorRunInputsMetadataType0
    from .evaluator_run_inputs_metrics_type_0 import EvaluatorRunInputsMetricsType0
    from .evaluator_run_request import EvaluatorRunRequest
    from .evaluator_run_result import EvaluatorRunResult
    from .evaluator_summary_filter_request import EvaluatorSummaryFilterRequest
    from .evaluator_tag import EvaluatorTag
    from .evaluator_type import EvaluatorType
    from .evaluator_update_request import EvaluatorUpdateRequest
    from .evaluator_update_request_configurations import (
        EvaluatorUpdateRequestConfigurations,
    )
    from .evaluator_version import EvaluatorVersion
    from .evaluator_version_configurations_type_0 import (
        EvaluatorVersionConfigurationsType0,
    )
    from .evaluator_version_create_request import EvaluatorVersionCreateRequest
    from .evaluator_version_create_request_configurations import (
        EvaluatorVersionCreateRequestConfigurations,
    )
    from .evaluator_version_list_item import EvaluatorVersionListItem
    from .evaluator_version_replace_request import EvaluatorVersionReplaceRequest
    from .evaluator_version_replace_request_configurations import (
        EvaluatorVersionReplaceRequestConfigurations,
    )
    from .evaluator_version_update_request import EvaluatorVersionUpdateRequest
    from .evaluator_version_update_request_configurations import (
        EvaluatorVersionUpdateRequestConfigurations,
    )
    from .evaluators_summary import EvaluatorsSummary
    from .field_errors import FieldErrors
    from .filter_condition import FilterCondition
    from .filter_operator import FilterOperator
    from .filters import Filters
    from .generation_method import GenerationMethod
    from .llm_config import LlmConfig
    from .llm_config_response_format_type_0 import LlmConfigResponseFormatType0
    from .llm_config_tools_type_0_item import LlmConfigToolsType0Item
    from .log_score_replace_request import LogScoreReplaceRequest
    from .log_score_update_request import LogScoreUpdateRequest
    from .log_score_upsert_request import LogScoreUpsertRequest
    from .paginated_evaluator_list import PaginatedEvaluatorList
    from .paginated_evaluator_list_current_filters_type_0 import (
        PaginatedEvaluatorListCurrentFiltersType0,
    )
    from .paginated_evaluator_list_filters_data_type_0 import (
        PaginatedEvaluatorListFiltersDataType0,
    )
    from .paginated_evaluator_version_list import PaginatedEvaluatorVersionList
    from .paginated_evaluator_version_list_current_filters_type_0 import (
        PaginatedEvaluatorVersionListCurrentFiltersType0,
    )
    from .paginated_score_list import PaginatedScoreList
    from .paginated_score_list_current_filters_type_0 import (
        PaginatedScoreListCurrentFiltersType0,
    )
    from .rate_limit_error import RateLimitError
    from .score import Score
    from .score_choice import ScoreChoice
    from .score_config import ScoreConfig
    from .score_create_request import ScoreCreateRequest
    from .score_evaluator_type_0 import ScoreEvaluatorType0
    from .score_filter_request import ScoreFilterRequest
    from .score_inputs import ScoreInputs
    from .score_inputs_metadata_type_0 import ScoreInputsMetadataType0
    from .score_inputs_metrics_type_0 import ScoreInputsMetricsType0
    from .score_replace_request import ScoreReplaceRequest
    from .score_type import ScoreType
    from .score_update_request import ScoreUpdateRequest
    from .score_value_fields import ScoreValueFields
    from .score_value_type import ScoreValueType
    from .user_ref import UserRef
    from .validation_error_body import ValidationErrorBody

# Each name, and the module (in this package) that defines it.
_MODULES = {
    "CodeConfig": ".code_config",
    "ErrorDetail": ".error_detail",
    "EvalClass": ".eval_class",
    "Evaluator": ".evaluator",
    "EvaluatorConfigurationsType0": ".evaluator_configurations_type_0",
    "EvaluatorCreateRequest": ".evaluator_create_request",
    "EvaluatorCreateRequestConfigurations": ".evaluator_create_request_configurations",
    "EvaluatorFilterRequest": ".evaluator_filter_request",
    "EvaluatorReplaceRequest": ".evaluator_replace_request",
    "EvaluatorReplaceRequestConfigurations": ".evaluator_replace_request_configurations",
    "EvaluatorRunInputs": ".evaluator_run_inputs",
    "EvaluatorRunInputsMetadataType0": ".evaluator_run_inputs_metadata_type_0",
    "EvaluatorRunInputsMetricsType0": ".evaluator_run_inputs_metrics_type_0",
    "EvaluatorRunRequest": ".evaluator_run_request",
    "EvaluatorRunResult": ".evaluator_run_result",
    "EvaluatorSummaryFilterRequest": ".evaluator_summary_filter_request",
    "EvaluatorTag": ".evaluator_tag",
    "EvaluatorType": ".evaluator_type",
    "EvaluatorUpdateRequest": ".evaluator_update_request",
    "EvaluatorUpdateRequestConfigurations": ".evaluator_update_request_configurations",
    "EvaluatorVersion": ".evaluator_version",
    "EvaluatorVersionConfigurationsType0": ".evaluator_version_configurations_type_0",
    "EvaluatorVersionCreateRequest": ".evaluator_version_create_request",
    "EvaluatorVersionCreateRequestConfigurations": ".evaluator_version_create_request_configurations",
    "EvaluatorVersionListItem": ".evaluator_version_list_item",
    "EvaluatorVersionReplaceRequest": ".evaluator_version_replace_request",
    "EvaluatorVersionReplaceRequestConfigurations": ".evaluator_version_replace_request_configurations",
    "EvaluatorVersionUpdateRequest": ".evaluator_version_update_request",
    "EvaluatorVersionUpdateRequestConfigurations": ".evaluator_version_update_request_configurations",
    "EvaluatorsSummary": ".evaluators_summary",
    "FieldErrors": ".field_errors",
    "FilterCondition": ".filter_condition",
    "FilterOperator": ".filter_operator",
    "Filters": ".filters",
    "GenerationMethod": ".generation_method",
    "LlmConfig": ".llm_config",
    "LlmConfigResponseFormatType0": ".llm_config_response_format_type_0",
    "LlmConfigToolsType0Item": ".llm_config_tools_type_0_item",
    "LogScoreReplaceRequest": ".log_score_replace_request",
    "LogScoreUpdateRequest": ".log_score_update_request",
    "LogScoreUpsertRequest": ".log_score_upsert_request",
    "PaginatedEvaluatorList": ".paginated_evaluator_list",
    "PaginatedEvaluatorListCurrentFiltersType0": ".paginated_evaluator_list_current_filters_type_0",
    "PaginatedEvaluatorListFiltersDataType0": ".paginated_evaluator_list_filters_data_type_0",
    "PaginatedEvaluatorVersionList": ".paginated_evaluator_version_list",
    "PaginatedEvaluatorVersionListCurrentFiltersType0": ".paginated_evaluator_version_list_current_filters_type_0",
    "PaginatedScoreList": ".paginated_score_list",
    "PaginatedScoreListCurrentFiltersType0": ".paginated_score_list_current_filters_type_0",
    "RateLimitError": ".rate_limit_error",
    "Score": ".score",
    "ScoreChoice": ".score_choice",
    "ScoreConfig": ".score_config",
    "ScoreCreateRequest": ".score_create_request",
    "ScoreEvaluatorType0": ".score_evaluator_type_0",
    "ScoreFilterRequest": ".score_filter_request",
    "ScoreInputs": ".score_inputs",
    "ScoreInputsMetadataType0": ".score_inputs_metadata_type_0",
    "ScoreInputsMetricsType0": ".score_inputs_metrics_type_0",
    "ScoreReplaceRequest": ".score_replace_request",
    "ScoreType": ".score_type",
    "ScoreUpdateRequest": ".score_update_request",
    "ScoreValueFields": ".score_value_fields",
    "ScoreValueType": ".score_value_type",
    "UserRef": ".user_ref",
    "ValidationErrorBody": ".validation_error_body",
}

__all__ = (
    "CodeConfig",
    "ErrorDetail",
    "EvalClass",
    "Evaluator",
    "EvaluatorConfigurationsType0",
    "EvaluatorCreateRequest",
    "EvaluatorCreateRequestConfigurations",
    "EvaluatorFilterRequest",
    "EvaluatorReplaceRequest",
    "EvaluatorReplaceRequestConfigurations",
    "EvaluatorRunInputs",
    "EvaluatorRunInputsMetadataType0",
    "EvaluatorRunInputsMetricsType0",
    "EvaluatorRunRequest",
    "EvaluatorRunResult",
    "EvaluatorSummaryFilterRequest",
    "EvaluatorTag",
    "EvaluatorType",
    "EvaluatorUpdateRequest",
    "EvaluatorUpdateRequestConfigurations",
    "EvaluatorVersion",
    "EvaluatorVersionConfigurationsType0",
    "EvaluatorVersionCreateRequest",
    "EvaluatorVersionCreateRequestConfigurations",
    "EvaluatorVersionListItem",
    "EvaluatorVersionReplaceRequest",
    "EvaluatorVersionReplaceRequestConfigurations",
    "EvaluatorVersionUpdateRequest",
    "EvaluatorVersionUpdateRequestConfigurations",
    "EvaluatorsSummary",
    "FieldErrors",
    "FilterCondition",
    "FilterOperator",
    "Filters",
    "GenerationMethod",
    "LlmConfig",
    "LlmConfigResponseFormatType0",
    "LlmConfigToolsType0Item",
    "LogScoreReplaceRequest",
    "LogScoreUpdateRequest",
    "LogScoreUpsertRequest",
    "PaginatedEvaluatorList",
    "PaginatedEvaluatorListCurrentFiltersType0",
    "PaginatedEvaluatorListFiltersDataType0",
    "PaginatedEvaluatorVersionList",
    "PaginatedEvaluatorVersionListCurrentFiltersType0",
    "PaginatedScoreList",
    "PaginatedScoreListCurrentFiltersType0",
    "RateLimitError",
    "Score",
    "ScoreChoice",
    "ScoreConfig",
    "ScoreCreateRequest",
    "ScoreEvaluatorType0",
    "ScoreFilterRequest",
    "ScoreInputs",
    "ScoreInputsMetadataType0",
    "ScoreInputsMetricsType0",
    "ScoreReplaceRequest",
    "ScoreType",
    "ScoreUpdateRequest",
    "ScoreValueFields",
    "ScoreValueType",
    "UserRef",
    "ValidationErrorBody",
)


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # the next look-up is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULES})
