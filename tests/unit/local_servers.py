"""Real HTTP(S) servers on 127.0.0.1 for tests that must cross a socket: a proxy is a proxy only
on the wire. Each records the request target it was sent (absolute-form when sent to a proxy)."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

TLS = Path(__file__).parent / "tls"  # a test CA, and a localhost certificate it signed


@dataclass
class Server:
    """A running server: its port, and the request targets it has been sent."""

    port: int
    targets: list[str] = field(default_factory=list)

    @property
    def origin(self) -> str:
        return f"127.0.0.1:{self.port}"


@contextmanager
def serve(*, tls: bool = False) -> Iterator[Server]:
    """Answer every GET with 200 and {"id": "score_1", "target": <request target>}."""
    server: Server | None = None

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            assert server is not None
            server.targets.append(self.path)
            body = json.dumps({"id": "score_1", "target": self.path}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output clean

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(TLS / "server.pem", TLS / "server.key")
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    server = Server(httpd.server_address[1])
    # Polled every 50 ms, not 500: shutdown() waits for the next poll.
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
