"""Queue `count` scores (log ids `log_<start>`..) into an outbox file from `threads` threads."""

from __future__ import annotations

import sys
import threading

from respan_evals import Outbox


def main(path: str, start: int, count: int, threads: int) -> None:
    outbox = Outbox(path, max_rows=None, max_bytes=None)
    ready = threading.Barrier(threads)

    def work(offset: int) -> None:
        ready.wait()
        for i in range(start + offset, start + count, threads):
            outbox.score_log(f"log_{i}", 1 + i % 5, evaluator="quality", value_type="numerical")

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    outbox.close(timeout=0)
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
