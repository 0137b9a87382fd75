"""Which operation of the spec a request is, so its declared `x-respan-idempotent` decides retries.

    >>> match = OperationMatcher.build([
    ...     ("POST", "/api/logs/{log_id}/scores/", True),
    ...     ("POST", "/api/scores/", False),
    ... ])
    >>> match("POST", b"/api/logs/log_1/scores/?x=1"), match("POST", b"/api/scores/")
    (True, False)
    >>> match("POST", b"/api/elsewhere/") is None
    True

Paths are matched on the raw (still percent-encoded) path, so an id holding `%2F` stays one
segment, and on its tail, so a base URL with a path prefix (`https://host/respan`) still matches.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

__all__ = ["OperationMatcher", "declared_idempotent"]

# A `{param}` of a path template: one path segment (or part of one) that is not empty.
_PARAM = re.compile(r"\{[^{}/]+\}")


class OperationMatcher:
    """(method, raw path) -> the flag of the operation it is, or None: no operation of the spec."""

    def __init__(
        self, by_method: dict[str, tuple[re.Pattern[bytes], re.Pattern[bytes], tuple[bool, ...]]]
    ) -> None:
        self._by_method = by_method

    @classmethod
    def build(cls, operations: Iterable[tuple[str, str, bool]]) -> OperationMatcher:
        """From (method, path template, idempotent) triples, e.g. read from the spec's facts."""
        grouped: dict[str, list[tuple[str, bool]]] = {}
        for method, template, idempotent in operations:
            if not template.startswith("/"):
                raise ValueError(f"path template must start with '/': {template!r}")
            grouped.setdefault(method.upper(), []).append((template, idempotent))
        by_method = {}
        for method, entries in grouped.items():
            # Literal routes before templated ones (`/scores/list/` before `/scores/{id}/`),
            # then the longer template: the alternation tries them in this order.
            entries.sort(key=lambda e: (len(_PARAM.findall(e[0])), -len(e[0])))
            alternatives = b"|".join(
                b"(?P<op%d>%s)" % (i, _template_regex(template))
                for i, (template, _) in enumerate(entries)
            )
            # The whole path first (the usual case, and the cheaper test); else `search` finds
            # the earliest start, so the longest tail that is an operation wins, behind a prefix
            # (the base URL's path).
            whole = re.compile(alternatives)
            tail = re.compile(b"(?:" + alternatives + b")$")
            by_method[method] = (whole, tail, tuple(flag for _, flag in entries))
        return cls(by_method)

    def __call__(self, method: str, raw_path: bytes) -> bool | None:
        """The declared flag of the operation `method raw_path` is, or None if it is none."""
        entry = self._by_method.get(method.upper())
        if entry is None:
            return None
        whole, tail, flags = entry
        path = raw_path.split(b"?", 1)[0]
        found = whole.fullmatch(path) or tail.search(path)
        if found is None or found.lastgroup is None:
            return None
        return flags[int(found.lastgroup[2:])]


def _template_regex(template: str) -> bytes:
    parts = _PARAM.split(template)
    return b"[^/]+".join(re.escape(part.encode()) for part in parts)


@functools.cache
def _spec_matcher() -> OperationMatcher:
    # Imported on first use: `import respan_evals` stays free of the generated package.
    from respan_evals_api.facts import OPERATIONS

    return OperationMatcher.build((op.method, op.path, op.idempotent) for op in OPERATIONS.values())


def declared_idempotent(method: str, raw_path: bytes) -> bool | None:
    """What the spec declares for this request's operation, or None if the spec lacks it."""
    return _spec_matcher()(method, raw_path)
