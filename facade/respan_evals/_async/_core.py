"""The core the generated resources send through, one per client.

`respan_evals_api.resources` writes every operation of the spec as a typed method that hands
its generated call to a core (the protocol: `respan_evals_api.resources.AsyncCore`); this one
implements it on the facade's transport stack: path and body checks, error mapping (in the
transport), unwrapping, pagination, per-request options (checked and scoped here, applied by
the transport: _options) and raw responses.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from respan_evals_api.resources.support import RawResponse

from .._call import LazyApi, acall, checked_body
from .._options import captured, capturing, using
from .._request_id import request_id_of

if TYPE_CHECKING:
    from respan_evals_api.client import Client
    from respan_evals_api.resources.support import RequestOptions
    from respan_evals_api.types import Response

__all__ = ["AsyncCore"]

T = TypeVar("T")
B = TypeVar("B")
P = TypeVar("P")


class AsyncCore:
    """What the resources of a client send through (respan_evals_api.resources.AsyncCore)."""

    def __init__(self, api: LazyApi) -> None:
        self.api = api

    async def call(
        self,
        operation_id: str,
        send: Callable[[Client], Awaitable[Response[Any]]],
        expect: type[T],
        path: tuple[str | int, ...] = (),
        options: RequestOptions | None = None,
    ) -> T:
        if options is None:  # the usual call: no state to set
            return (await acall(self.api.get(), send, expect, path))[0]
        with using(options):
            return (await acall(self.api.get(), send, expect, path))[0]

    async def call_detailed(
        self,
        operation_id: str,
        send: Callable[[Client], Awaitable[Response[Any]]],
        expect: type[T],
        path: tuple[str | int, ...] = (),
        options: RequestOptions | None = None,
    ) -> tuple[T, int]:
        """`call`, and the status code (an upsert says 201 when it created)."""
        if options is None:
            return await acall(self.api.get(), send, expect, path)
        with using(options):
            return await acall(self.api.get(), send, expect, path)

    async def call_void(
        self,
        operation_id: str,
        send: Callable[[Client], Awaitable[Response[Any]]],
        path: tuple[str | int, ...] = (),
        options: RequestOptions | None = None,
    ) -> None:
        if options is None:
            await acall(self.api.get(), send, None, path)
            return
        with using(options):
            await acall(self.api.get(), send, None, path)

    async def raw(self, run: Callable[[], Awaitable[T]]) -> RawResponse[T]:
        """`run()` (one resource call), answered with the HTTP exchange of its request."""
        with capturing() as state:
            parsed = await run()
        kept = captured(state)
        request_id = request_id_of(kept.response.headers)
        return RawResponse(
            kept.response, kept.request, request_id, kept.retries, kept.elapsed, parsed
        )

    def body(self, build: Callable[[], B]) -> B:
        return checked_body(build)

    def iterate(
        self,
        fetch: Callable[[int], Awaitable[P]],
        items: Callable[[P], Sequence[T]],
        next_link: Callable[[P], object],
    ) -> AsyncIterator[T]:
        from .._pagination import aiterate  # loaded by the first listing, not the client

        return aiterate(fetch, items=items, next_link=next_link)
