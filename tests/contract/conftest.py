"""Contract tests: the facade's requests replayed from small recorded cassettes.

Modes (environment variable RESPAN_CONTRACT_RECORD; scripts/record-cassettes sets it):
- unset: replay. vcrpy record_mode "none", sockets blocked: a request that is not in the
  test's cassette fails the test, and so does a recorded request the facade no longer makes.
- "emulator": record against a fresh local emulator per test (deterministic ids, fixed clock).
- "live": record against the real API (RESPAN_API_KEY, optional RESPAN_BASE_URL); tests marked
  `emulator_only` (injected faults) are still recorded against the emulator.
In every mode each interaction is checked against a strict copy of openapi.yaml (_spec.py).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import secrets
import shlex
import socket
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from vcr.errors import CannotOverwriteExistingCassetteException

from respan_evals import AsyncRespan, NotFoundError, Respan

from ._recording import PLACEHOLDER_KEY, Rewriter, make_vcr, secrets_in
from ._spec import SERVER, check_interaction

MODE_ENV = "RESPAN_CONTRACT_RECORD"  # "" (replay) | "emulator" | "live"
DIR_ENV = "RESPAN_CASSETTE_DIR"  # where cassettes are read and written
KEY_ENV = "RESPAN_CONTRACT_RECORDING_KEY"  # the emulator key used while recording
LOGS_ENV = "RESPAN_CONTRACT_LOG_IDS"  # live only: existing log ids, comma-separated

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEFAULT_CASSETTES = (HERE / "cassettes").resolve()
CASSETTES = Path(os.environ.get(DIR_ENV) or DEFAULT_CASSETTES).resolve()
MODE = (os.environ.get(MODE_ENV) or "replay").strip().lower()
RECORDING_KEY = os.environ.get(KEY_ENV) or f"sk_test_{secrets.token_hex(16)}"
RECORDER_EMAIL = "contract@example.com"
# The emulator's clock while recording: 2026-01-01T00:00:00Z, one second more per reading.
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
SLUG_PREFIX = "respan-evals-contract-"  # every evaluator the contract tests create


def log_placeholder(n: int) -> str:
    return f"log_contract_{n}"


def known_keys() -> list[str]:
    """Keys that must never appear in a cassette."""
    keys = [os.environ.get(KEY_ENV, ""), os.environ.get("RESPAN_API_KEY", "")]
    if MODE == "emulator":
        keys.append(RECORDING_KEY)
    return [k for k in keys if k]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "emulator_only: needs injected faults; recorded against the emulator even in live mode",
    )
    if MODE not in ("replay", "emulator", "live"):
        raise pytest.UsageError(f"{MODE_ENV} must be unset, 'emulator' or 'live', got {MODE!r}")
    if MODE == "live" and not os.environ.get("RESPAN_API_KEY"):
        raise pytest.UsageError(f"{MODE_ENV}=live needs RESPAN_API_KEY")


# ---- network ---------------------------------------------------------------------------------
class NetworkBlockedError(RuntimeError):
    """A test tried to open a connection it must not open (not an OSError: nothing retries it)."""


def _is_loopback(address: object) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    return isinstance(host, str) and (host in ("localhost", "::1") or host.startswith("127."))


@pytest.fixture(autouse=True)
def _network_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Replay: every socket connect and DNS lookup fails loudly. Emulator recording: only
    loopback is allowed. Live recording: no guard."""
    attempts: list[str] = []
    if MODE == "live":
        yield attempts
        return
    allow_loopback = MODE == "emulator"
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def refuse(what: str) -> NetworkBlockedError:
        attempts.append(what)
        return NetworkBlockedError(
            f"network access is blocked in contract tests ({MODE} mode): {what}. In replay, "
            "every request must come from the cassette; re-record with scripts/record-cassettes"
        )

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not (
            allow_loopback and _is_loopback(address)
        ):
            raise refuse(f"connect to {address!r}")
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not (
            allow_loopback and _is_loopback(address)
        ):
            raise refuse(f"connect to {address!r}")
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not (allow_loopback and _is_loopback(host)):
            raise refuse(f"DNS lookup of {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield attempts
    # Even if something caught the error, the attempt fails the test.
    assert not attempts, f"blocked network access: {attempts}"


# ---- the contract fixture --------------------------------------------------------------------
class Sleeps(list[float]):
    """The client's sleep, replaced: waits are recorded, not waited (retries stay instant)."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.append(seconds)


def _counting_clock() -> Callable[[], datetime]:
    ticks = itertools.count()
    return lambda: EPOCH + timedelta(seconds=next(ticks))


@dataclass
class Contract:
    """What a contract test gets: a facade client wired to the cassette, and helpers."""

    mode: str  # "replay", "emulator" or "live" for this test
    base_url: str
    api_key: str
    cassette: Any = None
    emulator: Any = None  # the recording Emulator (emulator mode only)
    log_ids: tuple[str, ...] = ()  # live only
    sleeps: Sleeps = field(default_factory=Sleeps)
    misses: list[str] = field(default_factory=list)
    _clients: list[Any] = field(default_factory=list)
    _client: Respan | None = None

    @property
    def client(self) -> Respan:
        if self._client is None:
            self._client = self.new_client()
        return self._client

    def _options(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("base_url", self.base_url)
        kwargs.setdefault("timeout", 30.0)
        # Pacing only matters against the real API; the cassette is the same either way.
        kwargs.setdefault("rate_limit", 60.0 if self.mode == "live" else None)
        return kwargs

    def new_client(self, api_key: str | None = None, **kwargs: Any) -> Respan:
        """A sync client on this test's cassette (api_key: e.g. a bad one for the 401 test)."""
        client = Respan(api_key or self.api_key, **self._options(**kwargs))
        self._wire(client, self.sleeps)
        return client

    def new_async_client(self, api_key: str | None = None, **kwargs: Any) -> AsyncRespan:
        client = AsyncRespan(api_key or self.api_key, **self._options(**kwargs))
        self._wire(client, self.sleeps.asleep)
        return client

    def _wire(self, client: Respan | AsyncRespan, sleep: Callable[[float], Any]) -> None:
        # The same private hooks the unit tests use (tests/unit/conftest.py).
        transport = client._transport
        if self.mode == "live":
            # One pacer for the whole live recording: the API's limit is per organisation,
            # and a fresh client per test would start with a full burst every time.
            transport.pacer = _LIVE_PACER.setdefault("pacer", transport.pacer)
        else:
            transport.sleep = sleep  # no real waits on 429/5xx retries
            transport.random = lambda: 0.5  # fixed jitter: the same waits on every run
        self._clients.append(client)

    def log(self, n: int = 1) -> str:
        """The id of log number n (1-based): a placeholder, or in live mode a real log's id
        (rewritten to the placeholder in the cassette). Live: skip when too few are given."""
        if self.mode != "live":
            return log_placeholder(n)
        if n > len(self.log_ids):
            pytest.skip(f"live recording needs {n} log ids in {LOGS_ENV}; the cassette is kept")
        return self.log_ids[n - 1]

    def set_faults(self, plan: Any) -> None:
        """Inject emulator faults from now on (recording only; replay plays what was seen)."""
        if self.emulator is not None:
            self.emulator.set_faults(plan)

    def verify(self, node: pytest.Item) -> None:
        """After a passing test body: the cassette was used exactly, and it follows the spec."""
        traffic: list[str] = []  # the facade's requests and the recording disagree
        if self.misses:
            traffic.append("requests not in the cassette: " + ", ".join(self.misses))
        if self.mode == "replay" and not self.cassette.all_played:
            unplayed = [
                f"{req.method} {req.uri}"
                for i, (req, _) in enumerate(self.cassette.data)
                if not self.cassette.play_counts[i]
            ]
            traffic.append("recorded requests the facade no longer makes: " + ", ".join(unplayed))
        off_spec: list[str] = []  # the recording and openapi.yaml disagree
        for i, (req, resp) in enumerate(self.cassette.data, 1):
            for problem in check_interaction(
                req.method,
                req.uri,
                dict(req.headers),
                req.body,
                int(resp["status"]["code"]),
                resp["headers"],
                resp["body"]["string"],
            ):
                off_spec.append(f"interaction {i} ({req.method} {req.path}): {problem}")
        if self.emulator is not None and self.emulator.violations:
            off_spec += [f"emulator broke the spec: {v}" for v in self.emulator.violations]
        problems = traffic + off_spec
        if problems:
            message = f"contract broken ({shown(cassette_path(node))}):\n  - " + "\n  - ".join(
                problems
            )
            if self.mode == "replay":
                message += "\n" + rerecord_hint(node, traffic=bool(traffic))
            pytest.fail(message, pytrace=False)

    def close(self) -> None:
        for client in self._clients:
            if isinstance(client, Respan):  # async clients are closed by their tests
                client.close()
        self._clients.clear()


_LIVE_PACER: dict[str, Any] = {}


def cassette_path(node: pytest.Item) -> Path:
    return CASSETTES / node.path.stem / f"{node.name}.yaml"


def shown(path: Path) -> str:
    """`path` relative to the repository root when it is inside it."""
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def rerecord_command(node: pytest.Item) -> str:
    """The command (run from the repository root) that re-records only this test's cassette."""
    test_id = f"{shown(node.path)}::{node.nodeid.split('::', 1)[-1]}"
    command = ["scripts/record-cassettes", test_id]
    if CASSETTES != DEFAULT_CASSETTES:  # recorded into another folder: re-record there
        command += ["--out", str(CASSETTES)]
    return shlex.join(command)


def rerecord_hint(node: pytest.Item, *, traffic: bool = True) -> str:
    """What a replay failure tells the reader: the cassette, and how to re-record just it.

    traffic: the facade's requests differ from the recording (else: only the spec does).
    """
    cassette = shown(cassette_path(node))
    if traffic:
        why = (
            f"The replay does not match {cassette}. Leave record_mode alone: if the facade is "
            "meant to send this now (decide that first)"
        )
    else:
        why = f"{cassette} breaks openapi.yaml. Fix the spec; or, if the API has changed"
    return f"{why}, re-record just this test and review `git diff`:\n    {rerecord_command(node)}"


def _test_mode(node: pytest.Item) -> str:
    if MODE == "live" and node.get_closest_marker("emulator_only") is not None:
        return "emulator"
    return MODE


@pytest.fixture
def contract(request: pytest.FixtureRequest) -> Iterator[Contract]:
    node = request.node
    mode = _test_mode(node)
    final = cassette_path(node)
    emulator = None
    replacements: dict[str, str] = {}
    log_ids: tuple[str, ...] = ()
    with contextlib.ExitStack() as server:
        if mode == "replay":
            if not final.exists():
                pytest.fail(
                    f"no cassette {shown(final)}: record it with {rerecord_command(node)}",
                    pytrace=False,
                )
            base_url, api_key, path, record_mode = SERVER, PLACEHOLDER_KEY, final, "none"
        else:
            # Record next to the cassette and move it into place only when the test passes:
            # a failed recording leaves the old cassette untouched.
            path = final.with_name(final.name + ".partial")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.unlink(missing_ok=True)
            record_mode = "all"
            if mode == "emulator":
                from respan_evals.testing import Emulator

                emulator = server.enter_context(
                    Emulator(
                        api_keys={RECORDING_KEY: RECORDER_EMAIL},
                        rate_limit=None,
                        id_seed=0,
                        now=_counting_clock(),
                        strict=True,
                    )
                )
                base_url, api_key = emulator.base_url, RECORDING_KEY
            else:
                base_url = (os.environ.get("RESPAN_BASE_URL") or SERVER).rstrip("/")
                api_key = os.environ["RESPAN_API_KEY"]
                log_ids = tuple(
                    s.strip() for s in os.environ.get(LOGS_ENV, "").split(",") if s.strip()
                )
                replacements.update({real: log_placeholder(i) for i, real in enumerate(log_ids, 1)})
            replacements[base_url] = SERVER
        vcr = make_vcr(Rewriter(replacements), CASSETTES)
        c = Contract(mode, base_url, api_key, None, emulator, log_ids)
        try:
            with vcr.use_cassette(str(path), record_mode=record_mode) as cassette:
                c.cassette = cassette
                if mode == "replay":
                    original = cassette.can_play_response_for

                    def tracking(req: Any) -> bool:
                        found = bool(original(req))
                        if not found:
                            c.misses.append(f"{req.method} {req.uri}")
                        return found

                    cassette.can_play_response_for = tracking
                try:
                    yield c
                finally:
                    c.close()
            # Leaving the `with` saved the cassette (recording modes).
        finally:
            if mode != "replay":
                try:
                    if c.cassette is not None:
                        _clean_up(c, base_url, api_key)
                finally:
                    _finish_recording(node, path, final)


def _finish_recording(node: pytest.Item, partial: Path, final: Path) -> None:
    report = getattr(node, "_contract_call_report", None)
    if report is None or not report.passed or not partial.exists():
        partial.unlink(missing_ok=True)
        return
    leaked = secrets_in(partial.read_text(encoding="utf-8"), [*known_keys(), RECORDING_KEY])
    if leaked:
        partial.unlink()
        pytest.fail(f"refusing to save {final.name}: {leaked}", pytrace=False)
    partial.replace(final)


def _created_ids(cassette: Any) -> tuple[list[str], list[str]]:
    """Scores and evaluators a recording created, read from its own interactions."""
    scores: list[str] = []
    evaluators: list[str] = []
    for req, resp in cassette.data:
        if req.method != "POST" or not 200 <= int(resp["status"]["code"]) < 300:
            continue
        path = urlsplit(req.uri).path
        try:
            created = json.loads(resp["body"]["string"] or b"null")
        except ValueError:
            continue
        if not isinstance(created, dict) or not isinstance(created.get("id"), str):
            continue
        if path == "/api/evaluators/":
            evaluators.append(created["id"])
        elif path == "/api/scores/" or (
            path.startswith("/api/logs/") and path.endswith("/scores/")
        ):
            scores.append(created["id"])
    return list(dict.fromkeys(scores)), list(dict.fromkeys(evaluators))


def _clean_up(c: Contract, base_url: str, api_key: str) -> None:
    """Delete what the recording created (also after a failed test), outside the cassette."""
    scores, evaluators = _created_ids(c.cassette)
    if c.emulator is not None:
        c.emulator.clear_faults()
    with Respan(api_key, base_url=base_url, rate_limit=60.0 if c.mode == "live" else None) as api:
        if c.mode == "live":
            api._transport.pacer = _LIVE_PACER.setdefault("pacer", api._transport.pacer)
        for score_id in scores:
            with contextlib.suppress(NotFoundError):
                api.scores.delete(score_id)
        for evaluator_id in evaluators:
            with contextlib.suppress(NotFoundError):
                api.evaluators.delete(evaluator_id)
    if c.emulator is not None:
        left = (c.emulator.score_count(), c.emulator.evaluator_count())
        assert left == (0, 0), f"cleanup left {left[0]} scores and {left[1]} evaluators"


# ---- hooks: verify inside the test's call phase, and remember how the call went ---------------
def _replay_miss(error: BaseException) -> BaseException | None:
    """vcrpy's "no recorded interaction matches" (or a blocked connection) in `error`'s chain."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, CannotOverwriteExistingCassetteException | NetworkBlockedError):
            return current
        current = current.__cause__ or current.__context__
    return None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    contract = getattr(item, "funcargs", {}).get("contract")
    try:
        result = yield
    except Exception as error:
        # The test body failed on a request the cassette does not hold (whatever the facade
        # made of vcrpy's error): say which cassette, and the command that re-records it.
        if (
            isinstance(contract, Contract)
            and contract.mode == "replay"
            and (contract.misses or _replay_miss(error) is not None)
        ):
            error.add_note(rerecord_hint(item))
        raise
    if isinstance(contract, Contract):
        contract.verify(item)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call":
        item._contract_call_report = report  # type: ignore[attr-defined]
    return report


_DESELECTED: list[pytest.Item] = []


def pytest_deselected(items: list[pytest.Item]) -> None:
    _DESELECTED.extend(items)


def deselected() -> list[pytest.Item]:
    """The contract tests deselected in this session (a deselected test elsewhere, such as
    tests/docs' captured-pages test where that folder is absent, leaves this run whole)."""
    return [item for item in _DESELECTED if is_contract_test(item)]


def is_contract_test(item: object) -> bool:
    """Whether a collected test records or replays a cassette."""
    return "contract" in getattr(item, "fixturenames", ())
