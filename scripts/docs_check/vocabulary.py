"""The type words of the reference pages (`list of strings or null`) as comparable values."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Scalar words the pages print, singular and plural ("list of strings").
SCALARS = ("string", "integer", "double", "boolean", "datetime", "enum", "object", "any")
_PLURALS = {f"{word}s": word for word in SCALARS if word != "any"}
_MAP_PREFIX = "map from strings to "
_LIST_PREFIX = "list of "
# A field entry runs name, type and (request side) Required/Optional together.
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_REQUIREDNESS = ("Required", "Optional")


@dataclass(frozen=True)
class DocType:
    """A field's type: `kind` is a scalar word, `list`, `map` or `union` (of `members`)."""

    kind: str
    members: tuple[DocType, ...] = ()

    def words(self) -> str:
        """The type as the pages print it (`list of strings`, `map from strings to any`)."""
        if self.kind == "list":
            return _LIST_PREFIX + self.members[0].plural()
        if self.kind == "map":
            return _MAP_PREFIX + self.members[0].plural()
        if self.kind == "union":
            return " or ".join(member.words() for member in self.members)
        return self.kind

    def plural(self) -> str:
        """The plural the pages use inside `list of ...`."""
        if self.kind in _PLURALS.values():
            return f"{self.kind}s"
        if self.kind == "list":
            return "lists of " + self.members[0].plural()
        if self.kind == "map":
            return "maps from strings to " + self.members[0].plural()
        return self.words()


@dataclass(frozen=True)
class Typed:
    """A type with its nullability (`... or null`)."""

    type: DocType
    nullable: bool

    def words(self) -> str:
        """As the pages print it."""
        return self.type.words() + (" or null" if self.nullable else "")


def compatible(page: DocType, spec: DocType) -> bool:
    """Whether the spec's type says what the page's does.

    The pages print `object` for any named object type, a free-form one included, so
    `object` also covers the spec's maps; everything else must agree word for word.
    """
    if page == spec:
        return True
    if page.kind == "object" and spec.kind in ("object", "map"):
        return True
    if page.kind == "map" and spec.kind == "object":
        return page.members[0].kind == "any"
    if page.kind == spec.kind and page.kind in ("list", "map", "union"):
        return len(page.members) == len(spec.members) and all(
            compatible(p, s) for p, s in zip(page.members, spec.members, strict=True)
        )
    return False


def parse_type(text: str) -> Typed | None:
    """`list of strings or null` as a Typed; None when the words are not a type."""
    parts = text.split(" or ")
    nullable = parts[-1] == "null"
    if nullable:
        parts = parts[:-1]
    if not parts:
        return None
    members: list[DocType] = []
    # `map from strings to X or Y` is ambiguous; the pages only put unions at the top.
    for part in parts:
        parsed = _parse_single(part, plural=False)
        if parsed is None:
            return None
        members.append(parsed)
    if len(members) == 1:
        return Typed(members[0], nullable)
    return Typed(DocType("union", tuple(sorted(set(members), key=DocType.words))), nullable)


def _parse_single(text: str, *, plural: bool) -> DocType | None:
    if text.startswith(_LIST_PREFIX) or text.startswith("lists of "):
        inner = text.split(" of ", 1)[1]
        element = _parse_single(inner, plural=True)
        return DocType("list", (element,)) if element else None
    for prefix in (_MAP_PREFIX, "maps from strings to "):
        if text.startswith(prefix):
            value = _parse_single(text[len(prefix) :], plural=False) or _parse_single(
                text[len(prefix) :], plural=True
            )
            return DocType("map", (value,)) if value else None
    if plural and text in _PLURALS:
        return DocType(_PLURALS[text])
    if text in SCALARS and (not plural or text == "any"):
        return DocType(text)
    return None


@dataclass(frozen=True)
class FieldLine:
    """One field entry line: name, type and, where the page prints it, Required/Optional."""

    name: str
    typed: Typed
    required: bool | None


def parse_field_line(line: str) -> FieldLine | None:
    """`numerical_valuedouble or nullOptional` as a FieldLine; None when it is not one."""
    required: bool | None = None
    body = line.strip()
    for word in _REQUIREDNESS:
        if body.endswith(word) and len(body) > len(word):
            required = word == "Required"
            body = body[: -len(word)]
            break
    # The shortest name whose rest is a type: `typeenum` is `type` + `enum`. A longer split
    # would need a name ending in letters that start a type word, and a rest that is still
    # a whole type after them; no page has such a name.
    for cut in range(1, len(body)):
        name, rest = body[:cut], body[cut:]
        if not _NAME.fullmatch(name):
            break
        typed = parse_type(rest)
        if typed is not None:
            return FieldLine(name=name, typed=typed, required=required)
    return None


def looks_like_field(line: str) -> bool:
    """Whether a line that did not parse was probably meant as a field entry (to report it)."""
    body = line.strip()
    if not body:
        return False
    if body.endswith(_REQUIREDNESS) and " " not in body.split(" or ")[0]:
        return True
    if body.endswith(" or null"):
        return True
    # One lower-case word with no spaces: a name run into a type the vocabulary lacks.
    return _NAME.fullmatch(body) is not None and body[0].islower()
