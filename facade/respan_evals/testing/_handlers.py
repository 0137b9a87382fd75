"""One handler per operationId of the spec, and the `Call` each one gets.

A `Call` notes which query parameters and body fields its handler read; the app compares that
with the request afterwards, so a field or parameter the emulator ignores is reported instead of
silently dropped. A field an operation accepts on purpose without any effect is listed with its
reason in `Handler.no_effect`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request

from ._body import small_int
from ._errors import ApiError, field_error
from ._filters import FilterError, Normalized, lookup, matches, normalize_filters
from ._spec import Operation
from ._store import Store

__all__ = ["HANDLERS", "Call", "Handler"]

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
SORT_PARAM = "sort_by"  # components.parameters.SortBy
Rows = list[tuple[int, dict[str, Any]]]


class TrackedBody(Mapping[str, Any]):
    """A JSON object body that remembers which of its keys were looked at."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data
        self.seen: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.seen.add(key)
        return self._data[key]

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.seen.add(key)
        return key in self._data

    def get(self, key: str, default: Any = None) -> Any:
        # Mapping.get would go through __getitem__ and a KeyError for every absent key.
        self.seen.add(key)
        return self._data.get(key, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


class Call:
    """What a handler needs: the operation, the request, its JSON body, the caller, the store."""

    def __init__(
        self,
        op: Operation,
        request: Request,
        params: Mapping[str, str],
        body: Any,
        user: str,
        store: Store,
    ) -> None:
        self.op = op
        self.request = request
        self.params = params
        self.body = TrackedBody(body) if isinstance(body, Mapping) else body
        self.user = user
        self.store = store
        self.read_query: set[str] = set()

    def query(self, name: str) -> str | None:
        self.read_query.add(name)
        return self.request.query_params.get(name)

    def json_object(self, *, required: bool = True) -> Mapping[str, Any]:
        if self.body is None:
            if required:
                raise ApiError(400, {"detail": "A JSON object body is required.", "errors": {}})
            return TrackedBody({})
        if not isinstance(self.body, TrackedBody):
            raise field_error("body", "Expected a JSON object.")
        return self.body

    def body_fields_read(self) -> set[str]:
        return self.body.seen if isinstance(self.body, TrackedBody) else set()


@dataclass(frozen=True)
class Handler:
    """An operation's implementation; `no_effect` maps fields it takes and ignores to why."""

    run: Callable[[Call], tuple[int, Any]]
    no_effect: Mapping[str, str] = field(default_factory=dict)


# ---- lists ------------------------------------------------------------------------------
def _int_param(call: Call, name: str, default: int, low: int, high: int | None) -> int:
    raw = call.query(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise field_error(name, "A valid integer is required.") from None
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f">= {low}"
        raise field_error(name, f"Must be {bound}.")
    return value


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (3, "")
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, int | float):
        return (0, value)
    if isinstance(value, str):
        return (1, value)
    return (2, json.dumps(value, sort_keys=True))


def _field_key(name: str) -> Callable[[tuple[int, dict[str, Any]]], tuple[int, Any]]:
    return lambda row: _sort_key(lookup(row[1], name))


def _sorted(rows: Rows, sort_by: str) -> list[dict[str, Any]]:
    ordered = sorted(rows, key=lambda r: r[0])
    for part in reversed([p.strip() for p in sort_by.split(",") if p.strip()]):
        descending = part.startswith("-")
        name = part.lstrip("-+")
        if name == "created_at":
            ordered.sort(key=lambda r: (r[1].get("created_at") or "", r[0]), reverse=descending)
        else:
            ordered.sort(key=_field_key(name), reverse=descending)
    return [row for _, row in ordered]


def paginate(
    call: Call,
    rows: Rows,
    *,
    default_sort: str,
    current_filters: Normalized | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """One page of `rows`, with the parameter and envelope names of `x-respan-paginate`."""
    paging = call.op.pagination
    if paging is None:
        raise TypeError(f"{call.op.operation_id} has no x-respan-paginate in the spec")
    page = _int_param(call, paging.page, 1, 1, None)
    size = _int_param(call, paging.page_size, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    # Sorted as asked only where the spec gives the operation a sort parameter.
    sort_by = call.query(SORT_PARAM) if SORT_PARAM in call.op.query else None
    items = _sorted(rows, sort_by or default_sort)
    pages = max(1, math.ceil(len(items) / size))
    chunk = items[(page - 1) * size : page * size]
    url = call.request.url
    next_url = str(url.include_query_params(**{paging.page: page + 1})) if page < pages else None
    previous_url: str | None = None
    if 1 < page <= pages + 1:
        prev = page - 1
        previous_url = str(
            url.remove_query_params(paging.page)
            if prev == 1
            else url.include_query_params(**{paging.page: prev})
        )
    out: dict[str, Any] = {
        # The spec (docs wording): "Number of resources returned on this page", not a total.
        "count": len(chunk),
        paging.items: chunk,
        paging.next: next_url,
        "previous": previous_url,
        "current_filters": current_filters or {},
    }
    if extra:
        out.update(extra)
    schema = call.store.records.spec.ref_name(call.store.records.spec.response_schema(call.op, 200))
    return call.store.records.build(schema, out) if schema else out


def _filters_from_body(call: Call) -> Normalized:
    body = call.json_object(required=False)
    try:
        return normalize_filters(body.get("filters"))
    except FilterError as exc:
        raise field_error(exc.field, exc.message) from None


def _filter_rows(rows: Rows, filters: Normalized, view: Callable[[dict[str, Any]], Any]) -> Rows:
    if not filters:
        return rows
    return [(seq, row) for seq, row in rows if matches(view(row), filters)]


def _same(row: dict[str, Any]) -> dict[str, Any]:
    return row


# ---- score handlers ------------------------------------------------------------------------
def _score_rows(call: Call, log_id: str | None = None) -> Rows:
    return call.store.score_rows(log_id)


def _score_filter_view(store: Store) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """What `metadata__key` filters read: the score's own metadata, else its inputs'."""

    def view(row: dict[str, Any]) -> dict[str, Any]:
        own = row.get("metadata")
        meta = own if isinstance(own, Mapping) else store.score_metadata(row["id"]).get("metadata")
        return {**row, "metadata": meta or {}}

    return view


def _iso_param(raw: str, name: str) -> str:
    try:
        dt = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise field_error(name, "A valid ISO 8601 datetime is required.") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


def list_scores(call: Call) -> tuple[int, Any]:
    rows = _score_rows(call)
    start, end = call.query("start_time"), call.query("end_time")
    if start:
        low = _iso_param(start, "start_time")
        rows = [r for r in rows if r[1]["created_at"] >= low]
    if end:
        high = _iso_param(end, "end_time")
        rows = [r for r in rows if r[1]["created_at"] < high]
    return 200, paginate(call, rows, default_sort="-created_at")


def filter_scores(call: Call) -> tuple[int, Any]:
    filters = _filters_from_body(call)
    rows = _filter_rows(_score_rows(call), filters, _score_filter_view(call.store))
    return 200, paginate(call, rows, default_sort="-created_at", current_filters=filters)


def create_score(call: Call) -> tuple[int, Any]:
    return 201, call.store.create_score(call.json_object(), call.user)


def retrieve_score(call: Call) -> tuple[int, Any]:
    return 200, call.store.get_score(call.params["id"])


def update_score(call: Call) -> tuple[int, Any]:
    return 200, call.store.patch_score(call.params["id"], call.json_object())


def replace_score(call: Call) -> tuple[int, Any]:
    return 200, call.store.replace_score(call.params["id"], call.json_object(), call.user)


def delete_score(call: Call) -> tuple[int, Any]:
    call.store.delete_score(call.params["id"])
    return 204, None


def list_log_scores(call: Call) -> tuple[int, Any]:
    rows = _score_rows(call, call.params["log_id"])
    return 200, paginate(call, rows, default_sort="-created_at")


def upsert_log_score(call: Call) -> tuple[int, Any]:
    score, created = call.store.upsert_log_score(
        call.params["log_id"], call.json_object(), call.user
    )
    return (201 if created else 200), score


def retrieve_log_score(call: Call) -> tuple[int, Any]:
    return 200, call.store.get_score(call.params["score_id"], call.params["log_id"])


def update_log_score(call: Call) -> tuple[int, Any]:
    p = call.params
    return 200, call.store.patch_score(p["score_id"], call.json_object(), log_id=p["log_id"])


def replace_log_score(call: Call) -> tuple[int, Any]:
    p = call.params
    score = call.store.replace_score(
        p["score_id"], call.json_object(), call.user, log_id=p["log_id"]
    )
    return 200, score


def delete_log_score(call: Call) -> tuple[int, Any]:
    call.store.delete_score(call.params["score_id"], log_id=call.params["log_id"])
    return 204, None


# ---- evaluator handlers --------------------------------------------------------------------
def list_evaluators(call: Call) -> tuple[int, Any]:
    rows = call.store.evaluator_rows()
    search = call.query("search")
    if search:
        needle = search.casefold()
        rows = [
            r
            for r in rows
            if needle in str(r[1]["name"]).casefold()
            or needle in str(r[1]["evaluator_slug"]).casefold()
        ]
    current = {"search": {"operator": "icontains", "value": [search]}} if search else {}
    return 200, paginate(call, rows, default_sort="-created_at", current_filters=current)


def filter_evaluators(call: Call) -> tuple[int, Any]:
    filters = _filters_from_body(call)
    call.query("is_including_public_evaluators")  # see no_effect in HANDLERS
    rows = _filter_rows(call.store.evaluator_rows(), filters, _same)
    data = paginate(
        call, rows, default_sort="-created_at", current_filters=filters, extra={"filters_data": {}}
    )
    return 200, data


def get_evaluators_summary(call: Call) -> tuple[int, Any]:
    return 200, {"total_count": call.store.count_evaluators()}


def filter_evaluators_summary(call: Call) -> tuple[int, Any]:
    return 200, {"total_count": call.store.count_evaluators(_filters_from_body(call))}


def create_evaluator(call: Call) -> tuple[int, Any]:
    return 201, call.store.create_evaluator(call.json_object(), call.user)


def retrieve_evaluator(call: Call) -> tuple[int, Any]:
    return 200, call.store.get_evaluator(call.params["evaluator_id"])


def update_evaluator(call: Call) -> tuple[int, Any]:
    ref = call.params["evaluator_id"]
    return 200, call.store.update_evaluator(ref, call.json_object(), call.user, partial=True)


def replace_evaluator(call: Call) -> tuple[int, Any]:
    ref = call.params["evaluator_id"]
    return 200, call.store.update_evaluator(ref, call.json_object(), call.user, partial=False)


def delete_evaluator(call: Call) -> tuple[int, Any]:
    call.store.delete_evaluator(call.params["evaluator_id"])
    return 204, None


def run_evaluator(call: Call) -> tuple[int, Any]:
    ref = call.params["evaluator_id"]
    return 200, call.store.run_evaluator(ref, call.json_object(), call.user)


def list_evaluator_versions(call: Call) -> tuple[int, Any]:
    rows = call.store.version_rows(call.params["evaluator_id"])
    return 200, paginate(call, rows, default_sort="-version")


def create_evaluator_version(call: Call) -> tuple[int, Any]:
    body = call.json_object(required=False)
    return 201, call.store.commit_version(call.params["evaluator_id"], body, call.user)


def _version_number(call: Call) -> int:
    number = small_int(call.params["version"])
    if number is None:  # not a version the store could hold (e.g. 5,000 digits)
        raise ApiError(404, {"detail": "Not found."})
    return number


def retrieve_evaluator_version(call: Call) -> tuple[int, Any]:
    return 200, call.store.get_version(call.params["evaluator_id"], _version_number(call))


def update_evaluator_version(call: Call) -> tuple[int, Any]:
    ref, n = call.params["evaluator_id"], _version_number(call)
    return 200, call.store.update_version(ref, n, call.json_object(), call.user, partial=True)


def replace_evaluator_version(call: Call) -> tuple[int, Any]:
    ref, n = call.params["evaluator_id"], _version_number(call)
    return 200, call.store.update_version(ref, n, call.json_object(), call.user, partial=False)


_NO_LOG_LOOKUP = "a hint that saves the API a log lookup; the emulator keeps no logs"
_SCORER_FROM_KEY = "log-scoped routes take the scorer from the API key (per the spec)"
_EXPORTS = "reserved for dashboard exports, which the emulator does not make"

# operationId -> its handler. An operation of the spec missing here answers 501 and is named by
# tests/emulator/test_spec_coverage.py.
HANDLERS: dict[str, Handler] = {
    "create_score": Handler(create_score, {"timestamp": _NO_LOG_LOOKUP}),
    "list_scores": Handler(list_scores),
    "filter_scores": Handler(filter_scores),
    "retrieve_score": Handler(retrieve_score),
    "update_score": Handler(update_score),
    "replace_score": Handler(replace_score, {"timestamp": _NO_LOG_LOOKUP}),
    "delete_score": Handler(delete_score),
    "upsert_log_score": Handler(
        upsert_log_score, {"timestamp": _NO_LOG_LOOKUP, "scorer": _SCORER_FROM_KEY}
    ),
    "list_log_scores": Handler(list_log_scores),
    "retrieve_log_score": Handler(retrieve_log_score),
    "update_log_score": Handler(update_log_score),
    "replace_log_score": Handler(
        replace_log_score, {"timestamp": _NO_LOG_LOOKUP, "scorer": _SCORER_FROM_KEY}
    ),
    "delete_log_score": Handler(delete_log_score),
    "create_evaluator": Handler(create_evaluator),
    "list_evaluators": Handler(list_evaluators),
    "filter_evaluators": Handler(
        filter_evaluators,
        {
            "is_exporting": _EXPORTS,
            "is_including_public_evaluators": "the emulator holds no public evaluators",
        },
    ),
    "get_evaluators_summary": Handler(get_evaluators_summary),
    "filter_evaluators_summary": Handler(filter_evaluators_summary, {"is_exporting": _EXPORTS}),
    "retrieve_evaluator": Handler(retrieve_evaluator),
    "update_evaluator": Handler(update_evaluator),
    "replace_evaluator": Handler(replace_evaluator),
    "delete_evaluator": Handler(delete_evaluator),
    "run_evaluator": Handler(
        run_evaluator,
        {
            "log_ids": "legacy (SDK <= 0.1.15): the emulator evaluates the inputs it is given",
            "dataset_id": "legacy (SDK <= 0.1.15): the emulator evaluates the inputs it is given",
        },
    ),
    "list_evaluator_versions": Handler(list_evaluator_versions),
    "create_evaluator_version": Handler(create_evaluator_version),
    "retrieve_evaluator_version": Handler(retrieve_evaluator_version),
    "update_evaluator_version": Handler(update_evaluator_version),
    "replace_evaluator_version": Handler(replace_evaluator_version),
}
