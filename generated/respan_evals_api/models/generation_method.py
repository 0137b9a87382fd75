from enum import StrEnum


class GenerationMethod(StrEnum):
    AUTO = "auto"
    CODE = "code"
    LLM = "llm"

    def __str__(self) -> str:
        return str(self.value)
