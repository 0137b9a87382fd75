"""Deterministic fault injection: what goes wrong for which request, decided from a seed."""

from __future__ import annotations

import fnmatch
import random
import threading
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["FaultDecision", "FaultInjector", "FaultKind", "FaultPlan", "FaultRecord"]

FaultKind = Literal["error", "html", "burst_429", "drop_after_write", "truncate"]
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class FaultPlan:
    """What to break, and how often; the same seed and requests give the same faults.

    latency: seconds added to every matching request, or a (min, max) range.
    error_rate: share of requests answered with one of `error_statuses` (write not applied).
    burst_429: the next N matching requests get 429 with Retry-After (write not applied).
    drop_after_write_rate: share of write requests whose write is applied and whose
        connection is then closed after the headers, before the body (a transport error).
    truncate_rate: share of requests answered with the real response cut short (write applied).
    html_rate: share of requests answered with a 502 HTML page (write not applied).
    only_methods / only_paths: restrict faults to these methods / path patterns (fnmatch
        globs; a pattern without wildcards matches as a prefix).
    """

    seed: int = 0
    latency: float | tuple[float, float] = 0.0
    error_rate: float = 0.0
    error_statuses: tuple[int, ...] = (500, 502, 503)
    burst_429: int = 0
    drop_after_write_rate: float = 0.0
    truncate_rate: float = 0.0
    html_rate: float = 0.0
    only_methods: Collection[str] | None = None  # stored as a frozenset of upper-case names
    only_paths: Collection[str] | None = None  # stored as a tuple
    retry_after: int = 1

    def __post_init__(self) -> None:
        for name in ("error_rate", "drop_after_write_rate", "truncate_rate", "html_rate"):
            rate = getattr(self, name)
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {rate!r}")
        if isinstance(self.latency, int | float):
            if self.latency < 0:
                raise ValueError("latency must be >= 0")
        else:
            low, high = self.latency
            if not 0 <= low <= high:
                raise ValueError("latency range must satisfy 0 <= min <= max")
            object.__setattr__(self, "latency", (float(low), float(high)))
        if not self.error_statuses:
            raise ValueError("error_statuses must not be empty")
        object.__setattr__(self, "error_statuses", tuple(int(s) for s in self.error_statuses))
        if self.burst_429 < 0:
            raise ValueError("burst_429 must be >= 0")
        if self.only_methods is not None:
            methods = (
                [self.only_methods] if isinstance(self.only_methods, str) else self.only_methods
            )
            object.__setattr__(self, "only_methods", frozenset(m.upper() for m in methods))
        if self.only_paths is not None:
            if isinstance(self.only_paths, str):
                object.__setattr__(self, "only_paths", (self.only_paths,))
            else:
                object.__setattr__(self, "only_paths", tuple(self.only_paths))

    @property
    def active(self) -> bool:
        return bool(
            self.latency
            or self.error_rate
            or self.burst_429
            or self.drop_after_write_rate
            or self.truncate_rate
            or self.html_rate
        )

    def applies_to(self, method: str, path: str) -> bool:
        if self.only_methods is not None and method.upper() not in self.only_methods:
            return False
        if self.only_paths is not None:
            return any(_path_matches(pattern, path) for pattern in self.only_paths)
        return True


def _path_matches(pattern: str, path: str) -> bool:
    if any(ch in pattern for ch in "*?["):
        return fnmatch.fnmatchcase(path, pattern)
    return path.startswith(pattern)


@dataclass(frozen=True)
class FaultDecision:
    """The faults for one request: extra latency and at most one kind of failure."""

    latency: float = 0.0
    kind: FaultKind | None = None
    status: int | None = None


NO_FAULT = FaultDecision()


@dataclass(frozen=True)
class FaultRecord:
    """One injected fault, as kept in `Emulator.fault_log`."""

    index: int
    method: str
    path: str
    kind: FaultKind | Literal["latency"]
    status: int | None = None
    latency: float = 0.0


@dataclass
class FaultInjector:
    """Draws the same six numbers for every matching request, so sequences depend on the seed."""

    plan: FaultPlan = field(default_factory=FaultPlan)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self.set_plan(self.plan)

    def set_plan(self, plan: FaultPlan) -> None:
        with self._lock:
            self.plan = plan
            self._rng = random.Random(plan.seed)
            self._burst_left = plan.burst_429

    def reset(self) -> None:
        self.set_plan(self.plan)

    def decide(self, method: str, path: str) -> FaultDecision:
        plan = self.plan
        if not plan.active or not plan.applies_to(method, path):
            return NO_FAULT
        with self._lock:
            u_latency, u_error, u_status, u_html, u_drop, u_trunc = (
                self._rng.random() for _ in range(6)
            )
            burst = self._burst_left > 0
            if burst:
                self._burst_left -= 1
        latency = _latency(plan.latency, u_latency)
        if burst:
            return FaultDecision(latency, "burst_429", 429)
        if u_error < plan.error_rate:
            statuses = plan.error_statuses
            return FaultDecision(latency, "error", statuses[int(u_status * len(statuses))])
        if u_html < plan.html_rate:
            return FaultDecision(latency, "html", 502)
        if method.upper() in WRITE_METHODS and u_drop < plan.drop_after_write_rate:
            return FaultDecision(latency, "drop_after_write")
        if u_trunc < plan.truncate_rate:
            return FaultDecision(latency, "truncate")
        return FaultDecision(latency) if latency else NO_FAULT


def _latency(spec: float | tuple[float, float], u: float) -> float:
    if isinstance(spec, tuple):
        low, high = spec
        return low + (high - low) * u
    return float(spec)


HTML_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
