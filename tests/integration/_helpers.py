"""Helpers shared by the integration tests: one scenario body drives Respan and AsyncRespan.

Scenarios are written once as coroutines; `run(x)` awaits x when the async client returned a
coroutine and passes a sync client's result through, and `collect(it)` drains an Iterator or an
AsyncIterator. The sync client blocks the event loop while it works, which is fine here: the
emulator serves from its own thread.
"""

from __future__ import annotations

import contextlib
import inspect
import re
from collections.abc import AsyncIterable, AsyncIterator, Iterable
from pathlib import Path
from typing import Any, TypeVar

import httpx

from respan_evals import AsyncRespan, Respan
from respan_evals.testing import Emulator
from tests import _openapi

T = TypeVar("T")
Client = Respan | AsyncRespan
MODES = ("sync", "async")
SPEC = Path(__file__).resolve().parents[2] / "openapi.yaml"


async def run(result: Any) -> Any:
    """The value of a facade call, whichever client made it."""
    return await result if inspect.isawaitable(result) else result


async def collect(items: Iterable[T] | AsyncIterable[T]) -> list[T]:
    """Every item of a sync or async iterator."""
    if isinstance(items, AsyncIterable):
        return [item async for item in items]
    return list(items)


@contextlib.asynccontextmanager
async def open_client(
    emu: Emulator, mode: str, *, default_http: bool = False, **options: Any
) -> AsyncIterator[Client]:
    """A Respan ("sync") or AsyncRespan ("async") on the emulator: no pacing, no retries.

    By default the client sends through an httpx client of ours built with verify=False: the
    emulator is plain http on loopback, and loading the CA bundle costs ~0.1 s per client.
    `default_http=True` keeps the facade's own inner httpx client instead.
    """
    options = {"base_url": emu.base_url, "rate_limit": None, "max_retries": 0, **options}
    if mode == "sync":
        inner = None if default_http else httpx.Client(verify=False)
        try:
            with Respan(emu.api_key, http_client=inner, **options) as client:
                yield client
        finally:
            if inner is not None:
                inner.close()
    else:
        ainner = None if default_http else httpx.AsyncClient(verify=False)
        try:
            async with AsyncRespan(emu.api_key, http_client=ainner, **options) as aclient:
                yield aclient
        finally:
            if ainner is not None:
                await ainner.aclose()


# ---- what reached the emulator ---------------------------------------------------------------
def spec_operations() -> dict[tuple[str, str], str]:
    """(METHOD, path template) -> operationId, read from openapi.yaml."""
    spec = _openapi.load(SPEC)
    return {
        (method.upper(), path): op["operationId"]
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        if method in ("get", "post", "put", "patch", "delete")
    }


def _template_regex(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")


def operation_of(method: str, path: str, operations: dict[tuple[str, str], str]) -> str | None:
    """The operationId a request was for; literal segments win over parameters."""
    candidates = sorted(
        ((m, t) for m, t in operations if m == method), key=lambda mt: mt[1].count("{")
    )
    for key in candidates:
        if _template_regex(key[1]).match(path):
            return operations[key]
    return None


def requests_to(emu: Emulator, method: str, pattern: str) -> list[int]:
    """Statuses of the requests whose method matches and whose path fully matches `pattern`."""
    regex = re.compile(pattern)
    return [r.status for r in list(emu.requests) if r.method == method and regex.fullmatch(r.path)]


def score_requests(emu: Emulator) -> list[tuple[str, str, int]]:
    """Every request that touched a score route (/api/scores/... or /api/logs/.../scores/...)."""
    return [
        (r.method, r.path, r.status)
        for r in list(emu.requests)
        if r.path.startswith("/api/scores/") or re.match(r"/api/logs/[^/]+/scores/", r.path)
    ]


def lookup_requests(emu: Emulator) -> list[tuple[str, str, int]]:
    """Requests that look an evaluator up: the slug filter, or a retrieve by id."""
    return [
        (r.method, r.path, r.status)
        for r in list(emu.requests)
        if (r.method, r.path) == ("POST", "/api/evaluators/list/")
        or (r.method == "GET" and re.fullmatch(r"/api/evaluators/evl_[^/]+/", r.path))
    ]


# ---- the store -----------------------------------------------------------------------------
# Read from the spec (not the client's facts): the fields each value type's score travels in.
VALUE_FIELDS = tuple(
    dict.fromkeys(
        entry["field"]
        for entry in _openapi.load(SPEC)["components"]["schemas"]["ScoreValueType"][
            "x-respan-value-types"
        ].values()
    )
)


def stored(emu: Emulator, score_id: str) -> dict[str, Any]:
    return emu.store.scores[score_id]


def stored_values(rec: dict[str, Any]) -> dict[str, Any]:
    """The value fields of a stored score that are set."""
    return {name: rec[name] for name in VALUE_FIELDS if rec[name] is not None}


def scores_by_log(emu: Emulator) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    with emu.store.lock:
        for rec in emu.store.scores.values():
            out.setdefault(rec["log_id"], []).append(dict(rec))
    return out
