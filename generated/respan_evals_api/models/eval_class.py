from enum import StrEnum


class EvalClass(StrEnum):
    CUSTOM_CODE = "custom_code"
    KEYWORDSAI_CUSTOM_LLM = "keywordsai_custom_llm"
    RESPAN_CUSTOM_LLM = "respan_custom_llm"

    def __str__(self) -> str:
        return str(self.value)
