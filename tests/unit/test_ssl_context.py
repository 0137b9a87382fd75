"""One SSL context per certificate setting, shared by the default transports of every client:
built on first use, as httpx builds it (SSL_CERT_FILE, SSL_CERT_DIR, certifi), anew when a
setting or the file it names changes, once across threads, and safely after a fork."""

from __future__ import annotations

import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from respan_evals import AsyncRespan, Respan, RespanValidationError, _ssl
from respan_evals._ssl import shared_ssl_context
from respan_evals._transport import AsyncDefaultTransport, DefaultTransport

from .conftest import KEY, SCORE
from .local_servers import TLS


@pytest.fixture(autouse=True)
def clean_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """No certificate or proxy settings from the runner's environment."""
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(name, raising=False)
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
def ca_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test CA in a file of this test's own (so a setting no other test shares), trusted."""
    path = tmp_path / "ca.pem"
    shutil.copyfile(TLS / "ca.pem", path)
    monkeypatch.setenv("SSL_CERT_FILE", str(path))
    return path


@pytest.fixture
def https_origin() -> Iterator[str]:
    """A keep-alive HTTPS server on 127.0.0.1 (certificate signed by the test CA) answering
    every GET with SCORE: the connection stays open, so its TLS state can be looked at."""
    body = json.dumps(SCORE).encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
            self.wfile.write(f"{head}{len(body)}\r\n\r\n".encode() + body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(TLS / "server.pem", TLS / "server.key")
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def _context_of(response: httpx.Response) -> ssl.SSLContext:
    """The SSL context the connection that carried `response` was made with."""
    context = response.extensions["network_stream"].get_extra_info("ssl_object").context
    assert isinstance(context, ssl.SSLContext)
    return context


def _ca_subjects(context: ssl.SSLContext) -> list[Any]:
    return sorted(str(cert["subject"]) for cert in context.get_ca_certs())


def test_clients_share_one_context(ca_file: Path, https_origin: str) -> None:
    clients = [Respan(KEY, base_url=https_origin, rate_limit=None) for _ in range(2)]
    contexts = []
    for client in clients:
        response = client.api.get_httpx_client().get("/api/scores/score_1/")
        assert response.json()["id"] == SCORE["id"]  # the custom CA is trusted
        contexts.append(_context_of(response))
        client.close()
    assert contexts[0] is contexts[1] is shared_ssl_context()


async def test_async_clients_share_the_same_context(ca_file: Path, https_origin: str) -> None:
    contexts = []
    for _ in range(2):
        async with AsyncRespan(KEY, base_url=https_origin, rate_limit=None) as client:
            response = await client.api.get_async_httpx_client().get("/api/scores/score_1/")
            assert response.json()["id"] == SCORE["id"]
            contexts.append(_context_of(response))
    sync = Respan(KEY, base_url=https_origin, rate_limit=None)
    contexts.append(_context_of(sync.api.get_httpx_client().get("/api/scores/score_1/")))
    sync.close()
    assert contexts[0] is contexts[1] is contexts[2]  # sync and async alike


def test_constructing_clients_loads_no_context(ca_file: Path) -> None:
    Respan(KEY).close()
    AsyncRespan(KEY)
    assert not any(settings[0] == str(ca_file) for settings in _ssl._contexts)
    shared_ssl_context()
    assert any(settings[0] == str(ca_file) for settings in _ssl._contexts)


def _get(url: str) -> dict[str, Any]:
    with httpx.Client(transport=DefaultTransport(), trust_env=False) as client:
        result: dict[str, Any] = client.get(url).raise_for_status().json()
        return result


def test_a_changed_setting_is_honoured_at_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, https_origin: str
) -> None:
    url = f"{https_origin}/api/scores/score_1/"
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE"):  # certifi lacks the test CA
        _get(url)
    monkeypatch.setenv("SSL_CERT_DIR", str(TLS / "capath"))
    assert _get(url)["id"] == SCORE["id"]
    other = tmp_path / "other.pem"
    shutil.copyfile(TLS / "server.pem", other)  # a certificate, but not the CA that signed it
    monkeypatch.setenv("SSL_CERT_FILE", str(other))  # before SSL_CERT_DIR, as in httpx
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE"):
        _get(url)
    shutil.copyfile(TLS / "ca.pem", other)  # the same file now holds the CA
    assert _get(url)["id"] == SCORE["id"]


async def test_async_a_changed_setting_is_honoured_at_once(
    monkeypatch: pytest.MonkeyPatch, ca_file: Path, https_origin: str
) -> None:
    url = f"{https_origin}/api/scores/score_1/"
    async with httpx.AsyncClient(transport=AsyncDefaultTransport(), trust_env=False) as c:
        assert (await c.get(url)).json()["id"] == SCORE["id"]
    monkeypatch.delenv("SSL_CERT_FILE")
    async with httpx.AsyncClient(transport=AsyncDefaultTransport(), trust_env=False) as c:
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE"):
            await c.get(url)


def test_each_setting_gets_the_context_httpx_builds(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bundle = tmp_path / "bundle.pem"
    shutil.copyfile(TLS / "ca.pem", bundle)
    settings: list[dict[str, str]] = [
        {},  # certifi's bundle
        {"SSL_CERT_FILE": str(bundle)},
        {"SSL_CERT_DIR": str(TLS / "capath")},
        {"SSL_CERT_FILE": str(bundle), "SSL_CERT_DIR": str(TLS / "capath")},
    ]
    seen: list[ssl.SSLContext] = []
    for env in settings:
        for name in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        ours, theirs = shared_ssl_context(), httpx.create_ssl_context()
        assert shared_ssl_context() is ours  # the same setting: the same context
        assert all(ours is not earlier for earlier in seen)
        seen.append(ours)
        assert _ca_subjects(ours) == _ca_subjects(theirs)
        assert (ours.verify_mode, ours.check_hostname) == (ssl.CERT_REQUIRED, True)
        assert (ours.options, ours.minimum_version) == (theirs.options, theirs.minimum_version)
    assert len(_ca_subjects(seen[0])) > 10 and len(_ca_subjects(seen[1])) == 1


def test_a_replaced_ca_file_gives_a_new_context(ca_file: Path) -> None:
    first = shared_ssl_context()
    ca_file.write_bytes(ca_file.read_bytes() + (TLS / "server.pem").read_bytes())
    second = shared_ssl_context()
    assert second is not first
    assert [c.cert_store_stats()["x509"] for c in (first, second)] == [1, 2]
    assert shared_ssl_context() is second


def test_old_settings_are_let_go(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for n in range(_ssl._MAX_CONTEXTS + 2):
        path = tmp_path / f"ca{n}.pem"
        shutil.copyfile(TLS / "ca.pem", path)
        monkeypatch.setenv("SSL_CERT_FILE", str(path))
        shared_ssl_context()
    assert len(_ssl._contexts) <= _ssl._MAX_CONTEXTS


def test_first_uses_from_many_threads_load_one_context(ca_file: Path) -> None:
    gate = threading.Barrier(8)
    got: list[ssl.SSLContext] = []

    def first() -> None:
        gate.wait()
        got.append(shared_ssl_context())

    threads = [threading.Thread(target=first) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 8 and all(c is got[0] for c in got)


@pytest.mark.parametrize("content", [None, b"not a certificate\n"])
def test_an_unusable_ca_file_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, content: bytes | None
) -> None:
    path = tmp_path / "ca.pem"
    if content is not None:
        path.write_bytes(content)
    monkeypatch.setenv("SSL_CERT_FILE", str(path))
    client = Respan(KEY, rate_limit=None, max_retries=0)
    with pytest.raises(RespanValidationError, match="SSL_CERT_FILE") as info:
        client.scores.retrieve("s1")
    assert info.value.__cause__ is None and KEY not in str(info.value)
    shutil.copyfile(TLS / "ca.pem", path)  # fixed: not remembered as broken
    assert len(_ca_subjects(shared_ssl_context())) == 1


def _in_child(check: str) -> bytes:
    """Fork; the child evaluates `check` (names: parent, shared_ssl_context) and reports."""
    parent = shared_ssl_context()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: always leaves through os._exit
        try:
            signal.alarm(10)  # a child that hangs (a lock never released) ends, reporting none
            ok = eval(check, {"parent": parent, "shared_ssl_context": shared_ssl_context})
            os.write(write_end, b"1" if ok else b"0")
        finally:
            os._exit(0)
    os.close(write_end)
    try:
        return os.read(read_end, 1)
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)


def test_a_child_forked_beside_other_threads_loads_its_own(ca_file: Path) -> None:
    parent = shared_ssl_context()
    inside, leave = threading.Event(), threading.Event()

    def hold() -> None:  # a thread caught loading a context when the process forks
        with _ssl._lock:
            inside.set()
            leave.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    inside.wait(10)
    try:
        fresh = "shared_ssl_context() is not parent and shared_ssl_context().verify_mode == 2"
        assert _in_child(fresh) == b"1"
    finally:
        leave.set()
        thread.join()
    assert shared_ssl_context() is parent  # the parent's stays


def test_a_child_of_a_single_threaded_process_keeps_the_context(ca_file: Path) -> None:
    code = """
import os
from respan_evals._ssl import shared_ssl_context
parent = shared_ssl_context()
pid = os.fork()
if pid == 0:
    os._exit(0 if shared_ssl_context() is parent else 1)
print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
"""
    env = {**os.environ, "SSL_CERT_FILE": str(ca_file)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "0"
