"""How the command writes: tables for people, JSON for scripts, one-line errors, no secrets."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ._finite import dumps

__all__ = [
    "Model",
    "Output",
    "as_dict",
    "cell",
    "plural",
    "redact",
    "short_time",
]

PIPE_WIDTH = 160  # columns for tables written to a pipe or a file
_ISO_TIME = re.compile(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?")


class Model(Protocol):
    """A generated API model: anything with to_dict()."""

    def to_dict(self) -> dict[str, Any]: ...


def as_dict(item: Model | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(item, Mapping):
        return dict(item)
    return item.to_dict()


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 row`, `2 rows`, `1,000 rows` (`many` for a plural that is not word + s).

    >>> plural(1, "row"), plural(2, "row"), plural(0, "entry", "entries")
    ('1 row', '2 rows', '0 entries')
    """
    return f"{count:,} {word if count == 1 else many or word + 's'}"


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """`text` with every secret (of 4+ characters) replaced by ***."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


def _is_tty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except ValueError:  # closed
        return False


def short_time(value: object) -> object:
    """An ISO timestamp as `2025-06-01 12:30` (UTC offsets dropped) for tables; others as given.

    >>> short_time("2025-06-01T12:30:05.123+00:00")
    '2025-06-01 12:30'
    """
    if isinstance(value, str) and (match := _ISO_TIME.fullmatch(value)):
        return f"{match.group(1)} {match.group(2)}"
    return value


def cell(value: object) -> Text:
    """A value as table text: '-' for missing, JSON for structures, never rich markup."""
    if value is None or value == []:
        return Text("-", style="dim")
    if isinstance(value, bool):
        return Text("true" if value else "false")
    if isinstance(value, float):
        return Text(f"{value:g}")
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return Text(", ".join(value))
    if isinstance(value, dict | list):
        return Text(json.dumps(value, ensure_ascii=False, separators=(", ", ": ")))
    return Text(str(value))


class Output:
    """stdout for results, stderr for progress and messages; both through rich consoles.

    The consoles resolve sys.stdout / sys.stderr when they write, so captured streams work.
    """

    def __init__(self, *, secrets: Sequence[str | None] = ()) -> None:
        # Piped or redirected, there is no screen to fit: tables get room instead of folds.
        wide = None if _is_tty(sys.stdout) or os.environ.get("COLUMNS") else PIPE_WIDTH
        self.out = Console(highlight=False, soft_wrap=False, width=wide)
        self.err = Console(stderr=True, highlight=False)
        self.secrets = list(secrets)

    def add_secret(self, secret: str | None) -> None:
        if secret:
            self.secrets.append(secret)

    def redact(self, text: str) -> str:
        return redact(text, self.secrets)

    def json(self, data: object) -> None:
        """Pretty JSON on stdout, unstyled, for scripts (never NaN: see _finite)."""
        text, found = dumps(data, indent=2, ensure_ascii=False, default=str)
        sys.stdout.write(self.redact(text) + "\n")
        sys.stdout.flush()
        if found:
            self.note(f"warning: not finite numbers written as null: {', '.join(found[:5])}")

    def line(self, text: str = "", *, style: str | None = None) -> None:
        """A line of plain text on stdout (never read as markup)."""
        self.out.print(Text(self.redact(text), style=style or ""), soft_wrap=True)

    def note(self, text: str, *, style: str | None = None) -> None:
        """A line on stderr (progress notes, hints)."""
        self.err.print(Text(self.redact(text), style=style or ""), soft_wrap=True)

    def error(self, message: str) -> None:
        """`error: ...` as one line on stderr."""
        one_line = " ".join(self.redact(message).split())
        sys.stderr.write(f"error: {one_line}\n")
        sys.stderr.flush()

    def table(
        self,
        columns: Sequence[str],
        rows: Iterable[Sequence[object]],
        *,
        title: str | None = None,
        numeric: Iterable[str] = (),
        no_wrap: Iterable[str] = (),
        total_row: bool = False,
    ) -> None:
        """A table on stdout; `total_row`: the last row is a total, set off by a rule."""
        right, whole = set(numeric), set(no_wrap)
        table = Table(title=title, title_justify="left", header_style="bold")
        for name in columns:
            table.add_column(
                name,
                justify="right" if name in right else "left",
                overflow="fold",
                no_wrap=name in whole,
            )
        items = [[v if isinstance(v, Text) else cell(v) for v in row] for row in rows]
        for number, row in enumerate(items, start=1):
            table.add_row(*row, end_section=total_row and number == len(items) - 1)
        self.out.print(table)

    def fields(self, data: Mapping[str, object], *, title: str | None = None) -> None:
        """A two-column table: field, value (nested structures as JSON)."""
        self.table(("field", "value"), ((k, v) for k, v in data.items()), title=title)
