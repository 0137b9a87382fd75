"""A small HTTP/1.1 server for one ASGI app: keep-alive, pipelining, one write per answer.

Plain requests (nearly all) are read and framed by `_wire`; from the first that is not plain,
h11 reads the connection and frames its answers. The app runs once a request's body is in, and
each answer's head and body leave in one `transport.write` (uvicorn's two writes cost a second
syscall and a second loopback packet per request).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from collections.abc import Callable
from email.utils import formatdate
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote

import h11
from starlette.types import ASGIApp, Message, Scope

from ._wire import (
    UNUSUAL,
    Framing,
    PlainRequest,
    ResponseError,
    chunk,
    frame_response,
    read_request,
)

__all__ = ["MAX_BODY", "MAX_HEAD", "DroppedConnection", "HttpServer"]

MAX_HEAD = 16 * 1024  # request line and headers (uvicorn's h11 default)
MAX_BODY = 64 * 1024 * 1024  # far past any request the API takes; a 413 beyond it
READ_HIGH_WATER = 64 * 1024  # pipelined bytes buffered while an answer is pending: stop reading
SWEEP_EVERY = 0.5  # seconds between looks for idle keep-alive connections
logger = logging.getLogger("respan_evals.testing.server")

_PHRASES = {s.value: s.phrase.encode("ascii") for s in HTTPStatus}
_CONTINUE = h11.InformationalResponse(status_code=100, headers=[], reason=b"Continue")


class DroppedConnection(Exception):
    """Raised by the app after `http.response.start`: close the connection, nothing logged."""


class _Dates:
    """The Date header, formatted once a second rather than once an answer."""

    def __init__(self) -> None:
        self._second = -1
        self._header: tuple[bytes, bytes] = (b"date", b"")

    def header(self) -> tuple[bytes, bytes]:
        now = int(time.time())
        if now != self._second:
            self._second = now
            self._header = (b"date", formatdate(now, usegmt=True).encode("ascii"))
        return self._header


class _Connection(asyncio.Protocol):
    """One client connection: requests in order, one at a time, each answered by the app.

    It starts out reading plain requests itself (`_wire`); the first request that is not
    plain hands the connection, from that request on, to h11."""

    def __init__(self, server: HttpServer) -> None:
        self.server = server
        self.loop = server.loop
        self.h11: h11.Connection | None = None  # None: plain requests, read by `_wire`
        self.transport: asyncio.Transport | None = None
        self.busy = False  # a request has been read and its answer is not complete
        self.closed = False
        self.idle_since = self.loop.time()
        self._buffer = bytearray()  # unread bytes, while the connection is not h11's
        self._eof = False
        self._request: h11.Request | None = None
        self._body = bytearray()
        self._buffered = 0  # bytes received while busy (pipelined requests)
        self._reading_paused = False
        self._writable: asyncio.Future[None] | None = None  # set while the transport is full
        self._gone: asyncio.Future[None] | None = None  # what a second receive() waits on
        self._local: tuple[str, int] | None = None
        self._peer: tuple[str, int] | None = None

    # ---- asyncio.Protocol -------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self._local = _address(transport.get_extra_info("sockname"))
        self._peer = _address(transport.get_extra_info("peername"))
        self.server.connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.server.connections.discard(self)
        for waiter in (self._writable, self._gone):
            if waiter is not None and not waiter.done():
                waiter.set_result(None)

    def data_received(self, data: bytes) -> None:
        self.idle_since = self.loop.time()
        if self.h11 is not None:
            self.h11.receive_data(data)
        else:
            self._buffer += data
        if self.busy:
            self._buffered += len(data)
            if self._buffered > READ_HIGH_WATER and not self._reading_paused:
                self._pause_reading()
            return
        self._read()

    def eof_received(self) -> bool:
        self._eof = True
        if self.h11 is not None:
            self.h11.receive_data(b"")
        if not self.busy:
            self._read()
        # Keep the transport open while an answer is pending: it closes after the answer.
        return self.busy and not self.closed

    def pause_writing(self) -> None:
        if self._writable is None or self._writable.done():
            self._writable = self.loop.create_future()

    def resume_writing(self) -> None:
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)

    # ---- reading ----------------------------------------------------------------------
    def _read(self) -> None:
        if self.closed:
            return
        if self.h11 is not None:
            self._read_events()
            return
        if not self._buffer:
            if self._eof:
                self._close()
            return
        found = read_request(self._buffer, self.server.max_head, self.server.max_body)
        if isinstance(found, PlainRequest):
            body = bytes(self._buffer[found.body_start : found.end])
            del self._buffer[: found.end]
            method = found.method.decode("ascii")
            scope = self._scope(method, found.target, "1.1", found.headers)
            self._dispatch(scope, body, _PlainReply(self, method == "HEAD"))
        elif found == UNUSUAL or self._eof:
            self._hand_to_h11()

    def _hand_to_h11(self) -> None:
        """From the request at the start of the buffer on, h11 reads this connection."""
        conn = h11.Connection(h11.SERVER, max_incomplete_event_size=self.server.max_head)
        conn.receive_data(bytes(self._buffer))
        self._buffer.clear()
        if self._eof:
            conn.receive_data(b"")
        self.h11 = conn
        self._read_events()

    def _read_events(self) -> None:
        """Take events from h11 until a request is complete (then answer it) or data runs out."""
        conn = self.h11
        assert conn is not None
        while not self.closed:
            try:
                event = conn.next_event()
            except h11.RemoteProtocolError as exc:
                self._refuse(exc.error_status_hint, "Invalid HTTP request received.")
                return
            if event is h11.NEED_DATA or event is h11.PAUSED:
                return
            if isinstance(event, h11.Request):
                self._request = event
                self._body.clear()
                if conn.they_are_waiting_for_100_continue:
                    self._write(conn.send(_CONTINUE))
            elif isinstance(event, h11.Data):
                self._body += event.data
                if len(self._body) > self.server.max_body:
                    self._refuse(413, "Request body too large.")
                    return
            elif isinstance(event, h11.EndOfMessage):
                request, body = self._request, bytes(self._body)
                assert request is not None
                self._request = None
                self._body.clear()
                version = request.http_version.decode("ascii")
                # h11 gives the names in lower case, as ASGI has them.
                scope = self._scope(
                    request.method.decode("ascii"), request.target, version, list(request.headers)
                )
                self._dispatch(scope, body, _H11Reply(self, conn, scope["method"] == "HEAD"))
                return
            elif isinstance(event, h11.ConnectionClosed):
                self._close()
                return

    def _scope(
        self, method: str, target: bytes, version: str, headers: list[tuple[bytes, bytes]]
    ) -> Scope:
        raw_path, _, query = target.partition(b"?")
        return {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": version,
            "server": self._local,
            "client": self._peer,
            "scheme": "http",
            "method": method,
            "root_path": "",
            "path": unquote(raw_path.decode("ascii")),
            "raw_path": raw_path,
            "query_string": query,
            "headers": headers,
            "state": {},
        }

    def _dispatch(self, scope: Scope, body: bytes, reply: _Reply) -> None:
        self.busy = True
        self._buffered = 0
        task = self.loop.create_task(self._answer(scope, body, reply))
        self.server.tasks.add(task)
        task.add_done_callback(self.server.tasks.discard)

    # ---- answering --------------------------------------------------------------------
    async def _answer(self, scope: Scope, body: bytes, reply: _Reply) -> None:
        """Run the app for one request; a 500 if it fails before answering."""
        delivered = False

        async def receive() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            # Nothing more will come: wait until the answer is sent or the client leaves.
            if not self.closed and not reply.complete:
                self._gone = self.loop.create_future()
                await self._gone
            return {"type": "http.disconnect"}

        try:
            await self.server.app(scope, receive, reply.send)
        except DroppedConnection:
            reply.abandon()
        except Exception:
            logger.exception("the app failed on %s %s", scope["method"], scope["path"])
            self._fail(reply)
        else:
            if not reply.complete:
                logger.error("the app left %s %s unanswered", scope["method"], scope["path"])
                self._fail(reply)
        finally:
            self._finish(reply)

    def _fail(self, reply: _Reply) -> None:
        if reply.started:
            reply.abandon()
        else:
            reply.refuse(500, "Internal Server Error")

    def _finish(self, reply: _Reply) -> None:
        """After an answer: close, or get ready for the next request (maybe already buffered)."""
        self.busy = False
        self.idle_since = self.loop.time()
        if self._gone is not None and not self._gone.done():
            self._gone.set_result(None)
        self._gone = None
        if self.closed:
            return
        if self.server.stopping or not reply.next_cycle():
            self._close()
            return
        if self._reading_paused:
            self._reading_paused = False
            assert self.transport is not None
            self.transport.resume_reading()
        self._read()

    def _refuse(self, status: int, text: str) -> None:
        """The request could not be read: a plain-text error answer (h11's), then close."""
        logger.info("%d: %s", status, text)
        assert self.h11 is not None
        _H11Reply(self, self.h11, False).refuse(status, text)

    def _write(self, data: bytes) -> None:
        if data and not self.closed and self.transport is not None:
            self.transport.write(data)

    async def drain(self) -> None:
        waiter = self._writable
        if waiter is not None and not waiter.done() and not self.closed:
            await waiter

    def _pause_reading(self) -> None:
        assert self.transport is not None
        self._reading_paused = True
        self.transport.pause_reading()

    def _close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.close()

    def abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()


_ERROR_HEADERS = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]


class _Reply:
    """The app's `send` for one request: holds the head until the body so both go out at once."""

    def __init__(self, connection: _Connection, head_only: bool) -> None:
        self.connection = connection
        self.head_only = head_only  # HEAD: framed as if a body came, but none is sent
        self.started = False
        self.complete = False
        self._status = 0
        self._headers: list[tuple[bytes, bytes]] = []

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if self.complete:
            raise RuntimeError(f"ASGI message {kind!r} after the answer was complete")
        if not self.started:
            if kind != "http.response.start":
                raise RuntimeError(f"expected 'http.response.start', got {kind!r}")
            self._status = message["status"]
            self._headers = [*message.get("headers", ()), self.connection.server.dates.header()]
            self.started = True
            return
        if kind != "http.response.body":
            raise RuntimeError(f"expected 'http.response.body', got {kind!r}")
        more = bool(message.get("more_body", False))
        out = self._encode(b"" if self.head_only else message.get("body", b""), more)
        self.complete = not more
        await self.connection.drain()
        self.connection._write(out)

    def _encode(self, data: bytes, more: bool) -> bytes:
        raise NotImplementedError

    def abandon(self) -> None:
        """The answer will not be finished: send the head if it is not out, then close."""
        raise NotImplementedError

    def next_cycle(self) -> bool:
        """After the answer: whether the connection can take the next request."""
        raise NotImplementedError

    def refuse(self, status: int, text: str) -> None:
        """A plain-text error answer in place of the app's, then close."""
        raise NotImplementedError


class _PlainReply(_Reply):
    """An answer to a plain request, framed by `_wire` as h11 would frame it."""

    def __init__(self, connection: _Connection, head_only: bool) -> None:
        super().__init__(connection, head_only)
        self._framing: Framing | None = None
        self._left: int | None = None  # body bytes the Content-Length still promises

    def _frame(self, whole_body: int | None) -> Framing:
        if self._framing is None:
            self._framing = frame_response(
                self._status,
                self._headers,
                _PHRASES,
                head_only=self.head_only,
                whole_body=whole_body,
            )
            self._left = self._framing.length
            return self._framing
        return self._framing._replace(head=b"")

    def _encode(self, data: bytes, more: bool) -> bytes:
        framing = self._frame(None if more else len(data))
        if self._left is None:
            tail = b"0\r\n\r\n" if not more else b""
            return framing.head + chunk(data) + tail
        if len(data) > self._left:
            raise ResponseError("too much data for the declared Content-Length")
        self._left -= len(data)
        if not more and self._left:
            raise ResponseError("too little data for the declared Content-Length")
        return framing.head + data

    def abandon(self) -> None:
        if self._framing is None and self.started:
            with contextlib.suppress(ResponseError):
                self.connection._write(self._frame(None).head)
        self.connection._close()

    def next_cycle(self) -> bool:
        return self.complete and self._framing is not None and not self._framing.close

    def refuse(self, status: int, text: str) -> None:
        data = text.encode("ascii")
        framing = frame_response(
            status, _ERROR_HEADERS, _PHRASES, head_only=False, whole_body=len(data)
        )
        self.connection._write(framing.head + data)
        self.connection._close()


class _H11Reply(_Reply):
    """An answer to a request h11 read, framed by h11."""

    def __init__(self, connection: _Connection, conn: h11.Connection, head_only: bool) -> None:
        super().__init__(connection, head_only)
        self.conn = conn
        self._head_sent = False

    def _head(self) -> bytes:
        if self._head_sent:
            return b""
        self._head_sent = True
        status = self._status
        head = h11.Response(status_code=status, headers=self._headers, reason=_reason(status))
        return self.conn.send(head) or b""

    def _encode(self, data: bytes, more: bool) -> bytes:
        out = self._head()
        if data:
            out += self.conn.send(h11.Data(data=data)) or b""
        if not more:
            out += self.conn.send(h11.EndOfMessage()) or b""
        return out

    def abandon(self) -> None:
        with contextlib.suppress(h11.LocalProtocolError):
            if self.started:
                self.connection._write(self._head())
            self.conn.send_failed()
        self.connection._close()

    def next_cycle(self) -> bool:
        conn = self.conn
        if conn.our_state is not h11.DONE or conn.their_state is not h11.DONE:
            return False
        conn.start_next_cycle()
        return True

    def refuse(self, status: int, text: str) -> None:
        data = text.encode("ascii")
        headers = [*_ERROR_HEADERS, (b"content-length", str(len(data)).encode("ascii"))]
        with contextlib.suppress(h11.LocalProtocolError):
            out = (
                self.conn.send(
                    h11.Response(status_code=status, headers=headers, reason=_reason(status))
                )
                or b""
            )
            out += self.conn.send(h11.Data(data=data)) or b""
            out += self.conn.send(h11.EndOfMessage()) or b""
            self.connection._write(out)
        self.connection._close()


def _reason(status: int) -> bytes:
    return _PHRASES.get(status, b"")


def _address(value: Any) -> tuple[str, int] | None:
    if isinstance(value, tuple) and len(value) >= 2:
        return str(value[0]), int(value[1])
    return None


class HttpServer:
    """Serves `app` on an already bound, listening socket until `stop()` (from any thread)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        keep_alive: float = 5.0,
        graceful: float = 2.0,
        max_head: int = MAX_HEAD,
        max_body: int = MAX_BODY,
    ) -> None:
        self.app = app
        self.keep_alive = keep_alive
        self.graceful = graceful
        self.max_head = max_head
        self.max_body = max_body
        self.dates = _Dates()
        self.connections: set[_Connection] = set()
        self.tasks: set[asyncio.Task[None]] = set()
        self.stopping = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._stop_asked = False  # stop() before the loop was up

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        assert self._loop is not None, "the server is not running"
        return self._loop

    def run(self, sock: socket.socket, started: Callable[[], None]) -> None:
        """Serve on `sock` in this thread (its own event loop) until stopped."""
        asyncio.run(self._serve(sock, started))

    async def _serve(self, sock: socket.socket, started: Callable[[], None]) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        if self._stop_asked:
            self._stop.set()
        server = await self._loop.create_server(lambda: _Connection(self), sock=sock)
        sweeper = self._loop.create_task(self._sweep())
        started()
        try:
            await self._stop.wait()
        finally:
            self.stopping = True
            sweeper.cancel()
            server.close()
            await self._drain()

    def stop(self) -> None:
        """Stop accepting, let pending answers finish (up to `graceful` seconds), close all."""
        self._stop_asked = True
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(stop.set)

    async def _drain(self) -> None:
        for connection in list(self.connections):
            if not connection.busy:
                connection._close()
        deadline = self.loop.time() + self.graceful
        # Pending answers finish, then their connections close once what was written is out.
        while (self.tasks or self.connections) and self.loop.time() < deadline:
            if self.tasks:
                await asyncio.wait(set(self.tasks), timeout=deadline - self.loop.time())
            else:
                await asyncio.sleep(0.005)
        for task in list(self.tasks):
            task.cancel()
        for connection in list(self.connections):
            connection.abort()
        await asyncio.sleep(0)  # let the transports run their connection_lost

    async def _sweep(self) -> None:
        """Close keep-alive connections idle for `keep_alive` seconds (one timer for all)."""
        while True:
            await asyncio.sleep(SWEEP_EVERY)
            cutoff = self.loop.time() - self.keep_alive
            for connection in list(self.connections):
                if not connection.busy and connection.idle_since < cutoff:
                    connection._close()
