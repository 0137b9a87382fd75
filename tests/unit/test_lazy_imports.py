"""What `import respan_evals`, a client and its first request load: only what they need.

The package's public names resolve on first use (PEP 562); a client loads neither the outbox,
the summaries, the frames nor what scoring needs; a first retrieve loads the models of its
success, not those of the operation's error answers (imported when one is parsed).
"""

from __future__ import annotations

import asyncio
import importlib
import json
import subprocess
import sys
from typing import Any

import httpx
import pytest

import respan_evals
from respan_evals_api import models
from respan_evals_api.api.scores import retrieve_score
from respan_evals_api.client import Client

from .._openapi import load

SPEC = load()
RETRIEVE = SPEC["paths"]["/api/scores/{id}/"]["get"]
SCORE_EXAMPLE = next(
    iter(RETRIEVE["responses"]["200"]["content"]["application/json"]["examples"].values())
)["value"]


def _schema_name(response: dict[str, Any]) -> str:
    if "$ref" in response:
        response = SPEC["components"]["responses"][response["$ref"].split("/")[-1]]
    ref: str = response["content"]["application/json"]["schema"]["$ref"]
    return ref.split("/")[-1]


# The generated modules of the models only the retrieve's error answers are parsed into.
ERROR_MODELS = sorted(
    {_schema_name(r) for status, r in RETRIEVE["responses"].items() if int(status) >= 300}
)
ERROR_MODULES = [f"respan_evals_api.models{models._MODULES[name]}" for name in ERROR_MODELS]

# Never loaded by `import respan_evals`, a client, nor its first retrieve.
NOT_FOR_A_CLIENT = (
    "respan_evals._outbox",
    "respan_evals._summary",
    "respan_evals._frames",
    "respan_evals._rows",
    "respan_evals._values",
    "respan_evals._bulk",
    "respan_evals._pagination",
    "sqlite3",
)
NOT_FOR_IMPORT = (
    *NOT_FOR_A_CLIENT,
    "respan_evals._sync",
    "respan_evals._async",
    "respan_evals_api.client",
    "respan_evals_api.models",
    "respan_evals_api.api",
    "attr",
)

_PHASES = """
import json, sys
import httpx
seen = set(sys.modules)
def new():
    global seen
    now = set(sys.modules)
    fresh, seen = sorted(now - seen), now
    return fresh
import respan_evals
phases = {"import": new()}
body = json.loads(sys.argv[1])
"""
SYNC = (
    _PHASES
    + """
from respan_evals import Respan
http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=body)))
client = Respan(api_key="sk_test", http_client=http, rate_limit=None)
client.scores
phases["client"] = new()
assert client.scores.retrieve(body["id"]).id == body["id"]
phases["first request"] = new()
print(json.dumps(phases))
"""
)
ASYNC = (
    _PHASES
    + """
import asyncio
from respan_evals import AsyncRespan
def answer(request):
    return httpx.Response(200, json=body)
async def main():
    http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    client = AsyncRespan(api_key="sk_test", http_client=http, rate_limit=None)
    client.scores
    phases["client"] = new()
    assert (await client.scores.retrieve(body["id"])).id == body["id"]
    phases["first request"] = new()
asyncio.run(main())
print(json.dumps(phases))
"""
)


def _phases(code: str) -> dict[str, list[str]]:
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(SCORE_EXAMPLE)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    phases: dict[str, list[str]] = json.loads(out)
    return phases


def _loaded(modules: list[str], prefixes: tuple[str, ...] | list[str]) -> list[str]:
    return [m for m in modules if m.startswith(tuple(prefixes))]


@pytest.mark.parametrize("code", [SYNC, ASYNC], ids=["sync", "async"])
def test_import_a_client_and_its_first_request_load_only_what_they_need(code: str) -> None:
    phases = _phases(code)
    assert _loaded(phases["import"], NOT_FOR_IMPORT) == []
    assert "respan_evals" in phases["import"]
    after_client = phases["import"] + phases["client"]
    assert _loaded(after_client, NOT_FOR_A_CLIENT) == []
    assert _loaded(after_client, ("attr", "respan_evals_api.models")) == []
    everything = after_client + phases["first request"]
    assert _loaded(everything, NOT_FOR_A_CLIENT) == []
    assert ERROR_MODULES and _loaded(everything, ERROR_MODULES) == []
    # The success's model was loaded, so the check above is not vacuous.
    assert f"respan_evals_api.models{models._MODULES['Score']}" in phases["first request"]
    other = "respan_evals._sync" if code is ASYNC else "respan_evals._async"
    assert _loaded(everything, (other,)) == []  # one client does not load the other


def test_every_public_name_resolves_from_its_own_module() -> None:
    for name in respan_evals.__all__:
        value = getattr(respan_evals, name)
        if name == "__version__":
            assert isinstance(value, str) and value
            continue
        home = getattr(value, "__module__", None) or type(value).__module__
        assert home.startswith(("respan_evals", "respan_evals_api")), (name, home)
        # The name is the object its module defines (or re-exports), not a copy.
        assert getattr(importlib.import_module(home), name, value) is value, name
    assert respan_evals.Respan.__module__ == "respan_evals._sync._client"
    assert respan_evals.AsyncRespan.__module__ == "respan_evals._async._client"
    assert respan_evals.Outbox.__module__ == "respan_evals._outbox._outbox"
    assert respan_evals.Summary.__module__ == "respan_evals._summary"


def test_dir_lists_every_public_name_and_star_import_gets_them() -> None:
    listed = dir(respan_evals)
    assert set(respan_evals.__all__) <= set(listed)
    assert listed == sorted(listed)
    namespace: dict[str, Any] = {}
    exec("from respan_evals import *", namespace)
    assert {n for n in namespace if n != "__builtins__"} == set(respan_evals.__all__)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match=r"'respan_evals' has no attribute 'Respna'"):
        respan_evals.Respna  # noqa: B018
    with pytest.raises(ImportError):
        exec("from respan_evals import Respna", {})
    assert not hasattr(respan_evals, "_LAZY_NOT_A_NAME")


def _answering(status: int, body: object) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(status, json=body))


@pytest.mark.parametrize("status", sorted(int(s) for s in RETRIEVE["responses"] if int(s) >= 300))
def test_an_error_answer_is_parsed_into_its_model_imported_then(status: int) -> None:
    body = {"detail": "nope", "retry_after": 1}
    http = httpx.Client(base_url="https://api.example", transport=_answering(status, body))
    api = Client(base_url="https://api.example").set_httpx_client(http)
    parsed = retrieve_score.sync_detailed("score_1", client=api).parsed
    expected = _schema_name(RETRIEVE["responses"][str(status)])
    assert type(parsed).__name__ == expected
    assert type(parsed) is getattr(models, expected)

    async def run() -> object:
        transport = _answering(status, body)
        async with httpx.AsyncClient(base_url="https://api.example", transport=transport) as h:
            aapi = Client(base_url="https://api.example").set_async_httpx_client(h)
            return (await retrieve_score.asyncio_detailed("score_1", client=aapi)).parsed

    assert type(asyncio.run(run())) is getattr(models, expected)


def test_a_success_is_still_parsed_into_its_model() -> None:
    http = httpx.Client(base_url="https://api.example", transport=_answering(200, SCORE_EXAMPLE))
    api = Client(base_url="https://api.example").set_httpx_client(http)
    parsed = retrieve_score.sync(SCORE_EXAMPLE["id"], client=api)
    assert isinstance(parsed, models.Score) and parsed.id == SCORE_EXAMPLE["id"]
