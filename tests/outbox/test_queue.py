"""Queueing: the checks score_log makes, the file's privacy, the bound, order per score."""

from __future__ import annotations

import datetime
import json
import os
import sqlite3
import stat
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest

from respan_evals import (
    Outbox,
    OutboxClosedError,
    OutboxFullError,
    RespanError,
    RespanValidationError,
    ScoreValueError,
)
from respan_evals._outbox._codec import decode_row, decode_value, encode_row, encode_value
from respan_evals._outbox._store import Outcome
from respan_evals._rows import ScoreRow

from .conftest import FAST, wait_child


def test_the_file_and_its_journal_are_private(outbox: Outbox, outbox_path: Path) -> None:
    outbox.score_log("log_1", 3, evaluator="quality")
    files = [p for p in outbox_path.parent.iterdir() if p.name.startswith(outbox_path.name)]
    assert {p.name for p in files} >= {outbox_path.name, outbox_path.name + "-wal"}
    for p in files:
        assert stat.S_IMODE(p.stat().st_mode) & 0o077 == 0, p


@pytest.mark.parametrize(
    "value",
    [
        4.5,
        3,
        True,
        "calm",
        ["b", "a"],
        ("b", "a"),
        {"calm", "warm"},
        frozenset({"x"}),
        {frozenset({"x"}), ("t", 1)},
        {"a": [1, {"b": None}], 1: "one"},
        Decimal("1.25"),
        float("nan"),
        "lone \ud800 surrogate",
        [],
    ],
)
def test_a_stored_value_comes_back_as_it_was(value: object) -> None:
    back = decode_value(json.loads(json.dumps(encode_value(value))))
    assert type(back) is type(value)
    assert back == value or repr(back) == repr(value)  # NaN is not equal to itself


def test_a_row_comes_back_with_every_field() -> None:
    row = ScoreRow(
        log_id="log_1",
        value={"a", "b"},
        evaluator_id="evl_1",
        value_type="multi_select",
        timestamp=datetime.datetime(2026, 4, 10, 12, tzinfo=datetime.UTC),
        environment="prod",
        explanation="why",
        prompt_id="p",
        prompt_version_number=2,
        dataset_id="d",
        automation_id="a",
    )
    back = decode_row(encode_row(row))
    assert back == ScoreRow(**{**row.__dict__, "timestamp": "2026-04-10T12:00:00+00:00"})


def test_a_value_that_cannot_fit_is_refused_at_once(outbox: Outbox) -> None:
    with pytest.raises(ScoreValueError, match="boolean"):
        outbox.score_log("log_1", 1, evaluator="flag", value_type="boolean")
    assert outbox.stats().queued == 0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({}, "exactly one of evaluator"),
        ({"evaluator": "q", "evaluator_id": "e"}, "exactly one of evaluator"),
        ({"evaluator": "q", "timestamp": "yesterday"}, "timestamp"),
        ({"evaluator": "q", "value_type": "no_such_type"}, "no_such_type"),
        ({"evaluator": "q", "prompt_version_number": "2"}, "prompt_version_number"),
    ],
)
def test_bad_arguments_are_refused_before_queueing(
    outbox: Outbox, kwargs: dict[str, object], match: str
) -> None:
    with pytest.raises(RespanValidationError, match=match):
        outbox.score_log("log_1", 3, **kwargs)  # type: ignore[arg-type]
    assert outbox.stats().queued == 0


def test_a_value_the_file_cannot_hold_is_refused(outbox: Outbox) -> None:
    with pytest.raises(RespanValidationError, match="cannot store a value of type object"):
        outbox.score_log("log_1", object(), evaluator="quality")


def test_without_a_known_profile_the_value_waits_for_the_send(outbox: Outbox) -> None:
    outbox.score_log("log_1", "not a number", evaluator="quality")
    assert outbox.stats().queued == 1


def test_bad_settings_are_refused(outbox_path: Path) -> None:
    for kwargs in (
        {"max_rows": 0},
        {"concurrency": 1.5},
        {"lease_timeout": -1},
        {"durability": "disk"},
        {"max_bytes": True},
    ):
        with pytest.raises(RespanValidationError):
            Outbox(outbox_path, **kwargs)  # type: ignore[arg-type]


def test_a_full_outbox_raises_and_keeps_what_it_holds(outbox_path: Path) -> None:
    with Outbox(outbox_path, max_rows=3, **FAST) as box:
        for i in range(3):
            box.score_log(f"log_{i}", 3, evaluator="quality")
        with pytest.raises(OutboxFullError, match="limit 3 scores") as caught:
            box.score_log("log_3", 3, evaluator="quality")
        assert isinstance(caught.value, RespanError)
        assert caught.value.rows == 3
        assert box.stats().queued == 3


def test_a_bound_in_bytes_raises_too(outbox_path: Path) -> None:
    with Outbox(outbox_path, max_rows=None, max_bytes=200, **FAST) as box:
        with pytest.raises(OutboxFullError, match="200 bytes"):
            for i in range(10):
                box.score_log(f"log_{i}", 3, evaluator="quality")
        assert 0 < box.stats().queued_bytes <= 200


def test_a_full_outbox_waits_when_asked_then_raises(outbox_path: Path) -> None:
    with Outbox(outbox_path, max_rows=1, wait_when_full=0.3, **FAST) as box:
        box.score_log("log_0", 3, evaluator="quality")
        start = time.monotonic()
        with pytest.raises(OutboxFullError):
            box.score_log("log_1", 3, evaluator="quality")
        assert time.monotonic() - start >= 0.3


def test_a_full_outbox_that_drains_while_waiting_takes_the_score(outbox_path: Path) -> None:
    with Outbox(outbox_path, max_rows=1, wait_when_full=10, **FAST) as box:
        box.score_log("log_0", 3, evaluator="quality")
        store = box._store

        def drain() -> None:
            time.sleep(0.1)
            store.acquire("test", timeout=5)
            claimed = store.claim("test", limit=1, lease_timeout=5, max_attempts=3) or []
            from respan_evals._outbox._store import Outcome

            store.mark([Outcome(id=c.id, kind="sent") for c in claimed])

        threading.Thread(target=drain).start()
        box.score_log("log_1", 3, evaluator="quality")
        assert box.stats().queued == 1 and box.stats().sent == 1


def test_one_row_per_score_is_claimed_oldest_first(outbox: Outbox) -> None:
    first = outbox.score_log("log_1", 1, evaluator="quality")
    outbox.score_log("log_1", 2, evaluator="quality")  # the same score, later
    other = outbox.score_log("log_2", 1, evaluator="quality")
    same_log_other_evaluator = outbox.score_log("log_1", 1, evaluator="tone")
    store = outbox._store
    assert store.acquire("me", timeout=5)
    claimed = store.claim("me", limit=10, lease_timeout=5, max_attempts=3)
    assert claimed is not None
    assert [c.id for c in claimed] == [first, other, same_log_other_evaluator]
    assert all(c.attempts == 1 for c in claimed)
    assert store.claim("intruder", limit=10, lease_timeout=5, max_attempts=3) is None


def test_a_claim_marks_the_last_batch_first_even_when_the_lease_is_gone(
    outbox: Outbox,
) -> None:
    first = outbox.score_log("log_1", 1, evaluator="quality")
    later = outbox.score_log("log_1", 2, evaluator="quality")  # waits for `first` to leave
    retried = outbox.score_log("log_2", 1, evaluator="quality")
    failed = outbox.score_log("log_3", 1, evaluator="quality")
    lost = outbox.score_log("log_4", 1, evaluator="quality")
    store = outbox._store
    assert store.acquire("me", timeout=5)
    claimed = store.claim("me", limit=3, lease_timeout=5, max_attempts=3)
    assert claimed is not None and [c.id for c in claimed] == [first, retried, failed]
    done = [
        Outcome(id=first, kind="sent"),
        Outcome(id=retried, kind="retry", error_type="APITimeoutError", error="t", delay=60),
        Outcome(id=failed, kind="failed", error_type="BadRequestError", error="no"),
    ]
    # Marked before the claim looks: `later` is the head of log_1 now; log_2 waits a minute.
    again = store.claim("me", limit=3, lease_timeout=5, max_attempts=3, done=done)
    assert again is not None and [c.id for c in again] == [later, lost]
    stats = outbox.stats()
    assert (stats.sent, stats.failed, stats.queued, stats.retrying) == (1, 1, 3, 1)
    # The lease is someone else's now: the answers are kept all the same; nothing is claimed.
    store.release("me")
    assert store.acquire("successor", timeout=5)
    sent = [Outcome(id=later, kind="sent"), Outcome(id=lost, kind="sent")]
    assert store.claim("me", limit=3, lease_timeout=5, max_attempts=3, done=sent) is None
    stats = outbox.stats()
    assert (stats.sent, stats.queued) == (3, 1)
    # A mark for a row already marked (a successor sent it too) counts nothing twice.
    store.mark(sent)
    assert outbox.stats().sent == 3


def test_a_batch_larger_than_an_old_sqlite_binds_is_claimed_and_marked(outbox: Outbox) -> None:
    rows = 1_200
    for i in range(rows):
        outbox.score_log(f"log_{i}", 3, evaluator="quality")
    store = outbox._store
    # What SQLite builds before 3.32 allow: a statement with more parameters fails.
    store.conn().setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    assert store.acquire("me", timeout=5)
    claimed = store.claim("me", limit=rows, lease_timeout=5, max_attempts=3)
    assert claimed is not None and len(claimed) == rows
    assert all(c.attempts == 1 for c in claimed)
    done = [Outcome(id=c.id, kind="sent") for c in claimed]
    assert store.claim("me", limit=rows, lease_timeout=5, max_attempts=3, done=done) == []
    stats = outbox.stats()
    assert (stats.sent, stats.queued) == (rows, 0)


def test_threads_queue_at_once_and_nothing_is_lost(outbox: Outbox) -> None:
    ids: list[int] = []
    lock = threading.Lock()

    def work(n: int) -> None:
        for i in range(100):
            row_id = outbox.score_log(f"log_{n}_{i}", 3, evaluator="quality")
            with lock:
                ids.append(row_id)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(ids)) == 600
    assert outbox.stats().queued == 600


def test_flush_without_a_sender_says_how_many_are_left(outbox: Outbox) -> None:
    for i in range(3):
        outbox.score_log(f"log_{i}", 3, evaluator="quality")
    assert outbox.flush(timeout=0.05) == 3


def test_a_closed_outbox_refuses_scores(outbox_path: Path) -> None:
    box = Outbox(outbox_path, **FAST)
    box.close()
    with pytest.raises(OutboxClosedError):
        box.score_log("log_1", 3, evaluator="quality")


def test_a_forked_child_queues_through_its_own_connection(outbox: Outbox) -> None:
    outbox.score_log("log_parent", 3, evaluator="quality")
    pid = os.fork()
    if pid == 0:  # the child: exit without running the parent's test machinery
        code = 1
        try:
            outbox.score_log("log_child", 3, evaluator="quality")
            code = 0
        finally:
            os._exit(code)
    assert wait_child(pid) == 0
    assert outbox.stats().queued == 2


def test_power_durability_syncs_every_commit(outbox_path: Path) -> None:
    with Outbox(outbox_path, durability="power", **FAST) as box:
        box.score_log("log_1", 3, evaluator="quality")
        assert box._store.read("PRAGMA synchronous") == [(2,)]  # FULL
    with Outbox(outbox_path, **FAST) as box:
        assert box._store.read("PRAGMA synchronous") == [(1,)]  # NORMAL


def test_stats_count_what_waits(outbox: Outbox) -> None:
    outbox.score_log("log_1", 3, evaluator="quality")
    outbox.score_log("log_2", [1, 2], evaluator="quality")
    time.sleep(0.01)
    stats = outbox.stats()
    assert (stats.queued, stats.retrying, stats.failed, stats.sent) == (2, 0, 0, 0)
    assert stats.queued_bytes > 0
    assert stats.oldest_queued_age is not None and stats.oldest_queued_age > 0
    assert stats.sender is None
