"""Queue scores through an outbox with a sender thread, then just exit: atexit flushes."""

from __future__ import annotations

import sys

from respan_evals import Outbox, Respan


def main(path: str, count: int, exit_timeout: float) -> None:
    client = Respan(rate_limit=None, max_retries=0, timeout=30)
    outbox = Outbox(path, client=client, exit_timeout=exit_timeout, poll_interval=0.02)
    for i in range(count):
        outbox.score_log(f"log_{i}", 3, evaluator="quality", value_type="numerical")
    print("queued", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]))
