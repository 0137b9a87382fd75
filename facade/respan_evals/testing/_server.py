"""The HTTP server (`_http`) in a background thread, on a loopback socket bound before it starts."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time

from starlette.types import ASGIApp, Receive, Scope, Send

from ._http import HttpServer

__all__ = ["Mux", "ServerThread", "format_base_url", "is_loopback"]

KEEP_ALIVE = 5.0  # seconds an idle keep-alive connection stays open
GRACEFUL_STOP = 2.0  # seconds stop() lets pending answers finish


class Mux:
    """An ASGI app that forwards to whichever app is attached (one server, many emulators)."""

    def __init__(self) -> None:
        self.target: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        target = self.target
        if target is not None:
            await target(scope, receive, send)
            return
        if scope["type"] != "http":
            return
        body = b'{"detail":"No emulator is attached to this server."}'
        await send(
            {
                "type": "http.response.start",
                "status": 503,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def format_base_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class ServerThread:
    """Serve `app` on host:port (0 = a free port) until `stop()`."""

    def __init__(self, app: ASGIApp, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.host = host
        self.requested_port = port
        self.port = 0
        self._server: HttpServer | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def start(self, timeout: float = 10.0) -> int:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on sockets whose proto says TCP,
        # and without it Nagle + delayed ACKs add ~40 ms to every response.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.requested_port))
        except OSError:
            sock.close()
            raise
        sock.listen(128)
        sock.setblocking(False)
        self.port = sock.getsockname()[1]
        server = HttpServer(self.app, keep_alive=KEEP_ALIVE, graceful=GRACEFUL_STOP)
        self._server = server
        started = threading.Event()

        def run() -> None:
            try:
                server.run(sock, started.set)
            except BaseException as exc:  # reported to start() / stop()
                self._error = exc
            finally:
                sock.close()

        self._thread = threading.Thread(
            target=run, name=f"respan-emulator-{self.port}", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not started.wait(0.005):
            if self._error is not None or not self._thread.is_alive():
                raise RuntimeError(f"emulator server failed to start: {self._error!r}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("emulator server did not start in time")
        return self.port

    def stop(self, timeout: float = 10.0) -> None:
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.stop()
        thread.join(timeout)
        self._server = None
        self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()
