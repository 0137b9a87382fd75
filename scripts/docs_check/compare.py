"""A parsed page against its operation in the spec: the list of what differs."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from docs_check.page import Page, PageField
from docs_check.spec_model import Operation, SpecField
from docs_check.vocabulary import compatible

# How many differing JSON paths one example difference names.
EXAMPLE_PATHS_SHOWN = 4


@dataclass(frozen=True)
class Difference:
    """One thing the page and the spec disagree on; `allowed` is the allowlist's reason."""

    key: str
    message: str
    allowed: str | None = None


def compare(page: Page, op: Operation) -> list[Difference]:
    """Every difference between `page` and `op`, allowlisted ones marked."""
    found: list[Difference] = []

    def add(key: str, message: str, spec_field: SpecField | None = None, kind: str = "") -> None:
        reason = op.deviations.get(key)
        if reason is None and spec_field is not None:
            reason = spec_field.deviations.get(kind)
        found.append(Difference(key=key, message=message, allowed=reason))

    sections: list[tuple[str, list[PageField] | None, dict[str, SpecField] | None]] = [
        ("path parameter", page.path_params, op.path_params),
        ("query parameter", page.query_params, op.query_params),
        ("request field", page.request, op.request),
        ("response field", page.response, op.response),
    ]
    for label, listed, expected in sections:
        if listed is None:
            if expected:
                add(
                    label.split()[0] if "field" in label else f"{label}s",
                    f"the page lists no {label}s; the spec has {', '.join(expected)}",
                )
            continue
        spec_fields = expected or {}
        for entry in listed:
            spec_field = spec_fields.get(entry.name)
            key = f"{label} {entry.name}"
            if spec_field is None:
                add(key, f"{key}: on the page (`{entry.typed.words()}`), not in the spec")
                continue
            if not compatible(entry.typed.type, spec_field.typed.type):
                add(
                    key,
                    f"{key}: type `{entry.typed.type.words()}` on the page, "
                    f"`{spec_field.typed.type.words()}` in the spec",
                    spec_field,
                    "type",
                )
            if entry.typed.nullable != spec_field.typed.nullable:
                add(
                    key,
                    f"{key}: {_nullable(entry.typed.nullable)} on the page, "
                    f"{_nullable(spec_field.typed.nullable)} in the spec",
                    spec_field,
                    "nullable",
                )
            if entry.required is not None and entry.required != spec_field.required:
                add(
                    key,
                    f"{key}: {_required(entry.required)} on the page, "
                    f"{_required(spec_field.required)} in the spec",
                    spec_field,
                    "required",
                )
        on_page = {entry.name for entry in listed}
        for name, spec_field in spec_fields.items():
            if name not in on_page:
                key = f"{label} {name}"
                add(key, f"{key}: in the spec, not on the page", spec_field, "absent")
    for status, name in page.errors or []:
        if status not in op.error_statuses:
            add(f"error {status}", f"error {status} ({name}): on the page, not in the spec")
    if page.has_example_request and page.example_request is not None:
        _compare_example(add, "request example", page.example_request, op.request_examples)
    if page.has_example_response and page.example_response is not None:
        _compare_example(add, "response example", page.example_response, op.response_examples)
    return found


def _nullable(flag: bool) -> str:
    return "nullable" if flag else "not nullable"


def _required(flag: bool) -> str:
    return "required" if flag else "optional"


def _compare_example(
    add: Callable[[str, str], None], key: str, shown: Any, examples: list[tuple[str, Any]]
) -> None:
    if not examples:
        add(key, f"{key}: the page shows one, the spec has none")
        return
    # The page's example must be one of the spec's (by JSON value); name the nearest.
    diffs = sorted(((json_diff(shown, value), name) for name, value in examples), key=_size)
    best, name = diffs[0]
    if not best:
        return
    shown_paths = "; ".join(best[:EXAMPLE_PATHS_SHOWN])
    more = (
        f" (and {len(best) - EXAMPLE_PATHS_SHOWN} more)" if len(best) > EXAMPLE_PATHS_SHOWN else ""
    )
    add(key, f"{key}: differs from the spec's `{name}`: {shown_paths}{more}")


def _size(entry: tuple[list[str], str]) -> int:
    return len(entry[0])


def json_diff(page: Any, spec: Any, path: str = "$") -> list[str]:
    """Where two JSON values differ (`$.cost: page 0.02, spec 0`); booleans are not numbers."""
    if isinstance(page, dict) and isinstance(spec, dict):
        found = []
        for name in page:
            if name not in spec:
                found.append(f"{path}.{name}: only on the page")
            else:
                found += json_diff(page[name], spec[name], f"{path}.{name}")
        found += [f"{path}.{name}: only in the spec" for name in spec if name not in page]
        return found
    if isinstance(page, list) and isinstance(spec, list):
        if len(page) != len(spec):
            return [f"{path}: {len(page)} items on the page, {len(spec)} in the spec"]
        found = []
        for index, (left, right) in enumerate(zip(page, spec, strict=True)):
            found += json_diff(left, right, f"{path}[{index}]")
        return found
    if _same_scalar(page, spec):
        return []
    return [f"{path}: page {_show(page)}, spec {_show(spec)}"]


def _same_scalar(page: Any, spec: Any) -> bool:
    if isinstance(page, bool) or isinstance(spec, bool):
        return type(page) is type(spec) and page == spec
    if isinstance(page, int | float) and isinstance(spec, int | float):
        return page == spec
    return type(page) is type(spec) and page == spec


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."
