"""4. Export: walk N scores through the facade's auto-paginating iterator over mocked pages.

A MockTransport serves POST /api/scores/list/?page=P pages of 100 scores (the list example's
first item, with a distinct id per row) linked by `next`, the last page with next=null. Pages
are pre-rendered bytes with the page number patched in, so the mock costs next to nothing.

Two passes: timed (rows per second, peak RSS) and traced (tracemalloc: how far memory rises
between row 10,000 and the last row; a streaming iterator stays flat).
"""

from __future__ import annotations

import gc
import json
import resource
import time
import tracemalloc
from typing import Any

import httpx
from bench_common import Section, median, spec_example

BASE_URL = "https://api.respan.ai"
PAGE_SIZE = 100
TARGET_GROWTH_MB = 10.0


def make_transport(
    total_rows: int, page_size: int = PAGE_SIZE
) -> tuple[httpx.MockTransport, dict[str, int]]:
    item = dict(spec_example("/api/scores/", "get", "200")["results"][0])
    items = []
    for i in range(page_size):
        it = dict(item)
        it["id"] = f"score_@P@_{i:03d}"
        it["log_id"] = f"log_@P@_{i:03d}"
        items.append(it)
    link = f"{BASE_URL}/api/scores/list/?page=@N@&page_size={page_size}"
    full = json.dumps(
        {"count": page_size, "next": link, "previous": None, "results": items}
    ).encode()
    pages = -(-total_rows // page_size)
    last_n = total_rows - (pages - 1) * page_size
    last = json.dumps(
        {"count": last_n, "next": None, "previous": None, "results": items[:last_n]}
    ).encode()
    headers = [(b"content-type", b"application/json")]
    served = {"pages": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        served["pages"] += 1
        if page > pages:
            return httpx.Response(404, headers=headers, content=b'{"detail": "Invalid page."}')
        body = last if page == pages else full.replace(b"@N@", str(page + 1).encode())
        return httpx.Response(
            200, headers=headers, content=body.replace(b"@P@", str(page).encode())
        )

    return httpx.MockTransport(handler), served


def _client(total_rows: int) -> tuple[Any, dict[str, int]]:
    from respan_evals import Respan

    transport, served = make_transport(total_rows)
    client = Respan(
        api_key="x",
        base_url=BASE_URL,
        rate_limit=None,
        http_client=httpx.Client(base_url=BASE_URL, transport=transport),
    )
    return client, served


def _iterate(client: Any) -> Any:
    return client.scores.iter_filter(page_size=PAGE_SIZE)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def timed_pass(total_rows: int) -> dict[str, Any]:
    client, served = _client(total_rows)
    gc.collect()
    n = 0
    ids: set[str] = set()  # only the first 1,000 ids: a duplicate check that costs no memory
    t0 = time.perf_counter()
    for score in _iterate(client):
        if n < 1000:
            ids.add(score.id)
        n += 1
    elapsed = time.perf_counter() - t0
    client.close()
    return {
        "rows": n,
        "seconds": elapsed,
        "rows_per_s": n / elapsed,
        "pages": served["pages"],
        "distinct_first_1000": len(ids),
        "peak_rss_mb": _rss_mb(),
    }


def traced_pass(total_rows: int, mark: int) -> dict[str, Any]:
    client, served = _client(total_rows)
    gc.collect()
    tracemalloc.start()
    n = 0
    at_mark = 0
    try:
        for _score in _iterate(client):
            n += 1
            if n == mark:
                del _score
                gc.collect()
                at_mark = tracemalloc.get_traced_memory()[0]
                tracemalloc.reset_peak()
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        client.close()
    return {
        "rows": n,
        "mark": mark,
        "traced_at_mark_mb": at_mark / 2**20,
        "peak_growth_after_mark_mb": (peak - at_mark) / 2**20,
        "retained_growth_after_mark_mb": (current - at_mark) / 2**20,
        "pages": served["pages"],
    }


def summarize_pass(total_rows: int) -> dict[str, Any]:
    """`client.scores.summarize` over the same pages: one timed pass, then one traced."""
    client, served = _client(total_rows)
    gc.collect()
    t0 = time.perf_counter()
    summary = client.scores.summarize(by=("evaluator",), page_size=PAGE_SIZE)
    elapsed = time.perf_counter() - t0
    client.close()
    client, _ = _client(total_rows)
    gc.collect()
    tracemalloc.start()
    try:
        client.scores.summarize(by=("evaluator",), page_size=PAGE_SIZE)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        client.close()
    return {
        "rows": sum(g.count for g in summary.groups),
        "seconds": elapsed,
        "rows_per_s": total_rows / elapsed,
        "peak_traced_mb": peak / 2**20,
        "pages": served["pages"],
    }


def run(total_rows: int = 100_000, mark: int = 10_000, timed_rounds: int = 3) -> Section:
    sec = Section("export")
    mark = min(mark, total_rows // 2)
    timed = [timed_pass(total_rows) for _ in range(timed_rounds)]
    traced = traced_pass(total_rows, mark)
    rps = median([t["rows_per_s"] for t in timed])
    expected_pages = -(-total_rows // PAGE_SIZE)
    sec.details.update(total_rows=total_rows, page_size=PAGE_SIZE, timed=timed, traced=traced)
    rows_ok = (
        all(t["rows"] == total_rows and t["pages"] == expected_pages for t in timed)
        and traced["rows"] == total_rows
        and min(t["distinct_first_1000"] for t in timed) == min(1000, total_rows)
    )
    sec.row(
        f"export: rows yielded / expected ({total_rows:,})",
        min(t["rows"] for t in [*timed, traced]),
        "rows",
        f"= {total_rows:,}, each page once",
        rows_ok,
    )
    sec.row(
        "export: iter_filter throughput",
        round(rps),
        "rows/s",
        note=(f"median of {timed_rounds}; pages of {PAGE_SIZE}, mock transport"),
    )
    summarized = summarize_pass(total_rows)
    sec.details.update(summarize=summarized)
    sec.row(
        "summarize: scores.summarize throughput",
        round(summarized["rows_per_s"]),
        "rows/s",
        f"{summarized['rows']:,} scores in one pass",
        summarized["rows"] == total_rows,
        note=f"peak traced {summarized['peak_traced_mb']:.1f} MB (constant: one page at a time)",
    )
    growth = traced["peak_growth_after_mark_mb"]
    sec.row(
        f"export: peak memory growth, row {mark:,} -> {total_rows:,}",
        round(growth, 2),
        "MB",
        f"< {TARGET_GROWTH_MB:.0f} MB (flat)",
        growth < TARGET_GROWTH_MB,
        note=f"tracemalloc; retained at the end {traced['retained_growth_after_mark_mb']:.2f} MB",
    )
    return sec
