"""NOT_GIVEN: the default of every optional argument, meaning "leave it out of the request".

The facade's own sentinel rather than the generated UNSET, so that `import respan_evals` and
`Respan()` do not import the generated package (and attrs) before the first request. It never
reaches generated code: `omit_not_given` drops it where arguments are handed over.

    >>> omit_not_given({"page": 2, "search": NOT_GIVEN})
    {'page': 2}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, final

__all__ = ["NOT_GIVEN", "NotGiven", "omit_not_given"]


@final
class NotGiven:
    """The type of NOT_GIVEN: one instance (copies and unpickling return it), false like UNSET."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


def omit_not_given(kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """`kwargs` without the arguments left at NOT_GIVEN (the generated defaults apply)."""
    return {k: v for k, v in kwargs.items() if v is not NOT_GIVEN}
