"""Which operation of the spec a method and path name: the spec's paths are the routes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ._spec import Operation

__all__ = ["Matched", "NotAllowed", "Router"]


@dataclass(frozen=True)
class Matched:
    """The request names `operation`, with these path parameters."""

    operation: Operation
    params: dict[str, str]


@dataclass(frozen=True)
class NotAllowed:
    """The path is in the spec, the method is not one of its operations."""

    template: str
    allow: tuple[str, ...]
    literal: bool  # the template has no path parameters: the spec names this very path


class Router:
    """Paths in the spec, most literal first (as Django's resolver and openapi-core do)."""

    def __init__(self, operations: Iterable[Operation]) -> None:
        by_template: dict[str, dict[str, Operation]] = {}
        for op in operations:
            by_template.setdefault(op.template, {})[op.method] = op
        self._routes = [
            (_compile(template), _names(template), template, methods)
            for template, methods in sorted(by_template.items(), key=lambda kv: _rank(kv[0]))
            if "{" in template
        ]
        # Templates without parameters match only their own text, and rank before any that has
        # one: a dict lookup answers them before the patterns are tried.
        self._literal = {t: m for t, m in by_template.items() if "{" not in t}
        # Every method some operation uses (upper case); any other is a probe.
        self.methods = frozenset(op.method for ops in by_template.values() for op in ops.values())

    def match(self, method: str, path: str) -> Matched | NotAllowed | None:
        """The operation, or why there is none (None: the spec has no such path)."""
        # `$` in the patterns also matches before one final newline: so does this lookup.
        key = path[:-1] if path.endswith("\n") else path
        literal = self._literal.get(key)
        if literal is not None:
            op = literal.get(method.upper())
            if op is None:
                return NotAllowed(key, tuple(sorted(literal)), True)
            return Matched(op, {})
        for pattern, names, template, methods in self._routes:
            found = pattern.match(path)
            if found is None:
                continue
            op = methods.get(method.upper())
            if op is None:
                return NotAllowed(template, tuple(sorted(methods)), not names)
            return Matched(op, dict(zip(names, found.groups(), strict=True)))
        return None


def _rank(template: str) -> tuple[int, int, str]:
    """Fewer parameters first, then longer literal text: `/scores/list/` before `/scores/{id}/`."""
    literal = re.sub(r"\{[^}]+\}", "", template)
    return (template.count("{"), -len(literal), template)


def _names(template: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\{([^}]+)\}", template))


def _compile(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    regex = "".join("([^/]+)" if part.startswith("{") else re.escape(part) for part in parts)
    return re.compile(f"^{regex}$")
