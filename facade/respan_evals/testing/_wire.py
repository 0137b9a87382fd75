"""The plain HTTP/1.1 request, read and answered without h11; anything else is left to h11.

Almost every request a client sends is the same shape: `METHOD target HTTP/1.1`, one Host,
at most one Content-Length, no Transfer-Encoding, Expect, Upgrade or Connection: close. h11
reads and frames one in some 50 µs of state machine; the patterns here take a few. A request that
is not plainly that shape (or that breaks a rule) is left, unread, to h11, which decides
everything about it: errors, chunked bodies, 100-continue, HTTP/1.0, closing.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = [
    "NEED_MORE",
    "UNUSUAL",
    "Framing",
    "PlainRequest",
    "ResponseError",
    "chunk",
    "frame_response",
    "read_request",
]

_TOKEN = rb"[-!#$%&'*+.^_`|~0-9a-zA-Z]+"  # RFC 9110 token, as h11 has it
_REQUEST_LINE = re.compile(rb"(" + _TOKEN + rb") ([\x21-\x7e]+) HTTP/1\.1\r\n")
# Visible ASCII only (h11 also takes obs-text: such a request goes to h11).
_FIELD = re.compile(
    rb"(" + _TOKEN + rb"):[ \t]*((?:[\x21-\x7e](?:[ \t\x21-\x7e]*[\x21-\x7e])?)?)[ \t]*\r\n"
)
_DIGITS = re.compile(rb"[0-9]{1,18}")
_NAME = re.compile(_TOKEN)
_VALUE = re.compile(rb"(?:[^\x00\s]+(?:[ \t]+[^\x00\s]+)*)?")  # h11's field-value
# Fields whose presence means the request needs h11's rules (framing, switching, waiting).
_FOR_H11 = frozenset({b"transfer-encoding", b"expect", b"upgrade"})
NEED_MORE = "need more"  # the request is not all in yet
UNUSUAL = "unusual"  # not a plain request: h11 reads it


class PlainRequest(NamedTuple):
    """A complete plain request at the start of the buffer: it ends at `end`."""

    method: bytes
    target: bytes
    headers: list[tuple[bytes, bytes]]  # names in lower case, as ASGI has them
    body_start: int
    end: int


class ResponseError(ValueError):
    """The app's answer cannot be framed (h11 would raise LocalProtocolError)."""


def read_request(buffer: bytearray, max_head: int, max_body: int) -> PlainRequest | str:
    """The plain request at the start of `buffer`, NEED_MORE, or UNUSUAL (for h11)."""
    head_end = buffer.find(b"\r\n\r\n")
    if head_end < 0:
        return UNUSUAL if len(buffer) > max_head else NEED_MORE
    if head_end > max_head:
        return UNUSUAL
    line = _REQUEST_LINE.match(buffer)
    if line is None:
        return UNUSUAL
    method = line.group(1)
    if method == b"CONNECT":  # a tunnel request: h11 knows its rules
        return UNUSUAL
    headers: list[tuple[bytes, bytes]] = []
    hosts = 0
    length: int | None = None
    pos, stop = line.end(), head_end + 2
    while pos < stop:
        field = _FIELD.match(buffer, pos)
        if field is None:
            return UNUSUAL
        pos = field.end()
        name, value = field.group(1).lower(), field.group(2)
        if name == b"host":
            hosts += 1
        elif name == b"content-length":
            if length is not None or _DIGITS.fullmatch(value) is None:
                return UNUSUAL
            length = int(value)
        elif name == b"connection":
            if value.lower() != b"keep-alive":
                return UNUSUAL
        elif name in _FOR_H11:
            return UNUSUAL
        headers.append((name, value))
    if hosts != 1:
        return UNUSUAL
    length = length or 0
    if length > max_body:
        return UNUSUAL
    body_start = head_end + 4
    end = body_start + length
    if len(buffer) < end:
        return NEED_MORE
    return PlainRequest(method, line.group(2), headers, body_start, end)


class Framing(NamedTuple):
    """How an answer's body goes out: a fixed length, chunked, or none at all."""

    head: bytes  # status line and headers, with the blank line
    length: int | None  # Content-Length the body must match (None: chunked)
    close: bool  # the app asked for Connection: close


_STATUS_LINES: dict[int, bytes] = {}


def frame_response(
    status: int,
    headers: list[tuple[bytes, bytes]],
    reasons: dict[int, bytes],
    *,
    head_only: bool,
    whole_body: int | None,
) -> Framing:
    """The head of an answer framed as h11 frames one to an HTTP/1.1 keep-alive request.

    `head_only`: the answer to a HEAD request (the head as for a GET, no body follows).
    `whole_body`: the body's length when it all came in the first message, else None."""
    if not isinstance(status, int) or not 200 <= status < 1000:
        raise ResponseError(f"status {status!r} is not a final HTTP status")
    line = _STATUS_LINES.get(status)
    if line is None:
        line = b"HTTP/1.1 %d %s\r\n" % (status, reasons.get(status, b""))
        _STATUS_LINES[status] = line
    parts = [line]
    length: int | None = None
    chunked = close = False
    for name, value in headers:
        if _NAME.fullmatch(name) is None or _VALUE.fullmatch(value) is None:
            raise ResponseError(f"illegal header {name!r}: {value!r}")
        lower = name.lower()
        if lower == b"content-length":
            if length is not None or _DIGITS.fullmatch(value) is None:
                raise ResponseError(f"bad Content-Length {value!r}")
            length = int(value)
        elif lower == b"transfer-encoding":
            if value.lower() != b"chunked":
                raise ResponseError("only Transfer-Encoding: chunked is supported")
            chunked = True
            continue  # written once below, after any Content-Length is dropped
        elif lower == b"connection":
            close = b"close" in (t.strip() for t in value.lower().split(b","))
        parts += [name, b": ", value, b"\r\n"]
    if status in (204, 304):  # never a body, whatever the headers say
        length = 0
    elif chunked or (length is None and (whole_body is None or head_only)):
        # A body of unknown length: chunked (T-E beats C-L, as h11 has it).
        parts = _drop(parts, b"content-length")
        parts.append(b"Transfer-Encoding: chunked\r\n")  # h11 title-cases what it adds
        length = None
    elif length is None and whole_body is not None:
        parts.append(b"content-length: %d\r\n" % whole_body)
        length = whole_body
    if head_only:
        length = 0
    parts.append(b"\r\n")
    return Framing(b"".join(parts), length, close)


def _drop(parts: list[bytes], name: bytes) -> list[bytes]:
    """`parts` (a status line, then name, ": ", value, CRLF groups) without header `name`."""
    out = parts[:1]
    for i in range(1, len(parts), 4):
        if parts[i].lower() != name:
            out += parts[i : i + 4]
    return out


def chunk(data: bytes) -> bytes:
    """One chunk of a chunked body (empty data: nothing; the last chunk is b"0\\r\\n\\r\\n")."""
    return b"%x\r\n%s\r\n" % (len(data), data) if data else b""
