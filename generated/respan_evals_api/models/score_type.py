from enum import StrEnum


class ScoreType(StrEnum):
    CODE = "code"
    CUSTOM = "custom"
    FUNCTION = "function"
    HUMAN = "human"
    HUMAN_BOOLEAN = "human_boolean"
    HUMAN_CATEGORICAL = "human_categorical"
    HUMAN_NUMERICAL = "human_numerical"
    HUMAN_TEXT = "human_text"
    LLM = "llm"

    def __str__(self) -> str:
        return str(self.value)
