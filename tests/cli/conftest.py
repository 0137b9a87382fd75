"""CLI tests: the real command, end to end, against the emulator on a loopback port."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from respan_evals.cli import main
from respan_evals.testing import Emulator
from respan_evals.testing.pytest_plugin import pytest_configure, respan_emulator

__all__ = ["pytest_configure", "respan_emulator"]

# Recognisable, so a test can tell it never reached any output.
FAKE_KEY = "sk_test_CLIKEY_do_not_print_7f3a9c"
USER = "cli@example.com"


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def both(self) -> str:
        return self.out + self.err


Run = Callable[..., Result]


@pytest.fixture
def emu(respan_emulator: Emulator) -> Emulator:
    """The emulator with our fake key and no rate limit (tests send many requests)."""
    respan_emulator.add_api_key(FAKE_KEY, USER)
    respan_emulator.set_rate_limit(None)
    return respan_emulator


@pytest.fixture
def run(emu: Emulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """run("scores", "import", path) -> Result; the key and URL come from the environment."""
    monkeypatch.setenv("RESPAN_API_KEY", FAKE_KEY)
    monkeypatch.setenv("RESPAN_BASE_URL", emu.base_url)
    monkeypatch.setenv("COLUMNS", "200")  # wide tables, so names are not folded

    def invoke(*args: str, rate_limit: str = "0") -> Result:
        capsys.readouterr()
        code = main(["--rate-limit", rate_limit, *args])
        captured = capsys.readouterr()
        result = Result(code, captured.out, captured.err)
        assert FAKE_KEY not in result.both
        return result

    return invoke


@pytest.fixture
def seeded(emu: Emulator) -> dict[str, dict[str, Any]]:
    """One evaluator of each value type, created in the store directly (no HTTP)."""
    specs: dict[str, dict[str, Any]] = {
        "quality": {
            "score_value_type": "numerical",
            "score_config": {"min_score": 1, "max_score": 5},
            "passing_conditions": {"primary_score": {"operator": "gte", "value": [3]}},
        },
        "grounded": {"score_value_type": "percentage"},
        "safe": {"score_value_type": "boolean"},
        "tone": {
            "score_value_type": "single_select",
            "score_config": {"choices": [{"name": n, "value": n} for n in ("calm", "curt")]},
        },
        "topics": {
            "score_value_type": "multi_select",
            "score_config": {
                "choices": [{"name": n, "value": n} for n in ("billing", "shipping", "returns")]
            },
        },
        "note": {"score_value_type": "text"},
        "facts": {"score_value_type": "json"},
    }
    return {
        slug: emu.create_evaluator(USER, name=slug.title(), evaluator_slug=slug, **spec)
        for slug, spec in specs.items()
    }


def stored(emu: Emulator) -> list[tuple[str, str]]:
    """(log_id, evaluator_slug) of every score in the emulator, one entry per score."""
    return sorted((s["log_id"], s["evaluator_slug"]) for s in emu.store.scores.values())


def upserts(emu: Emulator) -> int:
    """Score writes the emulator received (each attempt counts, retries included)."""
    return sum(
        1
        for r in emu.requests
        if r.method == "POST" and r.path.startswith("/api/logs/") and r.path.endswith("/scores/")
    )


def write_jsonl(path: Path, rows: list[dict[str, Any] | str]) -> Path:
    lines = [row if isinstance(row, str) else json.dumps(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture
def good_rows() -> Iterator[list[dict[str, Any]]]:
    rows: list[dict[str, Any]] = []
    for n in range(1, 21):
        log = f"log_{n:03d}"
        rows.append({"log_id": log, "evaluator": "quality", "value": 1 + n % 5})
        rows.append({"log_id": log, "evaluator": "safe", "value": n % 4 != 0})
    yield rows
