"""A fork while another thread is inside the outbox: the child neither hangs nor loses a row."""

from __future__ import annotations

import os
import threading
import time

from respan_evals import Outbox
from respan_evals._outbox._fork import inside_sqlite

from .conftest import wait_child


def _child_queues(outbox: Outbox, log_id: str) -> int:
    """Fork; the child queues a score from this thread and one from a new thread, through
    connections of its own, and exits 0. The child's exit code."""
    parents = outbox._store.conn()
    pid = os.fork()
    if pid == 0:  # the child: exit without running the parent's test machinery
        code = 1
        try:
            outbox.score_log(log_id, 3, evaluator="quality")
            thread = threading.Thread(
                target=outbox.score_log, args=(f"{log_id}_thread", 3), kwargs={"evaluator": "q"}
            )
            thread.start()
            thread.join(5)
            code = 2 if outbox._store.conn() is parents else 3 if thread.is_alive() else 0
        finally:
            os._exit(code)
    return wait_child(pid, timeout=10)


def test_a_lock_another_thread_holds_at_the_fork_is_new_in_the_child(outbox: Outbox) -> None:
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with outbox._store._lock, outbox._lock, outbox._progress:
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(5)
    try:
        assert _child_queues(outbox, "log_child") == 0
    finally:
        release.set()
        holder.join()
    assert outbox.stats().queued == 2


def test_a_fork_waits_for_a_thread_inside_sqlite(outbox: Outbox) -> None:
    entered, left = threading.Event(), threading.Event()

    def inside() -> None:
        with inside_sqlite():
            entered.set()
            time.sleep(0.3)
            left.set()

    thread = threading.Thread(target=inside)
    thread.start()
    assert entered.wait(5)
    pid = os.fork()
    if pid == 0:
        os._exit(0 if left.is_set() else 1)  # the fork happened after the thread was out
    try:
        assert wait_child(pid, timeout=10) == 0
    finally:
        thread.join()


def test_a_fork_from_inside_sqlite_does_not_wait_for_itself(outbox: Outbox) -> None:
    with inside_sqlite():
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        assert wait_child(pid, timeout=10) == 0
    assert _child_queues(outbox, "log_after") == 0  # the child's counts start clean
