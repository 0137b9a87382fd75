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
    caller gets the next free send time, so nobody starves. A caller interrupted while it waits
    (a cancelled task, Ctrl-C) gives its send time back once every later one is given back too:
    the schedule is then as if those callers had never asked, and nobody is moved ahead.
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
        # Reservations still waiting, oldest first, for an interrupted waiter to give back.
        self._waiting: deque[_Slot] = deque()

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
        return self._reserve().delay

    def wait(self, sleep: Callable[[float], object] = time.sleep) -> None:
        """Block until this caller may send."""
        while True:
            slot = self._reserve(waiting=True)
            if slot.delay <= 0:
                return
            try:
                sleep(slot.delay)
            except BaseException:
                self._give_back(slot)
                raise
            if not self._woke_stale(slot):
                return

    async def wait_async(self, sleep: Callable[[float], Awaitable[object]] = anyio_sleep) -> None:
        """Wait, without blocking the event loop, until this caller may send."""
        while True:
            slot = self._reserve(waiting=True)
            if slot.delay <= 0:
                return
            try:
                await sleep(slot.delay)
            except BaseException:  # CancelledError above all: the slot must not stay taken
                self._give_back(slot)
                raise
            if not self._woke_stale(slot):
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
            self._waiting.clear()  # their holders reserve again when they wake

    def _reserve(self, waiting: bool = False) -> _Slot:
        """Take the next send time; `waiting`: its caller sleeps on it, and may give it back."""
        with self._lock:
            now = self._clock()
            tat, dropped = self._tat, None
            send_at = max(now, self._tat - (self._burst - 1) * self._interval)
            if len(self._recent) == self._window_count:
                send_at = max(send_at, self._recent[0] + self._window)
                dropped = self._recent[0]  # pushed out by the append below
            self._tat = max(self._tat, send_at) + self._interval
            self._recent.append(send_at)
            slot = _Slot(send_at - now, self._pauses, tat, dropped)
            if waiting and slot.delay > 0:
                self._waiting.append(slot)
            else:  # sent now, or not tracked: the reservations before it stay taken
                self._waiting.clear()
            return slot

    def _woke_stale(self, slot: _Slot) -> bool:
        """Its sleep ended: whether the slot is stale (a pause came), so reserve again."""
        with self._lock:
            # Used: this slot, and every one before it, stays taken.
            if slot in self._waiting:
                while self._waiting.popleft() is not slot:
                    pass
            return self._pauses != slot.pauses

    def _give_back(self, slot: _Slot) -> None:
        """An interrupted waiter's slot: undone at once when it is the newest, else when every
        newer one has been given back (undoing an older one would let later sends bunch up)."""
        with self._lock:
            if slot not in self._waiting:  # a pause() dropped it already
                return
            slot.given_back = True
            while self._waiting and self._waiting[-1].given_back:
                last = self._waiting.pop()
                self._tat = last.tat_before
                self._recent.pop()
                if last.dropped is not None:
                    self._recent.appendleft(last.dropped)


class _Slot:
    """One reservation: the wait, and what taking it changed (to undo it).

    A plain class with slots (not a dataclass, which costs start-up time to build).
    """

    __slots__ = ("delay", "dropped", "given_back", "pauses", "tat_before")

    def __init__(self, delay: float, pauses: int, tat_before: float, dropped: float | None) -> None:
        self.delay = delay
        self.pauses = pauses  # pause() count when reserved: a later pause makes the slot stale
        self.tat_before = tat_before
        self.dropped = dropped  # the send time that taking it pushed out of the window
        self.given_back = False
