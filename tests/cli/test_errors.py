"""Errors are one `error:` line on stderr with a non-zero exit, and the key is never printed."""

from __future__ import annotations

import logging
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from respan_evals import _logging
from respan_evals.cli import main
from respan_evals.testing import Emulator, FaultPlan

from .conftest import FAKE_KEY, Run, read_jsonl, write_jsonl

WRONG_KEY = "sk_live_WRONGKEY_never_print_5d1e"


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    return lines[0]


def test_a_rejected_key_is_one_line_and_never_printed(
    emu: Emulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RESPAN_API_KEY", raising=False)
    for extra in ([], ["--verbose"]):
        code = main(
            ["--api-key", WRONG_KEY, "--base-url", emu.base_url, *extra, "evaluators", "list"]
        )
        out, err = capsys.readouterr()
        assert code == 1
        assert WRONG_KEY not in out + err
        if not extra:
            line = one_error_line(err)
            assert "401" in line and "API key" in line
        else:  # the traceback, still without the key
            assert "Traceback" in err and "AuthenticationError" in err
            assert err.splitlines()[-1].startswith("error: ")


def test_verbose_logs_retries_without_the_key(
    run: Run, emu: Emulator, seeded: dict[str, Any], tmp_path: Path
) -> None:
    emu.set_faults(FaultPlan(burst_429=1, retry_after=0, only_paths=("/api/logs/",)))
    source = write_jsonl(
        tmp_path / "s.jsonl", [{"log_id": "l1", "evaluator": "safe", "value": True}]
    )
    result = run("--verbose", "scores", "import", str(source))
    assert result.code == 0
    # The level of the retry line is the transport's to choose (INFO, so RESPAN_LOG=info shows it).
    assert "retrying POST /api/logs/l1/scores/ after RateLimitError 429" in result.err
    assert "respan_evals.cli DEBUG evaluator slug 'safe': found" in result.err


REQUEST_ID = re.compile(r"\(request id (req_[0-9a-f]{24})\)")


def test_a_server_error_shows_its_request_id(run: Run, emu: Emulator) -> None:
    result = run("evaluators", "get", "evl_missing")
    assert result.code == 1
    line = one_error_line(result.err)
    assert "404" in line and REQUEST_ID.search(line), line


def test_a_row_the_server_failed_names_its_request_id(
    run: Run, emu: Emulator, seeded: dict[str, Any], tmp_path: Path
) -> None:
    emu.set_faults(FaultPlan(error_rate=1.0, only_paths=("/api/logs/",)))
    source = write_jsonl(
        tmp_path / "s.jsonl", [{"log_id": "l1", "evaluator": "safe", "value": True}]
    )
    result = run("--max-retries", "0", "scores", "import", str(source))
    assert result.code == 1
    (reject,) = read_jsonl(tmp_path / "s.jsonl.rejects.jsonl")
    assert reject["status"] == "failed" and REQUEST_ID.search(reject["reason"]), reject


@pytest.fixture
def respan_log_debug() -> Iterator[None]:
    """As if RESPAN_LOG=debug had been set when respan_evals was imported."""
    logger = logging.getLogger("respan_evals")
    level = logger.level
    _logging.configure_from_env({"RESPAN_LOG": "debug"})
    yield
    _logging.remove_env_handler()
    logger.setLevel(level)


@pytest.mark.usefixtures("respan_log_debug")
def test_verbose_with_respan_log_prints_each_line_once(
    run: Run, emu: Emulator, seeded: dict[str, Any], tmp_path: Path
) -> None:
    emu.set_faults(FaultPlan(burst_429=1, retry_after=0, only_paths=("/api/logs/",)))
    source = write_jsonl(
        tmp_path / "s.jsonl", [{"log_id": "l1", "evaluator": "safe", "value": True}]
    )
    result = run("--verbose", "scores", "import", str(source))
    assert result.code == 0
    assert result.err.count("retrying POST /api/logs/l1/scores/") == 1, result.err
    names = [h.get_name() for h in logging.getLogger("respan_evals").handlers]
    assert "RESPAN_LOG" not in names  # --verbose brought its own, redacting, handler


def test_no_key(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RESPAN_API_KEY", raising=False)
    assert main(["evaluators", "list"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert line == "error: no API key: pass --api-key or set RESPAN_API_KEY"


def test_unreachable_server_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESPAN_API_KEY", FAKE_KEY)
    code = main(["--base-url", "http://127.0.0.1:9", "--max-retries", "0", "evaluators", "list"])
    out, err = capsys.readouterr()
    assert code == 1
    assert FAKE_KEY not in out + err
    assert "127.0.0.1:9" in one_error_line(err) or "connect" in err.lower()


def test_plain_http_to_a_remote_host_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESPAN_API_KEY", FAKE_KEY)
    assert main(["--base-url", "http://example.com", "evaluators", "list"]) == 2  # bad input
    out, err = capsys.readouterr()
    line = one_error_line(err)
    assert "unencrypted" in line
    assert "--base-url https://" in line and "allow_insecure_http" not in line  # CLI words
    assert FAKE_KEY not in out + err


def test_usage_errors_and_bad_files_are_one_line(run: Run, tmp_path: Path) -> None:
    for args, needle, code in (
        (["scores", "impor"], "No such command 'impor'", 2),
        (["scores", "import"], "Missing argument 'FILE'", 2),
        (["scores", "import", str(tmp_path / "none.jsonl")], "no such file", 2),
        (["scores", "import", str(write_jsonl(tmp_path / "x.txt", []))], "--format", 2),
        (["scores", "import", "--concurrency", "0", "x.jsonl"], "--concurrency", 2),
        (["evaluators", "run", "evl_1", "--inputs", "[1]"], "must be a JSON object", 2),
        (["evaluators", "create", "-f", str(tmp_path / "none.yaml")], "does not exist", 2),
    ):
        result = run(*args)
        assert result.code == code, (args, result)
        assert needle in one_error_line(result.err), (args, result.err)


def test_a_csv_without_a_header_is_one_line(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "s.csv"
    source.write_text("l1,quality,3\n")
    result = run("scores", "import", str(source))
    assert result.code == 2
    assert "header" in one_error_line(result.err)


def test_help_and_version(run: Run) -> None:
    top = run("--help")
    assert top.code == 0 and "scores" in top.out and "evaluators" in top.out and "demo" in top.out
    assert "RESPAN_API_KEY" in top.out
    assert run("--version").out.startswith("respan-evals, version ")
    emulator = run("emulator", "--help")
    assert emulator.code == 0 and "emulator" in emulator.out and "--rate-limit" in emulator.out


def test_without_click_and_rich_the_command_says_what_to_install() -> None:
    """`import respan_evals` works without the extra, and never loads the CLI package."""
    script = (
        "import sys\n"
        "sys.modules['click'] = None\n"  # None in sys.modules makes `import click` fail
        "sys.modules['rich'] = None\n"
        "import respan_evals\n"
        "assert 'respan_evals.cli' not in sys.modules\n"
        "from respan_evals.cli import main\n"
        "sys.exit(main(['demo']))\n"
    )
    process = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=dict(os.environ)
    )
    assert process.returncode == 3, process.stderr  # the code of every missing extra
    assert process.stderr.strip() == (
        "respan-evals: the command needs its extra dependencies: pip install 'respan-evals[cli]'"
    )


def test_importing_respan_evals_does_not_import_the_cli() -> None:
    script = (
        "import sys, respan_evals, respan_evals.types\n"
        "print(sorted(m for m in sys.modules if m.startswith('respan_evals.cli')))\n"
    )
    process = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert process.stdout.strip() == "[]"


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_a_connection_error_names_the_host_never_the_key(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RESPAN_API_KEY", raising=False)
    port = closed_port()
    code = main(
        [
            "--api-key",
            WRONG_KEY,
            "--base-url",
            f"http://127.0.0.1:{port}",
            "--max-retries",
            "0",
            "evaluators",
            "list",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 1
    assert f"cannot connect to 127.0.0.1:{port} (ConnectError" in one_error_line(err)
    assert WRONG_KEY not in out + err


@pytest.mark.parametrize("suffix", ["/api", "/api/"])
def test_a_base_url_ending_in_api_is_refused_with_the_fix(
    suffix: str, emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    before = len(emu.requests)
    code = main(["--api-key", FAKE_KEY, "--base-url", emu.base_url + suffix, "evaluators", "list"])
    err = capsys.readouterr().err
    assert code != 0
    assert f"base_url is the host, without /api: use {emu.base_url} " in one_error_line(err)
    assert len(emu.requests) == before  # refused before anything was sent


# Hides the emulator extra's packages the way a machine without them would not find them.
HIDE_EMULATOR_EXTRA = (
    "import sys\n"
    "class Hide:\n"
    "    def find_spec(self, name, path=None, target=None):\n"
    "        if name.partition('.')[0] in {'starlette', 'h11', 'openapi_core'}:\n"
    "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
    "sys.meta_path.insert(0, Hide())\n"
    "from respan_evals.cli import main\n"
)


@pytest.mark.parametrize(
    "command", [["demo"], ["emulator", "--port", "0"]], ids=["demo", "emulator"]
)
def test_a_missing_emulator_extra_is_exit_3_for_every_command(command: list[str]) -> None:
    process = subprocess.run(
        [sys.executable, "-c", HIDE_EMULATOR_EXTRA + f"sys.exit(main({command!r}))"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert process.returncode == 3, process.stderr
    assert "pip install 'respan-evals[emulator]'" in process.stderr
    assert any(name in process.stderr for name in ("starlette", "h11", "openapi_core"))


def test_the_exit_codes_are_documented(run: Run) -> None:
    top = run("--help")
    assert "3 a missing extra" in " ".join(top.out.split())
    emulator = run("emulator", "--help")
    assert "3 the emulator extra is missing" in " ".join(emulator.out.split())
