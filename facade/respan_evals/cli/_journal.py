"""The resume journal of `scores import`: which rows of a file have landed.

One JSON object a line, append-only. The first line is a header naming the file and the
server; every later line is one landed row: its line number in the file, the hash of its
content (so an edited row is told apart from the one that was sent) and the score id.

    {"respan_journal": 1, "source": "scores.jsonl", "base_url": "https://api.respan.ai"}
    {"line": 2, "hash": "9f2c61a0b4e1d7c3", "score": "score_8d1e..."}

Entries are written as outcomes arrive and flushed at once, so a crash loses at most the line
being written; they are fsync'd every `SYNC_EVERY` entries or `SYNC_SECONDS`, and on close.
A torn last line (the process died mid-write) is dropped on load.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO

__all__ = ["FORMAT_VERSION", "Journal", "JournalError"]

FORMAT_VERSION = 1
SYNC_EVERY = 100
SYNC_SECONDS = 1.0


class JournalError(Exception):
    """The journal cannot be used as it is (damaged, or written for another server)."""


class Journal:
    """Landed rows of one import, loaded from disk and appended to as rows land."""

    def __init__(self, path: Path, *, source: str, base_url: str) -> None:
        self.path = path
        self.source = source
        self.base_url = base_url
        self.entries: dict[int, str] = {}  # line -> content hash
        self._handle: IO[str] | None = None
        self._lock = threading.Lock()
        self._unsynced = 0
        self._last_sync = time.monotonic()

    # ---- reading ----------------------------------------------------------------------
    def load(self) -> None:
        """Read what an earlier run recorded (nothing if there is no journal yet)."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        header_seen = False
        offset = good_end = 0  # good_end: just after the last complete, readable line
        for raw in data.splitlines(keepends=True):
            end = offset + len(raw)
            body = raw.strip()
            if body:
                try:
                    item = json.loads(body)
                    if not isinstance(item, dict):
                        raise ValueError("not an object")
                except ValueError:
                    if not data[end:].strip():
                        break  # the last line, torn by a crash mid-write: drop it
                    raise JournalError(
                        f"journal {self.path} is damaged near byte {offset}; "
                        "start over with --restart"
                    ) from None
                if not header_seen:
                    self._check_header(item)
                    header_seen = True
                elif isinstance(item.get("line"), int) and isinstance(item.get("hash"), str):
                    self.entries[item["line"]] = item["hash"]
            offset = end
            if raw.endswith((b"\n", b"\r")):
                good_end = end
        if good_end < len(data):
            self._repair(data, good_end)

    def _check_header(self, item: Mapping[str, object]) -> None:
        if item.get("respan_journal") != FORMAT_VERSION:
            raise JournalError(
                f"{self.path} is not a respan-evals journal (or a newer format); "
                "pass another --journal path, or --restart to overwrite it"
            )
        recorded = item.get("base_url")
        if isinstance(recorded, str) and recorded.rstrip("/") != self.base_url.rstrip("/"):
            raise JournalError(
                f"journal {self.path} records an import into {recorded}, not {self.base_url}; "
                "pass another --journal path, or --restart to start over"
            )

    def _repair(self, data: bytes, good_end: int) -> None:
        """Cut a torn last line, or end a complete last line with its newline."""
        tail = data[good_end:]
        try:
            item = json.loads(tail) if tail.strip() else None
        except ValueError:
            item = None
        with self.path.open("r+b") as handle:
            if isinstance(item, dict):
                handle.seek(len(data))
                handle.write(b"\n")
            else:
                handle.truncate(good_end)

    def landed(self, line: int, digest: str) -> bool:
        """True when this very row (same line, same content) landed in an earlier run."""
        return self.entries.get(line) == digest

    def changed(self, line: int, digest: str) -> bool:
        """True when the journal has this line with other content: the file was edited."""
        recorded = self.entries.get(line)
        return recorded is not None and recorded != digest

    # ---- writing ----------------------------------------------------------------------
    def open(self) -> None:
        """Open for appending; a new journal starts with its header."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fresh = not self.path.exists() or self.path.stat().st_size == 0
        self._handle = self.path.open("a", encoding="utf-8", newline="\n")
        if fresh:
            header = {
                "respan_journal": FORMAT_VERSION,
                "source": self.source,
                "base_url": self.base_url,
                "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            }
            self._write(header)
            self.sync()

    def record(self, line: int, digest: str, score_id: str | None) -> None:
        """One landed row: written and flushed now, fsync'd in batches."""
        entry: dict[str, object] = {"line": line, "hash": digest}
        if score_id:
            entry["score"] = score_id
        with self._lock:
            self.entries[line] = digest
            self._write(entry)
            self._unsynced += 1
            if self._unsynced >= SYNC_EVERY or time.monotonic() - self._last_sync >= SYNC_SECONDS:
                self._sync_locked()

    def sync(self) -> None:
        with self._lock:
            self._sync_locked()

    def close(self) -> None:
        with self._lock:
            if self._handle is None:
                return
            self._sync_locked()
            self._handle.close()
            self._handle = None

    def discard(self) -> None:
        """Forget everything recorded (for --restart)."""
        self.close()
        self.entries.clear()
        self.path.unlink(missing_ok=True)

    def _write(self, item: Mapping[str, object]) -> None:
        assert self._handle is not None, "journal not open"
        self._handle.write(json.dumps(item, separators=(",", ":")) + "\n")
        self._handle.flush()

    def _sync_locked(self) -> None:
        if self._handle is None:
            return
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._unsynced = 0
        self._last_sync = time.monotonic()
