"""NOT_GIVEN: the default of every optional argument, meaning "leave it out of the request".

The sentinel the generated resources use (respan_evals_api.resources.support), shown here under
the facade's name. Importing it is cheap: neither the generated client nor attrs is imported.

    >>> omit_not_given({"page": 2, "search": NOT_GIVEN})
    {'page': 2}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from respan_evals_api.resources.support import NOT_GIVEN, NotGiven

__all__ = ["NOT_GIVEN", "NotGiven", "omit_not_given"]


def omit_not_given(kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """`kwargs` without the arguments left at NOT_GIVEN (the generated defaults apply)."""
    return {k: v for k, v in kwargs.items() if v is not NOT_GIVEN}
