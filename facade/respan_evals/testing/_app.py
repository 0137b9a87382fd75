"""The HTTP side: Starlette routes for the 28 operations, wrapped in one ASGI layer that does
auth, rate limiting, fault injection and spec validation around them."""

from __future__ import annotations

import asyncio
import json
import logging
import math
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, Router
from starlette.types import Message, Receive, Scope, Send

from ._faults import HTML_502, FaultDecision, FaultRecord
from ._filters import FilterError, Normalized, lookup, matches, normalize_filters
from ._store import ApiError, Store, field_error

if TYPE_CHECKING:
    from ._emulator import Emulator

__all__ = ["DroppedConnection", "EmulatorApp"]

AUTH_401 = {
    "detail": "Your API key is invalid or expired, please check your API key at "
    "https://platform.respan.ai/platform/api/api-keys"
}
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
JSON_TYPE = "application/json"
Handler = Callable[["Call"], tuple[int, Any]]


class DroppedConnection(Exception):
    """Raised after the response headers to make uvicorn close the connection mid-response."""


class _QuietDrops(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, DroppedConnection)


logging.getLogger("uvicorn.error").addFilter(_QuietDrops())


def dumps(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class Call:
    """What a handler needs: the request, its JSON body, the caller, the store."""

    def __init__(self, request: Request, body: Any, user: str, store: Store) -> None:
        self.request = request
        self.body = body
        self.user = user
        self.store = store

    @property
    def params(self) -> Mapping[str, str]:
        return self.request.path_params

    def json_object(self, *, required: bool = True) -> dict[str, Any]:
        if self.body is None:
            if required:
                raise ApiError(400, {"detail": "A JSON object body is required.", "errors": {}})
            return {}
        if not isinstance(self.body, dict):
            raise field_error("body", "Expected a JSON object.")
        return self.body


# ---- lists ------------------------------------------------------------------------------
def _int_param(call: Call, name: str, default: int, low: int, high: int | None) -> int:
    raw = call.request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise field_error(name, "A valid integer is required.") from None
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f">= {low}"
        raise field_error(name, f"Must be {bound}.")
    return value


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (3, "")
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, int | float):
        return (0, value)
    if isinstance(value, str):
        return (1, value)
    return (2, json.dumps(value, sort_keys=True))


def _field_key(name: str) -> Callable[[tuple[int, dict[str, Any]]], tuple[int, Any]]:
    return lambda row: _sort_key(lookup(row[1], name))


def _sorted(rows: list[tuple[int, dict[str, Any]]], sort_by: str) -> list[dict[str, Any]]:
    ordered = sorted(rows, key=lambda r: r[0])
    for part in reversed([p.strip() for p in sort_by.split(",") if p.strip()]):
        descending = part.startswith("-")
        name = part.lstrip("-+")
        if name == "created_at":
            ordered.sort(key=lambda r: (r[1].get("created_at") or "", r[0]), reverse=descending)
        else:
            ordered.sort(key=_field_key(name), reverse=descending)
    return [row for _, row in ordered]


def paginate(
    call: Call,
    rows: list[tuple[int, dict[str, Any]]],
    *,
    default_sort: str,
    sortable: bool = True,
    current_filters: Normalized | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    page = _int_param(call, "page", 1, 1, None)
    size = _int_param(call, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    sort_by = call.request.query_params.get("sort_by") if sortable else None
    items = _sorted(rows, sort_by or default_sort)
    pages = max(1, math.ceil(len(items) / size))
    chunk = items[(page - 1) * size : page * size]
    url = call.request.url
    next_url = str(url.include_query_params(page=page + 1)) if page < pages else None
    previous_url: str | None = None
    if 1 < page <= pages + 1:
        prev = page - 1
        previous_url = str(
            url.remove_query_params("page") if prev == 1 else url.include_query_params(page=prev)
        )
    out: dict[str, Any] = {
        # The spec (docs wording): "Number of resources returned on this page", not a total.
        "count": len(chunk),
        "results": chunk,
        "next": next_url,
        "previous": previous_url,
        "current_filters": current_filters or {},
    }
    if extra:
        out.update(extra)
    return out


def _filters_from_body(call: Call) -> Normalized:
    body = call.json_object(required=False)
    try:
        return normalize_filters(body.get("filters"))
    except FilterError as exc:
        raise field_error(exc.field, exc.message) from None


def _filter_rows(
    rows: list[tuple[int, dict[str, Any]]], filters: Normalized
) -> list[tuple[int, dict[str, Any]]]:
    if not filters:
        return rows
    return [(seq, row) for seq, row in rows if matches(row, filters)]


# ---- score handlers ------------------------------------------------------------------------
def _score_filter_rows(call: Call, log_id: str | None = None) -> list[tuple[int, dict[str, Any]]]:
    store = call.store
    with store.lock:
        rows = store.score_rows(log_id)
        # metadata__key filters read the metadata stored with the score's inputs.
        return [
            (seq, {**row, "metadata": store.score_metadata(row["id"]).get("metadata") or {}})
            for seq, row in rows
        ]


def _strip_metadata(data: dict[str, Any]) -> dict[str, Any]:
    data["results"] = [{k: v for k, v in r.items() if k != "metadata"} for r in data["results"]]
    return data


def list_scores(call: Call) -> tuple[int, Any]:
    rows = _score_filter_rows(call)
    q = call.request.query_params
    start, end = q.get("start_time"), q.get("end_time")
    if start:
        low = _iso_param(start, "start_time")
        rows = [r for r in rows if r[1]["created_at"] >= low]
    if end:
        high = _iso_param(end, "end_time")
        rows = [r for r in rows if r[1]["created_at"] < high]
    data = paginate(call, rows, default_sort="-created_at", sortable=True)
    return 200, _strip_metadata(data)


def _iso_param(raw: str, name: str) -> str:
    from datetime import UTC, datetime

    try:
        dt = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise field_error(name, "A valid ISO 8601 datetime is required.") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


def filter_scores(call: Call) -> tuple[int, Any]:
    filters = _filters_from_body(call)
    rows = _filter_rows(_score_filter_rows(call), filters)
    data = paginate(call, rows, default_sort="-created_at", current_filters=filters)
    return 200, _strip_metadata(data)


def create_score(call: Call) -> tuple[int, Any]:
    return 201, call.store.create_score(call.json_object(), call.user)


def retrieve_score(call: Call) -> tuple[int, Any]:
    return 200, call.store.get_score(call.params["id"])


def update_score(call: Call) -> tuple[int, Any]:
    return 200, call.store.patch_score(call.params["id"], call.json_object())


def replace_score(call: Call) -> tuple[int, Any]:
    return 200, call.store.replace_score(call.params["id"], call.json_object(), call.user)


def delete_score(call: Call) -> tuple[int, Any]:
    call.store.delete_score(call.params["id"])
    return 204, None


def list_log_scores(call: Call) -> tuple[int, Any]:
    rows = _score_filter_rows(call, call.params["log_id"])
    data = paginate(call, rows, default_sort="-created_at", sortable=True)
    return 200, _strip_metadata(data)


def upsert_log_score(call: Call) -> tuple[int, Any]:
    score, created = call.store.upsert_log_score(
        call.params["log_id"], call.json_object(), call.user
    )
    return (201 if created else 200), score


def retrieve_log_score(call: Call) -> tuple[int, Any]:
    return 200, call.store.get_score(call.params["score_id"], call.params["log_id"])


def update_log_score(call: Call) -> tuple[int, Any]:
    p = call.params
    return 200, call.store.patch_score(p["score_id"], call.json_object(), log_id=p["log_id"])


def replace_log_score(call: Call) -> tuple[int, Any]:
    p = call.params
    score = call.store.replace_score(
        p["score_id"], call.json_object(), call.user, log_id=p["log_id"]
    )
    return 200, score


def delete_log_score(call: Call) -> tuple[int, Any]:
    call.store.delete_score(call.params["score_id"], log_id=call.params["log_id"])
    return 204, None


# ---- evaluator handlers --------------------------------------------------------------------
def list_evaluators_root(call: Call) -> tuple[int, Any]:
    rows = call.store.evaluator_rows()
    search = call.request.query_params.get("search")
    if search:
        needle = search.casefold()
        rows = [
            r
            for r in rows
            if needle in str(r[1]["name"]).casefold()
            or needle in str(r[1]["evaluator_slug"]).casefold()
        ]
    current = {"search": {"operator": "icontains", "value": [search]}} if search else {}
    return 200, paginate(call, rows, default_sort="-created_at", current_filters=current)


def list_evaluators(call: Call) -> tuple[int, Any]:
    filters = _filters_from_body(call)
    rows = _filter_rows(call.store.evaluator_rows(), filters)
    data = paginate(
        call, rows, default_sort="-created_at", current_filters=filters, extra={"filters_data": {}}
    )
    return 200, data


def evaluators_summary(call: Call) -> tuple[int, Any]:
    return 200, {"total_count": call.store.count_evaluators()}


def filtered_evaluators_summary(call: Call) -> tuple[int, Any]:
    return 200, {"total_count": call.store.count_evaluators(_filters_from_body(call))}


def create_evaluator(call: Call) -> tuple[int, Any]:
    return 201, call.store.create_evaluator(call.json_object(), call.user)


def retrieve_evaluator(call: Call) -> tuple[int, Any]:
    return 200, call.store.get_evaluator(call.params["evaluator_id"])


def update_evaluator(call: Call) -> tuple[int, Any]:
    ref = call.params["evaluator_id"]
    return 200, call.store.update_evaluator(ref, call.json_object(), call.user, partial=True)


def replace_evaluator(call: Call) -> tuple[int, Any]:
    ref = call.params["evaluator_id"]
    return 200, call.store.update_evaluator(ref, call.json_object(), call.user, partial=False)


def delete_evaluator(call: Call) -> tuple[int, Any]:
    call.store.delete_evaluator(call.params["evaluator_id"])
    return 204, None


def run_evaluator(call: Call) -> tuple[int, Any]:
    ref = call.params["evaluator_id"]
    return 200, call.store.run_evaluator(ref, call.json_object(), call.user)


def list_versions(call: Call) -> tuple[int, Any]:
    rows = call.store.version_rows(call.params["evaluator_id"])
    return 200, paginate(call, rows, default_sort="-version", sortable=False)


def create_version(call: Call) -> tuple[int, Any]:
    body = call.json_object(required=False)
    return 201, call.store.commit_version(call.params["evaluator_id"], body, call.user)


def _version_number(call: Call) -> int:
    raw = call.params["version"]
    if not raw.isdigit():
        raise ApiError(404, {"detail": "Not found."})
    return int(raw)


def retrieve_version(call: Call) -> tuple[int, Any]:
    return 200, call.store.get_version(call.params["evaluator_id"], _version_number(call))


def update_version(call: Call) -> tuple[int, Any]:
    ref, n = call.params["evaluator_id"], _version_number(call)
    return 200, call.store.update_version(ref, n, call.json_object(), call.user, partial=True)


def replace_version(call: Call) -> tuple[int, Any]:
    ref, n = call.params["evaluator_id"], _version_number(call)
    return 200, call.store.update_version(ref, n, call.json_object(), call.user, partial=False)


ROUTES: list[tuple[str, dict[str, Handler]]] = [
    ("/api/scores/list/", {"POST": filter_scores}),
    ("/api/scores/", {"GET": list_scores, "POST": create_score}),
    (
        "/api/scores/{id}/",
        {
            "GET": retrieve_score,
            "PATCH": update_score,
            "PUT": replace_score,
            "DELETE": delete_score,
        },
    ),
    ("/api/logs/{log_id}/scores/", {"GET": list_log_scores, "POST": upsert_log_score}),
    (
        "/api/logs/{log_id}/scores/{score_id}/",
        {
            "GET": retrieve_log_score,
            "PATCH": update_log_score,
            "PUT": replace_log_score,
            "DELETE": delete_log_score,
        },
    ),
    ("/api/evaluators/list/", {"POST": list_evaluators}),
    ("/api/evaluators/summary/", {"GET": evaluators_summary, "POST": filtered_evaluators_summary}),
    ("/api/evaluators/", {"GET": list_evaluators_root, "POST": create_evaluator}),
    (
        "/api/evaluators/{evaluator_id}/",
        {
            "GET": retrieve_evaluator,
            "PATCH": update_evaluator,
            "PUT": replace_evaluator,
            "DELETE": delete_evaluator,
        },
    ),
    ("/api/evaluators/{evaluator_id}/run/", {"POST": run_evaluator}),
    (
        "/api/evaluators/{evaluator_id}/versions/",
        {"GET": list_versions, "POST": create_version},
    ),
    (
        "/api/evaluators/{evaluator_id}/versions/{version}/",
        {"GET": retrieve_version, "PATCH": update_version, "PUT": replace_version},
    ),
]
ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
OPERATION_COUNT = sum(len(methods) for _, methods in ROUTES)


# ---- the ASGI layer ----------------------------------------------------------------------
class _Outcome:
    """A response before it is sent: status, headers, body, and whether to validate it."""

    def __init__(
        self,
        status: int,
        body: bytes = b"",
        headers: list[tuple[str, str]] | None = None,
        *,
        validate: bool = True,
    ) -> None:
        self.status = status
        self.body = body
        self.headers = headers if headers is not None else []
        self.validate = validate

    @classmethod
    def json(
        cls,
        status: int,
        payload: Any,
        headers: list[tuple[str, str]] | None = None,
        *,
        validate: bool = True,
    ) -> _Outcome:
        body = b"" if payload is None else dumps(payload)
        hdrs = [] if payload is None else [("content-type", JSON_TYPE)]
        return cls(status, body, hdrs + list(headers or []), validate=validate)


class EmulatorApp:
    """ASGI application; all state lives on the owning Emulator."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        routes = [
            Route(path, endpoint=self._endpoint(methods), methods=ALL_METHODS)
            for path, methods in ROUTES
        ]
        self.router = Router(routes=routes, redirect_slashes=False, default=self._not_found)

    @staticmethod
    async def _not_found(scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        hint = "" if path.endswith("/") else " (paths end with a slash)"
        response = Response(
            dumps({"detail": f"Not found{hint}."}), status_code=404, media_type=JSON_TYPE
        )
        response.headers["x-emulator-route"] = "none"
        await response(scope, receive, send)

    def _endpoint(self, methods: Mapping[str, Handler]) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            handler = methods.get(request.method)
            if handler is None:
                allowed = ", ".join(sorted(methods))
                response = Response(
                    dumps({"detail": f'Method "{request.method}" not allowed.'}),
                    status_code=405,
                    media_type=JSON_TYPE,
                    headers={"allow": allowed, "x-emulator-route": "none"},
                )
                return response
            state = request.scope["state"]
            call = Call(request, state["json"], state["user"], self.emulator.store)
            try:
                status, payload = handler(call)
            except ApiError as exc:
                status, payload = exc.status, exc.body
            except Exception as exc:  # an emulator bug: say so, and make strict tests fail
                detail = f"Emulator bug: {type(exc).__name__}: {exc}"
                self.emulator._record_violation(request.method, request.url.path, 500, [detail])
                return Response(
                    dumps({"detail": detail}),
                    status_code=500,
                    media_type=JSON_TYPE,
                    headers={"x-emulator-route": "none"},
                )
            if payload is None:
                return Response(status_code=status)
            return Response(dumps(payload), status_code=status, media_type=JSON_TYPE)

        return endpoint

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        emu = self.emulator
        body = await _read_body(receive)
        method, path = scope["method"], scope["path"]
        index = emu._next_index()
        decision = emu._faults.decide(method, path)
        if decision.latency:
            emu._record_fault(FaultRecord(index, method, path, "latency", latency=decision.latency))
            await asyncio.sleep(decision.latency)
        early = self._early_fault(decision, index, method, path)
        if early is not None:
            emu._record_request(method, path, early.status)
            await _send(send, early)
            return
        outcome = await self._handle(scope, body)
        emu._record_request(method, path, outcome.status)
        if decision.kind == "drop_after_write":
            emu._record_fault(FaultRecord(index, method, path, "drop_after_write", outcome.status))
            # Headers promise a body that never comes: the client sees a transport error
            # (httpx: RemoteProtocolError). A 204 cannot promise a body, so say 200 instead.
            headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in outcome.headers]
            headers.append((b"content-length", str(max(len(outcome.body), 1)).encode()))
            status = 200 if outcome.status in (204, 304) else outcome.status
            await send({"type": "http.response.start", "status": status, "headers": headers})
            raise DroppedConnection(f"{method} {path}: connection dropped after the write")
        if decision.kind == "truncate":
            cut = outcome.body[: len(outcome.body) // 2]
            emu._record_fault(FaultRecord(index, method, path, "truncate", outcome.status))
            outcome = _Outcome(
                outcome.status, cut, outcome.headers or [("content-type", JSON_TYPE)]
            )
        await _send(send, outcome)

    def _early_fault(
        self, decision: FaultDecision, index: int, method: str, path: str
    ) -> _Outcome | None:
        kind = decision.kind
        if kind not in ("error", "html", "burst_429"):
            return None
        emu = self.emulator
        status = decision.status or 500
        emu._record_fault(FaultRecord(index, method, path, kind, status))
        if kind == "html":
            return _Outcome(status, HTML_502, [("content-type", "text/html; charset=utf-8")])
        if kind == "burst_429":
            wait = emu._faults.plan.retry_after
            return _Outcome.json(
                429,
                {"detail": "Rate limit exceeded", "retry_after": wait},
                [("retry-after", str(wait))],
            )
        phrase = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
        return _Outcome.json(
            status, {"detail": f"{phrase.get(status, 'Server error')} (injected fault)"}
        )

    async def _handle(self, scope: Scope, body: bytes) -> _Outcome:
        emu = self.emulator
        method, path = scope["method"], scope["path"]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        query = _query_items(scope)
        auth = self._authenticate(headers)
        problem = None
        outcome: _Outcome | None = None
        if isinstance(auth, _Outcome):
            outcome = auth
        elif emu.validate:
            problem = emu._validator().check_request(
                method, path, query, headers, body, headers.get("content-type", "")
            )
            if problem is not None and not problem.not_in_spec:
                # Not checked as a response: some operations document no 400 at all, yet
                # a request that breaks the spec still deserves one.
                outcome = _Outcome.json(400, problem.body(), validate=False)
        if outcome is None:
            outcome = await self._route(scope, body, auth if isinstance(auth, str) else "")
            if problem is not None and problem.not_in_spec and outcome.validate:
                # We serve it but the spec does not list it: the spec and emulator disagree.
                emu._record_violation(method, path, outcome.status, [problem.detail])
                outcome.validate = False
        if emu.validate and outcome.validate:
            problems = emu._validator().check_response(
                method, path, query, headers, outcome.status, outcome.headers, outcome.body
            )
            if problems:
                emu._record_violation(method, path, outcome.status, problems)
                if emu.strict:
                    detail = (
                        f"Emulator bug: its {outcome.status} answer to {method} {path} breaks "
                        "the API spec: " + "; ".join(problems)
                    )
                    outcome = _Outcome.json(500, {"detail": detail}, validate=False)
        return outcome

    def _authenticate(self, headers: Mapping[str, str]) -> str | _Outcome:
        """The caller's user, or the 401/429 answer."""
        emu = self.emulator
        auth = headers.get("authorization", "")
        scheme, _, token = auth.partition(" ")
        user = emu.api_keys.get(token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            return _Outcome.json(401, AUTH_401, [("www-authenticate", 'Bearer realm="api"')])
        wait = emu._limiter.acquire(token.strip())
        if wait is not None:
            return _Outcome.json(
                429,
                {"detail": "Rate limit exceeded", "retry_after": wait},
                [("retry-after", str(wait))],
            )
        return user

    async def _route(self, scope: Scope, body: bytes, user: str) -> _Outcome:
        parsed: Any = None
        if body.strip():
            try:
                parsed = json.loads(body)
            except ValueError as exc:
                return _Outcome.json(
                    400, {"detail": f"JSON parse error - {exc}", "errors": {"body": [str(exc)]}}
                )
        inner_scope = dict(scope)
        inner_scope["state"] = {"json": parsed, "user": user}
        sent = False

        async def receive() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        captured: dict[str, Any] = {"status": 500, "headers": [], "body": bytearray()}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = [
                    (k.decode("latin-1"), v.decode("latin-1"))
                    for k, v in message.get("headers", [])
                ]
            elif message["type"] == "http.response.body":
                captured["body"].extend(message.get("body", b""))

        await self.router(inner_scope, receive, capture)
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        internal = any(k.lower() == "x-emulator-route" for k, _ in headers)
        headers = [(k, v) for k, v in headers if k.lower() != "x-emulator-route"]
        return _Outcome(captured["status"], bytes(captured["body"]), headers, validate=not internal)


def _query_items(scope: Scope) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    raw = scope.get("query_string", b"").decode("latin-1")
    return parse_qsl(raw, keep_blank_values=True)


async def _read_body(receive: Receive) -> bytes:
    chunks = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.extend(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return bytes(chunks)


async def _send(send: Send, outcome: _Outcome) -> None:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in outcome.headers]
    if outcome.status not in (204, 304):
        headers.append((b"content-length", str(len(outcome.body)).encode()))
    await send({"type": "http.response.start", "status": outcome.status, "headers": headers})
    await send({"type": "http.response.body", "body": outcome.body})
