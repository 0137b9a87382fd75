"""Answers shaped by the spec: every property of a response schema, filled or null."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from ._errors import EmulatorBug
from ._spec import Spec

__all__ = ["REAL_API_ONLY", "Records"]

# Response properties only the real API can fill, as "Schema.property": why. They are left out
# of the emulator's answers (null would break their schema) and the coverage test in
# tests/emulator/test_spec_coverage.py accepts their absence. Keep it short: every entry is a
# field that tests against the emulator never see.
REAL_API_ONLY: dict[str, str] = {
    "EvaluatorTag.id": "tags are attached in Respan's UI; no operation of the spec sets them",
    "EvaluatorTag.name": "tags are attached in Respan's UI; no operation of the spec sets them",
    "EvaluatorTag.color": "tags are attached in Respan's UI; no operation of the spec sets them",
}


class Records:
    """Builds answers for the spec's component schemas from what the emulator knows."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self._shapes: dict[str, list[tuple[str, bool, bool]]] = {}

    def shape(self, schema: str) -> list[tuple[str, bool, bool]]:
        """(property, nullable, required) for each property of `schema`, in spec order."""
        found = self._shapes.get(schema)
        if found is None:
            node = self.spec.schema(schema)
            required = set(node.get("required") or [])
            for part in node.get("allOf") or []:
                required |= set(self.spec.resolve(part).get("required") or [])
            found = [
                (name, self.spec.nullable(prop), name in required)
                for name, prop in self.spec.properties(node).items()
            ]
            self._shapes[schema] = found
        return found

    def fields(self, schema: str) -> list[str]:
        return [name for name, _, _ in self.shape(schema)]

    def build(
        self, schema: str, source: Mapping[str, Any], *, omit: Collection[str] = ()
    ) -> dict[str, Any]:
        """`schema`'s properties from `source`; a nullable one `source` lacks is null."""
        out: dict[str, Any] = {}
        for name, nullable, required in self.shape(schema):
            if name in omit:
                continue
            if name in source:
                out[name] = source[name]
            elif nullable:
                out[name] = None
            elif required:
                raise EmulatorBug(
                    f"{schema}.{name} is required and not nullable, and the emulator has no "
                    "value for it"
                )
            # else: optional and not nullable; the coverage test names it unless allowlisted
        return out
