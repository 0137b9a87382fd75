"""The core the generated resources send through, one per client.

`respan_evals_api.resources` writes every operation of the spec as a typed method that hands
its generated call to a core (the protocol: `respan_evals_api.resources.AsyncCore`); this one
implements it on the facade's transport stack: path and body checks, error mapping (in the
transport), unwrapping, and pagination.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from .._call import LazyApi, acall, checked_body
from .._pagination import aiterate

if TYPE_CHECKING:
    from respan_evals_api.client import Client
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
    ) -> T:
        return (await acall(self.api.get(), send, expect, path))[0]

    async def call_detailed(
        self,
        operation_id: str,
        send: Callable[[Client], Awaitable[Response[Any]]],
        expect: type[T],
        path: tuple[str | int, ...] = (),
    ) -> tuple[T, int]:
        """`call`, and the status code (an upsert says 201 when it created)."""
        return await acall(self.api.get(), send, expect, path)

    async def call_void(
        self,
        operation_id: str,
        send: Callable[[Client], Awaitable[Response[Any]]],
        path: tuple[str | int, ...] = (),
    ) -> None:
        await acall(self.api.get(), send, None, path)

    def body(self, build: Callable[[], B]) -> B:
        return checked_body(build)

    def iterate(
        self,
        fetch: Callable[[int], Awaitable[P]],
        items: Callable[[P], Sequence[T]],
        next_link: Callable[[P], object],
    ) -> AsyncIterator[T]:
        return aiterate(fetch, items=items, next_link=next_link)
