"""The second step of scripts/regenerate: what the facade reads from openapi.yaml.

Writes into the generated package:
- `facts.py`: the spec's x-respan-* declarations as plain data (operations, value types, fields);
- `resources/`: one module per tag, each operation a typed method of a sync and an async class,
  and `resources/__init__.py` tying them into the tree the clients expose
  (`client.evaluators.versions.create`).

The methods' arguments and types come from openapi-python-client's own parse of the spec (its
`GeneratorData`), so they match the generated endpoint functions they call; the declarations
come from spec_facts. Anything the templates cannot express stops the run with a message.
"""

from __future__ import annotations

import json
import keyword
import re
import textwrap
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from spec_facts import Facts, Operation, SpecFactsError, read, resolve

if TYPE_CHECKING:  # the generator's parser loads in _parse (a quarter second; the tables need none)
    from openapi_python_client.parser import GeneratorData

__all__ = ["SpecFactsError", "write"]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def write(
    *,
    spec_path: Path,
    config_path: Path,
    templates: Path,
    out: Path,
    parsed: tuple[Any, GeneratorData] | None = None,
) -> None:
    """`parsed`: the generator's document and GeneratorData, reused when it read the same spec."""
    # libyaml when PyYAML has it: the same safe subset, parsed in a tenth of the time.
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    spec: dict[str, Any] = yaml.load(spec_path.read_text(), Loader=loader)
    facts = read(spec)
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )
    (out / "facts.py").write_text(env.get_template("facts.py.jinja").render(facts=facts))
    data = reusable(parsed, spec) or _parse(spec, spec_path, config_path)
    tree = _resources(spec, facts, data)
    package = out / "resources"
    package.mkdir()
    (package / "support.py").write_text(env.get_template("support.py.jinja").render())
    for module in tree.modules():
        text = env.get_template("resource.py.jinja").render(module=module)
        (package / f"{module.name}.py").write_text(text)
    (package / "__init__.py").write_text(
        env.get_template("resources_init.py.jinja").render(tree=tree)
    )


def reusable(parsed: tuple[Any, GeneratorData] | None, spec: Any) -> GeneratorData | None:
    """The generator's GeneratorData when the document it parsed is `spec`, else None."""
    # The generator reads YAML 1.2 and PyYAML 1.1: the documents differ on plain scalars such
    # as `on` (a string, or True) or `1e3` (a number, or a string).
    return parsed[1] if parsed is not None and parsed[0] == spec else None


def _parse(spec: dict[str, Any], spec_path: Path, config_path: Path) -> GeneratorData:
    from openapi_python_client.config import Config, ConfigFile, MetaType
    from openapi_python_client.parser import GeneratorData
    from openapi_python_client.parser.errors import GeneratorError

    config = Config.from_sources(
        ConfigFile.load_from_path(config_path), MetaType.NONE, spec_path, "utf-8", True, None
    )
    data = GeneratorData.from_dict(spec, config=config)
    if isinstance(data, GeneratorError):
        raise SpecFactsError([f"openapi-python-client could not read the spec: {data.header}"])
    return data


# --- What the templates render ---------------------------------------------------------------


@dataclass
class Arg:
    """One keyword of a method: its name, what it accepts, and how it becomes the wire value."""

    name: str  # the API's name, which the caller types
    py: str  # the generated name (model attribute or function parameter)
    annotation: str
    required: bool
    code: str  # expression turning the variable `name` into what generated code takes
    default: str = "NOT_GIVEN"
    example: str = "..."  # a value for the docstring's example call


@dataclass
class Method:
    name: str
    operation: Operation
    function: str  # generated module of the endpoint
    tag: str
    path_args: list[tuple[str, str]]  # (name, annotation)
    query: list[Arg]
    body: list[Arg]
    body_model: str | None
    result: str | None  # the 2xx model's class, None for no body (a delete)
    doc: str
    needs: list[str]  # the model and enum classes its body uses at run time
    path_examples: list[str] = field(default_factory=list)  # a value per path argument
    description: str = ""  # the first paragraph of the operation's description
    statuses: list[int] = field(default_factory=list)  # the documented error statuses
    resource_path: str = ""  # where it lives on the client: evaluators.versions
    body_example: dict[str, Any] = field(default_factory=dict)  # the spec's first request example

    @property
    def keywords(self) -> list[Arg]:
        args = [*self.body, *self.query]
        return [a for a in args if a.required] + [a for a in args if not a.required]

    def docstring(self, mode: str) -> str:
        """The method's docstring (unindented): what it sends, returns and raises, one call."""
        returns = (
            f"{self.result}: the response body, parsed."
            if self.result
            else "None: the server answers with no body."
        )
        call = _call(f"{_await(mode)}client.{self.resource_path}.{self.name}", self.example_args())
        if self.operation.pagination is not None:
            example = f"page = {call}"
        elif self.result:
            example = f"{_snake(self.result)} = {call}"
        else:
            example = call
        return _docstring(self.doc, self.description, self.sends(), returns, self, [example])

    def raw_docstring(self, mode: str) -> str:
        """The docstring of the method's with_raw_response twin."""
        first = (
            f"{self.operation.summary.rstrip('.')}, answered as a RawResponse "
            f"({self.operation.method} {self.operation.path})."
        )
        returns = (
            f"RawResponse[{self.result or 'None'}]: status, headers, request id and retries "
            "taken; `.parse()` gives what the plain method returns."
        )
        where = f"client.{self.resource_path}.with_raw_response.{self.name}"
        call = _call(f"raw = {_await(mode)}{where}", self.example_args())
        example = [call, "print(raw.request_id)"]
        return _docstring(first, "", self.sends(), returns, self, example)

    def example_args(self, without: str = "") -> list[str]:
        """The example call's arguments: the path's, the spec's example body, the required."""
        args = list(self.path_examples)
        for a in self.keywords:
            if a.name == without:
                continue
            given = self.body_example.get(a.py)
            # The example's plain values (not its nested objects), and a value for every
            # required keyword: a call that reads like a real one and stays short.
            plain = given is not None and "datetime" not in a.annotation
            if plain and (a.required or not isinstance(given, dict | list)):
                args.append(f"{a.name}={_literal(given)}")
                continue
            if a.required:
                args.append(f"{a.name}={a.example}")
        return args

    def sends(self) -> str:
        where = f"{self.operation.method} {self.operation.path}"
        parts = []
        if self.path_args:
            parts.append(_names([n for n, _ in self.path_args]) + " in the path")
        if self.body_model:
            parts.append(f"the body keywords as a JSON {self.body_model}")
        if self.query:
            parts.append(_names([a.name for a in self.query]) + " as query parameters")
        return f"{where}, with " + "; ".join(parts) + "." if parts else f"{where}."


@dataclass
class Iteration:
    """The iter_ twin of a list method: every item, one page at a time."""

    name: str
    list_method: Method
    item: str
    items_attr: str
    next_attr: str
    page: str  # the list method's keyword for the page number
    keywords: list[Arg]  # the list method's keywords without the page

    def docstring(self, mode: str) -> str:
        m = self.list_method
        sync = mode == "sync"
        first = (
            f"Every item of `{m.name}`, fetching one page at a time"
            f"{'' if sync else ' (`async for`)'}."
        )
        returns = (
            f"{'Iterator' if sync else 'AsyncIterator'}[{self.item}]: the items of every page, "
            "in order; the next page is fetched when the last item of one is read."
        )
        sends = (
            f"{m.operation.method} {m.operation.path} once a page, `{self.page}` counting up "
            "from 1 until the last page."
        )
        call = _call(
            f"{'' if sync else 'async '}for item in client.{m.resource_path}.{self.name}",
            m.example_args(without=self.page),
        )
        example = [f"{call}:", "    print(item)"]
        return _docstring(first, "", sends, returns, m, example, lazily=True)


@dataclass
class Module:
    name: str  # the tag: module resources/<tag>.py
    path: str  # where it lives on the client: evaluators.versions
    class_name: str
    doc: str
    methods: list[Method] = field(default_factory=list)
    iterations: list[Iteration] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    imports: set[str] = field(default_factory=set)  # classes its annotations name


@dataclass
class Node:
    """A resource on the client: `evaluators`, `evaluators.versions`."""

    attr: str
    module: Module

    @property
    def class_name(self) -> str:
        return self.module.class_name


@dataclass
class Tree:
    roots: list[Node]
    all_modules: list[Module]

    def modules(self) -> list[Module]:
        return self.all_modules


# The exception class of each error status, as respan_evals._errors maps them (the generated
# code cannot import the facade, so the docstrings name them; tests/unit/test_docstrings.py
# checks this table against the facade's). Any 5xx: InternalServerError; any other error
# status: APIStatusError, the base of all of them.
STATUS_ERRORS: dict[int, tuple[str, str]] = {
    400: ("BadRequestError", "the server refused the request's values (400)"),
    401: ("AuthenticationError", "the API key is missing, invalid or expired (401)"),
    403: ("PermissionDeniedError", "not allowed, e.g. editing a committed version (403)"),
    404: ("NotFoundError", "nothing at that path, e.g. an unknown id (404)"),
    409: ("ConflictError", "it conflicts with what exists (409)"),
    422: ("UnprocessableEntityError", "the server could not process the values (422)"),
    429: ("RateLimitError", "rate limited (429), once the retries allowed are spent"),
}
ALWAYS_RAISED: list[tuple[str, str]] = [
    ("InternalServerError", "a 5xx status, once the retries allowed are spent"),
    ("APIStatusError", "any other error status (the base class of those above)"),
    ("APIConnectionError", "no answer: host unreachable, connection dropped"),
    ("APITimeoutError", "an attempt outlasted the timeout (an APIConnectionError)"),
]
ARGUMENTS_ERROR = ("RespanValidationError", "an argument the API cannot take; nothing was sent")
_WIDTH = 88  # of a docstring line, its indentation included


def _docstring(
    first: str,
    description: str,
    sends: str,
    returns: str,
    method: Method,
    example: list[str],
    lazily: bool = False,
) -> str:
    """A Google-style docstring: summary, description, Sends/Returns/Raises, an example."""
    lines = [_safe(first), ""]
    if description:
        lines += [*_wrap(description, 8), ""]
    lines += ["Sends:", *_wrap(sends, 12, "    ")]
    lines += ["", "Returns:", *_wrap(returns, 12, "    ")]
    raises = [ARGUMENTS_ERROR]
    raises += [STATUS_ERRORS[s] for s in method.statuses if s in STATUS_ERRORS]
    if method.result:
        raises.append(("APIResponseValidationError", "a 2xx answer whose body cannot be read"))
    raises += ALWAYS_RAISED
    lines += ["", "Raises:" if not lazily else "Raises (while iterating):"]
    for name, when in raises:
        lines += _wrap(f"{name}: {when}.", 12, "    ", hang="    ")
    lines += ["", "Example:"]
    lines += [f"    {_safe(line)}" for chunk in example for line in chunk.split("\n")]
    return "\n".join(lines)


def _wrap(text: str, indent: int, prefix: str = "", hang: str = "") -> list[str]:
    """`text` as docstring lines (escaped) that fit _WIDTH at `indent` spaces."""
    # A `code span` stays on one line: its spaces are not break points.
    text = re.sub(r"`[^`]*`", lambda m: m.group(0).replace(" ", "\x00"), " ".join(text.split()))
    wrapped = textwrap.wrap(
        text,
        width=_WIDTH - indent,
        break_long_words=False,
        break_on_hyphens=False,
        subsequent_indent=hang,
    )
    return [prefix + _safe(line.replace("\x00", " ")) for line in wrapped]


def _safe(text: str) -> str:
    """Text that cannot end or break a triple-quoted docstring (as safe_for_docstring does)."""
    text = "".join(c for c in text if unicodedata.category(c) != "Cc")
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def _call(head: str, args: list[str]) -> str:
    """`head(args)` on one line if it fits in an indented docstring, else an argument a line."""
    line = f"{head}({', '.join(args)})"
    if len(line) <= _WIDTH - 12:
        return line
    return f"{head}(\n" + "".join(f"    {a},\n" for a in args) + ")"


def _literal(value: Any) -> str:
    """A spec example value as Python: scalars as they are, containers elided."""
    if isinstance(value, dict):
        return "{...}"
    if isinstance(value, list):
        return "[...]"
    return json.dumps(value) if isinstance(value, str) else repr(value)


def _await(mode: str) -> str:
    return "" if mode == "sync" else "await "


def _names(names: list[str]) -> str:
    return ", ".join(f"`{n}`" for n in names)


def _first_paragraph(text: str) -> str:
    return text.strip().split("\n\n")[0].strip() if text.strip() else ""


def _documented(spec: dict[str, Any], op: Operation) -> tuple[str, list[int]]:
    """The operation's description's first paragraph, and its documented error statuses."""
    raw = spec["paths"][op.path][op.method.lower()]
    statuses = sorted(
        int(code) for code in raw.get("responses", {}) if str(code).isdigit() and int(code) >= 400
    )
    return _first_paragraph(str(raw.get("description", ""))), statuses


def _body_example(spec: dict[str, Any], op: Operation) -> dict[str, Any]:
    """The first example of the operation's JSON request body, or {} (fields by API name)."""
    body = spec["paths"][op.path][op.method.lower()].get("requestBody")
    if body is None:
        return {}
    content = resolve(spec, body).get("content", {}).get("application/json", {})
    examples = [resolve(spec, e).get("value") for e in content.get("examples", {}).values()]
    first = content.get("example", examples[0] if examples else None)
    return first if isinstance(first, dict) else {}


def _resources(spec: dict[str, Any], facts: Facts, data: GeneratorData) -> Tree:
    problems: list[str] = []
    endpoints = {
        str(e.name): (tag, e)
        for tag, collection in data.endpoint_collections_by_tag.items()
        for e in collection.endpoints
    }
    tag_docs = {t["name"]: str(t.get("description", "")).strip() for t in spec.get("tags", [])}
    modules: dict[str, Module] = {}  # by resource path
    # In the spec's tag order (parents first): the same bytes on every run.
    for path in sorted(dict.fromkeys(facts.resources.values()), key=lambda p: p.count(".")):
        tag = next(t for t, p in facts.resources.items() if p == path)
        modules[path] = Module(
            name=tag,
            path=path,
            class_name=_camel(tag),
            doc=_first_line(tag_docs.get(tag, "")) or tag,
        )
    for op in facts.operations:
        tag, endpoint = endpoints[op.operation_id]
        module = modules[op.resource]
        try:
            method = _method(op, str(tag), endpoint, _renamed(spec, op))
        except _Unsupported as e:
            problems.append(f"operation {op.operation_id}: {e}")
            continue
        method.description, method.statuses = _documented(spec, op)
        method.body_example = _body_example(spec, op)
        method.resource_path = module.path
        method.path_examples = [_path_example(p, module.name) for p in endpoint.path_parameters]
        module.methods.append(method)
        module.imports.update(method.needs)
        if op.pagination is not None:
            try:
                iteration = _iteration(spec, op, method, endpoint)
                module.iterations.append(iteration)
                if iteration.item.isidentifier():
                    module.imports.add(iteration.item)
            except _Unsupported as e:
                problems.append(f"operation {op.operation_id}: {e}")
    roots: list[Node] = []
    for path, module in modules.items():
        parent, _, attr = path.rpartition(".")
        node = Node(attr=attr, module=module)
        if not parent:
            roots.append(node)
        elif parent in modules:
            modules[parent].children.append(node)
        else:
            problems.append(
                f"x-respan-resource {path}: its parent {parent!r} is no tag's x-respan-resource"
            )
    for path, module in modules.items():
        names = [m.name for m in module.methods] + [i.name for i in module.iterations]
        names += [c.attr for c in module.children] + ["with_raw_response"]
        for name in sorted({n for n in names if names.count(n) > 1}):
            problems.append(f"client.{path}.{name} would be defined twice")
    if problems:
        raise SpecFactsError(problems)
    return Tree(roots=roots, all_modules=list(modules.values()))


class _Unsupported(Exception):
    """A shape the resource templates cannot express."""


def _renamed(spec: dict[str, Any], op: Operation) -> dict[str, str]:
    """Body fields whose keyword is not their API name (`x-respan-argument`): API name -> it."""
    body = spec["paths"][op.path][op.method.lower()].get("requestBody")
    if body is None:
        return {}
    schema = resolve(
        spec, resolve(spec, body).get("content", {}).get("application/json", {}).get("schema", {})
    )
    return {
        name: str(prop["x-respan-argument"])
        for name, prop in schema.get("properties", {}).items()
        if isinstance(prop, dict) and "x-respan-argument" in prop
    }


def _method(op: Operation, tag: str, endpoint: Any, renamed: dict[str, str]) -> Method:
    needs: set[str] = set()
    path_args = [(p.python_name, _code(p.get_type_string())) for p in endpoint.path_parameters]
    query = [_arg(p, needs) for p in endpoint.query_parameters]
    body: list[Arg] = []
    body_model = None
    if endpoint.bodies:
        if len(endpoint.bodies) > 1 or type(endpoint.bodies[0].prop).__name__ != "ModelProperty":
            raise _Unsupported("its request body must be one JSON object schema")
        model = endpoint.bodies[0].prop
        body_model = model.class_info.name
        needs.add(body_model)
        props = [*model.required_properties, *model.optional_properties]
        body = [_arg(p, needs, renamed.get(_api(p))) for p in props]
    names = [a for a, _ in path_args] + [a.name for a in [*query, *body]]
    reserved = sorted(set(names) & _RESERVED)
    if reserved:
        raise _Unsupported(f"{reserved} are names the generated methods use themselves")
    clashes = sorted({n for n in names if names.count(n) > 1})
    if clashes:
        raise _Unsupported(
            f"{clashes} name both a parameter and a body field: give the body field another "
            "keyword with x-respan-argument on its property"
        )
    result = None
    for response in endpoint.responses.patterns:
        code = response.status_code
        if _success(code) and type(response.prop).__name__ == "ModelProperty":
            result = response.prop.class_info.name
            needs.add(result)
            break
    doc = f"{op.summary.rstrip('.')} ({op.method} {op.path})."
    if not op.idempotent:
        doc += " Not retried once it may have reached the server."
    return Method(
        name=op.name,
        operation=op,
        function=str(endpoint.name),
        tag=tag,
        path_args=path_args,
        query=query,
        body=body,
        body_model=body_model,
        result=result,
        doc=doc,
        needs=sorted(needs),
    )


def _iteration(spec: dict[str, Any], op: Operation, method: Method, endpoint: Any) -> Iteration:
    assert op.pagination is not None
    envelope = next(
        r.prop
        for r in endpoint.responses.patterns
        if _success(r.status_code) and type(r.prop).__name__ == "ModelProperty"
    )
    props = {_api(p): p for p in [*envelope.required_properties, *envelope.optional_properties]}
    items = props[op.pagination.items]
    if type(items).__name__ != "ListProperty":
        raise _Unsupported(f"x-respan-paginate items {op.pagination.items!r} is not an array")
    page_arg = next(a for a in method.query if a.name == op.pagination.page)
    keywords = []
    for arg in method.keywords:
        if arg is page_arg:
            continue
        if arg.name == op.pagination.page_size:
            maximum = _page_size_maximum(spec, op)
            if maximum is not None:  # the largest page: fewest requests against the rate limit
                arg = Arg(**{**arg.__dict__, "default": str(maximum)})
        keywords.append(arg)
    return Iteration(
        name=f"iter_{op.name}",
        list_method=method,
        item=_code(items.inner_property.get_type_string(no_optional=True)),
        items_attr=items.python_name,
        next_attr=props[op.pagination.next].python_name,
        page=page_arg.name,
        keywords=keywords,
    )


def _page_size_maximum(spec: dict[str, Any], op: Operation) -> int | None:
    item = spec["paths"][op.path]
    for raw in [*item.get("parameters", []), *item[op.method.lower()].get("parameters", [])]:
        param = resolve(spec, raw)
        if param.get("name") == getattr(op.pagination, "page_size", None):
            maximum = param.get("schema", {}).get("maximum")
            return maximum if isinstance(maximum, int) else None
    return None


# Names the generated methods use themselves: the per-request options, and local variables.
_OPTIONS = {"timeout", "max_retries", "extra_headers", "extra_query", "extra_body"}
_RESERVED = {"self", "_body", "_client", "_page", "_p", *_OPTIONS}


def _arg(prop: Any, needs: set[str], keyword_name: str | None = None) -> Arg:
    name = keyword_name or _api(prop)
    if not _IDENTIFIER.fullmatch(name) or keyword.iskeyword(name):
        name = prop.python_name  # an API name Python cannot spell: the generated one
    annotation, code = _convert(prop, name, name, needs)
    if prop.required:
        return Arg(
            name=name,
            py=prop.python_name,
            annotation=annotation,
            required=True,
            code=code,
            example=_example(prop),
        )
    if code == name:
        code = f"_s.given({name})"
    else:  # a conditional, not a lambda: mypy narrows it and checks the converted type
        code = f"_s.unset() if isinstance({name}, NotGiven) else {code}"
    return Arg(
        name=name,
        py=prop.python_name,
        annotation=f"{annotation} | NotGiven",
        required=False,
        code=code,
    )


_PLAIN = {
    "StringProperty": "str",
    "IntProperty": "int",
    "FloatProperty": "float",
    "BooleanProperty": "bool",
    "DateTimeProperty": "datetime.datetime",
    "DateProperty": "datetime.date",
    "AnyProperty": "Any",
    "UuidProperty": "UUID",
}


def _convert(prop: Any, var: str, field_name: str, needs: set[str]) -> tuple[str, str]:
    """(what the facade accepts, the expression that makes the generated value from `var`)."""
    kind = type(prop).__name__
    if kind in _PLAIN:
        return _PLAIN[kind], var
    if kind == "NoneProperty":
        return "None", var
    if kind == "EnumProperty" or kind == "LiteralEnumProperty":
        cls = prop.class_info.name
        needs.add(cls)
        return f"{cls} | str", f"_s.enum({cls}, {var}, {field_name!r})"
    if kind == "ModelProperty":
        cls = prop.class_info.name
        needs.add(cls)
        return f"{cls} | Mapping[str, Any]", f"_s.model({cls}, {var}, {field_name!r})"
    if kind == "ListProperty":
        inner_ann, inner_code = _convert(prop.inner_property, "x", field_name, needs)
        if inner_code == "x":
            return f"Sequence[{inner_ann}]", f"_s.listed({var}, {field_name!r})"
        return (
            f"Sequence[{inner_ann}]",
            f"[{inner_code} for x in _s.listed({var}, {field_name!r})]",
        )
    if kind == "UnionProperty":
        inner = list(prop.inner_properties)
        nullable = [p for p in inner if type(p).__name__ == "NoneProperty"]
        others = [p for p in inner if type(p).__name__ != "NoneProperty"]
        if len(others) == 1:
            ann, code = _convert(others[0], var, field_name, needs)
            if not nullable:
                return ann, code
            if code == var:
                return f"{ann} | None", var
            return f"{ann} | None", f"None if {var} is None else {code}"
        # Several shapes (e.g. a string or an object): handed over as the generated type says.
        needs.update(p.class_info.name for p in others if hasattr(p, "class_info"))
        return _code(prop.get_type_string(no_optional=True)), var
    raise _Unsupported(f"field {field_name!r} has a shape the templates do not handle ({kind})")


def _path_example(prop: Any, tag: str) -> str:
    """A value for a path argument in an example call: `"score_123"`, `1`."""
    if type(prop).__name__ == "IntProperty":
        return "1"
    name = prop.python_name
    stem = name[: -len("_id")] if name.endswith("_id") else tag.split("_")[-1].rstrip("s")
    return f'"{stem}_123"'


def _example(prop: Any) -> str:
    """A value for a required keyword in an example call."""
    kind = type(prop).__name__
    if kind in ("EnumProperty", "LiteralEnumProperty"):
        values = list(getattr(prop, "values", {}).values())
        return json.dumps(str(values[0])) if values else '"..."'
    if kind == "UnionProperty":
        others = [p for p in prop.inner_properties if type(p).__name__ != "NoneProperty"]
        return _example(others[0]) if others else "None"
    return {
        "StringProperty": '"..."',
        "IntProperty": "1",
        "FloatProperty": "1.0",
        "BooleanProperty": "True",
        "ModelProperty": "{...}",
        "ListProperty": "[...]",
    }.get(kind, "...")


def _api(prop: Any) -> str:
    return str(prop.name.get_untrusted_value())


def _code(code: Any) -> str:
    return str(code.as_unembedded_code())


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0].strip() if text.strip() else ""


def _success(status: Any) -> bool:
    return status.range is not None and 200 <= status.range[0] < 300
