"""The transport against hostile or unlucky surroundings, over real 127.0.0.1 sockets: proxies
from the environment, endless and exploding bodies, a trickling server, fork, two event loops,
and ids too long for a URL (issue 13, items 1, 2, 4, 12 and 15)."""

from __future__ import annotations

import asyncio
import json
import os
import select
import signal
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import httpx
import pytest

from respan_evals import (
    APIConnectionError,
    APITimeoutError,
    AsyncRespan,
    InsecureTransportError,
    InternalServerError,
    Respan,
    RespanError,
    RespanValidationError,
    ResponseTooLargeError,
)

from .conftest import KEY, SCORE, Recorder

# Every test starts from an environment without proxy settings (the runner's may have some).
pytestmark = pytest.mark.usefixtures("no_proxy_settings")


# ---- a raw HTTP/1.1 server on 127.0.0.1 ------------------------------------------------------
# reply(conn, head) writes an answer to one request; it returns True to keep the connection.
Reply = Callable[[socket.socket, bytes], bool]


@dataclass
class RawServer:
    """A running server: its port, the request heads it received, and a stop signal."""

    port: int
    heads: list[bytes] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _serve_connection(conn: socket.socket, reply: Reply, server: RawServer) -> None:
    buffer = b""
    with conn:
        while not server.stop.is_set():
            while b"\r\n\r\n" not in buffer:
                try:
                    data = conn.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                buffer += data
            head, _, buffer = buffer.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            while len(buffer) < length:
                data = conn.recv(65536)
                if not data:
                    return
                buffer += data
            buffer = buffer[length:]
            server.heads.append(head)
            try:
                if not reply(conn, head):
                    return
            except OSError:  # the client hung up: what a bounded client does
                return


@contextmanager
def raw_server(reply: Reply) -> Iterator[RawServer]:
    listener = socket.create_server(("127.0.0.1", 0))
    server = RawServer(listener.getsockname()[1])

    def accept() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            if server.stop.is_set():  # the wake-up call below
                conn.close()
                return
            threading.Thread(
                target=_serve_connection, args=(conn, reply, server), daemon=True
            ).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        socket.create_connection(("127.0.0.1", server.port)).close()  # wakes accept()
        thread.join(5)
        listener.close()


def _target(head: bytes) -> str:
    return head.split(b"\r\n", 1)[0].split(b" ")[1].decode()


def _answer(conn: socket.socket, status: str, body: bytes, *headers: str) -> None:
    lines = [f"HTTP/1.1 {status}", f"content-length: {len(body)}", *headers]
    conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)


def score_reply(conn: socket.socket, head: bytes) -> bool:
    """A 200 with a score whose id is the last segment of the path asked for."""
    if head.startswith(b"CONNECT"):
        _answer(conn, "403 Forbidden", b"")
        return False
    ident = _target(head).rstrip("/").rsplit("/", 1)[-1]
    _answer(
        conn,
        "200 OK",
        json.dumps({**SCORE, "id": ident}).encode(),
        "content-type: application/json",
    )
    return True


def _client(server: RawServer, **kwargs: Any) -> Respan:
    kwargs.setdefault("rate_limit", None)
    kwargs.setdefault("max_retries", 0)
    return Respan(KEY, base_url=server.url, **kwargs)


def _aclient(server: RawServer, **kwargs: Any) -> AsyncRespan:
    kwargs.setdefault("rate_limit", None)
    kwargs.setdefault("max_retries", 0)
    return AsyncRespan(KEY, base_url=server.url, **kwargs)


# ---- 1. the key never travels in clear text to a proxy ---------------------------------------
@pytest.mark.parametrize("variable", ["HTTP_PROXY", "ALL_PROXY", "http_proxy"])
def test_a_loopback_base_url_bypasses_the_environments_proxy(
    monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    with raw_server(score_reply) as origin, raw_server(score_reply) as proxy:
        monkeypatch.setenv(variable, proxy.url)
        with _client(origin) as client:
            assert client.scores.retrieve("s1").id == "s1"
        assert proxy.heads == []  # before: the proxy got `GET http://127.0.0.1:...` and the key
        assert [_target(h) for h in origin.heads] == ["/api/scores/s1/"]


async def test_async_loopback_base_url_bypasses_the_environments_proxy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with raw_server(score_reply) as origin, raw_server(score_reply) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        async with _aclient(origin) as client:
            assert (await client.scores.retrieve("s1")).id == "s1"
        assert proxy.heads == [] and len(origin.heads) == 1


def test_plain_http_through_a_proxy_is_refused_before_sending(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A request carrying the key, plain http to a host that is not local, goes nowhere."""
    with raw_server(score_reply) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        with Respan(KEY, rate_limit=None, max_retries=0) as client:
            http = client.api.get_httpx_client()
            with pytest.raises(InsecureTransportError, match="unencrypted") as info:
                http.get("http://scores.example/api/scores/s1/")
            assert KEY not in str(info.value)
        assert proxy.heads == []  # before: the proxy received the request, key and all
        monkeypatch.setenv("HTTP_PROXY", "http://user:hunter2@proxy.invalid:3128")
        with Respan(KEY, rate_limit=None, max_retries=0) as client:
            with pytest.raises(InsecureTransportError) as info:
                client.api.get_httpx_client().get("http://scores.example/api/scores/s1/")
            assert "hunter2" not in str(info.value)
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        with Respan(KEY, rate_limit=None, max_retries=0, allow_insecure_http=True) as client:
            answer = client.api.get_httpx_client().get("http://scores.example/api/scores/s1/")
            assert answer.json()["id"] == "s1"  # asked for, so sent
        assert [_target(h) for h in proxy.heads] == ["http://scores.example/api/scores/s1/"]


def test_https_through_an_http_proxy_keeps_the_key_inside_the_tunnel(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with raw_server(score_reply) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        client = Respan(KEY, base_url="https://scores.example", rate_limit=None, max_retries=0)
        with client, pytest.raises(APIConnectionError):  # this proxy refuses every tunnel
            client.scores.retrieve("s1")
        assert [_target(h) for h in proxy.heads] == ["scores.example:443"]
        assert KEY.encode() not in b"".join(proxy.heads)


# ---- 2. response bodies are bounded ----------------------------------------------------------
LIMIT = 1_000_000
BOMB_SIZE = 100_000_000  # what the bomb expands to; it is about 100 KB on the wire


@cache
def _gzip_bomb() -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1_000_000)
    return b"".join(packer.compress(zeros) for _ in range(BOMB_SIZE // len(zeros))) + packer.flush()


def bomb_reply(status: str) -> Reply:
    def reply(conn: socket.socket, head: bytes) -> bool:
        _answer(
            conn, status, _gzip_bomb(), "content-encoding: gzip", "content-type: application/json"
        )
        return True

    return reply


def endless_reply(status: str) -> Reply:
    """A chunked body that goes on until the client hangs up (or 64 MB, to bound the old code)."""

    def reply(conn: socket.socket, head: bytes) -> bool:
        conn.sendall(f"HTTP/1.1 {status}\r\ntransfer-encoding: chunked\r\n\r\n".encode())
        chunk = b"%x\r\n%s\r\n" % (65536, b"7" * 65536)
        for _ in range(1024):
            conn.sendall(chunk)
        conn.sendall(b"0\r\n\r\n")
        return True

    return reply


def _peak_while(call: Callable[[], object]) -> tuple[int, BaseException | None]:
    """The peak of Python allocations during `call()`, and what it raised."""
    tracemalloc.start()
    try:
        call()
    except BaseException as e:  # handed back to the test
        return tracemalloc.get_traced_memory()[1], e
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak, None


@pytest.mark.parametrize("body", ["endless", "gzip bomb"])
def test_a_huge_success_body_is_refused_without_growing_the_process(body: str) -> None:
    reply = endless_reply("200 OK") if body == "endless" else bomb_reply("200 OK")
    with raw_server(reply) as server, _client(server, max_response_bytes=LIMIT) as client:
        _gzip_bomb()  # built before measuring
        peak, error = _peak_while(lambda: client.scores.retrieve("s1"))
    assert isinstance(error, ResponseTooLargeError), error
    assert "1,000,000 bytes" in str(error)
    assert peak < 40_000_000, f"peak {peak / 1e6:.0f} MB"  # before: 64 MB / 100 MB read, twice


@pytest.mark.parametrize("body", ["endless", "gzip bomb"])
def test_only_the_start_of_a_huge_error_body_is_read(body: str) -> None:
    reply = endless_reply("500 Oops") if body == "endless" else bomb_reply("500 Oops")
    with raw_server(reply) as server, _client(server) as client:  # the default limit
        _gzip_bomb()
        peak, error = _peak_while(lambda: client.scores.retrieve("s1"))
    assert isinstance(error, InternalServerError), error
    assert peak < 40_000_000, f"peak {peak / 1e6:.0f} MB"


async def test_async_huge_bodies_are_refused() -> None:
    with raw_server(bomb_reply("200 OK")) as server:
        _gzip_bomb()
        async with _aclient(server, max_response_bytes=LIMIT) as client:
            with pytest.raises(ResponseTooLargeError):
                await client.scores.retrieve("s1")
        with raw_server(endless_reply("503 Busy")) as errors:
            async with _aclient(errors) as client:
                with pytest.raises(InternalServerError):
                    await client.scores.retrieve("s1")


def test_the_response_size_limit_is_checked() -> None:
    for bad in (0, -1, 1.5, True, "50MB"):
        with pytest.raises(RespanValidationError, match="max_response_bytes"):
            Respan(KEY, max_response_bytes=bad)  # type: ignore[arg-type]
    assert issubclass(ResponseTooLargeError, RespanError)


# ---- 4. fork: the child gets its own connections ---------------------------------------------
ROUNDS = 50


def _ask(client: Respan, who: str) -> dict[str, int]:
    """ROUNDS requests, each for its own id: how many answers were someone else's."""
    tally = {"ok": 0, "crossed": 0, "failed": 0}
    for i in range(ROUNDS):
        ident = f"{who}-{i}"
        try:
            got = client.scores.retrieve(ident).id
        except RespanError:
            tally["failed"] += 1
            break  # the pool is broken: asking more only waits on timeouts
        if got == ident:
            tally["ok"] += 1
        else:
            tally["crossed"] += 1
            break
    return tally


def test_a_forked_child_never_gets_the_parents_answers() -> None:
    with raw_server(score_reply) as server, _client(server, timeout=5) as client:
        assert client.scores.retrieve("warm").id == "warm"  # a pooled connection to share
        go_read, go_write = os.pipe()
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: always leaves through os._exit
            try:
                os.read(go_read, 1)  # start with the parent, so that both ask at once
                os.write(write_end, json.dumps(_ask(client, "child")).encode())
            finally:
                os._exit(0)
        os.close(write_end)
        ready: list[int] = []
        try:
            os.write(go_write, b"!")
            parent = _ask(client, "parent")
            ready, _, _ = select.select([read_end], [], [], 60)
            child = json.loads(os.read(read_end, 4096)) if ready else {"hung": 1}
        finally:
            for fd in (read_end, go_read, go_write):
                os.close(fd)
            if not ready:
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    # Before: the child and the parent read each other's answers (or waited on them forever).
    assert (parent, child) == ({"ok": ROUNDS, "crossed": 0, "failed": 0},) * 2


# ---- 12. an overall deadline per attempt -----------------------------------------------------
TRICKLE = 0.1  # seconds between bytes: well inside any read timeout below
DEADLINE = 0.6  # the timeout of the calls a trickle meets: each attempt lasts this long


def trickle_reply(conn: socket.socket, head: bytes) -> bool:
    """A valid score after 100 spaces sent one every TRICKLE seconds: about 10 s in all."""
    lead = b" " * int(10 / TRICKLE)
    body = lead + json.dumps({**SCORE, "id": "s"}).encode()
    conn.sendall(f"HTTP/1.1 200 OK\r\ncontent-length: {len(body)}\r\n\r\n".encode())
    pause = threading.Event()  # never set: waits TRICKLE each time
    for byte in lead:
        conn.sendall(bytes([byte]))
        pause.wait(TRICKLE)
    conn.sendall(body[len(lead) :])
    return False


def test_a_trickling_server_cannot_hold_a_call_past_its_deadline() -> None:
    with raw_server(trickle_reply) as server, _client(server, timeout=DEADLINE) as client:
        started = time.monotonic()
        with pytest.raises(APITimeoutError, match="deadline"):
            client.scores.retrieve("s1")
        took = time.monotonic() - started
    assert took < 6, f"{took:.1f} s"  # before: every byte came within the read timeout: 10 s


def test_a_deadline_is_a_timeout_for_retries() -> None:
    with (
        raw_server(trickle_reply) as server,
        _client(server, timeout=DEADLINE, max_retries=1) as c,
    ):
        c._transport.sleep = lambda delay: None
        with pytest.raises(APITimeoutError) as info:
            c.scores.retrieve("s1")  # a GET: retried once
        assert isinstance(info.value.__cause__, httpx.TimeoutException)
        assert len(server.heads) == 2


async def test_async_a_trickling_server_cannot_hold_a_call_past_its_deadline() -> None:
    with raw_server(trickle_reply) as server:
        async with _aclient(server, timeout=DEADLINE) as client:
            started = time.monotonic()
            with pytest.raises(APITimeoutError):
                await client.scores.retrieve("s1")
            assert time.monotonic() - started < 6


# ---- 15. nothing escapes the tree ------------------------------------------------------------
def test_an_id_too_long_for_a_url_is_a_validation_error() -> None:
    recorder = Recorder()
    long_id = "x" * 70_000
    with recorder.client() as client:
        with pytest.raises(RespanValidationError, match="too long") as info:
            client.scores.retrieve(long_id)
        assert len(str(info.value)) < 500  # names the problem, does not echo the id
    assert recorder.requests == []


async def test_async_an_id_too_long_for_a_url_is_a_validation_error() -> None:
    recorder = Recorder()
    async with recorder.aclient() as client:
        with pytest.raises(RespanValidationError, match="too long"):
            await client.scores.retrieve("x" * 70_000)
    assert recorder.requests == []


def test_an_async_client_works_across_event_loops() -> None:
    with raw_server(score_reply) as server:
        client = AsyncRespan(KEY, base_url=server.url)  # the default pacing, too
        assert asyncio.run(client.scores.retrieve("a")).id == "a"
        assert asyncio.run(client.scores.retrieve("b")).id == "b"  # before: Event loop is closed

        async def last() -> str:
            async with client:
                return (await client.scores.retrieve("c")).id

        assert asyncio.run(last()) == "c"


# ---- the write-path cases in the fault table -------------------------------------------------
WRITES = 1  # each attempt at a trickle costs the whole deadline


@pytest.mark.parametrize(
    ("fault", "reply", "limit"),
    [
        ("trickle > deadline", trickle_reply, None),
        ("body > max bytes", endless_reply("201 Created"), LIMIT),
    ],
    ids=["trickle", "too-large"],
)
def test_write_path_faults(
    fault: str, reply: Reply, limit: int | None, fault_table: list[dict[str, Any]]
) -> None:
    extra = {} if limit is None else {"max_response_bytes": limit}
    timeout = DEADLINE if limit is None else 1
    with raw_server(reply) as server, _client(server, timeout=timeout, max_retries=1, **extra) as c:
        c._transport.sleep = lambda delay: None
        for kind in ("upsert", "create"):
            before = len(server.heads)
            errors: list[RespanError] = []
            for i in range(WRITES):
                try:
                    if kind == "upsert":
                        c.score_log(f"log-{i}", 4.5, evaluator="quality", value_type="numerical")
                    else:
                        c.scores.create(
                            log_id=f"log-{i}", evaluator_id="evl_1", numerical_value=1.0
                        )
                except RespanError as e:
                    errors.append(e)
            sent = len(server.heads) - before
            unknown = [e for e in errors if e.outcome_unknown]
            # Every attempt reached the server and was applied; only a create must say so.
            misreported = len(errors) - len(unknown) if kind == "create" else 0
            fault_table.append(
                {
                    "fault": fault,
                    "call": f"{kind} (sync)",
                    "calls": WRITES,
                    "faults injected": sent,
                    "retries": sent - WRITES,
                    "succeeded": WRITES - len(errors),
                    "outcome-unknown": len(unknown),
                    "failed": len(errors) - len(unknown),
                    "lost": 0,
                    "duplicated": 0 if kind == "upsert" else max(0, sent - WRITES),
                    "misreported": misreported,
                }
            )
            assert len(errors) == WRITES and misreported == 0
            # A timed-out upsert is resent (idempotent); a create never, nor an applied 2xx.
            assert sent == WRITES * (2 if kind == "upsert" and limit is None else 1)
