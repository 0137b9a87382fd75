"""The emulator's HTTP/1.1 server (`_http`, `_wire`) on the wire: raw sockets, no HTTP client."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import h11
import pytest
from starlette.types import Receive, Scope, Send

from respan_evals.testing._http import DroppedConnection, HttpServer, _Connection
from respan_evals.testing._wire import UNUSUAL, PlainRequest, frame_response, read_request

PHRASES = {200: b"OK", 201: b"Created", 204: b"No Content", 404: b"Not Found"}


async def echo_app(scope: Scope, receive: Receive, send: Send) -> None:
    """Answers with what it was asked (method, path, query, body, a header), as JSON."""
    message = await receive()
    path = scope["path"]
    if path.startswith("/slow/"):
        await asyncio.sleep(float(path.rsplit("/", 1)[-1]))
    if path == "/fail/":
        raise RuntimeError("the app broke")
    if path == "/drop/":
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"10")]}
        )
        raise DroppedConnection("dropped")
    if path == "/empty/":
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        return
    if path == "/stream/":  # no Content-Length, two parts: chunked
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ab", "more_body": True})
        await send({"type": "http.response.body", "body": b"cd"})
        return
    headers = dict(scope["headers"])
    body = json.dumps(
        {
            "method": scope["method"],
            "path": path,
            "query": scope["query_string"].decode(),
            "body": message["body"].decode(),
            "x-tag": headers.get(b"x-tag", b"").decode(),
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", b"%d" % len(body)),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


@contextmanager
def serving(**options: Any) -> Iterator[tuple[HttpServer, int]]:
    """An HttpServer for `echo_app` in a thread, on a free loopback port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.setblocking(False)
    server = HttpServer(echo_app, **options)
    started = threading.Event()
    thread = threading.Thread(target=server.run, args=(sock, started.set), daemon=True)
    thread.start()
    assert started.wait(10)
    try:
        yield server, sock.getsockname()[1]
    finally:
        server.stop()
        thread.join(10)
        sock.close()
    assert not thread.is_alive()


class Wire:
    """A raw client connection that reads answers one by one (Content-Length or chunked)."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buffer = b""

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _fill(self) -> bool:
        chunk = self.sock.recv(65536)
        self.buffer += chunk
        return bool(chunk)

    def answer(self, *, head_only: bool = False) -> tuple[int, dict[str, str], bytes]:
        while b"\r\n\r\n" not in self.buffer:
            assert self._fill(), f"closed before an answer: {self.buffer!r}"
        raw, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if head_only or status in (100, 204, 304):
            return status, headers, b""
        if headers.get("transfer-encoding") == "chunked":
            body = b""
            while True:
                while b"\r\n" not in self.buffer:
                    assert self._fill()
                size_line, _, self.buffer = self.buffer.partition(b"\r\n")
                size = int(size_line, 16)
                while len(self.buffer) < size + 2:
                    assert self._fill()
                body, self.buffer = body + self.buffer[:size], self.buffer[size + 2 :]
                if size == 0:
                    return status, headers, body
        length = int(headers.get("content-length", "0"))
        while len(self.buffer) < length:
            assert self._fill(), "closed mid-body"
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return status, headers, body

    def closed(self) -> bool:
        """True when the server closed the connection (nothing more comes)."""
        try:
            return not self.buffer and self.sock.recv(1) == b""
        except ConnectionResetError:
            return True

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def wire() -> Iterator[Wire]:
    with serving() as (_, port):
        conn = Wire(port)
        yield conn
        conn.close()


def get(path: str, extra: str = "") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: t\r\n{extra}\r\n".encode()


def post(path: str, body: bytes, extra: str = "") -> bytes:
    head = f"POST {path} HTTP/1.1\r\nHost: t\r\nContent-Length: {len(body)}\r\n{extra}\r\n"
    return head.encode() + body


def chunked_post(path: str, parts: list[bytes]) -> bytes:
    head = f"POST {path} HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
    return head + b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


def test_keep_alive_serves_many_requests_on_one_connection(wire: Wire) -> None:
    for i in range(5):
        wire.send(post(f"/scores/{i}/?page=2", b'{"n": %d}' % i))
        status, headers, body = wire.answer()
        assert status == 200 and "date" in headers
        assert json.loads(body) == {
            "method": "POST",
            "path": f"/scores/{i}/",
            "query": "page=2",
            "body": f'{{"n": {i}}}',
            "x-tag": "",
        }


def test_pipelined_requests_are_answered_in_order(wire: Wire) -> None:
    # The first answer takes longest; a plain request, one h11 reads (chunked), then plain ones.
    batch = [
        get("/slow/0.2", "X-Tag: a\r\n"),
        chunked_post("/b/", [b"he", b"llo"]),
        get("/c/", "X-Tag: c\r\n"),
        post("/d/", b"xyz"),
    ]
    wire.send(b"".join(batch))
    answers = [json.loads(wire.answer()[2]) for _ in batch]
    assert [a["path"] for a in answers] == ["/slow/0.2", "/b/", "/c/", "/d/"]
    assert answers[0]["x-tag"] == "a" and answers[2]["x-tag"] == "c"
    assert answers[1]["body"] == "hello" and answers[3]["body"] == "xyz"


def test_expect_100_continue_gets_a_go_ahead_before_the_body(wire: Wire) -> None:
    head = "POST /e/ HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n"
    wire.send(head.encode())
    status, _, _ = wire.answer()
    assert status == 100
    wire.send(b"body")
    status, _, body = wire.answer()
    assert status == 200 and json.loads(body)["body"] == "body"


def test_head_is_framed_as_get_without_a_body(wire: Wire) -> None:
    wire.send(get("/h/"))
    _, got, _ = wire.answer()
    wire.send(get("/h/").replace(b"GET", b"HEAD", 1))
    status, headers, _ = wire.answer(head_only=True)
    # The echo says "HEAD" where it said "GET": one byte longer.
    assert status == 200 and int(headers["content-length"]) == int(got["content-length"]) + 1
    wire.send(get("/after/"))  # nothing of a body was sent: the next answer parses
    assert json.loads(wire.answer()[2])["path"] == "/after/"


def test_no_body_answer_and_chunked_answer(wire: Wire) -> None:
    wire.send(get("/empty/") + get("/stream/"))
    status, headers, _ = wire.answer()
    assert status == 204 and "content-length" not in headers
    status, headers, body = wire.answer()
    assert headers["transfer-encoding"] == "chunked" and body == b"abcd"


@pytest.mark.parametrize(
    "request_bytes",
    [get("/x/", "Connection: close\r\n"), b"GET /x/ HTTP/1.0\r\nHost: t\r\n\r\n"],
    ids=["connection-close", "http-1.0"],
)
def test_the_server_closes_when_the_client_asks(wire: Wire, request_bytes: bytes) -> None:
    wire.send(request_bytes)
    status, headers, _ = wire.answer()
    assert status == 200 and headers["connection"] == "close"
    assert wire.closed()


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"NOT HTTP AT ALL\r\n\r\n", 400),
        (b"GET /x/ HTTP/1.1\r\n\r\n", 400),  # no Host
        (b"GET /x/ HTTP/1.1\r\nHost: t\r\nContent-Length: zz\r\n\r\n", 400),
    ],
)
def test_a_malformed_request_is_refused_and_closed(
    wire: Wire, request_bytes: bytes, status: int
) -> None:
    wire.send(request_bytes)
    got, headers, body = wire.answer()
    assert (got, body) == (status, b"Invalid HTTP request received.")
    assert headers["connection"] == "close" and wire.closed()


def test_limits_on_head_and_body() -> None:
    with serving(max_head=1024, max_body=100) as (_, port):
        big_body = Wire(port)
        big_body.send(post("/x/", b"a" * 101))
        status, _, _ = big_body.answer()
        assert status == 413 and big_body.closed()
        at_limit = Wire(port)
        at_limit.send(post("/x/", b"a" * 100))
        assert at_limit.answer()[0] == 200
        big_head = Wire(port)
        big_head.send(b"GET /x/ HTTP/1.1\r\nHost: t\r\nX-Big: " + b"b" * 2000)  # no end in sight
        status, _, _ = big_head.answer()
        assert status == 431 and big_head.closed()
        for conn in (big_body, at_limit, big_head):
            conn.close()


def test_an_app_failure_is_a_500_and_a_drop_closes_mid_answer(wire: Wire) -> None:
    wire.send(get("/fail/"))
    status, _, body = wire.answer()
    assert (status, body) == (500, b"Internal Server Error") and wire.closed()
    with serving() as (_, port):
        dropped = Wire(port)
        dropped.send(get("/drop/"))
        while b"\r\n\r\n" not in dropped.buffer:
            assert dropped._fill()
        assert dropped.buffer.startswith(b"HTTP/1.1 200 OK\r\n")
        assert dropped.buffer.endswith(b"\r\n\r\n")  # the head promises 10 bytes: none come
        dropped.buffer = b""
        assert dropped.closed()
        dropped.close()


def test_idle_connections_are_closed_after_the_keep_alive_timeout() -> None:
    with serving(keep_alive=0.2) as (server, port):
        conn = Wire(port)
        conn.send(get("/x/"))
        assert conn.answer()[0] == 200
        deadline = time.monotonic() + 5
        while server.connections and time.monotonic() < deadline:
            time.sleep(0.05)
        assert conn.closed()
        conn.close()


def test_stop_lets_a_pending_answer_finish_then_refuses_connections() -> None:
    with serving(graceful=5) as (server, port):
        busy, idle = Wire(port), Wire(port)
        idle.send(get("/x/"))
        assert idle.answer()[0] == 200
        busy.send(get("/slow/0.3"))
        time.sleep(0.1)  # the request is in the app
        server.stop()
        status, _, body = busy.answer()
        assert status == 200 and json.loads(body)["path"] == "/slow/0.3"
        assert busy.closed() and idle.closed()
        with pytest.raises(OSError):
            Wire(port).send(get("/x/"))
        busy.close()
        idle.close()


class RecordingTransport(asyncio.Transport):
    """Keeps what is written, in the calls it came in."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []
        self.closing = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.writes.append(bytes(data))

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        self.closing = True

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return ("127.0.0.1", 1) if name in ("sockname", "peername") else default


@pytest.mark.parametrize(
    "request_bytes", [get("/one/"), chunked_post("/one/", [b"x"])], ids=["plain", "h11"]
)
async def test_an_answer_leaves_in_one_write(request_bytes: bytes) -> None:
    server = HttpServer(echo_app)
    server._loop = asyncio.get_running_loop()
    connection = _Connection(server)
    transport = RecordingTransport()
    connection.connection_made(transport)
    connection.data_received(request_bytes)
    for _ in range(100):
        if transport.writes:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.01)
    assert len(transport.writes) == 1
    head, _, body = transport.writes[0].partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n") and json.loads(body)["path"] == "/one/"
    assert (connection.h11 is None) == (request_bytes == get("/one/"))


# ---- the plain reader and framer agree with h11 -----------------------------------------------
@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET /x/ HTTP/1.1\r\nHost: t\r\n Folded: no\r\n\r\n",  # obs-fold
        b"GET /x/ HTTP/1.1\r\nHost: t\r\nHost: u\r\n\r\n",
        b"GET /x/ HTTP/1.0\r\nHost: t\r\n\r\n",
        b"GET /x/ HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
        b"GET /x/ HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\n\r\n",
        b"GET /x/ HTTP/1.1\r\nHost: t\r\nX-Name: caf\xc3\xa9\r\n\r\n",
        b"CONNECT t:443 HTTP/1.1\r\nHost: t\r\n\r\n",
        b"POST /x/ HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
        b"POST /x/ HTTP/1.1\r\nHost: t\r\nContent-Length: +1\r\n\r\nx",
        b"\r\nGET /x/ HTTP/1.1\r\nHost: t\r\n\r\n",
    ],
)
def test_requests_that_are_not_plain_are_left_to_h11(request_bytes: bytes) -> None:
    assert read_request(bytearray(request_bytes), 16384, 1 << 20) == UNUSUAL


def test_a_plain_request_reads_as_h11_reads_it() -> None:
    raw = (
        b"POST /api/scores/?a=1&b=%20 HTTP/1.1\r\nHost: t\r\nAuthorization:  Bearer k \r\n"
        b"Content-Type: application/json\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n{}"
        b"GET /next/ HTTP/1.1\r\n"
    )
    found = read_request(bytearray(raw), 16384, 1 << 20)
    assert isinstance(found, PlainRequest)
    conn = h11.Connection(h11.SERVER)
    conn.receive_data(raw)
    request = conn.next_event()
    data = conn.next_event()
    assert isinstance(request, h11.Request) and isinstance(data, h11.Data)
    assert (found.method, found.target) == (request.method, request.target)
    assert found.headers == list(request.headers)
    assert raw[found.body_start : found.end] == data.data
    assert read_request(bytearray(raw[found.end :]), 16384, 1 << 20) == "need more"


@pytest.mark.parametrize(
    ("method", "status", "headers", "body"),
    [
        (b"GET", 200, [(b"content-type", b"application/json"), (b"content-length", b"2")], b"{}"),
        (b"GET", 201, [(b"x-request-id", b"req_1")], b"abc"),  # no Content-Length: one is added
        (b"GET", 204, [(b"x-request-id", b"req_1")], b""),
        (b"HEAD", 200, [(b"content-length", b"7")], b""),
        (b"HEAD", 200, [], b""),
        (b"GET", 404, [(b"Allow", b"GET, POST"), (b"content-length", b"0")], b""),
        (b"GET", 200, [(b"content-length", b"1"), (b"Connection", b"close")], b"x"),
    ],
)
def test_a_plain_answer_is_framed_as_h11_frames_it(
    method: bytes, status: int, headers: list[tuple[bytes, bytes]], body: bytes
) -> None:
    framing = frame_response(
        status, headers, PHRASES, head_only=method == b"HEAD", whole_body=len(body)
    )
    conn = h11.Connection(h11.SERVER)
    conn.receive_data(method + b" / HTTP/1.1\r\nHost: t\r\n\r\n")
    conn.next_event()
    conn.next_event()
    sent_headers = headers
    if framing.length and not any(n.lower() == b"content-length" for n, _ in headers):
        sent_headers = [*headers, (b"content-length", b"%d" % len(body))]
    expected = conn.send(
        h11.Response(status_code=status, headers=sent_headers, reason=PHRASES[status])
    )
    assert framing.head == expected
    assert framing.close == (conn.our_state is h11.MUST_CLOSE or b"close" in framing.head.lower())
