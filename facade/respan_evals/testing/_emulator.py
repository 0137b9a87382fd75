"""The Emulator object: configuration, observable state, and the server's lifecycle."""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple

from ._app import EmulatorApp
from ._faults import FaultInjector, FaultPlan, FaultRecord
from ._ratelimit import RateLimiter
from ._server import Mux, ServerThread, format_base_url, is_loopback
from ._spec import Spec, SpecSource, load_spec
from ._store import EvaluatorFamily, Store

if TYPE_CHECKING:
    import httpx

__all__ = ["DEFAULT_USER", "Emulator", "RequestRecord", "Violation", "emulator"]

DEFAULT_USER = "test@example.com"


class RequestRecord(NamedTuple):
    """One request the emulator answered (or dropped): method, path, status."""

    method: str
    path: str
    status: int


@dataclass(frozen=True)
class Violation:
    """Something that breaks the spec: an answer the emulator sent (or would have), an operation
    or field it does not implement, or a request parameter or field the spec does not name."""

    method: str
    path: str
    status: int
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status}: " + "; ".join(self.problems)


class Emulator:
    """A local Respan Scores & Evaluators API on a real loopback HTTP server.

    Use as a context manager (`with Emulator() as emu: ...`) or call start()/stop().
    `api_keys` maps Bearer keys to user emails (default: one generated key).
    `rate_limit` is requests per minute per key (None or 0: off).
    `strict`: answer 500 when a response would break the spec (it is always recorded in
    `violations`). `validate=False` skips the request and response schema checks (faster, less
    safe); routes, fields and value types still come from the spec.
    `spec`: the OpenAPI document to serve, as a path or an already parsed mapping (default: the
    packaged openapi.yaml, or $RESPAN_EMULATOR_SPEC); `spec_path` is the older name for a path.
    `id_seed`: ids (of scores, evaluators, and the `x-request-id` on every answer) repeat from
    run to run instead of being random.
    """

    def __init__(
        self,
        *,
        api_keys: Mapping[str, str] | None = None,
        rate_limit: float | None = 60,
        faults: FaultPlan | None = None,
        strict: bool = True,
        validate: bool = True,
        spec_path: str | os.PathLike[str] | None = None,
        spec: SpecSource | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        allow_non_loopback: bool = False,
        id_seed: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        if not is_loopback(host) and not allow_non_loopback:
            raise ValueError(
                f"refusing to bind non-loopback host {host!r}; pass allow_non_loopback=True "
                "(the CLI does so when --host is given explicitly)"
            )
        if api_keys is None:
            api_keys = {f"sk_test_{secrets.token_hex(16)}": DEFAULT_USER}
        if not api_keys:
            raise ValueError("api_keys must hold at least one key")
        self.api_keys: dict[str, str] = dict(api_keys)
        self.strict = strict
        self.validate = validate
        self.host = host
        self.port = port
        if spec is not None and spec_path is not None:
            raise ValueError("pass spec= or spec_path=, not both")
        self.spec: Spec = load_spec(spec if spec is not None else spec_path)
        self._lock = threading.Lock()
        self._limiter = RateLimiter(rate_limit, clock=clock)
        self._faults = FaultInjector(faults or FaultPlan())
        self.store = Store(self.spec, self.api_keys, id_seed=id_seed, now=now)
        self._id_seed = id_seed
        # Request ids only need to look unique, not be secret: one generator seeded from the OS
        # instead of a urandom call per answer.
        self._request_ids = random.Random(os.urandom(16))
        self.requests: list[RequestRecord] = []
        self.violations: list[Violation] = []
        self.fault_log: list[FaultRecord] = []
        self._index = 0
        self.app = EmulatorApp(self)
        self._server: ServerThread | None = None
        self._attached_to: Mux | None = None
        if validate:
            self.spec.validator()  # fail fast on a spec openapi-core cannot read

    # ---- lifecycle --------------------------------------------------------------------
    def start(self) -> Emulator:
        if self._server is None:
            server = ServerThread(self.app, self.host, self.port)
            self.port = server.start()
            self._server = server
        return self

    def stop(self) -> None:
        if self._attached_to is not None:
            if self._attached_to.target is self.app:
                self._attached_to.target = None
            self._attached_to = None
            self._server = None
        if self._server is not None:
            self._server.stop()
            self._server = None

    def attach(self, server: ServerThread) -> Emulator:
        """Serve through an already running server whose app is a `Mux` (the pytest fixture
        shares one server between tests this way); `stop()` detaches."""
        mux = server.app
        if not isinstance(mux, Mux):
            raise TypeError("attach() needs a ServerThread serving a Mux")
        if self._server is not None:
            raise RuntimeError("the emulator is already running")
        mux.target = self.app
        self._attached_to = mux
        self._server = server
        self.host, self.port = server.host, server.port
        return self

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None and self._server.running

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:<port>` (no trailing slash; API paths start with /api/)."""
        if self._server is None:
            raise RuntimeError("the emulator is not running; call start() or use `with`")
        return format_base_url(self.host, self.port)

    @property
    def api_key(self) -> str:
        """The first configured key (the generated one by default)."""
        return next(iter(self.api_keys))

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}

    def url(self, path: str) -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def client(self, **kwargs: Any) -> httpx.Client:
        """A plain httpx.Client on base_url with the first key's Authorization header."""
        import httpx

        headers = {**self.headers, **kwargs.pop("headers", {})}
        kwargs.setdefault("timeout", 10.0)
        kwargs.setdefault("verify", False)  # plain http on loopback; skips loading CA certs
        return httpx.Client(base_url=self.base_url, headers=headers, **kwargs)

    # ---- configuration at run time ------------------------------------------------------
    def set_faults(self, plan: FaultPlan | None = None, **changes: Any) -> FaultPlan:
        """Replace the fault plan (or change fields of the current one); restarts its sequence."""
        base = plan if plan is not None else self._faults.plan
        new = replace(base, **changes) if changes else base
        if plan is None and not changes:
            new = FaultPlan()
        self._faults.set_plan(new)
        return new

    def clear_faults(self) -> None:
        self._faults.set_plan(FaultPlan())

    @property
    def faults(self) -> FaultPlan:
        return self._faults.plan

    def set_rate_limit(self, per_minute: float | None) -> None:
        """Requests per minute per key; None or 0 turns limiting off. Buckets start full."""
        self._limiter.configure(per_minute)

    @property
    def rate_limit(self) -> float | None:
        return self._limiter.per_minute

    def add_api_key(self, key: str, user: str) -> None:
        self.api_keys[key] = user
        self.store.set_users(self.api_keys)

    def reset(self) -> None:
        """Forget all data, logs, violations and rate-limit state; restart the fault sequence."""
        with self._lock:
            self.store.reset()
            self.requests.clear()
            self.violations.clear()
            self.fault_log.clear()
            self._index = 0
        self._limiter.reset()
        self._faults.reset()

    # ---- observation --------------------------------------------------------------------
    def score_count(self) -> int:
        return len(self.store.scores)

    def evaluator_count(self) -> int:
        return len(self.store.evaluators)

    def evaluator(self, evaluator_id: str) -> EvaluatorFamily:
        return self.store.evaluators[evaluator_id]

    def create_evaluator(self, email: str | None = None, **fields: Any) -> dict[str, Any]:
        """Seed an evaluator directly (no HTTP, no rate limit); returns its API representation."""
        body = {"name": "Seeded evaluator", "type": "human", "score_value_type": "numerical"}
        body.update(fields)
        return self.store.create_evaluator(body, email or next(iter(self.api_keys.values())))

    def assert_no_violations(self) -> None:
        if self.violations:
            lines = "\n".join(f"  - {v}" for v in self.violations)
            raise AssertionError(f"emulator responses broke the API spec:\n{lines}")

    # ---- used by the app --------------------------------------------------------------
    def _next_index(self) -> int:
        with self._lock:
            index = self._index
            self._index += 1
            return index

    def _request_id(self, index: int) -> str:
        """`req_<hex>` for the index-th answer; derived from id_seed when set (not drawn from
        the store's generator, so score and evaluator ids stay what they were)."""
        if self._id_seed is None:
            return f"req_{self._request_ids.getrandbits(96):024x}"
        digest = hashlib.sha256(f"{self._id_seed}:{index}".encode()).hexdigest()
        return f"req_{digest[:24]}"

    def _record_request(self, method: str, path: str, status: int) -> None:
        self.requests.append(RequestRecord(method, path, status))

    def _record_fault(self, record: FaultRecord) -> None:
        self.fault_log.append(record)

    def _record_violation(self, method: str, path: str, status: int, problems: list[str]) -> None:
        self.violations.append(Violation(method, path, status, list(problems)))


@contextlib.contextmanager
def emulator(**kwargs: Any) -> Iterator[Emulator]:
    """`with emulator(rate_limit=None) as emu:` — start an Emulator, stop it afterwards."""
    emu = Emulator(**kwargs)
    with emu:
        yield emu
