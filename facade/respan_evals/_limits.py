"""Bounds on one attempt: how far a response body may decode, and how long the attempt may take.

Every body is read in chunks through httpx's public streaming API:
- a success body may decode to `max_response_bytes` (50 MiB by default); past it the attempt
  ends with ResponseTooLargeError, whatever the body was still going to send;
- of an error body only the first ERROR_BODY_BYTES (8 KiB) are read: enough for any message;
- the whole attempt (connecting, sending, the answer's headers and its whole body) must end
  within the read timeout (`timeout.read`: 30 s by default, `timeout=2` means 2 s); past it the
  attempt fails as a read timeout (APITimeoutError, retried as timeouts are). Sync, the clock
  is checked between chunks, so one blocked read is bounded by the read timeout alone; async,
  the attempt runs under asyncio.timeout (anyio.fail_after under trio).

A compressed body is handed to httpx's decoder in small pieces, so that one piece of a
compression bomb cannot expand to more than a few MB before the count sees it.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator

import httpx

from ._errors import APIResponseValidationError, RespanValidationError

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "ERROR_BODY_BYTES",
    "WIRE_HEADERS",
    "ResponseTooLargeError",
    "attempt_seconds",
    "check_max_response_bytes",
    "read_error",
    "read_error_async",
    "read_success",
    "read_success_async",
]

DEFAULT_MAX_RESPONSE_BYTES = 50 * 1024 * 1024
ERROR_BODY_BYTES = 8 * 1024
# Raw bytes given to a decoder at once: deflate expands at most ~1032x, so 4 MiB a piece.
_PIECE = 4096

# Headers that describe the bytes on the wire, not a body that was already decoded.
WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


class ResponseTooLargeError(APIResponseValidationError):
    """A 2xx body decoded past `max_response_bytes`; the rest was not read.

    The request was applied (its answer is what is lost), as for any unreadable 2xx.
    """


def check_max_response_bytes(value: object) -> int:
    """`value` as a limit, or RespanValidationError."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise RespanValidationError(
            f"max_response_bytes must be a positive int (bytes), got {type(value).__name__} "
            f"{value!r}"[:200]
        )
    return value


def attempt_seconds(request: httpx.Request) -> float | None:
    """How long an attempt at `request` may take: its read timeout (None: no limit)."""
    timeout = request.extensions.get("timeout")
    read = timeout.get("read") if isinstance(timeout, dict) else None
    return float(read) if isinstance(read, int | float) else None


class _TooLarge(Exception):
    """Raised inside the stream: the count passed the limit (turned into the public error)."""


class _Bounded(httpx.SyncByteStream):
    """A response's raw stream within `limit` bytes and a deadline, in pieces if `piece`."""

    def __init__(
        self,
        stream: httpx.SyncByteStream,
        limit: int | None,
        deadline: float | None,
        seconds: float | None,
        piece: int | None,
    ) -> None:
        self._stream = stream
        self._limit = limit
        self._deadline = deadline
        self._seconds = seconds
        self._piece = piece

    def __iter__(self) -> Iterator[bytes]:
        size = 0
        for chunk in self._stream:
            if self._deadline is not None and time.monotonic() > self._deadline:
                raise httpx.ReadTimeout(
                    f"the answer was not complete within the attempt's deadline "
                    f"({self._seconds:g} s, the read timeout)"
                )
            size = _counted(size, chunk, self._limit)
            yield from _pieces(chunk, self._piece)

    def close(self) -> None:
        self._stream.close()


class _AsyncBounded(httpx.AsyncByteStream):
    """`_Bounded` for an async stream (its deadline is a timeout scope around the attempt)."""

    def __init__(self, stream: httpx.AsyncByteStream, limit: int | None, piece: int | None) -> None:
        self._stream = stream
        self._limit = limit
        self._piece = piece

    async def __aiter__(self) -> AsyncIterator[bytes]:
        size = 0
        async for chunk in self._stream:
            size = _counted(size, chunk, self._limit)
            for piece in _pieces(chunk, self._piece):
                yield piece

    async def aclose(self) -> None:
        await self._stream.aclose()


def _counted(size: int, chunk: bytes, limit: int | None) -> int:
    """The bytes seen so far with `chunk`; past `limit`, the body is too large."""
    size += len(chunk)
    if limit is not None and size > limit:
        raise _TooLarge
    return size


def _pieces(chunk: bytes, piece: int | None) -> Iterator[bytes]:
    """`chunk` in pieces of at most `piece` bytes (a decoder then expands one piece at a time)."""
    if piece is None or len(chunk) <= piece:
        yield chunk
        return
    for start in range(0, len(chunk), piece):
        yield chunk[start : start + piece]


def _deadline(seconds: float | None, started: float) -> float | None:
    return None if seconds is None else started + seconds


def read_success(
    response: httpx.Response,
    request: httpx.Request,
    limit: int,
    seconds: float | None,
    started: float,
) -> httpx.Response:
    """`response` (a 2xx) with its body read, at most `limit` bytes decoded."""
    if response.is_stream_consumed:  # read already (a MockTransport, an event hook)
        return response
    assert isinstance(response.stream, httpx.SyncByteStream)
    encoded = "content-encoding" in response.headers
    deadline = _deadline(seconds, started)
    piece = _PIECE if encoded else None
    response.stream = _Bounded(response.stream, limit, deadline, seconds, piece)
    try:
        if not encoded:  # the raw bytes are the body: bounding them bounds it
            response.read()
            return response
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size = _counted(size, chunk, limit)
            chunks.append(chunk)
    except _TooLarge:
        raise _too_large(response, request, limit) from None
    return _rebuilt(response, request, b"".join(chunks))


async def read_success_async(
    response: httpx.Response, request: httpx.Request, limit: int
) -> httpx.Response:
    """`read_success` for an async response (the caller bounds the time)."""
    if response.is_stream_consumed:
        return response
    assert isinstance(response.stream, httpx.AsyncByteStream)
    encoded = "content-encoding" in response.headers
    response.stream = _AsyncBounded(response.stream, limit, _PIECE if encoded else None)
    try:
        if not encoded:
            await response.aread()
            return response
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size = _counted(size, chunk, limit)
            chunks.append(chunk)
    except _TooLarge:
        raise _too_large(response, request, limit) from None
    return _rebuilt(response, request, b"".join(chunks))


def read_error(
    response: httpx.Response, request: httpx.Request, seconds: float | None, started: float
) -> httpx.Response:
    """`response` (an error status) with the first ERROR_BODY_BYTES of its body, decoded."""
    if response.is_stream_consumed:
        return response
    assert isinstance(response.stream, httpx.SyncByteStream)
    deadline = _deadline(seconds, started)
    response.stream = _Bounded(response.stream, None, deadline, seconds, _PIECE)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= ERROR_BODY_BYTES:
            break  # the caller closes the response, and with it the connection
    return _rebuilt(response, request, b"".join(chunks)[:ERROR_BODY_BYTES])


async def read_error_async(response: httpx.Response, request: httpx.Request) -> httpx.Response:
    """`read_error` for an async response."""
    if response.is_stream_consumed:
        return response
    assert isinstance(response.stream, httpx.AsyncByteStream)
    response.stream = _AsyncBounded(response.stream, None, _PIECE)
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= ERROR_BODY_BYTES:
            break
    return _rebuilt(response, request, b"".join(chunks)[:ERROR_BODY_BYTES])


def _rebuilt(response: httpx.Response, request: httpx.Request, content: bytes) -> httpx.Response:
    """A read response holding `content`, the decoded body of `response`."""
    headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in WIRE_HEADERS]
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=content,
        request=request,
        extensions=response.extensions,
    )


def _too_large(
    response: httpx.Response, request: httpx.Request, limit: int
) -> ResponseTooLargeError:
    return ResponseTooLargeError(
        _rebuilt(response, request, b""),
        f"the body decodes to more than {limit:,} bytes (max_response_bytes); "
        "the rest was not read",
    )
