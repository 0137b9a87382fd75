"""A client's memory after its first request, with the SSL context shared or its own.

Each client used to load its own CA store on its first request (each httpx transport built with
`verify=True` does); now one context per certificate setting is shared (`respan_evals._ssl`).
What a client keeps after one `scores.retrieve` over real TLS is measured in a child process
run with PYTHONMALLOC=malloc, so that glibc's `mallinfo2` counts every live allocation, Python's
and OpenSSL's alike (tracemalloc sees Python's only: a CA store is invisible to it). The server
runs in a process of its own (its TLS state is not counted), with the test CA's localhost
certificate; the clients trust certifi's bundle plus that CA (SSL_CERT_FILE), a store as large
as the default one. Variants, `clients` each, in turn for `rounds` rounds (order rotated):

  own      every client loads its own context (the cache emptied before each: the old way)
  shared   the clients share one context (the default now)
  httpx    a raw httpx.Client on the same shared context, one GET (the TLS connection's floor)

Also: the cost of loading one context from certifi's bundle (once per process and setting),
and the Python share of a client (tracemalloc, in its own child: its bookkeeping is malloc'd).
The figure per variant is the median over all clients of all rounds.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_common import ROOT, Section, median, spec_example

TLS = ROOT / "tests" / "unit" / "tls"  # the test CA and its localhost certificate
TARGET_CLIENT_KB = 50.0  # a client's memory after its first request, beyond the shared context
VARIANTS = ("own", "shared", "httpx")
SCORE_PATH = "/api/scores/score_550e8400/"


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def _heap_reader() -> Callable[[], int] | None:
    """Bytes malloc has handed out and not had back (glibc >= 2.33), or None elsewhere."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    libc = ctypes.CDLL(name)
    mallinfo2 = getattr(libc, "mallinfo2", None)
    if mallinfo2 is None:
        return None
    mallinfo2.restype = _MallInfo2

    def heap() -> int:
        info = mallinfo2()
        return int(info.uordblks + info.hblkhd)

    return heap


# ---- the child processes -------------------------------------------------------------------


def _serve(cert: str, key: str) -> None:
    """Serve the retrieve example over HTTPS (keep-alive) until stdin closes; print the port."""
    import ssl
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    body = json.dumps(spec_example("/api/scores/{id}/", "get", "200")).encode()
    head = f"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {len(body)}"
    answer = f"{head}\r\n\r\n".encode() + body  # one write: no Nagle / delayed-ACK stall

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self.wfile.write(answer)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    print(httpd.server_address[1], flush=True)
    sys.stdin.read()


def _measure(variant: str, clients: int, url: str) -> dict[str, Any]:
    """In a child: what each of `clients` new clients keeps after its first request."""
    import httpx

    from respan_evals import Respan, _ssl

    def first_request() -> object:
        if variant == "httpx":
            client = httpx.Client(base_url=url, verify=_ssl.shared_ssl_context())
            client.get(SCORE_PATH).json()
            return client
        if variant == "own":
            _ssl._contexts.clear()  # as before: this client's transport loads its own store
        respan = Respan(api_key="sk_bench", base_url=url, rate_limit=None)
        respan.scores.retrieve(SCORE_PATH.split("/")[-2])
        return respan

    tracing = variant == "python"
    if tracing:
        import tracemalloc

        tracemalloc.start()
        variant = "shared"
    heap = _heap_reader()
    kept = [first_request()]  # imports, module caches and the shared context: not a client's
    sizes: list[float] = []
    times: list[float] = []
    for _ in range(clients):
        gc.collect()
        before = tracemalloc.get_traced_memory()[0] if tracing else heap() if heap else 0
        started = time.perf_counter()
        kept.append(first_request())
        elapsed = time.perf_counter() - started
        gc.collect()
        after = tracemalloc.get_traced_memory()[0] if tracing else heap() if heap else 0
        sizes.append((after - before) / 1024)
        times.append(elapsed * 1000)
    return {"kb": sizes, "ms": times, "heap": heap is not None}


def _context_cost() -> dict[str, Any]:
    """In a child: the memory and time of loading one context from certifi's bundle."""
    import httpx

    from respan_evals import _ssl

    heap = _heap_reader()
    httpx.create_ssl_context()  # warm: ssl, certifi and their first-use work
    gc.collect()
    before = heap() if heap else 0
    started = time.perf_counter()
    context = _ssl.shared_ssl_context()
    elapsed = time.perf_counter() - started
    gc.collect()
    after = heap() if heap else 0
    again = time.perf_counter()
    assert _ssl.shared_ssl_context() is context
    reused = time.perf_counter() - again
    return {
        "kb": (after - before) / 1024,
        "ms": elapsed * 1000,
        "reuse_us": reused * 1e6,
        "certificates": context.cert_store_stats()["x509"],
        "heap": heap is not None,
    }


# ---- the parent ----------------------------------------------------------------------------


def _child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RESPAN_", "SSL_CERT_"))}
    for name in ("PYTHONTRACEMALLOC", "PYTHONDEVMODE", "HTTPS_PROXY", "https_proxy"):
        env.pop(name, None)
    env["PYTHONMALLOC"] = "malloc"  # every allocation through malloc: mallinfo2 sees them all
    env["NO_PROXY"] = "127.0.0.1"
    facade, generated, bench = ROOT / "facade", ROOT / "generated", Path(__file__).parent
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in (bench, facade, generated))
    return {**env, **extra}


def _child(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, *args], env=env, capture_output=True, text=True, timeout=300
    )
    if proc.returncode != 0:
        raise RuntimeError(f"memory child {args[:2]} failed:\n{proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def run(clients: int = 8, rounds: int = 3) -> Section:
    sec = Section("memory")
    import certifi

    with tempfile.TemporaryDirectory() as tmp:
        bundle = Path(tmp) / "bundle.pem"
        bundle.write_text(
            Path(certifi.where()).read_text(encoding="utf-8")
            + (TLS / "ca.pem").read_text(encoding="utf-8"),
            encoding="utf-8",
        )
        server = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(TLS / "server.pem"), str(TLS / "server.key")],
            env=_child_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            url = f"https://127.0.0.1:{int(server.stdout.readline())}"
            env = _child_env(SSL_CERT_FILE=str(bundle))
            kb: dict[str, list[float]] = {v: [] for v in VARIANTS}
            ms: dict[str, list[float]] = {v: [] for v in VARIANTS}
            heap = True
            for r in range(rounds):
                order = VARIANTS[r % len(VARIANTS) :] + VARIANTS[: r % len(VARIANTS)]
                for variant in order:
                    got = _child(["--measure", variant, str(clients), url], env)
                    kb[variant] += got["kb"]
                    ms[variant] += got["ms"]
                    heap = heap and bool(got["heap"])
            python = _child(["--measure", "python", str(clients), url], env)
        finally:
            assert server.stdin is not None
            server.stdin.close()
            server.wait(10)
        cost = _child(["--context"], _child_env())

    if not heap or not cost["heap"]:
        sec.row(
            "memory: client after its first request",
            None,
            "KB",
            note="needs glibc's mallinfo2 (Linux, glibc >= 2.33) to count OpenSSL's memory",
        )
        return sec
    own, shared, floor = (median(kb[v]) for v in VARIANTS)
    sec.details.update(
        clients_per_round=clients,
        rounds=rounds,
        kb={v: [round(x, 1) for x in xs] for v, xs in kb.items()},
        ms={v: [round(x, 1) for x in xs] for v, xs in ms.items()},
        python_kb=[round(x, 1) for x in python["kb"]],
        context=cost,
    )
    sec.row(
        "memory: SSL context from certifi's bundle (once per process and setting)",
        round(cost["kb"], 1),
        "KB",
        note=f"{cost['certificates']} certificates, loaded in {cost['ms']:.0f} ms; "
        f"the next client reuses it in {cost['reuse_us']:.0f} µs",
    )
    sec.row(
        "memory: client after its first request, its own context (before)",
        round(own, 1),
        "KB",
        note=f"first request {median(ms['own']):.0f} ms (median)",
    )
    sec.row(
        "memory: client after its first request, shared context",
        round(shared, 1),
        "KB",
        target=f"<= {TARGET_CLIENT_KB:g} KB",
        met=shared <= TARGET_CLIENT_KB,
        note=f"of which the TLS connection (a raw httpx.Client on the same context) "
        f"{floor:.1f} KB, this client's own {shared - floor:.1f} KB; Python objects "
        f"{median(python['kb']):.1f} KB (tracemalloc)",
    )
    sec.row(
        "memory: client before / after (own context / shared)",
        round(own / shared, 1) if shared > 0 else None,
        "x",
        note=f"{own - shared:.0f} KB less per client",
    )
    own_ms, shared_ms = median(ms["own"]), median(ms["shared"])
    sec.row(
        "memory: a new client's first request, own context / shared (time)",
        round(own_ms / shared_ms, 2) if shared_ms > 0 else None,
        "x",
        note=f"{own_ms - shared_ms:.0f} ms sooner (under PYTHONMALLOC=malloc, slower than usual)",
    )
    sec.row(
        "memory: shared-context client / raw httpx.Client (same context)",
        round(shared / floor, 2) if floor > 0 else None,
        "x",
    )
    return sec


def _main(argv: list[str]) -> None:
    if argv[:1] == ["--serve"]:
        _serve(argv[1], argv[2])
    elif argv[:1] == ["--measure"]:
        print(json.dumps(_measure(argv[1], int(argv[2]), argv[3])))
    elif argv[:1] == ["--context"]:
        print(json.dumps(_context_cost()))
    else:
        for row in run().rows:
            print(f"{row.what}: {row.value} {row.unit} {row.target} {row.note}")


if __name__ == "__main__":
    _main(sys.argv[1:])
