"""A sender process: `outbox.run(client, until_empty=True)`; the key comes from the environment.

With an intervals file, each send's start and end (wall clock) are appended to it, so a test
can check that two senders never sent at the same time.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from respan_evals import Outbox, Respan


class RecordingRespan(Respan):
    """A Respan that writes down when each score_log ran, and takes `hold` seconds at least."""

    intervals: str = ""
    hold: float = 0.0

    def score_log(self, *args: Any, **kwargs: Any) -> Any:
        start = time.time()
        try:
            return super().score_log(*args, **kwargs)
        finally:
            time.sleep(self.hold)
            with open(self.intervals, "a") as f:
                f.write(f"{os.getpid()} {start!r} {time.time()!r}\n")


def main(path: str, concurrency: int, intervals: str, hold: float, rounds: int) -> None:
    kind = RecordingRespan if intervals else Respan
    RecordingRespan.intervals, RecordingRespan.hold = intervals, hold
    settings = {"lease_timeout": 1.0, "poll_interval": 0.02, "concurrency": concurrency}
    with Outbox(path, exit_timeout=0, **settings) as outbox, kind(rate_limit=None) as client:
        print("started", flush=True)
        go = os.environ.get("OUTBOX_TEST_GO")
        while go and not os.path.exists(go):  # start together with the other sender
            time.sleep(0.005)
        for _ in range(rounds):  # several rounds: the lease is given up and taken between them
            outbox.run(client, until_empty=True, timeout=0.3 if rounds > 1 else None)
            time.sleep(0.05)
        outbox.run(client, until_empty=True)
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4]), int(sys.argv[5]))
