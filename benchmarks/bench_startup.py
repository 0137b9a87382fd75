"""1. Start-up cost as a user pays it: a fresh interpreter that imports, builds a client, and
touches `.scores`.

Every variant runs in its own `sys.executable -c ...` process, round-robin (variant order
rotated every round) so load on a noisy machine falls on all of them alike; the figure is the
median wall time; the child's CPU time (user+sys) is kept beside it, as it suffers less when
other processes compete for the cores. The official SDK imports lazily, so its variant also
constructs the client and touches `.scores` (a bare import would measure nothing). When the
target is missed, `python -X importtime` says what is imported beyond httpx and at what cost.

Time to first request: the same, with one call each against a local HTTP server (started here,
answering the documented Score): httpx (import, `httpx.Client()`, GET, json.loads) against
respan_evals (import, `Respan()`, `scores.retrieve`); the target is within httpx's own + 40 ms.
A child also reports how many generated modules its first request imported.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bench_common import NOT_INSTALLED, Section, median, official_sdk_available, spec_example

VARIANTS: dict[str, str] = {
    "python (empty)": "pass",
    "import httpx": "import httpx",
    "httpx + httpx.Client()": "import httpx; httpx.Client()",
    "respan_evals": 'from respan_evals import Respan; c = Respan(api_key="x"); c.scores',
    "official SDK": (
        "from respan import RespanClient; "
        'c = RespanClient(authorization="Bearer x", respan_api_key="x"); c.scores'
    ),
}
TARGET_OVER_HTTPX_MS = 30.0
TARGET_FIRST_REQUEST_OVER_HTTPX_MS = 40.0
SCORE_ID = "score_550e8400"
# `{url}` is the local server's base URL. Each ends with its one request's answer checked.
FIRST_REQUEST: dict[str, str] = {
    "httpx: import + Client() + GET + json.loads": (
        "import httpx, json; c = httpx.Client(); "
        f'assert json.loads(c.get("{{url}}/api/scores/{SCORE_ID}/").content)["id"]'
    ),
    "respan_evals: import + Respan() + scores.retrieve": (
        "from respan_evals import Respan; "
        'c = Respan(api_key="x", base_url="{url}", rate_limit=None, max_retries=0); '
        f'assert c.scores.retrieve("{SCORE_ID}").id'
    ),
}
# Run once more with this appended: which generated modules the first request imported.
_COUNT_MODULES = (
    "; import sys, json; print(json.dumps(sorted(m for m in sys.modules "
    'if m.startswith("respan_evals_api"))))'
)
TARGET_SPEEDUP_VS_OFFICIAL = 1.5  # "well ahead": official wall time / respan_evals wall time


def _env() -> dict[str, str]:
    drop = (
        "PYTHONPROFILEIMPORTTIME",
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONSTARTUP",
        "PYTHONTRACEMALLOC",
        "PYTHONDEVMODE",
    )
    # No proxy: the first-request variants talk to a server on this machine.
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("RESPAN_") and k not in drop and not k.lower().endswith("_proxy")
    }


@contextlib.contextmanager
def score_server() -> Iterator[str]:
    """A local HTTP server answering every GET with the documented Score; yields its URL."""
    body = json.dumps(spec_example("/api/scores/{id}/", "get", "200")).encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def first_request(runs: int, warmup: bool = True) -> tuple[dict[str, float], dict[str, Any]]:
    """Median wall ms of each first-request variant, and the generated modules it imported."""
    with score_server() as url:
        variants = {name: code.replace("{url}", url) for name, code in FIRST_REQUEST.items()}
        wall, cpu = time_variants(variants, runs, warmup)
        ours = variants["respan_evals: import + Respan() + scores.retrieve"]
        out = subprocess.run(
            [sys.executable, "-c", ours + _COUNT_MODULES],
            env=_env(),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    modules = json.loads(out.strip().splitlines()[-1])
    details = {
        "median_ms": {k: round(median(v) * 1000, 2) for k, v in wall.items()},
        "median_cpu_ms": {k: round(median(v) * 1000, 2) for k, v in cpu.items()},
        "generated_modules_imported": len(modules),
        "generated_models_imported": sum(m.startswith("respan_evals_api.models.") for m in modules),
    }
    return {k: median(v) * 1000 for k, v in wall.items()}, details


def _run_once(code: str, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds user+sys) of one fresh interpreter running `code`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"start-up variant failed: {code!r}\n{proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def time_variants(
    variants: dict[str, str], runs: int, warmup: bool = True
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall and CPU seconds per variant, `runs` each, round-robin with a rotating order."""
    env = _env()
    for code in variants.values() if warmup else ():  # warm .pyc caches: users start warm
        _run_once(code, env)
    wall: dict[str, list[float]] = defaultdict(list)
    cpu: dict[str, list[float]] = defaultdict(list)
    names = list(variants)
    for i in range(runs):
        shift = i % len(names)
        for name in names[shift:] + names[:shift]:
            w, c = _run_once(variants[name], env)
            wall[name].append(w)
            cpu[name].append(c)
    return dict(wall), dict(cpu)


_IMPORTTIME = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)\s*$")


def importtime(code: str, runs: int = 3) -> dict[str, dict[str, float]]:
    """Median self and cumulative import time (ms) per module, from `python -X importtime`."""
    env = _env()
    samples: dict[str, dict[str, list[float]]] = defaultdict(lambda: {"self": [], "cum": []})
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code],
            env=env,
            capture_output=True,
            text=True,
        )
        for line in proc.stderr.splitlines():
            m = _IMPORTTIME.match(line)
            if m:
                samples[m.group(4)]["self"].append(int(m.group(1)) / 1000)
                samples[m.group(4)]["cum"].append(int(m.group(2)) / 1000)
    return {
        mod: {"self_ms": median(s["self"]), "cum_ms": median(s["cum"])}
        for mod, s in samples.items()
    }


def eager_imports(code: str, baseline: str, runs: int = 3, top: int = 12) -> dict[str, Any]:
    """What `code` imports beyond `baseline`: by top-level package and the costliest modules."""
    ours = importtime(code, runs)
    base = importtime(baseline, runs)
    extra = {m: t for m, t in ours.items() if m not in base}
    by_package: dict[str, float] = defaultdict(float)
    for mod, t in extra.items():
        by_package[mod.split(".")[0]] += t["self_ms"]
    return {
        "baseline": baseline,
        "extra_modules": len(extra),
        "extra_self_ms_total": round(sum(t["self_ms"] for t in extra.values()), 2),
        "by_package_self_ms": dict(
            sorted(((k, round(v, 2)) for k, v in by_package.items()), key=lambda kv: -kv[1])[:top]
        ),
        "top_modules_self_ms": {
            m: round(t["self_ms"], 2)
            for m, t in sorted(extra.items(), key=lambda kv: -kv[1]["self_ms"])[:top]
        },
        "top_modules_cum_ms": {
            m: round(t["cum_ms"], 2)
            for m, t in sorted(extra.items(), key=lambda kv: -kv[1]["cum_ms"])[:top]
        },
    }


def run(runs: int = 15, importtime_runs: int = 3, warmup: bool = True) -> Section:
    sec = Section("startup")
    variants = dict(VARIANTS)
    have_sdk = official_sdk_available()
    if not have_sdk:
        del variants["official SDK"]
    times, cpu_times = time_variants(variants, runs, warmup)
    med = {name: median(ts) * 1000 for name, ts in times.items()}
    cpu = {name: median(ts) * 1000 for name, ts in cpu_times.items()}
    sec.details["runs_per_variant"] = runs
    sec.details["median_ms"] = {k: round(v, 2) for k, v in med.items()}
    sec.details["min_ms"] = {k: round(min(ts) * 1000, 2) for k, ts in times.items()}
    sec.details["median_cpu_ms"] = {k: round(v, 2) for k, v in cpu.items()}
    sec.details["code"] = variants

    def cpu_note(name: str) -> str:
        return f"CPU {cpu[name]:.0f} ms (user+sys median)"

    for name in ("python (empty)", "import httpx", "httpx + httpx.Client()"):
        sec.row(f"start-up: {name}", round(med[name], 1), "ms", note=cpu_note(name))
    ours = med["respan_evals"]
    over = ours - med["import httpx"]
    sec.row(
        "start-up: respan_evals (import + Respan() + .scores)",
        round(ours, 1),
        "ms",
        note=cpu_note("respan_evals"),
    )
    r = sec.row(
        "start-up: respan_evals minus `import httpx`",
        round(over, 1),
        "ms",
        f"< {TARGET_OVER_HTTPX_MS:.0f} ms",
        over < TARGET_OVER_HTTPX_MS,
        note=f"CPU: {cpu['respan_evals'] - cpu['import httpx']:.0f} ms",
    )
    analysis = eager_imports(
        VARIANTS["respan_evals"], VARIANTS["httpx + httpx.Client()"], importtime_runs
    )
    sec.details["importtime_beyond_httpx_client"] = analysis
    client_cost = med["httpx + httpx.Client()"] - med["import httpx"]
    if not r.met:
        pk = ", ".join(
            f"{k} {v:.1f} ms" for k, v in list(analysis["by_package_self_ms"].items())[:6]
        )
        r.note += (
            f"; of which httpx.Client() itself (SSL context) ~{client_cost:.0f} ms wall; "
            f"imports beyond `import httpx; httpx.Client()` ({analysis['extra_modules']} "
            f"modules, self time by package, -X importtime): {pk}"
        )
    if have_sdk:
        off = med["official SDK"]
        sec.row(
            "start-up: official SDK (import + RespanClient() + .scores)",
            round(off, 1),
            "ms",
            note=cpu_note("official SDK"),
        )
        speedup = off / ours
        r2 = sec.row(
            "start-up: official SDK / respan_evals",
            round(speedup, 2),
            "x",
            f">= {TARGET_SPEEDUP_VS_OFFICIAL}x",
            speedup >= TARGET_SPEEDUP_VS_OFFICIAL,
            note=f"CPU: {cpu['official SDK'] / cpu['respan_evals']:.2f}x",
        )
        if not r2.met:
            r2.note += (
                "; respan_evals is ahead but not by the margin: its eager imports (above) "
                "cost about as much as the official SDK's pydantic"
            )
    else:
        sec.row("start-up: official SDK", None, "ms", note=NOT_INSTALLED)

    first, first_details = first_request(runs, warmup)
    sec.details["first_request"] = first_details
    raw_name = "httpx: import + Client() + GET + json.loads"
    ours_name = "respan_evals: import + Respan() + scores.retrieve"
    raw_first, our_first = first[raw_name], first[ours_name]
    cpu_first = first_details["median_cpu_ms"]
    sec.row("first request: httpx (import + Client() + GET)", round(raw_first, 1), "ms")
    sec.row("first request: respan_evals (import + Respan() + retrieve)", round(our_first, 1), "ms")
    sec.row(
        "first request: respan_evals minus httpx",
        round(our_first - raw_first, 1),
        "ms",
        f"<= {TARGET_FIRST_REQUEST_OVER_HTTPX_MS:.0f} ms",
        our_first - raw_first <= TARGET_FIRST_REQUEST_OVER_HTTPX_MS,
        note=(
            f"CPU: {cpu_first[ours_name] - cpu_first[raw_name]:.0f} ms; "
            f"the first request imported {first_details['generated_modules_imported']} "
            f"generated modules ({first_details['generated_models_imported']} models)"
        ),
    )
    return sec
