"""`respan-evals evaluators ...`: tables for people, --json for scripts."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import attrs
import click

from respan_evals import Respan
from respan_evals.types import EvaluatorCreateRequest, EvaluatorType, EvaluatorUpdateRequest
from respan_evals_api import facts

from ._context import CliError, Settings
from ._output import Output, as_dict, short_time

__all__ = ["evaluators_group", "load_document"]

F = TypeVar("F", bound=Callable[..., Any])

_LIST_COLUMNS = ("id", "evaluator_slug", "name", "score_value_type", "version", "updated_at")
_VERSION_COLUMNS = (
    "version",
    "state",
    "version_id",
    "version_description",
    "created_at",
    "created_by",
)
# What a run shows besides the value fields (which come from the spec, in _run_fields).
_RUN_EXTRA_FIELDS = (
    "is_passed",
    "evaluator_slug",
    "scorer",
    "status",
    "cost",
    "error_message",
)


def _run_fields() -> tuple[str, ...]:
    """The fields of a run's answer worth showing: every value field the spec has, then the rest."""
    return (*facts.VALUE_FIELDS, *_RUN_EXTRA_FIELDS)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON, for scripts.")(func)


def load_document(path: Path) -> dict[str, Any]:
    """An evaluator definition from a .json, .yaml or .yml file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise CliError(f"cannot read {path}: {e.strerror or e}", exit_code=2) from None
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            yaml: Any = importlib.import_module("yaml")
        except ImportError:
            raise CliError(
                "reading YAML needs PyYAML: pip install 'respan-evals[cli]' (or give a .json file)",
                exit_code=2,
            ) from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as e:
            raise CliError(f"{path} is not valid YAML: {' '.join(str(e).split())}", 2) from None
    else:
        try:
            data = json.loads(text)
        except ValueError as e:
            raise CliError(f"{path} is not valid JSON: {e}", exit_code=2) from None
    if not isinstance(data, dict):
        raise CliError(f"{path} must hold one object (the evaluator's fields)", exit_code=2)
    return data


def body_fields(model: type[Any], data: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Keyword arguments for a facade method (API names, plain values), checked by the model."""
    try:
        body = model.from_dict(data)
    except KeyError as e:
        raise CliError(f"{where}: missing field {e.args[0]!r}", exit_code=2) from None
    except (TypeError, ValueError, AttributeError) as e:
        raise CliError(f"{where}: {' '.join(str(e).split())}", exit_code=2) from None
    unknown = sorted(body.additional_properties)
    if unknown:
        known = sorted(_wire_name(f.name) for f in attrs.fields(model) if f.init)
        raise CliError(
            f"{where}: unknown field(s) {', '.join(unknown)}; known: {', '.join(known)}",
            exit_code=2,
        )
    # The resource methods take the API's field names (type=, not type_=) and plain values;
    # to_dict() gives exactly those, and leaves out the fields the document did not set.
    fields: dict[str, Any] = body.to_dict()
    return fields


def _wire_name(attribute: str) -> str:
    """The JSON name of a generated attribute (`type_` is `type`)."""
    return attribute[:-1] if attribute.endswith("_") else attribute


def _row(data: Mapping[str, Any], columns: Iterable[str]) -> list[object]:
    return [short_time(data.get(c)) for c in columns]


def _user(value: object) -> object:
    if isinstance(value, Mapping):
        return (
            value.get("email")
            or " ".join(str(value.get(k) or "") for k in ("first_name", "last_name")).strip()
        )
    return value


def _show_evaluator(output: Output, data: Mapping[str, Any], as_json: bool, title: str) -> None:
    if as_json:
        output.json(data)
        return
    shown = {
        k: _user(v) if k in ("created_by", "updated_by", "editor") else v for k, v in data.items()
    }
    output.fields(shown, title=title)


@click.group("evaluators")
def evaluators_group() -> None:
    """List, show, create, change, run and version evaluators."""


@evaluators_group.command("list")
@click.option("--search", metavar="TEXT", help="Only evaluators whose name or slug holds TEXT.")
@json_option
@click.pass_obj
def list_command(settings: Settings, search: str | None, as_json: bool) -> int:
    """Every evaluator (all pages)."""
    with settings.client() as client:
        kwargs: dict[str, Any] = {"search": search} if search else {}
        items = [as_dict(e) for e in client.evaluators.iter_list(**kwargs)]
    if as_json:
        settings.output.json(items)
        return 0
    headers = ("id", "slug", "name", "value type", "version", "updated")
    settings.output.table(
        headers,
        (_row(i, _LIST_COLUMNS) for i in items),
        title=f"{len(items)} evaluators",
        numeric=("version",),
        no_wrap=("id", "slug", "value type", "updated"),
    )
    return 0


@evaluators_group.command("get")
@click.argument("evaluator_id")
@json_option
@click.pass_obj
def get_command(settings: Settings, evaluator_id: str, as_json: bool) -> int:
    """One evaluator (EVALUATOR_ID may pin a version: evl_abc:2)."""
    with settings.client() as client:
        data = as_dict(client.evaluators.retrieve(evaluator_id))
    _show_evaluator(settings.output, data, as_json, f"evaluator {evaluator_id}")
    return 0


# Shown by `evaluators create --help`; tests/cli/test_evaluators.py creates it from the help text.
EXAMPLE = """\
name: Answer quality
evaluator_slug: answer_quality
type: llm
score_value_type: numerical
description: How good the answer is, from 1 to 5.
score_config: {min_score: 1, max_score: 5}
passing_conditions:
  primary_score: {operator: gte, value: [3]}
llm_config:
  model: gpt-4o-mini
  evaluator_definition: "Rate the answer {{output}} to {{input}} from 1 to 5."
"""

# Readable on older evaluators, not offered for new ones (the spec's ScoreValueType says so).
_LEGACY_VALUE_TYPES = frozenset({"comment", "categorical"})
_NEW_VALUE_TYPES = ", ".join(v for v in facts.VALUE_TYPES if v not in _LEGACY_VALUE_TYPES)

# Click rewraps help paragraphs; a paragraph after a line holding only \b keeps its lines.
_CREATE_EPILOG = (
    "Example file (quality.yaml; the same object as JSON works too):\n\n\b\n"
    + EXAMPLE
    + f"\nRequired: name, type ({', '.join(sorted(t.value for t in EvaluatorType))}) and"
    f" score_value_type ({_NEW_VALUE_TYPES}). A field the API does not name is"
    " refused."
)


@evaluators_group.command("create", epilog=_CREATE_EPILOG)
@click.option(
    "-f",
    "--file",
    "path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="The evaluator's fields, as YAML or JSON.",
)
@json_option
@click.pass_obj
def create_command(settings: Settings, path: Path, as_json: bool) -> int:
    """Create an evaluator from a YAML or JSON file (name, type, score_value_type, ...)."""
    body = body_fields(EvaluatorCreateRequest, load_document(path), str(path))
    with settings.client() as client:
        data = as_dict(client.evaluators.create(**body))
    if as_json:
        settings.output.json(data)
    else:
        settings.output.line(
            f"created evaluator {data.get('id')} ({data.get('evaluator_slug')}), "
            f"{data.get('score_value_type')}, draft version {data.get('version')}"
        )
    return 0


@evaluators_group.command("update")
@click.argument("evaluator_id")
@click.option(
    "-f",
    "--file",
    "path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="The fields to change, as YAML or JSON.",
)
@json_option
@click.pass_obj
def update_command(settings: Settings, evaluator_id: str, path: Path, as_json: bool) -> int:
    """Change fields of the evaluator's draft (the fields in the file; others stay)."""
    document = load_document(path)
    body = body_fields(EvaluatorUpdateRequest, document, str(path))
    with settings.client() as client:
        data = as_dict(client.evaluators.update(evaluator_id, **body))
    if as_json:
        settings.output.json(data)
    else:
        changed = ", ".join(sorted(document)) or "nothing"
        settings.output.line(
            f"updated evaluator {data.get('id')} draft version {data.get('version')}: {changed}"
        )
    return 0


@evaluators_group.command("delete")
@click.argument("evaluator_id")
@click.option("--yes", "-y", is_flag=True, help="Do not ask.")
@json_option
@click.pass_obj
def delete_command(settings: Settings, evaluator_id: str, yes: bool, as_json: bool) -> int:
    """Delete an evaluator and all its versions."""
    if not yes:
        if not sys.stdin.isatty():
            raise CliError(
                f"deleting {evaluator_id} removes every version; pass --yes to confirm", 2
            )
        if not click.confirm(f"Delete evaluator {evaluator_id} and all its versions?"):
            raise CliError(f"{evaluator_id} was not deleted")
    with settings.client() as client:
        client.evaluators.delete(evaluator_id)
    if as_json:
        settings.output.json({"deleted": evaluator_id})
    else:
        settings.output.line(f"deleted evaluator {evaluator_id}")
    return 0


def _inputs(raw: str) -> dict[str, Any]:
    text = raw
    if raw.startswith("@"):
        try:
            text = Path(raw[1:]).read_text(encoding="utf-8")
        except OSError as e:
            raise CliError(f"cannot read {raw[1:]}: {e.strerror or e}", exit_code=2) from None
    try:
        data = json.loads(text)
    except ValueError as e:
        raise CliError(f"--inputs is not valid JSON: {e}", exit_code=2) from None
    if not isinstance(data, dict):
        raise CliError('--inputs must be a JSON object, e.g. {"input": "...", "output": "..."}', 2)
    return data


@evaluators_group.command("run")
@click.argument("evaluator_id")
@click.option(
    "--inputs",
    "raw_inputs",
    required=True,
    metavar="JSON|@FILE",
    help='e.g. \'{"input": "2+2?", "output": "4"}\', or @inputs.json.',
)
@json_option
@click.pass_obj
def run_command(settings: Settings, evaluator_id: str, raw_inputs: str, as_json: bool) -> int:
    """Run an evaluator on inputs and show the score it gives (nothing is stored)."""
    inputs = _inputs(raw_inputs)
    with settings.client() as client:
        data = as_dict(client.evaluators.run(evaluator_id, inputs=inputs))
    if as_json:
        settings.output.json(data)
        return 0
    shown = {k: data.get(k) for k in _run_fields() if data.get(k) is not None}
    settings.output.fields(shown, title=f"run of {evaluator_id}")
    return 0


@evaluators_group.group("versions")
def versions_group() -> None:
    """An evaluator's versions: the committed ones and the draft."""


@versions_group.command("list")
@click.argument("evaluator_id")
@json_option
@click.pass_obj
def versions_list_command(settings: Settings, evaluator_id: str, as_json: bool) -> int:
    """Every version, newest first."""
    with settings.client() as client:
        items = [as_dict(v) for v in client.evaluators.versions.iter_list(evaluator_id)]
    if as_json:
        settings.output.json(items)
        return 0
    rows = []
    for item in items:
        shown = dict(item)
        shown["state"] = "committed" if item.get("is_read_only") else "draft"
        shown["created_by"] = _user(item.get("created_by"))
        rows.append(_row(shown, _VERSION_COLUMNS))
    headers = ("version", "state", "version id", "message", "created", "by")
    settings.output.table(
        headers,
        rows,
        title=f"versions of {evaluator_id}",
        numeric=("version",),
        no_wrap=("version id",),
    )
    return 0


@versions_group.command("get")
@click.argument("evaluator_id")
@click.argument("number", type=click.IntRange(min=0))
@json_option
@click.pass_obj
def versions_get_command(settings: Settings, evaluator_id: str, number: int, as_json: bool) -> int:
    """One version of an evaluator."""
    with settings.client() as client:
        data = as_dict(client.evaluators.versions.retrieve(evaluator_id, number))
    _show_evaluator(settings.output, data, as_json, f"evaluator {evaluator_id} version {number}")
    return 0


@versions_group.command("commit")
@click.argument("evaluator_id")
@click.option("-m", "--message", metavar="MSG", help="What changed (the version's description).")
@json_option
@click.pass_obj
def versions_commit_command(
    settings: Settings, evaluator_id: str, message: str | None, as_json: bool
) -> int:
    """Commit the draft (it becomes read-only) and open the next draft."""
    with settings.client() as client:
        data = as_dict(_commit(client, evaluator_id, message))
    if as_json:
        settings.output.json(data)
        return 0
    draft = data.get("version")
    if isinstance(draft, int) and draft > 0:
        settings.output.line(
            f"committed version {draft - 1} of {evaluator_id}; version {draft} is the new draft"
        )
    else:
        settings.output.line(f"committed the draft of {evaluator_id}")
    return 0


def _commit(client: Respan, evaluator_id: str, message: str | None) -> Any:
    if message is None:
        return client.evaluators.versions.create(evaluator_id)
    return client.evaluators.versions.create(evaluator_id, version_description=message)
