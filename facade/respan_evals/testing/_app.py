"""The HTTP side: one ASGI layer that does auth, rate limiting, fault injection, routing by
the spec's paths, and spec checks around the handlers of `_handlers.HANDLERS`."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, Protocol
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from ._body import UNPARSED, BodyError, dumps, loads
from ._errors import ApiError, EmulatorBug
from ._faults import HTML_502, FaultDecision, FaultInjector, FaultRecord
from ._handlers import HANDLERS, Call, Handler
from ._http import DroppedConnection  # raised after the headers: the server closes mid-answer
from ._ratelimit import RateLimiter
from ._routes import Matched, NotAllowed, Router
from ._spec import Operation, Spec
from ._store import Store

__all__ = ["DroppedConnection", "EmulatorApp", "EmulatorState", "missing_handlers"]

AUTH_401 = {
    "detail": "Your API key is invalid or expired, please check your API key at "
    "https://platform.respan.ai/platform/api/api-keys"
}
JSON_TYPE = "application/json"
REQUEST_ID_HEADER = "x-request-id"  # on every answer: the first name the client reads


def missing_handlers(spec: Spec, handlers: Mapping[str, Handler] = HANDLERS) -> list[str]:
    """operationIds of the spec that have no handler, in spec order."""
    return [op.operation_id for op in spec.operations if op.operation_id not in handlers]


class _Outcome:
    """A response before it is sent: status, headers, body, and whether to validate it."""

    def __init__(
        self,
        status: int,
        body: bytes = b"",
        headers: list[tuple[str, str]] | None = None,
        *,
        validate: bool = True,
        payload: Any = UNPARSED,
    ) -> None:
        self.status = status
        self.body = body
        self.headers = headers if headers is not None else []
        self.validate = validate
        self.payload = payload  # what `body` was encoded from (UNPARSED: not known)

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
        parsed = UNPARSED if payload is None else payload
        return cls(status, body, hdrs + list(headers or []), validate=validate, payload=parsed)


class EmulatorState(Protocol):
    """What the app reads and records on its Emulator (named here: `_emulator` imports us)."""

    validate: bool
    strict: bool
    spec: Spec
    store: Store
    api_keys: dict[str, str]
    _limiter: RateLimiter
    _faults: FaultInjector

    def _next_index(self) -> int: ...
    def _request_id(self, index: int) -> str: ...
    def _record_request(self, method: str, path: str, status: int) -> None: ...
    def _record_fault(self, record: FaultRecord) -> None: ...
    def _record_violation(
        self, method: str, path: str, status: int, problems: list[str]
    ) -> None: ...


class EmulatorApp:
    """ASGI application; all state lives on the owning Emulator."""

    def __init__(self, emulator: EmulatorState, handlers: Mapping[str, Handler] = HANDLERS) -> None:
        self.emulator = emulator
        self.handlers = handlers
        self.router = Router(emulator.spec.operations)

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
        request_id = (REQUEST_ID_HEADER, emu._request_id(index))
        early = self._early_fault(decision, index, method, path)
        if early is not None:
            emu._record_request(method, path, early.status)
            early.headers.append(request_id)
            await _send(send, early)
            return
        outcome = await self._handle(scope, body)
        emu._record_request(method, path, outcome.status)
        outcome.headers.append(request_id)  # after the response checks: the spec need not name it
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
        found = self.router.match(method, path)
        if method.upper() not in self.router.methods:
            # A probe (TRACE, PROPFIND, ...): the spec has no such method anywhere, so the
            # answer is the same for everyone and costs no rate-limit token.
            return _unrouted(found, method, path, literal=True)
        auth = self._authenticate(headers)
        if isinstance(auth, _Outcome):
            outcome = auth
        elif not isinstance(found, Matched):
            return _unrouted(found, method, path)
        else:
            outcome = self._checked_call(found, scope, headers, query, body, auth)
        if emu.validate and outcome.validate and isinstance(found, Matched):
            problems = emu.spec.validator().check_response(
                found.operation,
                outcome.status,
                outcome.headers,
                outcome.body,
                parsed=outcome.payload,
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

    def _checked_call(
        self,
        found: Matched,
        scope: Scope,
        headers: Mapping[str, str],
        query: list[tuple[str, str]],
        body: bytes,
        user: str,
    ) -> _Outcome:
        """Request checks, the handler, then what it left unread; answers 400/500/501 early."""
        emu, op = self.emulator, found.operation
        method, path = scope["method"], scope["path"]
        parsed: Any = None
        if body.strip():
            # Read before openapi-core sees the body: it would raise on bad UTF-8 or deep
            # nesting, and it takes NaN and Infinity for numbers.
            try:
                parsed = loads(body)
            except BodyError as exc:
                # Not checked as a response, like the request checks' 400 below.
                error = {"detail": f"JSON parse error - {exc}", "errors": {"body": [str(exc)]}}
                return _Outcome.json(400, error, validate=False)
        if emu.validate:
            problem = emu.spec.validator().check_request(
                method,
                path,
                query,
                headers,
                body,
                headers.get("content-type", ""),
                operation=op,
                path_params=found.params,
                parsed=UNPARSED if parsed is None else parsed,
            )
            if problem is not None:
                # Not checked as a response: some operations document no 400 at all, yet
                # a request that breaks the spec still deserves one.
                return _Outcome.json(400, problem.body(), validate=False)
        outside = _outside_spec(op, query, parsed)
        if outside:
            # The spec does not name them: a client that sends them has a bug the real API
            # would hide by ignoring them. Say so, and make strict tests fail.
            emu._record_violation(method, path, 400, [m for _, m in outside])
            errors = {where: [message] for where, message in outside}
            detail = "Request does not follow the API spec: " + "; ".join(m for _, m in outside)
            return _Outcome.json(400, {"detail": detail, "errors": errors}, validate=False)
        handler = self.handlers.get(op.operation_id)
        if handler is None:
            detail = (
                f"The emulator has no handler for operation {op.operation_id} "
                f"({op.method} {op.template}); add one to HANDLERS in "
                "respan_evals.testing._handlers."
            )
            emu._record_violation(method, path, 501, [detail])
            return _Outcome.json(501, {"detail": detail}, validate=False)
        request = Request({**scope, "path_params": found.params})
        call = Call(op, request, found.params, parsed, user, emu.store)
        try:
            status, payload = handler.run(call)
        except ApiError as exc:
            status, payload = exc.status, exc.body
        except Exception as exc:  # an emulator bug: say so, and make strict tests fail
            kind = "" if isinstance(exc, EmulatorBug) else f"{type(exc).__name__}: "
            detail = f"Emulator bug: {kind}{exc}"
            emu._record_violation(method, path, 500, [detail])
            return _Outcome.json(500, {"detail": detail}, validate=False)
        if 200 <= status < 300:
            ignored = _ignored(op, handler, call, query)
            if ignored:
                emu._record_violation(method, path, status, ignored)
                if emu.strict:
                    detail = f"Emulator bug: {method} {path} " + "; ".join(ignored)
                    return _Outcome.json(500, {"detail": detail}, validate=False)
        try:
            return _Outcome.json(status, payload)
        except ValueError as exc:  # NaN or Infinity: not JSON, so never sent
            detail = f"Emulator bug: its {status} answer to {method} {path} is not JSON: {exc}"
            emu._record_violation(method, path, 500, [detail])
            return _Outcome.json(500, {"detail": detail}, validate=False)

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


def _unrouted(
    found: Matched | NotAllowed | None, method: str, path: str, *, literal: bool = False
) -> _Outcome:
    """404 for a path the spec does not have, 405 (with Allow) for a method it lacks;
    `literal`: the method is in no operation at all, so a templated path gets a 405 too."""
    if not isinstance(found, NotAllowed):
        hint = "" if path.endswith("/") else " (paths end with a slash)"
        return _Outcome.json(404, {"detail": f"Not found{hint}."}, validate=False)
    allow = ", ".join(found.allow)
    if not (found.literal or literal):
        # `/api/scores/bulk/` fits `/api/scores/{id}/` only by taking "bulk" for an id: to the
        # caller it is an operation the spec does not have, not a wrong method on a score.
        detail = (
            f"Not found: the API spec has no operation {method} {path} (the path fits "
            f"{found.template}, which allows {allow})."
        )
        return _Outcome.json(404, {"detail": detail}, validate=False)
    return _Outcome.json(
        405,
        {"detail": f'Method "{method}" not allowed.'},
        [("allow", allow)],
        validate=False,
    )


def _outside_spec(op: Operation, query: list[tuple[str, str]], body: Any) -> list[tuple[str, str]]:
    """(where, message) for each query parameter and body field the operation does not name."""
    out: list[tuple[str, str]] = []
    for name in dict.fromkeys(name for name, _ in query):
        if name not in op.query:
            named = ", ".join(op.query) or "none"
            out.append(
                (name, f"query parameter {name!r} is not one of {op.operation_id}'s ({named})")
            )
    if isinstance(body, Mapping) and op.body_schema is not None and not op.body_open:
        for key in body:
            if key not in op.body_fields:
                out.append((str(key), f"{key!r} is not a field of {op.body_schema}"))
    return out


def _ignored(
    op: Operation, handler: Handler, call: Call, query: list[tuple[str, str]]
) -> list[str]:
    """What the request sent, the spec names, and the handler neither read nor excused."""
    sent_query = {name for name, _ in query}
    body = call.body if isinstance(call.body, Mapping) else {}
    excused = set(handler.no_effect) | set(op.deprecated_fields)
    unread_query = sorted(sent_query - call.read_query - excused)
    unread_body = sorted(set(body) - call.body_fields_read() - excused)
    out = [
        f"ignores query parameter {name!r} of {op.operation_id} (the emulator does not "
        "implement it)"
        for name in unread_query
    ]
    out += [
        f"ignores body field {name!r} of {op.body_schema} (the emulator neither stores nor uses it)"
        for name in unread_body
    ]
    return out


def _query_items(scope: Scope) -> list[tuple[str, str]]:
    raw = scope.get("query_string", b"")
    if not raw:
        return []
    return parse_qsl(raw.decode("latin-1"), keep_blank_values=True)


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
