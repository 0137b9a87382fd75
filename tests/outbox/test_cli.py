"""`respan-evals outbox status|retry|drain FILE`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from respan_evals import Outbox
from respan_evals.cli import main
from respan_evals.testing import Emulator

from .conftest import FAST


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--rate-limit", "0", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def env(respan_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Emulator:
    monkeypatch.setenv("RESPAN_API_KEY", respan_emulator.api_key)
    monkeypatch.setenv("RESPAN_BASE_URL", respan_emulator.base_url)
    monkeypatch.setenv("COLUMNS", "200")
    return respan_emulator


def test_status_drain_and_retry_from_the_shell(
    env: Emulator, outbox_path: Path, quality: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    with Outbox(outbox_path, **FAST) as box:
        box.score_log("log_1", 4, evaluator="quality")
        box.score_log("log_2", 9, evaluator="quality", value_type="numerical")  # the server: 400
    code, out, _ = _run(capsys, "outbox", "status", str(outbox_path), "--json")
    assert code == 0
    assert json.loads(out)["queued"] == 2

    code, out, _ = _run(capsys, "outbox", "drain", str(outbox_path))
    assert code == 1  # one failed
    assert "left queued: 0 scores; failed: 1 score" in out
    assert env.score_count() == 1

    code, out, _ = _run(capsys, "outbox", "status", str(outbox_path))
    assert code == 0
    assert "BadRequestError" in out and "log_2" in out
    assert env.api_key not in out

    env.store.update_evaluator(
        quality["id"],
        {"score_config": {"min_score": 1, "max_score": 10}},
        "t@example.com",
        partial=True,
    )
    code, out, _ = _run(capsys, "outbox", "retry", str(outbox_path))
    assert (code, out.strip()) == (0, "queued again: 1 score")
    code, out, _ = _run(capsys, "outbox", "drain", str(outbox_path))
    assert code == 0 and "left queued: 0 scores; failed: 0 scores" in out
    assert env.score_count() == 2


def test_a_missing_file_is_an_error_not_a_new_outbox(
    env: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "typo.outbox"
    code, _, err = _run(capsys, "outbox", "status", str(missing))
    assert code == 2 and "no outbox file" in err
    assert not missing.exists()
