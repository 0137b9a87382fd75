from enum import StrEnum


class FilterOperator(StrEnum):
    CONTAINS = "contains"
    ENDSWITH = "endswith"
    EQUAL = ""
    GT = "gt"
    GTE = "gte"
    ICONTAINS = "icontains"
    IEXACT = "iexact"
    IN = "in"
    ISNULL = "isnull"
    LT = "lt"
    LTE = "lte"
    NOT = "not"
    STARTSWITH = "startswith"

    def __str__(self) -> str:
        return str(self.value)
