"""Ways to run it: context managers, the pytest fixture, the CLI; plus lazy imports and threads."""

from __future__ import annotations

import gc
import io
import os
import signal
import subprocess
import sys
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from respan_evals.testing import Emulator, emulator
from respan_evals.testing.cli import main as cli_main
from respan_evals.testing.pytest_plugin import running_emulator

ROOT = Path(__file__).resolve().parents[2]
ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join([str(ROOT / "facade"), os.environ.get("PYTHONPATH", "")]),
}


def test_context_manager_starts_and_stops() -> None:
    with emulator(api_keys={"sk_test_a": "alice@example.com"}, rate_limit=None) as emu:
        assert emu.api_key == "sk_test_a"
        assert emu.base_url.startswith("http://127.0.0.1:")
        r = httpx.get(emu.url("/api/evaluators/summary/"), headers=emu.headers)
        assert r.json() == {"total_count": 0}
        url = emu.base_url
    assert not emu.running
    with pytest.raises(RuntimeError):
        _ = emu.base_url
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/api/scores/")


def test_default_key_is_generated() -> None:
    emu = Emulator()
    assert emu.api_key.startswith("sk_test_") and len(emu.api_keys) == 1


def test_refuses_non_loopback_host() -> None:
    with pytest.raises(ValueError, match="loopback"):
        Emulator(host="0.0.0.0")
    Emulator(host="0.0.0.0", allow_non_loopback=True)  # allowed when asked for


def test_the_fixture_in_a_few_lines(respan_emulator: Emulator) -> None:
    with respan_emulator.client() as client:
        r = client.post(
            "/api/evaluators/", json={"name": "Tone", "type": "human", "score_value_type": "text"}
        )
    assert r.status_code == 201
    assert respan_emulator.evaluator_count() == 1
    assert respan_emulator.strict


def test_observability_and_reset(emu: Emulator) -> None:
    with emu.client() as client:
        client.get("/api/scores/")
        client.get("/api/scores/nope/")
    assert [tuple(r) for r in emu.requests] == [
        ("GET", "/api/scores/", 200),
        ("GET", "/api/scores/nope/", 404),
    ]
    emu.create_evaluator(name="Seeded")
    assert emu.evaluator_count() == 1 and emu.score_count() == 0
    emu.reset()
    assert (emu.evaluator_count(), emu.requests, emu.fault_log) == (0, [], [])


def test_ids_can_be_seeded() -> None:
    ids = []
    for _ in range(2):
        with Emulator(id_seed=5, rate_limit=None) as emu:
            ids.append(emu.create_evaluator()["id"])
    assert ids[0] == ids[1] and ids[0].startswith("evl_")


def test_concurrent_clients(emu: Emulator) -> None:
    eid = emu.create_evaluator()["id"]

    def work(i: int) -> int:
        r = client.post(
            f"/api/logs/log_{i % 5}/scores/", json={"evaluator_id": eid, "numerical_value": 0.5}
        )
        return r.status_code

    with emu.client() as client, ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(work, range(40)))
    assert sorted(set(codes)) == [200, 201]
    assert codes.count(201) == 5
    assert emu.score_count() == 5


def test_fixture_fails_teardown_on_violations() -> None:
    steps = running_emulator({"rate_limit": None})
    emu = next(steps)
    assert emu.strict and emu.running
    emu._record_violation("GET", "/api/scores/", 200, ["count: 'x' is not of type 'integer'"])
    with pytest.raises(pytest.fail.Exception, match="broke the API spec"):
        next(steps)
    assert not emu.running


def test_fixture_teardown_passes_when_clean() -> None:
    steps = running_emulator({})
    emu = next(steps)
    with emu.client() as client:
        assert client.get("/api/scores/").status_code == 200
    with pytest.raises(StopIteration):
        next(steps)


def test_plugin_and_package_load_without_the_extra() -> None:
    code = textwrap.dedent(
        """
        import sys
        for name in ("starlette", "h11", "openapi_core"):
            sys.modules[name] = None  # make these imports fail
        import respan_evals.testing as t
        import respan_evals.testing.pytest_plugin
        assert t.FaultPlan(seed=1).seed == 1
        try:
            t.Emulator
        except ImportError:
            print("lazy ok")
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV)
    assert proc.stdout.strip() == "lazy ok", proc.stderr


@pytest.mark.parametrize("sigint", ["as it is", "ignored"])
def test_cli_serves_until_interrupted(sigint: str) -> None:
    """Ctrl-C stops it, as its banner says, also where it starts with SIGINT ignored (a
    shell's background job inherits that; a child inherits it from this process here)."""
    inherited = signal.getsignal(signal.SIGINT)
    if sigint == "ignored":
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        proc = start_cli_emulator()
    finally:
        signal.signal(signal.SIGINT, inherited)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("Respan emulator listening on http://127.0.0.1:"), first
        base = first.split()[-1]
        assert "sk_cli" in proc.stdout.readline()
        r = httpx.get(base + "/api/evaluators/summary/", headers={"Authorization": "Bearer sk_cli"})
        assert r.json() == {"total_count": 0}
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=20)
        assert proc.returncode == 0
        assert out.endswith("Emulator stopped.\n")
    finally:
        if proc.poll() is None:
            proc.kill()


def start_cli_emulator() -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "respan_evals.testing",
            "emulator",
            "--port",
            "0",
            "--api-key",
            "sk_cli=cli@example.com",
            "--rate-limit",
            "0",
            "--seed",
            "3",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )


class _CtrlCAtTheBanner(io.StringIO):
    """A terminal whose user presses Ctrl-C as the banner appears (the emulator already serves,
    from its own thread: a client may send the signal as it reads the first line)."""

    pressed = False

    def write(self, text: str) -> int:
        if "listening on" in text and not self.pressed:
            self.pressed = True
            raise KeyboardInterrupt
        return super().write(text)


def test_ctrl_c_as_the_banner_appears_stops_the_emulator_cleanly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = _CtrlCAtTheBanner()
    monkeypatch.setattr(sys, "stdout", terminal)
    default, interrupt = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    serving = {t.ident for t in threading.enumerate()}
    try:
        status = cli_main(["--port", "0", "--rate-limit", "0", "--no-validate"])
    except KeyboardInterrupt:  # out of the CLI, a traceback; here, it would stop pytest
        pytest.fail("the Ctrl-C escaped the CLI", pytrace=False)
    assert status == 0
    assert terminal.pressed
    assert terminal.getvalue().endswith("Emulator stopped.\n")
    assert signal.getsignal(signal.SIGTERM) is default
    assert signal.getsignal(signal.SIGINT) is interrupt
    assert {t.ident for t in threading.enumerate()} <= serving  # its server thread is gone


def test_cli_refuses_non_loopback_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RESPAN_EMULATOR_HOST", "0.0.0.0")
    assert cli_main(["emulator", "--port", "0"]) == 2
    assert "--host" in capsys.readouterr().err


def test_the_cli_freezes_what_it_loaded_to_start() -> None:
    """The emulator's own process: its start-up objects are left out of garbage collection."""
    import _thread

    frozen: list[int] = []
    default = signal.getsignal(signal.SIGTERM)

    def stop_once_serving() -> None:
        # SIGTERM only once the CLI has its own handler in place (it stops the CLI, not pytest).
        for _ in range(500):
            if signal.getsignal(signal.SIGTERM) is not default:
                frozen.append(gc.get_freeze_count())
                os.kill(os.getpid(), signal.SIGTERM)
                return
            threading.Event().wait(0.01)
        _thread.interrupt_main()  # no handler came: stop the CLI anyway (the test then fails)

    # What the CLI freezes here stays frozen, as what the suite froze after collection does
    # (tests/conftest.py): it is left out of garbage collection, nothing else.
    before = gc.get_freeze_count()
    stopper = threading.Thread(target=stop_once_serving)
    stopper.start()
    try:
        assert cli_main(["--port", "0", "--rate-limit", "0", "--no-validate"]) == 0
    finally:
        stopper.join()
    assert frozen and frozen[0] > before
    assert signal.getsignal(signal.SIGTERM) is default
