"""Token bucket per API key, like production's per-organisation limit."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

__all__ = ["RateLimiter"]


class RateLimiter:
    """`per_minute` tokens of capacity, refilled continuously; None or 0 turns it off."""

    def __init__(
        self, per_minute: float | None = 60, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}
        self.per_minute = per_minute or None

    @property
    def enabled(self) -> bool:
        return self.per_minute is not None

    def configure(self, per_minute: float | None) -> None:
        with self._lock:
            self.per_minute = per_minute or None
            self._buckets.clear()

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()

    def acquire(self, key: str) -> int | None:
        """Take one token; None when allowed, else the whole seconds to wait (>= 1)."""
        per_minute = self.per_minute
        if per_minute is None:
            return None
        capacity = float(per_minute)
        rate = capacity / 60.0
        with self._lock:
            now = self._clock()
            tokens, last = self._buckets.get(key, (capacity, now))
            tokens = min(capacity, tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return None
            self._buckets[key] = (tokens, now)
            return max(1, math.ceil((1.0 - tokens) / rate))
