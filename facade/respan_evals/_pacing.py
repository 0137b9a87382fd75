"""The token bucket that keeps one client under the API's rate limit.

    >>> pacer = Pacer(60, clock=lambda: 0.0)
    >>> [pacer.reserve() for _ in range(12)][-3:]
    [0.0, 1.0, 2.0]

Respan allows 60 requests per minute per organisation. A pacer hands out send times: a short
burst at once, then one every `60 / rate_per_minute` seconds. It is shared by every thread and
asyncio task of a client; a 429 pauses all of them.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable

__all__ = ["Pacer", "anyio_sleep"]


async def anyio_sleep(delay: float) -> None:
    """anyio.sleep, imported on the async path only (not at start-up)."""
    import anyio

    await anyio.sleep(delay)


class Pacer:
    """Hands out send times so that requests stay within `rate_per_minute`.

    Two rules, both kept for every request:
    - a token bucket holding `burst` tokens, refilled at the rate: an idle client may send a
      few requests at once (interactive use feels instant), while a busy one sends at the rate;
    - at most `floor(rate)` sends in any window of `floor(rate) / rate` minutes (60 in any 60
      seconds at 60/min). A bucket alone allows `burst + rate` sends in the minute after an
      idle spell, and a server counting a sliding minute would refuse the excess with 429s.

    The default burst is rate // 6 (10 at 60/min), at least 1. Reservations are FIFO: each
    caller gets the next free send time, so nobody starves.
    """

    def __init__(
        self,
        rate_per_minute: float,
        *,
        burst: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not (math.isfinite(rate_per_minute) and rate_per_minute > 0):
            raise ValueError(f"rate_per_minute must be a positive number, got {rate_per_minute!r}")
        burst = max(1, int(rate_per_minute // 6)) if burst is None else burst
        if burst < 1:
            raise ValueError(f"burst must be at least 1, got {burst!r}")
        self._rate = float(rate_per_minute)
        self._interval = 60.0 / self._rate
        self._burst = burst
        self._window_count = max(1, int(self._rate))
        self._window = self._window_count * self._interval
        self._clock = clock
        self._lock = threading.Lock()
        # Theoretical arrival time (GCRA): the bucket is full again once the clock reaches it.
        self._tat = -math.inf
        self._recent: deque[float] = deque(maxlen=self._window_count)  # last send times
        self._pauses = 0  # bumped by pause(): reservations made before it are stale
        self._resume_at = -math.inf

    @property
    def rate_per_minute(self) -> float:
        return self._rate

    @property
    def burst(self) -> int:
        return self._burst

    def reserve(self) -> float:
        """Take the next send time; return how long to wait before sending (0.0: send now).

        Never sleeps. A reservation is not moved by a later `pause()`; `wait()` handles that.
        """
        return self._reserve()[0]

    def wait(self, sleep: Callable[[float], object] = time.sleep) -> None:
        """Block until this caller may send."""
        while True:
            delay, pauses = self._reserve()
            if delay <= 0:
                return
            sleep(delay)
            if not self._paused_since(pauses):
                return

    async def wait_async(self, sleep: Callable[[float], Awaitable[object]] = anyio_sleep) -> None:
        """Wait, without blocking the event loop, until this caller may send."""
        while True:
            delay, pauses = self._reserve()
            if delay <= 0:
                return
            await sleep(delay)
            if not self._paused_since(pauses):
                return

    def pause(self, seconds: float) -> None:
        """Grant nothing for `seconds` (after a 429); the bucket restarts empty then.

        Callers already waiting in `wait()` take a new place in line when they wake.
        """
        with self._lock:
            now = self._clock()
            # A shorter hint never cuts an earlier, longer pause short.
            self._resume_at = max(self._resume_at, now + max(0.0, seconds))
            # An empty bucket at the resume time: the next send then, then one per interval.
            # Queued reservations are dropped from the count: their holders reserve again.
            self._tat = self._resume_at + (self._burst - 1) * self._interval
            unsent = [t for t in self._recent if t > now]
            for _ in unsent:
                self._recent.pop()
            self._pauses += 1

    def _reserve(self) -> tuple[float, int]:
        with self._lock:
            now = self._clock()
            send_at = max(now, self._tat - (self._burst - 1) * self._interval)
            if len(self._recent) == self._window_count:
                send_at = max(send_at, self._recent[0] + self._window)
            self._tat = max(self._tat, send_at) + self._interval
            self._recent.append(send_at)
            return send_at - now, self._pauses

    def _paused_since(self, pauses: int) -> bool:
        with self._lock:
            return self._pauses != pauses
