"""`scores import`: send a file of scores through the facade's bulk path, resumably.

Rows flow from the file (`_read`) through the journal (rows that landed in an earlier run are
skipped) into `Respan.iter_score_logs`, which paces, retries and upserts them. Each outcome is
journaled when it lands, or written to the rejects file with its reason when it does not.

Ctrl-C once: no new rows are started; the rows in flight finish and are journaled; exit 130.
Ctrl-C twice: stop at once, waiting for no thread (some may be waiting their turn in the
pacer). Every answer already back is journaled (a Ctrl-C never lands between an answer and its
journal line); rows sent whose answer never came back are counted as "may have landed": they
are not journaled and are sent again on the next run, where the upsert route makes them
harmless.

One row never stops the import: a row that cannot be read (even one nested 200,000 deep), or
that the client refuses, goes to the rejects file with its reason.

What no row can get past does stop it, early (`_Halt`): the first 401/403 (the key is refused;
every other row would be too), a key the client refuses to send unencrypted, and
`UNREACHABLE_STREAK` connection failures in a row (or `UNREACHABLE_SECONDS` of them). No new
row is started; rows in flight finish; the rows that met the stop, and those never sent, are
neither journaled nor rejected: they are "left", and the next run sends them.
"""

from __future__ import annotations

import json
import logging
import os
import shlex
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO, Any, Literal
from urllib.parse import urlsplit

from respan_evals import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    InsecureTransportError,
    NotFoundError,
    PermissionDeniedError,
    Respan,
    RespanError,
    RespanValidationError,
    ScoreOutcome,
    ScoreRow,
    ScoreValueError,
    filters,
)
from respan_evals._bulk import ThreadRun
from respan_evals_api import facts

from ._cells import BOOLEAN_SPELLINGS, UnreadableCell, coerce_csv_value
from ._context import CliError
from ._journal import Journal, JournalError
from ._output import Output, plural
from ._progress import make_reporter
from ._read import FileFormat, ReadError, RowFields, SourceRow, known_names, read_rows

__all__ = [
    "ImportResult",
    "Reject",
    "Tally",
    "default_journal_path",
    "default_rejects_path",
    "insecure_message",
    "run_import",
]

logger = logging.getLogger("respan_evals.cli")
UNREADABLE = "(unreadable rows)"
NO_EVALUATOR = "(no evaluator)"
SHOWN_REJECTS = 10
UNREACHABLE_STREAK = 5  # connection failures in a row that stop the import
UNREACHABLE_SECONDS = 60.0  # ... or failing for this long
_RETRYABLE_4XX = frozenset({408, 425, 429})  # the 4xx answers that may differ next time


def default_journal_path(path: Path) -> Path:
    return path.with_name(path.name + ".respan-journal")


def default_rejects_path(path: Path) -> Path:
    return path.with_name(path.name + ".rejects.jsonl")


@dataclass
class Tally:
    """Counts for one evaluator (or for the whole file)."""

    created: int = 0
    updated: int = 0
    landed: int = 0  # landed, but whether it was new is unknown (a retry hid it)
    rejected: int = 0
    failed: int = 0
    skipped: int = 0

    @property
    def sent_ok(self) -> int:
        return self.created + self.updated + self.landed

    def add(self, other: Tally) -> None:
        for name in ("created", "updated", "landed", "rejected", "failed", "skipped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "landed_unclear": self.landed,
            "rejected": self.rejected,
            "failed": self.failed,
            "skipped": self.skipped,
        }


@dataclass(frozen=True)
class Reject:
    """A row that did not land: `rejected` (fix the row) or `failed` (try again later)."""

    line: int
    reason: str
    raw: object
    kind: Literal["rejected", "failed"]
    evaluator: str | None

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "status": self.kind, "reason": self.reason, "raw": self.raw}


@dataclass
class ImportResult:
    path: Path
    total: int  # rows in the file
    journal_path: Path
    rejects_path: Path
    per_evaluator: dict[str, Tally] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)  # the first SHOWN_REJECTS
    changed: int = 0  # journaled rows edited since, sent again (--resend-changed)
    interrupted: bool = False
    stopped_at_once: bool = False  # the second Ctrl-C
    unjournaled: int = 0  # sent, answer never read (stopped at once): may have landed
    elapsed: float = 0.0
    halted: str | None = None  # why the import stopped early (the key refused, no server)

    @property
    def totals(self) -> Tally:
        total = Tally()
        for tally in self.per_evaluator.values():
            total.add(tally)
        return total

    @property
    def ok(self) -> bool:
        t = self.totals
        return (
            not self.interrupted
            and self.halted is None
            and t.rejected == t.failed == 0
            and self.remaining == 0
        )

    @property
    def remaining(self) -> int:
        """Rows neither landed (now or before) nor rejected: left, for the next run to send."""
        t = self.totals
        return max(0, self.total - t.sent_ok - t.skipped - t.rejected - t.failed)

    def as_dict(self) -> dict[str, object]:
        totals = self.totals
        bad = totals.rejected + totals.failed
        return {
            "file": str(self.path),
            "rows": self.total,
            "landed": totals.sent_ok,
            **totals.as_dict(),
            "left": self.remaining,
            "not_tried": self.remaining,
            "stopped": self.halted,
            "changed_rows_resent": self.changed,
            "interrupted": self.interrupted,
            "may_have_landed_unjournaled": self.unjournaled,
            "ok": self.ok,
            "journal": str(self.journal_path),
            "rejects_file": str(self.rejects_path) if bad else None,
            "per_evaluator": {k: v.as_dict() for k, v in self.per_evaluator.items()},
            "first_rejects": [r.as_dict() for r in self.rejects],
            "seconds": round(self.elapsed, 3),
        }


class _Rejected(Exception):
    """A row refused before it is sent (the row is wrong)."""


class _Failed(Exception):
    """A row not sent because a lookup failed (the row may be fine: try again later)."""

    def __init__(self, message: str, connection: bool = False) -> None:
        super().__init__(message)
        self.connection = connection  # no answer at all: counts towards "cannot reach"


class _Halt(Exception):
    """No row can land (the key is refused): the import stops, this row is left unsent."""

    def __init__(self, error: RespanError) -> None:
        super().__init__(str(error))
        self.error = error


class _Evaluators:
    """Each evaluator the file names, looked up once: unknown ones are refused here.

    The facade looks evaluators up too (for its value checks) but does not remember the ones
    that do not exist; without this, every row naming a mistyped evaluator would cost a
    request. CSV rows also need the value type to read their cells.
    """

    def __init__(self, client: Respan) -> None:
        self._client = client
        self._known: dict[tuple[str, str], str | _Rejected] = {}
        self._lock = threading.Lock()

    def value_type(self, fields: RowFields) -> str:
        """The evaluator's score_value_type; _Rejected if it does not exist."""
        key = ("id", fields.evaluator_id) if fields.evaluator_id else ("slug", fields.evaluator_ref)
        with self._lock:
            found = self._known.get(key)
            if found is None:
                found = self._look_up(*key)  # raises _Failed, and then nothing is cached
                self._known[key] = found
        if isinstance(found, _Rejected):
            raise found
        return found

    def _look_up(self, kind: str, ref: str) -> str | _Rejected:
        try:
            if kind == "id":
                evaluator: Any = self._client.evaluators.retrieve(ref)
            else:
                matches = self._client.evaluators.iter_filter(filters=filters(evaluator_slug=ref))
                # Check the slug: a server that ignored the filter would list others.
                evaluator = next(
                    (e for e in matches if _text(getattr(e, "evaluator_slug", None)) == ref), None
                )
        except NotFoundError:
            evaluator = None
        except (AuthenticationError, PermissionDeniedError, InsecureTransportError) as e:
            raise _Halt(e) from e
        except RespanValidationError as e:  # the client refuses the reference itself
            return _Rejected(f"evaluator {_clip(ref)} refused: {' '.join(str(e).split())}")
        except RespanError as e:
            message = f"looking up evaluator {ref!r} failed: {' '.join(str(e).split())}"
            raise _Failed(message, isinstance(e, APIConnectionError)) from e
        logger.debug("evaluator %s %r: %s", kind, ref, "found" if evaluator else "unknown")
        if evaluator is None:
            what = "id" if kind == "id" else "slug"
            return _Rejected(f"unknown evaluator {ref!r} (no evaluator has this {what})")
        return _text(getattr(evaluator, "score_value_type", None)) or ""


def _clip(text: str, limit: int = 60) -> str:
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"... ({len(text):,} chars)"


def _text(value: object) -> str | None:
    """An enum member's value, or a str as it is."""
    raw = getattr(value, "value", value)
    return raw if isinstance(raw, str) else None


class _Interrupts:
    """First Ctrl-C: stop feeding rows. Second: KeyboardInterrupt, but never inside `held()`.

    The handler runs in the main thread between two bytecodes; `held()` marks the few lines
    that take an answer and journal it, so a Ctrl-C there waits for their end. After
    `finishing()`, further Ctrl-Cs are ignored: what is left is writing what is known.
    """

    def __init__(self, on_first: Callable[[], None]) -> None:
        self.stop = threading.Event()
        self._on_first = on_first
        self._previous: Any = None
        self._installed = False
        self._depth = 0
        self._deferred = False
        self._finishing = False

    def __enter__(self) -> _Interrupts:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle)
            self._installed = True
        return self

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if not self.stop.is_set():
            self.stop.set()
            self._on_first()
        elif self._finishing:
            return
        elif self._depth:
            self._deferred = True
        else:
            raise KeyboardInterrupt

    @contextmanager
    def held(self) -> Iterator[None]:
        """A block a second Ctrl-C does not cut: it takes effect at the block's end."""
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
        if not self._depth and self._deferred and not self._finishing:
            self._deferred = False
            raise KeyboardInterrupt

    def finishing(self) -> None:
        self._finishing = True

    def __exit__(self, *exc: object) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._previous)


class _Importer:
    def __init__(
        self,
        client: Respan,
        path: Path,
        fmt: FileFormat,
        journal: Journal,
        rejects_path: Path,
        output: Output,
        result: ImportResult,
        base_url: str = "",
    ) -> None:
        self.client = client
        self.path = path
        self.fmt = fmt
        self.journal = journal
        self.rejects_path = rejects_path
        self.output = output
        self.result = result
        self.base_url = base_url
        self.host = urlsplit(base_url).netloc or base_url or "the server"
        self.evaluators = _Evaluators(client)
        self.pending: dict[int, SourceRow] = {}
        self.lock = threading.Lock()
        self.done = 0
        self.on_progress: Callable[[], None] = lambda: None
        self._rejects: IO[str] | None = None
        # Connection failures since the last answer: failed rows if an answer comes, left
        # rows if they stop the import.
        self._streak: list[Reject] = []
        self._streak_since = 0.0

    @property
    def halted(self) -> bool:
        return self.result.halted is not None

    def halt(self, reason: str) -> None:
        """Stop early: start no row; rows that meet the stop are left for the next run."""
        with self.lock:
            if self.result.halted is None:
                self.result.halted = reason
            self._streak.clear()  # met the stop: left, not failed

    def tally(self, ref: str | None) -> Tally:
        key = ref or UNREADABLE
        tally = self.result.per_evaluator.get(key)
        if tally is None:
            tally = self.result.per_evaluator[key] = Tally()
        return tally

    def feed(self, stop: threading.Event) -> Iterator[ScoreRow]:
        """The rows still to send, as ScoreRows; refused rows go to the rejects file."""
        index = 0
        for src in read_rows(self.path, self.fmt):
            if stop.is_set() or self.halted:
                return
            ref = _tally_key(src)
            if self.journal.landed(src.line, src.digest):
                with self.lock:
                    self.tally(ref).skipped += 1
                    self.done += 1
                self.on_progress()
                continue
            try:
                row = self.to_score_row(src)
            except _Halt as e:
                self.halt(_halt_reason(e.error, self.base_url))
                return  # this row, and every one after it, is left
            except _Rejected as e:
                self.reject(src, str(e), "rejected")
                self.on_progress()
                continue
            except _Failed as e:
                if e.connection:
                    self.unreachable(src, str(e))
                else:
                    self.reject(src, str(e), "failed")
                self.on_progress()
                continue
            except RecursionError:
                self.reject(src, "a value is nested too deeply to read", "rejected")
                self.on_progress()
                continue
            except Exception as e:  # one row never stops the import (nor sending it helps)
                self.reject(src, _unexpected(e), "rejected")
                self.on_progress()
                continue
            with self.lock:
                self.pending[index] = src
            index += 1
            yield row

    def to_score_row(self, src: SourceRow) -> ScoreRow:
        f = src.fields
        if f is None:
            raise _Rejected(src.problem or "unreadable row")
        value_type = self.evaluators.value_type(f)
        value = f.value
        if self.fmt == "csv" and isinstance(value, str):
            try:
                value = coerce_csv_value(value, f.value_type or value_type)
            except UnreadableCell as e:
                kind = f.value_type or value_type
                raise _Rejected(f"evaluator {f.evaluator_ref!r} ({kind}): {e}") from None
        return ScoreRow(
            log_id=f.log_id,
            value=value,
            evaluator=None if f.evaluator_id else f.evaluator,
            evaluator_id=f.evaluator_id,
            value_type=f.value_type,
            timestamp=f.timestamp,
            environment=f.environment,
            explanation=f.explanation,
        )

    def reject(self, src: SourceRow, reason: str, kind: Literal["rejected", "failed"]) -> None:
        self._write_reject(Reject(src.line, reason, src.raw, kind, _tally_key(src)))

    def _write_reject(self, item: Reject) -> None:
        with self.lock:
            tally = self.tally(item.evaluator)
            if item.kind == "rejected":
                tally.rejected += 1
            else:
                tally.failed += 1
            self.done += 1
            shown = self.result.rejects
            shown.append(item)
            if len(shown) > 4 * SHOWN_REJECTS:  # keep the first lines, not the first to come
                shown.sort(key=_by_line)
                del shown[SHOWN_REJECTS:]
            if self._rejects is None:
                self.rejects_path.parent.mkdir(parents=True, exist_ok=True)
                self._rejects = self.rejects_path.open("w", encoding="utf-8")
            self._rejects.write(json.dumps(item.as_dict(), ensure_ascii=False, default=str))
            self._rejects.write("\n")
            self._rejects.flush()

    def unreachable(self, src: SourceRow, reason: str) -> None:
        """A row that got no answer at all: enough of them in a row stop the import."""
        now = time.monotonic()
        with self.lock:
            if self.halted:
                return  # left
            if not self._streak:
                self._streak_since = now
            self._streak.append(Reject(src.line, reason, src.raw, "failed", _tally_key(src)))
            count, since = len(self._streak), now - self._streak_since
        if count >= UNREACHABLE_STREAK or since >= UNREACHABLE_SECONDS:
            self.halt(
                f"cannot reach {self.host}: {plural(count, 'request')} in a row got no answer "
                f"(last: {reason}). Check --base-url (or RESPAN_BASE_URL) and the network, "
                "then run the same command again"
            )

    def reachable(self) -> None:
        """An answer came: the connection failures before it were row failures after all."""
        with self.lock:
            streak, self._streak = self._streak, []
        for item in streak:
            self._write_reject(item)

    def take(self, outcome: ScoreOutcome) -> None:
        with self.lock:
            src = self.pending.pop(outcome.index)
        if outcome.ok:
            self.reachable()
            score_id = getattr(outcome.score, "id", None)
            self.journal.record(
                src.line, src.digest, score_id if isinstance(score_id, str) else None
            )
            with self.lock:
                tally = self.tally(_tally_key(src))
                if outcome.created is True:
                    tally.created += 1
                elif outcome.created is False:
                    tally.updated += 1
                else:
                    tally.landed += 1
                self.done += 1
            return
        error = outcome.error
        if isinstance(error, AuthenticationError | PermissionDeniedError | InsecureTransportError):
            self.halt(_halt_reason(error, self.base_url))
            return  # left
        if isinstance(error, APIConnectionError):
            self.unreachable(src, _reason(error, self.fmt))
            return
        if isinstance(error, APIStatusError):
            self.reachable()
        kind: Literal["rejected", "failed"] = "rejected" if _is_rejection(error) else "failed"
        self.reject(src, _reason(error, self.fmt), kind)

    def close(self) -> None:
        """Write what is known: connection failures that stopped nothing are failures."""
        if not self.halted:
            self.reachable()
        if self._rejects is not None:
            self._rejects.close()
            self._rejects = None
            _sort_by_line(self.rejects_path)
        self.result.rejects.sort(key=_by_line)
        del self.result.rejects[SHOWN_REJECTS:]

    def status(self) -> str:
        """The counts so far that are not zero: `created 120, rejected 2`."""
        counts = self.result.totals.as_dict()
        counts["landed"] = counts.pop("landed_unclear")
        return ", ".join(f"{name} {n}" for name, n in counts.items() if n)


def _tally_key(src: SourceRow) -> str:
    """Where a row is counted: its evaluator, else why it has none."""
    if src.fields is not None:
        return src.fields.evaluator_ref
    if src.ref is not None:
        return src.ref
    return NO_EVALUATOR if src.readable else UNREADABLE


def _by_line(item: Reject) -> int:
    return item.line


def _sort_by_line(path: Path) -> None:
    """Rewrite the rejects file in line order (rows finish out of order), atomically."""
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.sort(key=lambda text: int(json.loads(text)["line"]))
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    os.replace(temporary, path)


def insecure_message(base_url: str) -> str:
    """The CLI's words for InsecureTransportError: it has no flag to allow plain http."""
    return (
        f"refusing to send the API key unencrypted to {base_url}: the base URL must be https "
        "(plain http only to this machine, e.g. http://127.0.0.1), and so must a proxy in "
        "HTTPS_PROXY, HTTP_PROXY or ALL_PROXY. Pass --base-url https://... or set "
        "RESPAN_BASE_URL"
    )


def _halt_reason(error: RespanError, base_url: str) -> str:
    if isinstance(error, InsecureTransportError):
        return insecure_message(base_url or "the server")
    code = error.status_code if isinstance(error, APIStatusError) else None
    detail = " ".join(str(getattr(error, "detail", None) or "").split())
    return (
        f"the API key was refused ({code}{': ' + detail if detail else ''}): no row can land "
        "with it. Check --api-key (or RESPAN_API_KEY), then run the same command again"
    )


def _got(value: object, fmt: FileFormat) -> str:
    """What a row held, in the file's terms: `the string "4.5"`, `the number 9`, `null`."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    if len(text) > 60:
        text = text[:57] + "..."
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {text}"
    if isinstance(value, str):
        return text if fmt == "csv" else f"the string {text}"
    if isinstance(value, int | float):
        return f"the number {text}"
    if isinstance(value, list | tuple):
        return f"the list {text}"
    if isinstance(value, dict):
        return f"the object {text}"
    return text


def _value_reason(error: ScoreValueError, fmt: FileFormat) -> str:
    """The facade's words, in the file's terms, saying what the row held when its kind matters."""
    expected = error.expected
    text = str(error)
    if expected.startswith("True or False"):  # Python's words; the file writes true/false
        spelled = BOOLEAN_SPELLINGS if fmt == "csv" else "true or false"
        text = text[: len(text) - len(expected)] + spelled
    value = error.value
    boolean = expected.startswith("True or False")
    if isinstance(value, int | float) and not isinstance(value, bool) and not boolean:
        return text  # `cannot take 9` says it all (where a number is expected)
    if isinstance(value, str) and fmt == "csv":
        return text  # every cell is a string: naming the kind tells nothing
    if isinstance(value, str) and _takes_strings(error.value_type):
        return text  # a choice or a text: the string was the right kind, `cannot take 'x'` says why
    return f"{text}, got {_got(value, fmt)}"


def _takes_strings(value_type: str) -> bool:
    """Whether a value type's value is one str (a choice, a text, or JSON text)."""
    known = facts.VALUE_TYPES.get(value_type)
    return known is not None and known.check in ("single_choice", "choices", "text", "json")


def _is_rejection(error: RespanError | None) -> bool:
    """The row itself is wrong (resending it will not help), as opposed to a failure.

    Rejected: anything the client refuses before sending (RespanValidationError), a 4xx
    answer that would be the same next time, and an unexpected error the bulk runner wrapped
    (a plain RespanError caused by a non-Respan exception: the row tripped the client).
    Failed (try again later): 5xx, 408/425/429, and connection errors.
    """
    if isinstance(error, RespanValidationError):
        return True
    if isinstance(error, APIStatusError):
        return 400 <= error.status_code < 500 and error.status_code not in _RETRYABLE_4XX
    cause = error.__cause__ if error is not None else None
    return type(error) is RespanError and cause is not None and not isinstance(cause, RespanError)


def _unexpected(error: Exception) -> str:
    return " ".join(f"unexpected {type(error).__name__}: {error}".split())[:500]


def _reason(error: RespanError | None, fmt: FileFormat = "jsonl") -> str:
    """Why a row did not land, in one line, from the facade's error."""
    if error is None:
        return "no outcome"
    if isinstance(error, ScoreValueError):
        return " ".join(_value_reason(error, fmt).split())
    if isinstance(error, APIStatusError):
        if error.field_errors:
            details = "; ".join(
                f"{name}: {' '.join(msgs)}" for name, msgs in error.field_errors.items()
            )
        else:
            details = str(error.detail or "")
        code = error.status_code
        what = "server error" if code >= 500 else "rate limited" if code == 429 else "refused"
        reason = " ".join(f"{what} ({code}): {details}".split()).rstrip(": ")
        # The id Respan's support asks for, so a reject can be followed up without a rerun.
        return reason if error.request_id is None else f"{reason} (request id {error.request_id})"
    return " ".join(str(error).split())


@dataclass
class _Prepass:
    """What one read of the whole file tells before anything is sent."""

    total: int = 0
    changed: list[int] = field(default_factory=list)  # journaled lines edited since
    unknown: dict[str, int] = field(default_factory=dict)  # name -> first line it is on


def _prepass(path: Path, fmt: FileFormat, journal: Journal) -> _Prepass:
    found = _Prepass()
    for src in read_rows(path, fmt):
        found.total += 1
        if journal.changed(src.line, src.digest):
            found.changed.append(src.line)
        for name in src.unknown:
            found.unknown.setdefault(name, src.line)
    return found


def _unknown_note(fmt: FileFormat, unknown: dict[str, int]) -> str:
    """`ignoring the unknown column 'colour' (not sent); ...`: said once, before sending."""
    what = "column" if fmt == "csv" else "key"
    names = ", ".join(
        repr(name) if fmt == "csv" else f"{name!r} (line {line})"
        for name, line in list(unknown.items())[:10]
    )
    more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
    read = ", ".join(n for n in known_names()[:9])
    count = f"the unknown {what}" if len(unknown) == 1 else f"{len(unknown)} unknown {what}s"
    return f"ignoring {count} {names}{more} (not sent; names are read in any case: {read}, ...)"


def run_import(
    client: Respan,
    path: Path,
    *,
    fmt: FileFormat,
    base_url: str,
    api_key: str,
    output: Output,
    journal_path: Path | None = None,
    rejects_path: Path | None = None,
    concurrency: int = 8,
    restart: bool = False,
    resend_changed: bool = False,
    quiet: bool = False,
    resume_hint: str | None = None,
) -> ImportResult:
    """Import `path`; returns what happened (the caller prints it).

    `api_key` is the key `client` sends: the journal keeps a fingerprint of it (never the
    key), so a run with another key does not take this key's rows for its own.
    """
    if not path.is_file():
        raise CliError(f"no such file: {path}", exit_code=2)
    journal_path = journal_path or default_journal_path(path)
    rejects_path = rejects_path or default_rejects_path(path)
    if len({path.resolve(), journal_path.resolve(), rejects_path.resolve()}) != 3:
        raise CliError("the file, the journal and the rejects file must be three files", 2)
    journal = Journal(journal_path, source=path.name, base_url=base_url, api_key=api_key)
    try:  # the journal is locked from here to its close
        return _run_locked(
            client, path, fmt, journal, rejects_path, output, concurrency, restart,
            resend_changed, quiet, resume_hint,
        )  # fmt: skip
    finally:
        journal.close()


def _run_locked(
    client: Respan,
    path: Path,
    fmt: FileFormat,
    journal: Journal,
    rejects_path: Path,
    output: Output,
    concurrency: int,
    restart: bool,
    resend_changed: bool,
    quiet: bool,
    resume_hint: str | None,
) -> ImportResult:
    journal_path = journal.path
    try:
        if restart:
            journal.restart()
        else:
            journal.load()
        found = _prepass(path, fmt, journal)
    except (JournalError, ReadError) as e:
        raise CliError(str(e), exit_code=2) from None
    total, changed = found.total, found.changed
    if found.unknown:
        output.note(_unknown_note(fmt, found.unknown), style="yellow")
    logger.debug(
        "%s: %d rows; journal %s: %d landed before", path, total, journal_path, len(journal.entries)
    )
    if changed and not resend_changed:
        first = ", ".join(str(n) for n in changed[:5]) + (", ..." if len(changed) > 5 else "")
        raise CliError(
            f"{path.name} has changed since the journal was written: "
            f"{plural(len(changed), 'row')} that landed before now read differently (line "
            f"{first}). Pass --resend-changed to send those rows again (their scores are "
            "updated), or --restart to send every row again",
            exit_code=2,
        )
    for line in changed:
        journal.entries.pop(line, None)
    rejects_path.unlink(missing_ok=True)

    result = ImportResult(path, total, journal_path, rejects_path, changed=len(changed))
    importer = _Importer(client, path, fmt, journal, rejects_path, output, result, journal.base_url)
    hint = resume_hint or f"respan-evals scores import {shlex.quote(str(path))}"

    def on_first_interrupt() -> None:
        # A signal handler: it runs between two bytecodes of the main thread, which may hold
        # importer.lock, so it takes no lock (len() of a dict is atomic).
        in_flight = len(importer.pending)
        output.note(
            f"stopping: finishing {plural(in_flight, 'row')} in flight (Ctrl-C again to stop at "
            "once)",
            style="yellow",
        )

    start = time.monotonic()
    journal.open()
    reporter = make_reporter(output.err, f"import {path.name}", total=total, quiet=quiet)
    try:
        with _Interrupts(on_first_interrupt) as interrupts, reporter:
            importer.on_progress = lambda: reporter.update(importer.done, importer.status())
            outcomes = client.iter_score_logs(
                importer.feed(interrupts.stop), concurrency=concurrency
            )
            try:
                for outcome in outcomes:
                    with interrupts.held():  # an answer is journaled before a Ctrl-C acts
                        importer.take(outcome)
                    importer.on_progress()
                importer.on_progress()
            except KeyboardInterrupt:
                interrupts.finishing()
                result.interrupted = result.stopped_at_once = True
                _stop_at_once(outcomes, importer)
            finally:
                close = getattr(outcomes, "close", None)
                if callable(close):
                    close()
            if interrupts.stop.is_set():
                result.interrupted = True
    except ReadError as e:
        raise CliError(str(e), exit_code=2) from None
    finally:
        importer.close()
        journal.sync()
        result.elapsed = time.monotonic() - start
    if result.stopped_at_once:
        output.note(
            f"stopped at once: the journal {journal_path} holds the "
            f"{plural(len(journal.entries), 'row')} that landed and were answered; "
            f"{plural(result.unjournaled, 'row')} may have landed without being journaled "
            "(sent, answer never read): the next run sends them again, which updates rather "
            f"than duplicates. Run `{hint}` again to send the rest",
            style="yellow",
        )
    elif result.interrupted:
        output.note(
            f"interrupted: the journal {journal_path} holds every row that landed; "
            f"run `{hint}` again to send the rest",
            style="yellow",
        )
    return result


def _stop_at_once(outcomes: Iterator[ScoreOutcome], importer: _Importer) -> None:
    """The second Ctrl-C: journal every answer already back; count the rows still out."""
    cancelled: set[int] = set()
    if isinstance(outcomes, ThreadRun):
        stopped = outcomes.stop()
        for outcome in stopped.finished:
            importer.take(outcome)
        cancelled.update(stopped.cancelled)
    # Every row handed over, neither answered nor cancelled, may be out (an upper bound: it
    # also counts a row the Ctrl-C caught on its way to a thread).
    importer.result.unjournaled = len(set(importer.pending) - cancelled)
