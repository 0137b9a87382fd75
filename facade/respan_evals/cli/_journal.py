"""The resume journal of `scores import`: which rows of a file have landed, and for whom.

One JSON object a line, append-only. The first line is the header: the magic key
`respan_journal` holding the format version, the file, the server, and a fingerprint of the
API key; every later line is one landed row: its line number in the file, the hash of its
content (so an edited row is told apart from the one that was sent) and the score id.

    {"respan_journal": 2, "source": "scores.jsonl", "base_url": "https://api.respan.ai",
     "key": {"salt": "5f0c...", "hmac": "a71e..."}, "started": "2025-06-01T12:00:00Z"}
    {"line": 2, "hash": "9f2c61a0b4e1d7c3", "score": "score_8d1e..."}

The key fingerprint is HMAC-SHA256, keyed by a random salt of this journal, of
SHA-256("respan-evals journal key\\0" + key): a run with another key (another organisation,
whose scores are not these) is refused, and the journal tells nothing about the key.

The header is written with the first landed row, not before: a run where nothing landed (a
mistyped base URL, a refused key) binds the journal to nothing, and a journal holding only a
header (an older run's) is bound to nothing either: the next run may use any server and key.

A file without that header is not a journal and is never changed. A record that is not a
line number and a hash means the journal is damaged: it is refused, not ignored. Only a last
line without its newline (the process died mid-write) is dropped.

The journal is locked (`flock`) from load to close, so two imports of one file cannot both
run. Entries are written as outcomes arrive and flushed at once, so a crash loses at most the
line being written; they are fsync'd every `SYNC_EVERY` entries or `SYNC_SECONDS`, and on close.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import IO

fcntl: ModuleType | None
try:
    import fcntl
except ImportError:  # not POSIX: no advisory locks; said once, on load
    fcntl = None

__all__ = ["FORMAT_VERSION", "MAGIC", "Journal", "JournalError"]

MAGIC = "respan_journal"
FORMAT_VERSION = 2  # 2: the header holds the key fingerprint
SYNC_EVERY = 100
SYNC_SECONDS = 1.0
_KEY_DOMAIN = b"respan-evals journal key\0"
logger = logging.getLogger("respan_evals.cli")


class JournalError(Exception):
    """The journal cannot be used as it is (not a journal, damaged, in use, or not ours)."""


def _key_digest(api_key: str) -> bytes:
    return hashlib.sha256(_KEY_DOMAIN + api_key.encode("utf-8", "surrogatepass")).digest()


def _fingerprint(key_digest: bytes, salt: str) -> str:
    return hmac.new(bytes.fromhex(salt), key_digest, hashlib.sha256).hexdigest()


def _parse(body: bytes) -> object:
    """A line as JSON, or None when it is not JSON (too deeply nested counts as not JSON)."""
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


def _is_record(item: object) -> bool:
    if not isinstance(item, dict):
        return False
    line, digest, score = item.get("line"), item.get("hash"), item.get("score")
    return (
        type(line) is int
        and line >= 1
        and isinstance(digest, str)
        and bool(digest)
        and (score is None or isinstance(score, str))
    )


class Journal:
    """Landed rows of one import, loaded from disk and appended to as rows land."""

    def __init__(self, path: Path, *, source: str, base_url: str, api_key: str) -> None:
        self.path = path
        self.source = source
        self.base_url = base_url
        self.entries: dict[int, str] = {}  # line -> content hash
        self._key_digest = _key_digest(api_key)  # the key itself is not kept
        self._handle: IO[bytes] | None = None  # open, and locked, from load to close
        self._created = False
        self._bound = False  # the file holds a header: written with the first landed row
        self._lock = threading.Lock()
        self._unsynced = 0
        self._last_sync = time.monotonic()

    # ---- reading ----------------------------------------------------------------------
    def load(self) -> None:
        """Lock the journal and read what an earlier run recorded (nothing if it is new)."""
        data = self._acquire()
        try:
            self._read(data)
        except JournalError:
            self.close()
            raise

    def _read(self, data: bytes) -> None:
        if not data.strip():
            return
        lines = data.split(b"\n")
        offset = 0
        header_seen = False
        header: object = None
        for number, raw in enumerate(lines):
            end = offset + len(raw) + 1
            last = number == len(lines) - 1  # no newline after it (or empty)
            body = raw.strip()
            if not body:
                offset = end
                continue
            item = _parse(body)
            if not header_seen:
                if last and body.startswith(b'{"' + MAGIC.encode()) and item is None:
                    self._truncate(0)  # a header torn by a crash: the journal is new
                    return
                self._check_header(item, restarting=True)  # a journal, and not a newer one
                header, header_seen = item, True
            elif not _is_record(item):
                if last:
                    self._truncate(offset)  # the last line, torn by a crash mid-write
                    break
                raise JournalError(
                    f"journal {self.path} is damaged at byte {offset} (line {number + 1} is "
                    "not a record of a landed row); start over with --restart"
                )
            else:
                assert isinstance(item, dict)
                self.entries[item["line"]] = item["hash"]
            if last:
                self._append(b"\n")  # a complete last line whose newline was lost
            offset = end
        if self.entries:  # rows landed for that server and key: only they may resume
            self._check_header(header)
        self._bound = bool(self.entries)  # a header alone binds nothing: rewritten on record

    def _check_header(self, item: object, *, restarting: bool = False) -> None:
        version = item.get(MAGIC) if isinstance(item, dict) else None
        if not isinstance(item, dict) or type(version) is not int:
            raise JournalError(
                f"{self.path} is not a respan-evals journal, and is left as it is; "
                "pass another --journal path"
            )
        if version > FORMAT_VERSION:
            raise JournalError(
                f"journal {self.path} was written by a newer respan-evals (format {version}); "
                "upgrade, or pass --restart to start over"
            )
        if restarting:
            return
        if version < FORMAT_VERSION:
            raise JournalError(
                f"journal {self.path} was written by an older respan-evals (format {version}), "
                "which did not record the API key; pass --restart to start over (rows sent "
                "again are updated, not duplicated)"
            )
        recorded = item.get("base_url")
        if isinstance(recorded, str) and recorded.rstrip("/") != self.base_url.rstrip("/"):
            raise JournalError(
                f"journal {self.path} records an import into {recorded}, not {self.base_url}; "
                "pass another --journal path, or --restart to start over"
            )
        key = item.get("key")
        salt = key.get("salt") if isinstance(key, dict) else None
        recorded_fp = key.get("hmac") if isinstance(key, dict) else None
        try:
            ours = _fingerprint(self._key_digest, salt) if isinstance(salt, str) else None
        except ValueError:
            ours = None
        if ours is None or not isinstance(recorded_fp, str):
            raise JournalError(
                f"journal {self.path} is damaged (its header has no key fingerprint); "
                "start over with --restart"
            )
        if not hmac.compare_digest(ours, recorded_fp):
            raise JournalError(
                f"journal {self.path} was written with another API key (perhaps another "
                "organisation): the rows it records did not land for this key. Pass another "
                "--journal path, or --restart to send every row with this key"
            )

    def restart(self) -> None:
        """Lock the journal and forget what it records (for --restart); only a journal."""
        data = self._acquire()
        first = next((line.strip() for line in data.split(b"\n") if line.strip()), b"")
        if first:
            torn = data.count(b"\n") == 0 and first.startswith(b'{"' + MAGIC.encode())
            try:
                if not torn:
                    self._check_header(_parse(first), restarting=True)
            except JournalError:
                self.close()
                raise
            self._truncate(0)
        self.entries.clear()
        self._bound = False

    def landed(self, line: int, digest: str) -> bool:
        """True when this very row (same line, same content) landed in an earlier run."""
        return self.entries.get(line) == digest

    def changed(self, line: int, digest: str) -> bool:
        """True when the journal has this line with other content: the file was edited."""
        recorded = self.entries.get(line)
        return recorded is not None and recorded != digest

    # ---- the file and its lock ------------------------------------------------------------
    def _acquire(self) -> bytes:
        """Open and lock the file (created if missing); its bytes."""
        if self._handle is not None:
            raise RuntimeError("journal already loaded")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._created = not self.path.exists()
        handle = self.path.open("a+b")
        if fcntl is None:
            logger.warning(
                "cannot lock the journal %s on this platform: do not run two imports of the "
                "same file at once",
                self.path,
            )
        else:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                raise JournalError(
                    f"another import is using the journal {self.path} (two at once would both "
                    "send every row); wait for it to finish, or pass another --journal path"
                ) from None
        self._handle = handle
        handle.seek(0)
        return handle.read()

    def _truncate(self, size: int) -> None:
        assert self._handle is not None
        self._handle.truncate(size)
        self._handle.flush()

    def _append(self, data: bytes) -> None:
        assert self._handle is not None
        self._handle.write(data)
        self._handle.flush()

    # ---- writing ----------------------------------------------------------------------
    def open(self) -> None:
        """Ready for appending (after load or restart); the header waits for the first row."""
        if self._handle is None:
            self.load()

    @property
    def bound(self) -> bool:
        """True once the journal names a server and key (a row landed, now or before)."""
        return self._bound

    def _bind(self) -> None:
        """Write the header (replacing a header alone): this server and key own the journal."""
        assert self._handle is not None
        self._truncate(0)
        salt = secrets.token_hex(16)
        header = {
            MAGIC: FORMAT_VERSION,
            "source": self.source,
            "base_url": self.base_url,
            "key": {"salt": salt, "hmac": _fingerprint(self._key_digest, salt)},
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        self._write(header)
        self._bound = True

    def record(self, line: int, digest: str, score_id: str | None) -> None:
        """One landed row: written and flushed now, fsync'd in batches."""
        entry: dict[str, object] = {"line": line, "hash": digest}
        if score_id:
            entry["score"] = score_id
        with self._lock:
            if not self._bound:
                self._bind()
            self.entries[line] = digest
            self._write(entry)
            self._unsynced += 1
            if self._unsynced >= SYNC_EVERY or time.monotonic() - self._last_sync >= SYNC_SECONDS:
                self._sync_locked()

    def sync(self) -> None:
        with self._lock:
            self._sync_locked()

    def close(self) -> None:
        """Sync, unlock and close; a journal this run created and never wrote is removed."""
        with self._lock:
            handle = self._handle
            if handle is None:
                return
            self._sync_locked()
            if self._created and handle.seek(0, os.SEEK_END) == 0:
                self.path.unlink(missing_ok=True)
            handle.close()  # releases the lock
            self._handle = None

    def _write(self, item: Mapping[str, object]) -> None:
        assert self._handle is not None, "journal not open"
        self._handle.write(json.dumps(item, separators=(",", ":")).encode() + b"\n")
        self._handle.flush()

    def _sync_locked(self) -> None:
        if self._handle is None:
            return
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._unsynced = 0
        self._last_sync = time.monotonic()
