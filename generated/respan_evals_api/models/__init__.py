"""Contains all the data models used in inputs/outputs"""

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
from .evaluator_run_inputs_metadata import EvaluatorRunInputsMetadata
from .evaluator_run_inputs_metrics import EvaluatorRunInputsMetrics
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
from .evaluator_version_configurations_type_0 import EvaluatorVersionConfigurationsType0
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
from .filter_condition import FilterCondition
from .filter_operator import FilterOperator
from .filters import Filters
from .generation_method import GenerationMethod
from .llm_config import LlmConfig
from .llm_config_response_format import LlmConfigResponseFormat
from .llm_config_tools_item import LlmConfigToolsItem
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
from .validation_error_body_errors import ValidationErrorBodyErrors

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
    "EvaluatorRunInputsMetadata",
    "EvaluatorRunInputsMetrics",
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
    "FilterCondition",
    "FilterOperator",
    "Filters",
    "GenerationMethod",
    "LlmConfig",
    "LlmConfigResponseFormat",
    "LlmConfigToolsItem",
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
    "ValidationErrorBodyErrors",
)
