"""2. Per-call overhead without a network: the same request answered by an httpx.MockTransport
with the documented example body, through each client.

Variants (one client each, built once):
  (a)  raw httpx.Client GET + json.loads                       (the floor)
  (a2) raw httpx.Client POST of the upsert body + json.loads   (the floor for (d))
  (b)  generated respan_evals_api.api.scores.retrieve_score.sync_detailed
  (c)  facade client.scores.retrieve(id)                       (default stack, rate_limit=None)
  (d)  facade client.score_log(..., value_type=...)            (default stack, the upsert route)
  (c2) (c) and (d2) (d) through a caller's `http_client`       (its client runs too)
  (e)  official SDK client.scores.retrieve_score(id=...)       (same transport via httpx_client)
The default stack (no `http_client`) sends through the transports of a default httpx.Client,
built on the first request; here that client is given the MockTransport (the one private poke,
`_transport.inner`), so the route lookup is still timed. Rounds are interleaved (variant order
rotated every round); the figure is the median of the per-round means, in µs per call, and a
ratio is the median over rounds of the variant's mean over its baseline's in the same round (a
busy machine slows a whole round, which such a ratio cancels).
"""

from __future__ import annotations

import cProfile
import gc
import json
import pstats
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import httpx
from bench_common import NOT_INSTALLED, Section, median, official_sdk_available, spec_example

BASE_URL = "https://api.respan.ai"
SCORE_ID = "score_550e8400"
LOG_ID = "log_abc123"
# Targets (issue 18): the default stack against raw httpx; through a caller's http_client.
TARGET_RETRIEVE_RATIO = 1.10  # (c) / (a)
TARGET_SCORE_LOG_RATIO = 1.15  # (d) / (a2)
TARGET_HTTP_CLIENT_RATIO = 1.25  # (c2) / (a), (d2) / (a2)
UPSERT_BODY = {"evaluator_slug": "response_quality", "numerical_value": 4.5}


def make_transport() -> httpx.MockTransport:
    """GET answers the retrieve_score 200 example, POST the upsert_log_score 201 example."""
    retrieve = json.dumps(spec_example("/api/scores/{id}/", "get", "200")).encode()
    upsert = json.dumps(spec_example("/api/logs/{log_id}/scores/", "post", "201")).encode()
    headers = [(b"content-type", b"application/json")]

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, headers=headers, content=retrieve)
        return httpx.Response(201, headers=headers, content=upsert)

    return httpx.MockTransport(handler)


def build_variants(include_official: bool = True) -> dict[str, Callable[[], Any]]:
    """name -> zero-argument call; each variant checks its answer once before it is timed."""
    variants: dict[str, Callable[[], Any]] = {}

    raw = httpx.Client(
        base_url=BASE_URL, transport=make_transport(), headers={"Authorization": "Bearer x"}
    )
    variants["(a) raw httpx + json.loads"] = lambda: json.loads(
        raw.get(f"/api/scores/{SCORE_ID}/").content
    )
    upsert_path = f"/api/logs/{LOG_ID}/scores/"
    variants["(a2) raw httpx POST + json.loads"] = lambda: json.loads(
        raw.post(
            upsert_path,
            content=json.dumps(UPSERT_BODY).encode(),
            headers={"content-type": "application/json"},
        ).content
    )

    from respan_evals_api import AuthenticatedClient
    from respan_evals_api.api.scores import retrieve_score

    gen = AuthenticatedClient(
        base_url=BASE_URL, token="x", httpx_args={"transport": make_transport()}
    )
    variants["(b) generated sync_detailed"] = lambda: (
        retrieve_score.sync_detailed(SCORE_ID, client=gen).parsed
    )

    from respan_evals import Respan
    from respan_evals._transport import DefaultTransport

    facade = Respan(api_key="x", base_url=BASE_URL, rate_limit=None)
    facade._transport.inner = DefaultTransport(lambda proxy: make_transport())
    relayed = Respan(
        api_key="x",
        base_url=BASE_URL,
        rate_limit=None,
        http_client=httpx.Client(base_url=BASE_URL, transport=make_transport()),
    )
    variants["(c) facade scores.retrieve"] = lambda: facade.scores.retrieve(SCORE_ID)
    variants["(d) facade score_log (value_type given)"] = lambda: facade.score_log(
        LOG_ID, 4.5, evaluator="response_quality", value_type="numerical"
    )
    variants["(c2) facade scores.retrieve, caller's http_client"] = lambda: relayed.scores.retrieve(
        SCORE_ID
    )
    variants["(d2) facade score_log, caller's http_client"] = lambda: relayed.score_log(
        LOG_ID, 4.5, evaluator="response_quality", value_type="numerical"
    )

    if include_official:
        from respan import RespanClient

        off = RespanClient(
            authorization="Bearer x",
            respan_api_key="x",
            httpx_client=httpx.Client(transport=make_transport()),
        )
        variants["(e) official SDK scores.retrieve_score"] = lambda: off.scores.retrieve_score(
            id=SCORE_ID
        )

    for name, call in variants.items():  # a wrong answer must not be timed as a fast one
        out = call()
        got = out.get("id") if isinstance(out, dict) else getattr(out, "id", None)
        if got not in (SCORE_ID, "score_9f8b7c6d"):
            raise RuntimeError(f"{name}: unexpected answer {out!r}")
    return variants


def time_calls(
    variants: dict[str, Callable[[], Any]], calls: int, rounds: int
) -> dict[str, list[float]]:
    """Per-round mean microseconds per call, rounds interleaved across variants."""
    for call in variants.values():  # warm-up
        for _ in range(max(10, calls // 10)):
            call()
    names = list(variants)
    out: dict[str, list[float]] = defaultdict(list)
    for i in range(rounds):
        shift = i % len(names)
        for name in names[shift:] + names[:shift]:
            call = variants[name]
            gc.collect()
            t0 = time.perf_counter()
            for _ in range(calls):
                call()
            out[name].append((time.perf_counter() - t0) / calls * 1e6)
    return dict(out)


def _bucket(filename: str) -> str:
    for marker, name in (
        ("respan_evals_api", "respan_evals_api (generated)"),
        ("respan_evals", "respan_evals (facade)"),
        ("httpx", "httpx"),
        ("httpcore", "httpcore"),
        ("attr", "attrs"),
        ("dateutil", "dateutil"),
        ("json", "json"),
        ("anyio", "anyio"),
        ("pydantic", "pydantic"),
        ("respan", "official SDK"),
    ):
        if f"/{marker}" in filename:
            return name
    if filename.startswith("~") or filename.startswith("<"):
        return "builtins"
    return "other stdlib"


# Functions whose call counts show how many times httpx's per-request work runs per API call.
COUNTED = {
    "httpx/_client.py:_send_single_request",
    "httpx/_models.py:extract_cookies",
    "httpx/_client.py:build_request",
    "respan_evals/_transport.py:_relay",
}


def profile(call: Callable[[], Any], calls: int, top: int = 12) -> dict[str, Any]:
    """Where one call's time goes: own time by package, costliest functions (µs/call)."""
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(calls):
        call()
    prof.disable()
    stats = pstats.Stats(prof)
    by_pkg: dict[str, float] = defaultdict(float)
    funcs = []
    for (filename, line, func), (_cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        by_pkg[_bucket(filename)] += tt
        funcs.append(
            (
                tt,
                ct,
                nc,
                f"{filename.split('site-packages/')[-1].split('/work/main/')[-1]}:{line}({func})",
            )
        )
    total = sum(by_pkg.values())
    funcs.sort(reverse=True)
    counted = {}
    for (filename, _line, func), (_cc, nc, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        key = "/".join(filename.rsplit("/", 2)[-2:]) + f":{func}"
        if key in COUNTED:
            counted[key] = {
                "calls_per_call": round(nc / calls, 2),
                "cum_us_per_call": round(ct / calls * 1e6, 1),
            }
    return {
        "profiled_us_per_call": round(total / calls * 1e6, 1),
        "own_time_by_package_us": {
            k: round(v / calls * 1e6, 1) for k, v in sorted(by_pkg.items(), key=lambda kv: -kv[1])
        },
        "top_functions_own_us": {
            name: round(tt / calls * 1e6, 2) for tt, _ct, _nc, name in funcs[:top]
        },
        "function_calls_per_call": round(sum(f[2] for f in funcs) / calls, 1),
        "selected": counted,
    }


def run(calls: int = 400, rounds: int = 21, profile_calls: int = 500) -> Section:
    sec = Section("overhead")
    have_sdk = official_sdk_available()
    variants = build_variants(include_official=have_sdk)
    times = time_calls(variants, calls, rounds)
    med = {k: median(v) for k, v in times.items()}
    base = med["(a) raw httpx + json.loads"]
    sec.details.update(
        calls_per_round=calls,
        rounds=rounds,
        median_us={k: round(v, 1) for k, v in med.items()},
        min_us={k: round(min(v), 1) for k, v in times.items()},
        per_round_us={k: [round(x, 1) for x in v] for k, v in times.items()},
    )

    def per_round(name: str, baseline: str) -> float:
        return median([v / b for v, b in zip(times[name], times[baseline], strict=True)])

    raw_get, raw_post = "(a) raw httpx + json.loads", "(a2) raw httpx POST + json.loads"
    sec.details["ratio_per_round_median"] = {
        name: round(per_round(name, raw_post if name.startswith("(d") else raw_get), 3)
        for name in times
    }
    for name, us in med.items():
        ratio = per_round(name, raw_get)
        target, met, note = "", None, f"{ratio:.2f}x (a)"
        if name.startswith("(a)"):
            note = "baseline (1.00x)"
        elif name.startswith("(c)"):
            target, met = f"<= {TARGET_RETRIEVE_RATIO}x (a)", ratio <= TARGET_RETRIEVE_RATIO
        elif name.startswith("(c2)"):
            target, met = f"<= {TARGET_HTTP_CLIENT_RATIO}x (a)", ratio <= TARGET_HTTP_CLIENT_RATIO
        elif name.startswith("(d"):
            vs_post = per_round(name, raw_post)
            note += f"; {vs_post:.2f}x (a2) raw POST"
            limit = TARGET_SCORE_LOG_RATIO if name.startswith("(d)") else TARGET_HTTP_CLIENT_RATIO
            target, met = f"<= {limit}x (a2)", vs_post <= limit
        sec.row(f"per call: {name}", round(us, 1), "µs", target, met, note)
    if not have_sdk:
        sec.row("per call: (e) official SDK scores.retrieve_score", None, "µs", note=NOT_INSTALLED)

    profiles = {}
    for name in variants:
        if name[1] in "abcde":
            profiles[name] = profile(variants[name], profile_calls)
    sec.details["profile"] = profiles
    gen = med["(b) generated sync_detailed"]
    for r in sec.rows:
        if r.met is False:
            key = r.what.removeprefix("per call: ")
            p = profiles.get(key, {})
            sel = p.get("selected", {})
            sends = sel.get("httpx/_client.py:_send_single_request", {}).get("calls_per_call")
            relay = sel.get("respan_evals/_transport.py:_relay", {}).get("cum_us_per_call")
            own = p.get("own_time_by_package_us", {})
            r.note += (
                f"; the generated layer alone, (b), is {gen / base:.2f}x (a); this adds "
                f"{med[key] - gen:.0f} µs/call over (b); httpx's per-request work runs "
                f"{sends}x per call (Client._send_single_request)"
                + (f"; _relay {relay} µs profiled" if relay else "")
                + f"; own time/call under cProfile: httpx {own.get('httpx', 0)} µs, "
                f"facade {own.get('respan_evals (facade)', 0)} µs, "
                f"generated {own.get('respan_evals_api (generated)', 0)} µs"
            )
    return sec
