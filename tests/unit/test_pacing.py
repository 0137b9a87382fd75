"""The token bucket, driven by a fake clock."""

from __future__ import annotations

import bisect
import random
import threading

import pytest

from respan_evals._pacing import Pacer


class FakeClock:
    """A clock that moves only when told to; `sleep` moves it too."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


def send_times(pacer: Pacer, clock: FakeClock, count: int) -> list[float]:
    """Reserve `count` sends at the clock's current time; return when each may go."""
    return [clock.now + pacer.reserve() for _ in range(count)]


def most_in_any_window(times: list[float], window: float) -> int:
    """The largest number of send times inside any half-open window [t, t + window)."""
    ordered = sorted(times)
    return max(bisect.bisect_left(ordered, t + window) - i for i, t in enumerate(ordered))


@pytest.mark.parametrize(
    ("rate", "burst"),
    [(60, 10), (60.0, 10), (6, 1), (5, 1), (0.5, 1), (600, 100), (90.5, 15), (12, 2)],
)
def test_default_burst(rate: float, burst: int) -> None:
    pacer = Pacer(rate, clock=FakeClock())
    assert pacer.burst == burst
    assert pacer.rate_per_minute == float(rate)


@pytest.mark.parametrize("rate", [0, -1, float("nan"), float("inf")])
def test_rejects_a_rate_that_is_not_positive(rate: float) -> None:
    with pytest.raises(ValueError, match="rate_per_minute"):
        Pacer(rate)


def test_rejects_a_burst_below_one() -> None:
    with pytest.raises(ValueError, match="burst"):
        Pacer(60, burst=0)


def test_burst_then_one_per_interval() -> None:
    clock = FakeClock()
    pacer = Pacer(60, clock=clock)
    delays = [pacer.reserve() for _ in range(13)]
    assert delays == [0.0] * 10 + [1.0, 2.0, 3.0]


@pytest.mark.parametrize(("rate", "burst"), [(60, 10), (60, 1), (60, 60), (30, 5), (120, 20)])
def test_steady_state_is_the_rate_exactly(rate: int, burst: int) -> None:
    clock = FakeClock(0.0)
    pacer = Pacer(rate, burst=burst, clock=clock)
    times = send_times(pacer, clock, rate * 10)
    per_minute = [sum(1 for t in times if 60 * k <= t < 60 * (k + 1)) for k in range(10)]
    assert per_minute == [rate] * 10
    assert most_in_any_window(times, 60.0) == rate


def test_never_more_than_the_rate_in_any_minute_after_an_idle_spell() -> None:
    # A bucket alone would let 10 + 60 requests through in the first minute.
    clock = FakeClock(0.0)
    pacer = Pacer(60, clock=clock)
    times = send_times(pacer, clock, 200)
    assert most_in_any_window(times, 60.0) == 60
    assert times[:10] == [0.0] * 10
    assert times[10] == 1.0
    assert times[60] == 60.0


def test_a_caller_under_the_rate_never_waits() -> None:
    clock = FakeClock()
    pacer = Pacer(60, clock=clock)
    for _ in range(300):
        assert pacer.reserve() == 0.0
        clock.now += 1.0


def test_the_bucket_refills_while_idle() -> None:
    clock = FakeClock()
    pacer = Pacer(60, clock=clock)
    send_times(pacer, clock, 10)  # empty the bucket
    clock.now += 4.0  # four tokens come back
    assert [pacer.reserve() for _ in range(6)] == [0.0, 0.0, 0.0, 0.0, 1.0, 2.0]


def test_the_bucket_never_holds_more_than_the_burst() -> None:
    clock = FakeClock()
    pacer = Pacer(60, burst=3, clock=clock)
    clock.now += 3600.0
    assert [pacer.reserve() for _ in range(5)] == [0.0, 0.0, 0.0, 1.0, 2.0]


def test_fractional_rate() -> None:
    clock = FakeClock(0.0)
    pacer = Pacer(0.5, clock=clock)
    assert send_times(pacer, clock, 3) == [0.0, 120.0, 240.0]


def test_reservations_are_first_come_first_served() -> None:
    clock = FakeClock()
    pacer = Pacer(60, burst=2, clock=clock)
    first = [pacer.reserve() for _ in range(5)]
    clock.now += 0.5
    later = pacer.reserve()
    assert first == [0.0, 0.0, 1.0, 2.0, 3.0]
    assert later == 3.5  # after everyone already in line: send at 4.0


def test_pause_holds_everything_and_restarts_empty() -> None:
    clock = FakeClock()
    pacer = Pacer(60, clock=clock)
    assert pacer.reserve() == 0.0
    pacer.pause(30.0)
    assert [pacer.reserve() for _ in range(3)] == [30.0, 31.0, 32.0]


def test_pause_after_a_long_idle_spell_still_restarts_empty() -> None:
    clock = FakeClock()
    pacer = Pacer(60, clock=clock)
    clock.now += 3600.0
    pacer.pause(5.0)
    assert [pacer.reserve() for _ in range(2)] == [5.0, 6.0]


def test_a_shorter_pause_does_not_cut_a_longer_one_short() -> None:
    clock = FakeClock()
    pacer = Pacer(60, clock=clock)
    pacer.pause(30.0)
    clock.now += 1.0
    pacer.pause(5.0)
    assert pacer.reserve() == 29.0


def test_pause_drops_the_queue_so_the_time_after_it_is_not_double_booked() -> None:
    clock = FakeClock()
    pacer = Pacer(60, clock=clock)
    send_times(pacer, clock, 40)  # a queue reaching 30 s ahead
    pacer.pause(10.0)
    assert pacer.reserve() == 10.0


def test_negative_pause_is_no_pause_but_empties_the_bucket() -> None:
    clock = FakeClock()
    pacer = Pacer(60, clock=clock)
    pacer.pause(-5.0)
    assert [pacer.reserve() for _ in range(2)] == [0.0, 1.0]


def test_wait_sleeps_for_the_reservation() -> None:
    clock = FakeClock()
    pacer = Pacer(60, burst=1, clock=clock)
    pacer.wait(sleep=clock.sleep)
    pacer.wait(sleep=clock.sleep)
    pacer.wait(sleep=clock.sleep)
    assert clock.slept == [1.0, 1.0]


def test_wait_takes_a_new_place_after_a_pause_while_sleeping() -> None:
    clock = FakeClock()
    pacer = Pacer(60, burst=1, clock=clock)
    pacer.reserve()  # the next send is 1 s away

    def sleep_then_429(seconds: float) -> None:
        clock.sleep(seconds)
        if len(clock.slept) == 1:
            pacer.pause(20.0)  # another caller hit a 429 while we slept

    pacer.wait(sleep=sleep_then_429)
    assert clock.slept == [1.0, 20.0]


async def test_wait_async() -> None:
    clock = FakeClock()
    pacer = Pacer(60, burst=2, clock=clock)
    for _ in range(4):
        await pacer.wait_async(sleep=clock.asleep)
    assert clock.slept == [1.0, 1.0]


async def test_wait_async_with_the_real_sleep() -> None:
    pacer = Pacer(6000, burst=1)  # one send every 10 ms
    for _ in range(3):
        await pacer.wait_async()
    assert pacer.reserve() > 0.0


async def test_wait_async_takes_a_new_place_after_a_pause() -> None:
    clock = FakeClock()
    pacer = Pacer(60, burst=1, clock=clock)
    pacer.reserve()

    async def sleep_then_429(seconds: float) -> None:
        clock.sleep(seconds)
        if len(clock.slept) == 1:
            pacer.pause(7.0)

    await pacer.wait_async(sleep=sleep_then_429)
    assert clock.slept == [1.0, 7.0]


class SteppingClock:
    """Moves forward a random step on every read; remembers, per thread, the last value read.

    The pacer reads the clock once per reservation, under its lock, so each thread learns the
    `now` its reservation was measured from.
    """

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)
        self._now = 0.0
        self._lock = threading.Lock()
        self.local = threading.local()

    def __call__(self) -> float:
        with self._lock:
            self._now += self._random.uniform(0.0, 0.4)
            self.local.now = self._now
            return self._now


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_many_threads_never_exceed_the_rate(seed: int) -> None:
    clock = SteppingClock(seed)
    pacer = Pacer(60, clock=clock)
    sends: list[float] = []
    sends_lock = threading.Lock()
    start = threading.Barrier(8)

    def worker() -> None:
        start.wait()
        for _ in range(100):
            delay = pacer.reserve()
            with sends_lock:
                sends.append(clock.local.now + delay)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len(sends) == 800
    # now + (send_at - now) can differ from send_at in the last bit: allow a microsecond.
    assert most_in_any_window(sends, 60.0 - 1e-6) <= 60
    span = max(sends) - min(sends)
    assert span >= (800 - 60) * 1.0  # 800 sends at 60/min need at least 740 s


class Interrupted(Exception):
    """Stands for a cancellation or a Ctrl-C arriving while a caller sleeps."""


def interrupted_waits(pacer: Pacer, count: int) -> None:
    """`count` callers that reserve, then are interrupted in their sleep."""

    def sleep(seconds: float) -> None:
        raise Interrupted

    for _ in range(count):
        with pytest.raises(Interrupted):
            pacer.wait(sleep=sleep)


@pytest.mark.parametrize(("rate", "burst", "taken"), [(60, 10, 10), (6, 1, 8), (600, 5, 700)])
def test_interrupted_waiters_leave_the_schedule_as_if_they_never_asked(
    rate: float, burst: int, taken: int
) -> None:
    """The window of recent sends is restored too (6/min: each waiter pushed one out of it)."""
    clocks = FakeClock(), FakeClock()
    paced, fresh = (
        Pacer(rate, burst=burst, clock=clocks[0]),
        Pacer(rate, burst=burst, clock=clocks[1]),
    )
    assert send_times(paced, clocks[0], taken) == send_times(fresh, clocks[1], taken)
    interrupted_waits(paced, 12)
    assert send_times(paced, clocks[0], 20) == send_times(fresh, clocks[1], 20)


def test_a_waiter_interrupted_after_a_pause_gives_nothing_back() -> None:
    """pause() already dropped the queue: giving a stale slot back would free a slot twice."""
    clock = FakeClock()
    pacer = Pacer(60, burst=1, clock=clock)
    pacer.reserve()

    def sleep_then_429_then_interrupted(seconds: float) -> None:
        pacer.pause(5.0)
        raise Interrupted

    with pytest.raises(Interrupted):
        pacer.wait(sleep=sleep_then_429_then_interrupted)
    assert pacer.reserve() == 5.0
    assert pacer.reserve() == 6.0


def test_a_slot_is_kept_once_a_later_one_was_used() -> None:
    clock = FakeClock()
    pacer = Pacer(60, burst=1, clock=clock)
    pacer.reserve()
    first = pacer._reserve(waiting=True)  # second 1, still asleep
    pacer.reserve()  # second 2: not a waiter, so it can never be given back
    pacer._give_back(first)
    assert pacer.reserve() == 3.0
