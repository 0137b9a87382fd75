"""Schemathesis against `respan-evals emulator --rate-limit 0`: no 500, no answer off the spec.

A bounded run (5 examples per operation, a fixed seed, one worker, a wall-clock limit) with the
three checks of issue 13, in the examples, fuzzing and stateful phases: every operation gets the
spec's examples, schema-derived and hostile inputs (bad UTF-8 bodies, wrong types, missing
fields), and create-then-use sequences; about 200 requests, 8 s. The coverage phase (3,400
boundary and negative cases, another 12 s) is left to a longer run by hand: the same command
with `--phases examples,coverage,fuzzing,stateful --max-examples 100`.
"""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

SPEC = Path(__file__).resolve().parents[2] / "openapi.yaml"
CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance"
MAX_EXAMPLES = 5
PHASES = "examples,fuzzing,stateful"
SEED = 1
WALL_CLOCK = 120.0  # seconds; the run takes about 8 s on a 2-core machine
LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:\d+)")


def _schemathesis() -> str:
    found = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail(
            "schemathesis is not installed next to this Python; install the dev extra "
            "(pip install -e '.[dev]')",
            pytrace=False,
        )
    return found


@pytest.fixture
def emulator_process() -> Iterator[tuple[str, str]]:
    """(base URL, API key) of a `respan-evals emulator` on 127.0.0.1 and a free port."""
    key = f"sk_test_{secrets.token_hex(16)}"
    flags = ["--rate-limit", "0", "--port", "0", "--host", "127.0.0.1", "--api-key", key]
    proc = subprocess.Popen(
        [sys.executable, "-m", "respan_evals.testing", *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = _wait_for_url(proc)
        yield url, key
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def _wait_for_url(proc: subprocess.Popen[str]) -> str:
    """The base URL from the emulator's first lines; fails if it exits or says nothing."""
    assert proc.stdout is not None
    found: list[str] = []
    seen: list[str] = []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            seen.append(line)
            match = LISTENING.search(line)
            if match:
                found.append(match.group(1))
                break

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(30)
    if not found:
        pytest.fail(f"the emulator did not start: {''.join(seen)[-2000:]}", pytrace=False)
    # Keep draining its output so that it never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _ in proc.stdout or []], daemon=True).start()
    return found[0]


def test_schemathesis_finds_no_failure(emulator_process: tuple[str, str], tmp_path: Path) -> None:
    url, key = emulator_process
    command = [
        _schemathesis(),
        "run",
        str(SPEC),
        "--url",
        url,
        "--checks",
        CHECKS,
        "--header",
        f"Authorization: Bearer {key}",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        "--phases",
        PHASES,
        "--workers",
        "1",
        "--request-timeout",
        "10",
        "--no-shrink",
    ]
    # In tmp_path: schemathesis reads a config file from, and writes its cache to, the cwd.
    result = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=WALL_CLOCK
    )
    output = (result.stdout + result.stderr).replace(key, "<key>")
    assert result.returncode == 0, output[-12000:]
    assert re.search(r"\d+ generated, \d+ passed", output), output[-4000:]
