from enum import StrEnum


class ScoreValueType(StrEnum):
    BOOLEAN = "boolean"
    CATEGORICAL = "categorical"
    COMMENT = "comment"
    JSON = "json"
    MULTI_SELECT = "multi_select"
    NUMERICAL = "numerical"
    PERCENTAGE = "percentage"
    SINGLE_SELECT = "single_select"
    TEXT = "text"

    def __str__(self) -> str:
        return str(self.value)
