"""6. The emulator's throughput with validation on, against itself unvalidated and against Prism.

Servers, each its own process on loopback, all serving openapi.yaml:
  emulator, validated     `python -m respan_evals.testing` (request and response checks on)
  emulator, unvalidated   the same with `--no-validate`
  Prism 5.x               `npx -y @stoplight/prism-cli@5 mock -v warn` (when npx can fetch it)
`concurrency` keep-alive HTTP/1.1 connections per server, one client thread each, speaking
HTTP/1.1 over a plain socket (a few µs a request, far less than http.client or httpx: what
is measured is the server, not the client). Every request is distinct, so no cache of
verdicts or answers can help: each round sends `requests` upserts (POST
/api/logs/{log_id}/scores/, a new log id and a new value each), then GETs each score it created
by id (GET /api/scores/{id}/; Prism answers any id).
Rounds are interleaved (server order rotated every round); figures are medians of the per-round
rates. Server CPU per request (from /proc, the server's process tree) is printed beside them:
on a shared machine it is steadier than wall time.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench_common import ROOT, SPEC, Section, median

TARGET_VS_PRISM = 1.5
TARGET_VS_UNVALIDATED = 0.8
API_KEY = "sk_bench_emulator"
SLUG = "bench_quality"
PRISM_PACKAGE = "@stoplight/prism-cli@5"
JSON_HEADERS = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}
GET_HEADERS = {"Authorization": f"Bearer {API_KEY}"}
_COUNT_LOCK = threading.Lock()


@dataclass
class Server:
    """One server process under test and what was measured against it."""

    name: str
    command: list[str]
    proc: subprocess.Popen[bytes] | None = None
    port: int = 0
    local: threading.local = field(default_factory=threading.local)  # a connection per thread
    gets: list[float] = field(default_factory=list)  # requests/s, one per round
    upserts: list[float] = field(default_factory=list)
    get_cpu_us: list[float] = field(default_factory=list)  # server CPU µs per request
    upsert_cpu_us: list[float] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)  # "METHOD status" -> count
    error: str = ""
    log: str = ""

    def connect(self) -> None:
        """A fresh keep-alive connection for this thread (servers close idle ones)."""
        old = getattr(self.local, "conn", None)
        if old is not None:
            old.close()
        self.local.conn = _Connection(self.port)

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            self.connect()
            conn = self.local.conn
        status, data = conn.request(method, path, body)
        if not 200 <= status < 300:
            key = f"{method} {status}"
            with _COUNT_LOCK:
                self.failures[key] = self.failures.get(key, 0) + 1
        return status, data


class _Connection:
    """One keep-alive HTTP/1.1 connection: requests with a Content-Length, answers with one."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.host = f"Host: 127.0.0.1:{port}\r\n"
        self.buffer = b""

    def close(self) -> None:
        self.sock.close()

    def request(self, method: str, path: str, body: bytes | None) -> tuple[int, bytes]:
        headers = GET_HEADERS if body is None else JSON_HEADERS
        head = f"{method} {path} HTTP/1.1\r\n{self.host}"
        head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        if body is not None:
            head += f"Content-Length: {len(body)}\r\n"
        self.sock.sendall(head.encode("latin-1") + b"\r\n" + (body or b""))
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        raw, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        lines = raw.split(b"\r\n")
        status = int(lines[0].split()[1])
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                raise RuntimeError(f"the server sent Transfer-Encoding: {value.strip()!r}")
        while len(self.buffer) < length:
            self._fill()
        data, self.buffer = self.buffer[:length], self.buffer[length:]
        return status, data

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self.buffer += chunk


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _emulator_command(validate: bool) -> list[str]:
    command = [sys.executable, "-m", "respan_evals.testing", "--port", "{port}"]
    command += ["--rate-limit", "0", "--api-key", API_KEY, "--spec", str(SPEC)]
    return command + ([] if validate else ["--no-validate"])


def _prism_command() -> list[str]:
    npx = shutil.which("npx") or "npx"
    return [npx, "-y", PRISM_PACKAGE, "mock", "-v", "warn", "-p", "{port}", str(SPEC)]


def _start(server: Server, timeout: float, log_dir: Path) -> None:
    """Start the process and wait until it answers an authenticated GET."""
    server.port = _free_port()
    command = [part.replace("{port}", str(server.port)) for part in server.command]
    log_path = log_dir / f"{server.name.replace(' ', '_').replace(',', '')}.log"
    log = log_path.open("wb")
    server.proc = subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True
    )
    server.log = str(log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"exited with {server.proc.returncode}: {_tail(log_path)}")
        try:
            conn = _Connection(server.port)
            conn.request("GET", "/api/evaluators/", None)
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"not answering after {timeout:.0f} s: {_tail(log_path)}")


def _tail(path: Path, chars: int = 300) -> str:
    try:
        return path.read_text(errors="replace")[-chars:].strip()
    except OSError:
        return ""


def _stop(server: Server) -> None:
    proc = server.proc
    if proc is not None and proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # npx starts node as a child: stop the group
            proc.wait(10)
        except (OSError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def _tree_cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of `pid` and its descendants (Linux /proc; None elsewhere)."""
    try:
        tick = os.sysconf("SC_CLK_TCK")
        stats: dict[int, tuple[int, float]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                raw = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = raw[raw.rindex(")") + 2 :].split()
            stats[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    except (OSError, ValueError):
        return None
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += stats.get(current, (0, 0.0))[1]
        todo.extend(child for child, (parent, _) in stats.items() if parent == current)
    return total


def _timed(
    server: Server, calls: Sequence[Callable[[], Any]], concurrency: int
) -> tuple[float, float | None]:
    """(requests per second, server CPU µs per request) for `calls`, `concurrency` at a time."""
    assert server.proc is not None
    shares = [calls[i::concurrency] for i in range(concurrency)]

    def work(share: list[Callable[[], Any]]) -> None:
        server.connect()
        for call in share:
            call()

    threads = [threading.Thread(target=work, args=(share,)) for share in shares if share]
    cpu0 = _tree_cpu_seconds(server.proc.pid)
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - t0
    cpu1 = _tree_cpu_seconds(server.proc.pid)
    cpu = None if cpu0 is None or cpu1 is None else (cpu1 - cpu0) / len(calls) * 1e6
    return len(calls) / elapsed, cpu


def _round(server: Server, index: int, requests: int, concurrency: int) -> None:
    """`requests` distinct upserts, then a GET of each score they made."""
    ids: list[str] = []

    def upsert(i: int) -> Callable[[], Any]:
        body = {"evaluator_slug": SLUG, "numerical_value": index * requests + i + 0.5}
        payload = json.dumps(body).encode()
        path = f"/api/logs/bench_r{index}_{i}/scores/"

        def call() -> None:
            status, data = server.request("POST", path, payload)
            if 200 <= status < 300:
                ids.append(str(json.loads(data).get("id", "")))

        return call

    rate, cpu = _timed(server, [upsert(i) for i in range(requests)], concurrency)
    server.upserts.append(rate)
    if cpu is not None:
        server.upsert_cpu_us.append(cpu)
    # Prism answers its example whatever the id; ask it for as many distinct ones.
    wanted = ids if len(set(ids)) == requests else [f"score_r{index}_{i}" for i in range(requests)]
    gets = [functools.partial(server.request, "GET", f"/api/scores/{sid}/") for sid in wanted]
    rate, cpu = _timed(server, gets, concurrency)
    server.gets.append(rate)
    if cpu is not None:
        server.get_cpu_us.append(cpu)


def _prepare(server: Server) -> None:
    """The evaluator the upserts name (Prism needs none: it answers from examples)."""
    body = {"name": "Bench quality", "type": "llm", "score_value_type": "numerical"}
    body["evaluator_slug"] = SLUG
    server.connect()
    status, data = server.request("POST", "/api/evaluators/", json.dumps(body).encode())
    if status != 201:
        raise RuntimeError(f"could not create the evaluator: {status} {data[:200]!r}")


def run(
    requests: int = 300,
    rounds: int = 15,
    concurrency: int = 4,
    warmup: int = 2000,
    prism: bool = True,
    prism_timeout: float = 180.0,
) -> Section:
    sec = Section("emulator")
    import tempfile

    servers = [
        Server("emulator, validated", _emulator_command(True)),
        Server("emulator, unvalidated", _emulator_command(False)),
    ]
    prism_note = ""
    if not prism:
        prism_note = "not run (prism=False)"
    elif shutil.which("npx") is None:
        prism_note = "not run: npx is not installed"
    else:
        servers.append(Server("Prism 5 (mock -v warn)", _prism_command()))
    with tempfile.TemporaryDirectory() as tmp:
        live: list[Server] = []
        try:
            for server in servers:
                timeout = prism_timeout if server.name.startswith("Prism") else 60.0
                try:
                    _start(server, timeout, Path(tmp))
                    if server.name.startswith("emulator"):
                        _prepare(server)
                    # Imports, caches and (Prism) V8's JIT, which takes a few thousand
                    # requests to settle: not timed.
                    _round(server, -1, warmup, concurrency)
                    server.gets.clear()
                    server.upserts.clear()
                    server.get_cpu_us.clear()
                    server.upsert_cpu_us.clear()
                    live.append(server)
                except (OSError, RuntimeError, ValueError) as exc:
                    server.error = f"{type(exc).__name__}: {exc}"[:300]
                    if server.name.startswith("Prism"):
                        prism_note = f"could not run: {server.error}"
                    else:
                        raise
            for index in range(rounds):
                shift = index % len(live)
                for server in live[shift:] + live[:shift]:
                    _round(server, index, requests, concurrency)
        finally:
            for server in servers:
                _stop(server)
    _report(sec, servers, prism_note)
    sec.details.update(
        requests_per_round=requests,
        rounds=rounds,
        concurrency=concurrency,
        warmup=warmup,
        client=f"plain-socket HTTP/1.1, {concurrency} keep-alive connections, a thread each",
        distinct="every upsert a new log id and value; every GET a different score id",
        per_round={
            s.name: {
                "gets_per_s": [round(x) for x in s.gets],
                "upserts_per_s": [round(x) for x in s.upserts],
                "get_cpu_us": [round(x) for x in s.get_cpu_us],
                "upsert_cpu_us": [round(x) for x in s.upsert_cpu_us],
                "non_2xx": s.failures,
                "error": s.error,
            }
            for s in servers
        },
    )
    return sec


def _report(sec: Section, servers: list[Server], prism_note: str) -> None:
    by_name = {s.name: s for s in servers}
    validated = by_name["emulator, validated"]
    unvalidated = by_name["emulator, unvalidated"]
    prism = next((s for s in servers if s.name.startswith("Prism") and s.gets), None)
    for server in servers:
        if not server.gets:
            continue
        failed = "; non-2xx: " + ", ".join(f"{k} x{v}" for k, v in server.failures.items())
        note = failed if server.failures else ""
        for kind, rates, cpu in (
            ("GETs", server.gets, server.get_cpu_us),
            ("upserts", server.upserts, server.upsert_cpu_us),
        ):
            cpu_note = f"server CPU {_mean(cpu):.0f} µs/request" if cpu else "server CPU n/a"
            sec.row(
                f"{server.name}: distinct {kind}",
                round(median(rates)),
                "req/s",
                note=cpu_note + note,
            )
    for kind, attr in (("GETs", "gets"), ("upserts", "upserts")):
        cpu_attr = f"{attr[:-1]}_cpu_us"
        v, u = getattr(validated, attr), getattr(unvalidated, attr)
        ratio = _round_ratio(v, u)
        fallback = prism is None
        sec.row(
            f"validated / unvalidated, distinct {kind}",
            ratio,
            "x",
            f">= {TARGET_VS_UNVALIDATED}x" + ("" if fallback else " (the target without Prism)"),
            ratio >= TARGET_VS_UNVALIDATED if fallback else None,
            note="median of per-round rate ratios; "
            + _cpu_note(getattr(unvalidated, cpu_attr), getattr(validated, cpu_attr)),
        )
        if prism is None:
            sec.row(
                f"validated / Prism, distinct {kind}",
                None,
                "x",
                f">= {TARGET_VS_PRISM}x",
                note=f"Prism {prism_note}",
            )
            continue
        ratio = _round_ratio(v, getattr(prism, attr))
        sec.row(
            f"validated / Prism, distinct {kind}",
            ratio,
            "x",
            f">= {TARGET_VS_PRISM}x",
            ratio >= TARGET_VS_PRISM,
            note="Prism 5 `mock -v warn`, same spec and machine, median of per-round rate "
            "ratios; " + _cpu_note(getattr(prism, cpu_attr), getattr(validated, cpu_attr)),
        )


def _cpu_note(other: list[float], validated: list[float]) -> str:
    """The same comparison by server CPU per request (steadier than wall time when shared)."""
    if not other or not validated or _mean(validated) == 0:  # a short run: under one tick
        return "server CPU n/a"
    return f"by server CPU per request {_mean(other) / _mean(validated):.2f}x"


def _mean(values: list[float]) -> float:
    """CPU time comes in clock ticks (10 ms): the mean over rounds, not the median, keeps the
    resolution of the whole run."""
    return sum(values) / len(values) if values else float("nan")


def _round_ratio(a: list[float], b: list[float]) -> float:
    """The median of per-round ratios (rounds are interleaved, so each pair shares the noise)."""
    pairs = [x / y for x, y in zip(a, b, strict=False) if y]
    return round(float(median(pairs)), 2)


if __name__ == "__main__":
    section = run(requests=int(sys.argv[1]) if len(sys.argv) > 1 else 300)
    for row in section.rows:
        value = "n/a" if row.value is None else row.value
        print(f"{row.what:55} {value!s:>8} {row.unit:6} {row.target:32} {row.met} {row.note}")
