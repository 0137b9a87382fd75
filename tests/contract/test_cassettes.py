"""Checks over the cassette files themselves: no secrets, every operation covered, nothing stale.

(Each cassette's interactions are checked against openapi.yaml by the test that plays it.)
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest

from . import conftest
from ._recording import ReadableYAML, secrets_in
from ._spec import find_operation, operations
from .conftest import CASSETTES, HERE, MODE, deselected, is_contract_test, known_keys

FILES = sorted(CASSETTES.rglob("*.yaml"))
MAX_INTERACTIONS = 25  # small cassettes: one scenario each, cheap to match and to review

pytestmark = pytest.mark.skipif(MODE != "replay", reason="cassettes are being re-recorded")


def _name(path: Path) -> str:
    return str(path.relative_to(CASSETTES))


@functools.cache  # each cassette is read by three tests: parsed once
def _interactions(path: Path) -> tuple[dict[str, Any], ...]:
    data = ReadableYAML.deserialize(path.read_text(encoding="utf-8"))
    return tuple(data.get("interactions") or [])


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_cassette_holds_no_secret(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert secrets_in(text, known_keys()) == []
    for interaction in _interactions(path):
        headers = {k.lower() for k in interaction["request"]["headers"]}
        assert headers <= {"authorization", "content-type", "accept"}, headers
        assert interaction["request"]["headers"]["Authorization"] == ["Bearer <RESPAN_API_KEY>"]
        assert {k.lower() for k in interaction["response"]["headers"]} <= {
            "content-type",
            "retry-after",
        }


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_cassette_is_small(path: Path) -> None:
    assert 1 <= len(_interactions(path)) <= MAX_INTERACTIONS


def _seen() -> dict[str, set[int]]:
    """operationId -> statuses recorded for it, over all cassettes."""
    from urllib.parse import urlsplit

    seen: dict[str, set[int]] = {}
    for path in FILES:
        for interaction in _interactions(path):
            request = interaction["request"]
            op = find_operation(request["method"], urlsplit(request["uri"]).path)
            assert op is not None, f"{_name(path)}: {request['method']} {request['uri']}"
            seen.setdefault(op.operation_id, set()).add(interaction["response"]["status"]["code"])
    return seen


def test_every_operation_has_a_successful_cassette() -> None:
    seen = _seen()
    missing = sorted(
        op.operation_id
        for op in operations()
        if not any(200 <= s < 300 for s in seen.get(op.operation_id, ()))
    )
    assert operations(), "openapi.yaml has no operations"
    assert missing == [], (
        "operations of openapi.yaml no cassette calls successfully: add a contract test that "
        "calls each through the facade, then record it with "
        "`scripts/record-cassettes tests/contract/<module>.py::<test>`"
    )


def test_error_scenarios_are_recorded() -> None:
    statuses = set().union(*_seen().values())
    assert {400, 401, 404, 429} <= statuses
    assert any(s >= 500 for s in statuses)


def test_every_cassette_belongs_to_a_test(request: pytest.FixtureRequest) -> None:
    config = request.config
    if (
        deselected()
        or config.option.keyword
        or config.option.markexpr
        or any("::" in str(arg) for arg in config.args)
    ):
        pytest.skip("stale cassettes are only detected on a full run of the contract tests")
    collected: dict[str, set[str]] = {}
    for item in request.session.items:
        if is_contract_test(item):
            collected.setdefault(item.path.stem, set()).add(item.name)
    stale = [_name(p) for p in CASSETTES.rglob("*.partial")]
    for folder in sorted(p for p in CASSETTES.iterdir() if p.is_dir()):
        if not (HERE / f"{folder.name}.py").exists():
            stale.append(f"{folder.name}/ (no test module {folder.name}.py)")
        elif folder.name in collected:
            names = collected[folder.name]
            stale += [_name(p) for p in sorted(folder.glob("*.yaml")) if p.stem not in names]
    assert stale == [], "delete these cassettes, or re-record: " + ", ".join(stale)


def test_only_a_deselected_contract_test_makes_the_run_partial(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Item:
        def __init__(self, *fixturenames: str) -> None:
            self.fixturenames = fixturenames

    elsewhere, contract = Item("tmp_path"), Item("contract", "tmp_path")
    monkeypatch.setattr(conftest, "_DESELECTED", [elsewhere])
    assert deselected() == []  # the stale-cassette check still runs
    monkeypatch.setattr(conftest, "_DESELECTED", [elsewhere, contract])
    assert deselected() == [contract]
