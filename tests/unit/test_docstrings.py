"""Every public method of both clients and of every resource documents itself: what it sends,
returns and raises, and one call (found by walking the clients, not from a list)."""

from __future__ import annotations

import ast
import inspect
import re
import sys
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

import httpx
import pytest

import respan_evals
from respan_evals import AsyncRespan, Respan
from respan_evals._async._scoring import VALUE_CHECK_DOCS, value_type_table
from respan_evals._errors import error_from_response
from respan_evals._values import CHECK_KINDS
from respan_evals_api import facts
from tests import _openapi

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import facadegen  # noqa: E402  (scripts/facadegen.py: the docstrings' status table)

CLIENTS = [Respan, AsyncRespan]


def _methods(obj: object) -> Iterator[tuple[str, Callable[..., Any]]]:
    """The public methods of an object's class (inherited ones too), by name."""
    for name in dir(type(obj)):
        if name.startswith("_"):
            continue
        static = inspect.getattr_static(obj, name)
        if inspect.isfunction(static):
            yield name, getattr(obj, name)


def _resources(obj: object, where: str) -> Iterator[tuple[str, object]]:
    """Every resource reachable from `obj` through its cached properties (raw twins too)."""
    for name in dir(type(obj)):
        if not name.startswith("_") and isinstance(
            inspect.getattr_static(obj, name), cached_property
        ):
            child = getattr(obj, name)
            yield f"{where}.{name}", child
            yield from _resources(child, f"{where}.{name}")


def _everything() -> list[tuple[str, bool, Callable[..., Any]]]:
    """(where, is_async_client, method) for every public method of both clients' trees."""
    found = []
    for cls in CLIENTS:
        client = cls(api_key="test-key")
        is_async = cls is AsyncRespan
        found += [(f"{cls.__name__}.{n}", is_async, m) for n, m in _methods(client)]
        for where, resource in _resources(client, cls.__name__):
            found += [(f"{where}.{n}", is_async, m) for n, m in _methods(resource)]
    return found


EVERYTHING = _everything()


def _section(doc: str, title: str) -> str:
    """The text of a Google-style section (`Title:` up to the next unindented line)."""
    match = re.search(rf"^{re.escape(title)}( \([^)]*\))?:\n((?:[ ]{{4}}.*\n?|\n)+)", doc, re.M)
    return match.group(2) if match else ""


def test_the_walk_finds_the_whole_tree() -> None:
    wheres = {w for w, _, _ in EVERYTHING}
    # Each spec operation is a method of both clients, plain and raw: the walk missed none.
    for op in facts.OPERATIONS.values():
        for cls in CLIENTS:
            assert f"{cls.__name__}.{op.resource}.{op.name}" in wheres
            assert f"{cls.__name__}.{op.resource}.with_raw_response.{op.name}" in wheres
    for cls in CLIENTS:
        assert {f"{cls.__name__}.score_log", f"{cls.__name__}.with_options"} <= wheres


@pytest.mark.parametrize(
    ("where", "is_async", "method"), [pytest.param(*e, id=e[0]) for e in EVERYTHING]
)
def test_every_public_method_says_what_it_returns_raises_and_shows_a_call(
    where: str, is_async: bool, method: Callable[..., Any]
) -> None:
    doc = inspect.getdoc(method) or ""
    assert doc, f"{where} has no docstring"
    assert _section(doc, "Returns").strip(), f"{where}: no Returns section"
    assert _section(doc, "Raises").strip(), f"{where}: no Raises section"
    example = _section(doc, "Example")
    assert f".{method.__name__}(" in example, f"{where}: the example does not call it"
    if inspect.iscoroutinefunction(method):
        assert "await " in example, f"{where}: an async method's example awaits it"
    if not is_async:
        assert "await " not in example and "async " not in example, where


@pytest.mark.parametrize("cls", CLIENTS)
def test_the_constructor_documents_every_argument_and_environment_variable(cls: type) -> None:
    doc = inspect.getdoc(cls.__init__) or ""
    args = _section(doc, "Args")
    for name in list(inspect.signature(cls.__init__).parameters)[1:]:
        assert re.search(rf"^    {name}: .*Default", args, re.M | re.S), name
    environment = _section(doc, "Environment")
    for var in ("RESPAN_API_KEY", "RESPAN_BASE_URL", "RESPAN_LOG", "SSL_CERT_FILE", "NO_PROXY"):
        assert var in environment, var
    assert f"{cls.__name__}(" in _section(doc, "Example")


@pytest.mark.parametrize("cls", CLIENTS)
def test_score_log_says_it_upserts_and_tabulates_every_value_type(cls: type) -> None:
    doc = inspect.getdoc(cls.score_log) or ""
    assert "upsert" in doc.lower() and "one score per log, evaluator and scorer" in doc
    assert "{VALUE_TYPE_TABLE}" not in doc
    for vt in facts.VALUE_TYPES.values():
        row = re.search(rf"^{re.escape(vt.name)} +{re.escape(vt.field)} +(\S.*)$", doc, re.M)
        assert row is not None, f"value type {vt.name} is not in score_log's table"
        assert row.group(1) == VALUE_CHECK_DOCS[vt.check]
    raises = _section(doc, "Raises")
    assert "ScoreValueError" in raises and "RespanValidationError" in raises


def test_every_value_check_has_its_python_value_described() -> None:
    assert set(CHECK_KINDS) <= set(VALUE_CHECK_DOCS)


def test_the_table_follows_the_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    # A value type the spec adds appears without anyone editing the docstring.
    added = facts.ValueType(name="ranking", field="categorical_value", check="string_list")
    monkeypatch.setattr(facts, "VALUE_TYPES", {**facts.VALUE_TYPES, "ranking": added})
    assert re.search(r"^ranking +categorical_value +a list or tuple", value_type_table(), re.M)


@pytest.mark.parametrize("cls", CLIENTS)
def test_bulk_methods_say_what_a_row_is_and_where_errors_go(cls: type) -> None:
    for method in (cls.score_logs, cls.iter_score_logs):
        doc = inspect.getdoc(method) or ""
        assert "ScoreRow" in doc and "mapping" in doc and "outcome.error" in doc
    assert "iter_score_logs" in (inspect.getdoc(cls.score_logs) or "")
    assert "2.6 KB" in (inspect.getdoc(cls.score_logs) or "")


def test_versions_create_says_where_the_description_goes() -> None:
    doc = inspect.getdoc(Respan(api_key="k").evaluators.versions.create) or ""
    assert "`version_description` is the commit message" in doc


# --- The status table the generated docstrings use ------------------------------------------


def _error_class(status: int) -> str:
    request = httpx.Request("GET", "https://api.respan.ai/api/scores/")
    return type(error_from_response(httpx.Response(status, request=request))).__name__


def test_the_generators_status_table_is_the_facades() -> None:
    for status, (name, _) in facadegen.STATUS_ERRORS.items():
        assert _error_class(status) == name, status
    always = {name for name, _ in facadegen.ALWAYS_RAISED}
    for status in range(400, 600):
        if status not in facadegen.STATUS_ERRORS:
            assert _error_class(status) in always, status  # InternalServerError, APIStatusError
    named = [name for name, _ in [*facadegen.STATUS_ERRORS.values(), *facadegen.ALWAYS_RAISED]]
    named.append(facadegen.ARGUMENTS_ERROR[0])
    for name in named:
        assert issubclass(getattr(respan_evals, name), respan_evals.RespanError), name


def test_each_method_lists_the_errors_of_its_documented_statuses() -> None:
    spec = _openapi.load(ROOT / "openapi.yaml")
    client = Respan(api_key="k")
    for op in facts.OPERATIONS.values():
        resource: Any = client
        for part in op.resource.split("."):
            resource = getattr(resource, part)
        raises = _section(inspect.getdoc(getattr(resource, op.name)) or "", "Raises")
        responses = spec["paths"][op.path][op.method.lower()]["responses"]
        for status in (int(s) for s in responses if str(s).isdigit() and int(s) >= 400):
            assert facadegen.STATUS_ERRORS[status][0] in raises, (op.operation_id, status)


@pytest.mark.parametrize(
    "text", ['ends in a quote"', 'three """ quotes', "a \\ backslash \\n", "trailing \\"]
)
def test_spec_text_is_escaped_for_a_docstring(text: str) -> None:
    source = f'def f():\n    """{facadegen._safe(text)} end"""\n'
    assert ast.get_docstring(ast.parse(source).body[0], clean=False) == f"{text} end"  # type: ignore[arg-type]


def test_a_code_span_is_not_split_across_lines() -> None:
    lines = facadegen._wrap("x " * 36 + "`POST /api/logs/{log_id}/scores/` instead", 8)
    assert any("`POST /api/logs/{log_id}/scores/`" in line for line in lines)
