"""request_id_of: the id the server gave a request, read from the response headers.

Respan's own header is `x-request-id`; the others are the names proxies and gateways in front of
it commonly use, tried in this order:

    x-request-id, request-id, x-amzn-requestid, x-amz-request-id, cf-ray

    >>> request_id_of({"x-request-id": "req_123"})
    'req_123'
    >>> request_id_of({}) is None
    True
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["REQUEST_ID_HEADERS", "request_id_of"]

REQUEST_ID_HEADERS: tuple[str, ...] = (
    "x-request-id",
    "request-id",
    "x-amzn-requestid",
    "x-amz-request-id",
    "cf-ray",
)


def request_id_of(headers: Mapping[str, str] | None) -> str | None:
    """The first non-empty request id among REQUEST_ID_HEADERS, or None."""
    if not headers:
        return None
    # httpx.Headers looks names up case-insensitively; a plain dict is matched case-insensitively
    # here too, so both kinds of mapping give the same answer.
    getter = getattr(headers, "get_list", None)
    lowered: Mapping[str, str] = (
        headers if getter is not None else {k.lower(): v for k, v in headers.items()}
    )
    for name in REQUEST_ID_HEADERS:
        value = lowered.get(name)
        if value:
            return value.strip() or None
    return None
