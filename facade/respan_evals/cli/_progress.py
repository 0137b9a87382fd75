"""Progress on stderr: a rich bar on a terminal, a plain line every few seconds elsewhere."""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType
from typing import Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Column
from rich.text import Text

__all__ = ["PLAIN_EVERY", "Reporter", "make_reporter"]

PLAIN_EVERY = 5.0  # seconds between plain progress lines


class Reporter(Protocol):
    """Told how far a job has got; shows it somewhere (or nowhere)."""

    def update(self, done: int, status: str = "") -> None: ...

    def __enter__(self) -> Reporter: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class _RateColumn(ProgressColumn):
    """Items per second, over the whole run so far."""

    def __init__(self, unit: str) -> None:
        super().__init__(table_column=Column(no_wrap=True))
        self.unit = unit

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        if elapsed <= 0 or not task.completed:
            return Text(f"- {self.unit}/s", style="progress.data.speed")
        return Text(f"{task.completed / elapsed:,.1f} {self.unit}/s", style="progress.data.speed")


class _RichReporter:
    def __init__(self, console: Console, label: str, total: int | None, unit: str) -> None:
        columns: list[ProgressColumn | str] = [TextColumn("[bold]{task.description}")]
        if total is None:
            columns += [SpinnerColumn(), TextColumn("{task.completed:,} " + unit)]
        else:
            columns += [BarColumn(bar_width=30), MofNCompleteColumn(), TaskProgressColumn()]
        columns += [_RateColumn(unit)]
        if total is not None:
            columns += [TextColumn("ETA"), TimeRemainingColumn()]
        else:
            columns += [TimeElapsedColumn()]
        columns += [TextColumn("{task.fields[status]}", table_column=Column(no_wrap=True))]
        self._progress = Progress(*columns, console=console, transient=False)
        self._task = self._progress.add_task(label, total=total, status="")

    def update(self, done: int, status: str = "") -> None:
        self._progress.update(self._task, completed=done, status=status)

    def __enter__(self) -> _RichReporter:
        self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._progress.stop()


class _PlainReporter:
    """`label: 120/400 rows (30%), 9.8 rows/s, ETA 28s; created 100 ...` every few seconds."""

    def __init__(
        self,
        write: Callable[[str], None],
        label: str,
        total: int | None,
        unit: str,
        every: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._write = write
        self._label = label
        self._total = total
        self._unit = unit
        self._every = every
        self._clock = clock
        self._start = clock()
        self._last = self._start
        self._done = 0
        self._status = ""
        self._shown: tuple[int, str] | None = None

    def update(self, done: int, status: str = "") -> None:
        self._done, self._status = done, status
        now = self._clock()
        if now - self._last >= self._every:
            self._last = now
            self._show(now)

    def _show(self, now: float) -> None:
        if self._shown == (self._done, self._status):
            return
        self._shown = (self._done, self._status)
        elapsed = max(now - self._start, 1e-9)
        rate = self._done / elapsed
        if self._total is None:
            text = f"{self._label}: {self._done:,} {self._unit}, {rate:,.1f} {self._unit}/s"
        else:
            share = self._done / self._total if self._total else 1.0
            text = (
                f"{self._label}: {self._done:,}/{self._total:,} {self._unit} ({share:.0%}), "
                f"{rate:,.1f} {self._unit}/s"
            )
            if 0 < self._done < self._total and rate > 0:
                text += f", ETA {_duration((self._total - self._done) / rate)}"
        if self._status:
            text += f"; {self._status}"
        self._write(text)

    def __enter__(self) -> _PlainReporter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._show(self._clock())


class _QuietReporter:
    def update(self, done: int, status: str = "") -> None:
        pass

    def __enter__(self) -> _QuietReporter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        pass


def make_reporter(
    console: Console,
    label: str,
    *,
    total: int | None,
    unit: str = "rows",
    quiet: bool = False,
    every: float = PLAIN_EVERY,
) -> Reporter:
    """A bar when `console` is a terminal, plain lines otherwise, nothing when quiet."""
    if quiet:
        return _QuietReporter()
    if console.is_terminal:
        return _RichReporter(console, label, total, unit)

    def write(text: str) -> None:
        console.print(text, markup=False, highlight=False, soft_wrap=True)

    return _PlainReporter(write, label, total, unit, every)


def _duration(seconds: float) -> str:
    """3s, 2m05s, 1h02m."""
    whole = int(seconds + 0.5)
    if whole < 60:
        return f"{whole}s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"
