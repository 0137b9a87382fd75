"""Retry safety comes from the spec: each operation's `x-respan-idempotent` (through the generated
facts), and HTTP semantics only for requests that are no operation of the spec."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from respan_evals import _operations
from respan_evals._operations import OperationMatcher
from respan_evals._retries import is_idempotent
from respan_evals._transport import request_is_idempotent
from respan_evals_api import facts

OPERATIONS = list(facts.OPERATIONS.values())
PARAM = re.compile(r"\{[^{}/]+\}")


def concrete(template: str, value: str = "p_1") -> str:
    return PARAM.sub(value, template)


def idem(method: str, url: str) -> bool:
    return request_is_idempotent(httpx.Request(method, url))


@pytest.fixture
def fresh_matcher() -> Iterator[None]:
    """Let a test change the facts: the matcher is built from them once, on first use."""
    _operations._spec_matcher.cache_clear()
    yield
    _operations._spec_matcher.cache_clear()


def test_the_spec_decides_something_http_alone_would_not() -> None:
    # Otherwise the tests below could pass with the spec ignored.
    assert any(op.idempotent != is_idempotent(op.method) for op in OPERATIONS)


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.operation_id)
@pytest.mark.parametrize(
    ("base", "value", "query"),
    [
        ("https://api.respan.ai", "p_1", ""),
        ("https://api.respan.ai", "a%2Fb", "?page=2&x=%2F"),  # an encoded slash stays one segment
        ("https://gateway.corp/respan/v1", "p_1", ""),  # a base URL with a path prefix
    ],
    ids=["plain", "encoded", "prefixed"],
)
def test_every_operation_gets_its_declared_verdict(
    op: facts.Operation, base: str, value: str, query: str
) -> None:
    url = base + concrete(op.path, value) + query
    assert idem(op.method, url) is op.idempotent
    assert idem(op.method.lower(), url) is op.idempotent


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.operation_id)
def test_flipping_a_declaration_flips_the_verdict(op: facts.Operation) -> None:
    flipped = {**facts.OPERATIONS, op.operation_id: op._replace(idempotent=not op.idempotent)}
    matcher = OperationMatcher.build((o.method, o.path, o.idempotent) for o in flipped.values())
    assert matcher(op.method, concrete(op.path).encode()) is (not op.idempotent)
    others = [o for o in OPERATIONS if o is not op and o.method == op.method]
    for other in others:  # and only that one
        path = concrete(other.path).encode()
        if path != concrete(op.path).encode():
            assert matcher(other.method, path) is other.idempotent


@pytest.mark.usefixtures("fresh_matcher")
def test_request_is_idempotent_reads_the_facts(monkeypatch: pytest.MonkeyPatch) -> None:
    for op in OPERATIONS:
        flipped = {**facts.OPERATIONS, op.operation_id: op._replace(idempotent=not op.idempotent)}
        monkeypatch.setattr(facts, "OPERATIONS", flipped)
        _operations._spec_matcher.cache_clear()
        assert idem(op.method, "https://x" + concrete(op.path)) is (not op.idempotent)


@pytest.mark.usefixtures("fresh_matcher")
def test_a_new_operation_in_the_facts_is_matched(monkeypatch: pytest.MonkeyPatch) -> None:
    template = OPERATIONS[0]
    added = template._replace(
        operation_id="bulk_create_scores", method="POST", path="/api/scores/bulk/"
    )
    url = "https://x/api/scores/bulk/"
    assert idem("POST", url) is False  # unknown: POST falls back to not repeatable
    for declared in (True, False):
        ops = {**facts.OPERATIONS, added.operation_id: added._replace(idempotent=declared)}
        monkeypatch.setattr(facts, "OPERATIONS", ops)
        _operations._spec_matcher.cache_clear()
        assert idem("POST", url) is declared


HTTP_VERDICTS = {
    "GET": True,
    "HEAD": True,
    "OPTIONS": True,
    "PUT": True,
    "PATCH": True,
    "DELETE": True,
    "POST": False,
    "TRACE": False,
}


@pytest.mark.parametrize(("method", "expected"), HTTP_VERDICTS.items())
@pytest.mark.parametrize(
    "path",
    ["/api/not-in-the-spec/", "/elsewhere", "/api/scores/p_1/extra/", "/"],
)
def test_paths_the_spec_lacks_fall_back_to_http(method: str, expected: bool, path: str) -> None:
    assert idem(method, "https://x" + path) is expected


def test_a_method_the_spec_lacks_on_a_known_path_falls_back_to_http() -> None:
    declared = {(op.method, concrete(op.path)) for op in OPERATIONS}
    for op in OPERATIONS:
        path = concrete(op.path)
        for method, expected in HTTP_VERDICTS.items():
            if (method, path) not in declared:
                assert idem(method, "https://x" + path) is expected, (method, path)


def test_literal_routes_win_over_templated_ones() -> None:
    matcher = OperationMatcher.build(
        [("POST", "/api/things/{id}/", True), ("POST", "/api/things/list/", False)]
    )
    assert matcher("POST", b"/api/things/list/") is False
    assert matcher("POST", b"/api/things/t_1/") is True
    assert matcher("GET", b"/api/things/t_1/") is None


def test_the_longest_operation_at_the_tail_wins() -> None:
    # `/api/logs/api/scores/s/` is a log's score (log "api"), not a score behind a prefix.
    matcher = OperationMatcher.build(
        [("DELETE", "/api/scores/{id}/", False), ("DELETE", "/api/logs/{l}/scores/{s}/", True)]
    )
    assert matcher("DELETE", b"/api/logs/api/scores/s/") is True
    assert matcher("DELETE", b"/prefix/api/scores/s/") is False
    assert matcher("DELETE", b"/prefixapi/scores/s/") is None  # a prefix ends at a segment
    assert matcher("DELETE", b"/api/scores//") is None  # a parameter is never empty


def test_a_template_must_be_a_path() -> None:
    with pytest.raises(ValueError, match="must start with '/'"):
        OperationMatcher.build([("GET", "api/scores/", True)])
