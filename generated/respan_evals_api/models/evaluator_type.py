from enum import StrEnum


class EvaluatorType(StrEnum):
    CODE = "code"
    HUMAN = "human"
    LLM = "llm"

    def __str__(self) -> str:
        return str(self.value)
