"""What score_log knows of an evaluator: its profile, looked up once per client and cached.

An evaluator is found by ID, or by slug through a filter whose answer is checked (a server that
ignored the filter would hand back some other evaluator). Concurrent first lookups of the same
evaluator share one request; failures are not cached.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from ._errors import RespanValidationError

if TYPE_CHECKING:  # the caches are built with every client; _rows and _values load on a score
    import anyio

    from respan_evals_api.models import Evaluator, PaginatedEvaluatorList

    from ._rows import Key
    from ._values import EvaluatorProfile

__all__ = ["AsyncProfileCache", "ProfileCache", "profile_of", "slug_filters", "slug_match"]


def slug_filters(slug: str) -> dict[str, dict[str, object]]:
    return {"evaluator_slug": {"operator": "", "value": [slug]}}


def slug_match(page: PaginatedEvaluatorList, slug: str) -> Evaluator:
    # Check the slug: a server that ignored the filter would hand back some other evaluator.
    for evaluator in page.results:
        if evaluator.evaluator_slug == slug:
            return evaluator
    raise RespanValidationError(
        f"no evaluator with slug {slug!r} was found; nothing was sent for this score"
    )


def profile_of(evaluator: Evaluator) -> EvaluatorProfile:
    # Only what a profile reads: Evaluator.to_dict() fails on odd items elsewhere that the
    # generated parser kept (e.g. "tags": [null]), and those must not stop a score.
    from ._values import EvaluatorProfile

    return EvaluatorProfile.from_evaluator_dict(
        {
            "id": evaluator.id,
            "evaluator_slug": evaluator.evaluator_slug,
            "name": evaluator.name,
            "score_value_type": evaluator.score_value_type,
            "score_config": _plain(evaluator.score_config),
            "categorical_choices": _plain(evaluator.categorical_choices),
        }
    )


def _plain(value: object) -> object:
    """A generated model (or a list of them) as plain JSON; what cannot be read becomes None."""
    if isinstance(value, list):
        return [_plain(item) for item in value]
    to_dict = getattr(value, "to_dict", None)
    if not callable(to_dict):
        return value
    try:
        return to_dict()
    except (AttributeError, TypeError, ValueError):
        return None


F = TypeVar("F")

# Every ProfileCache's lock: held only to read or update a dict, never during a lookup, so
# one is enough (and a client need not keep its own). A forked child gets a fresh one.
_lock = threading.Lock()


def _new_lock_in_child() -> None:
    global _lock
    _lock = threading.Lock()


if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork
    os.register_at_fork(after_in_child=_new_lock_in_child)


class _Flight(Generic[F]):
    """One lookup in progress: its waiters read the result or the error when `done` is set."""

    __slots__ = ("done", "error", "profile")

    def __init__(self, done: F) -> None:
        self.done = done
        self.profile: EvaluatorProfile | None = None
        self.error: Exception | None = None


class ProfileCache:
    """Evaluator profiles by key, for threads: concurrent first lookups share one request.

    Failures are not cached: they reach the callers waiting at the time, and the next call
    looks up again.
    """

    __slots__ = ("_flights", "_profiles")  # one per client: no __dict__, no lock of its own

    def __init__(self) -> None:
        # Made on the first lookup: a client that never scores keeps none.
        self._profiles: dict[Key, EvaluatorProfile] | None = None
        self._flights: dict[Key, _Flight[threading.Event]] | None = None

    def get(self, key: Key, load: Callable[[], EvaluatorProfile]) -> EvaluatorProfile:
        while True:
            with _lock:
                profiles, flights = self._profiles, self._flights
                if profiles is None or flights is None:
                    profiles, flights = self._profiles, self._flights = {}, {}
                if (profile := profiles.get(key)) is not None:
                    return profile
                flight = flights.get(key)
                if flight is None:
                    flight = flights[key] = _Flight(threading.Event())
                    break
            flight.done.wait()
            if flight.error is not None:
                raise flight.error
            if flight.profile is not None:
                return flight.profile
            # The leading caller was interrupted before it finished: look up again.
        try:
            flight.profile = load()
        except Exception as e:
            flight.error = e
            raise
        finally:
            with _lock:
                if flight.profile is not None:
                    profiles[key] = flight.profile
                del flights[key]
            flight.done.set()
        return flight.profile


class AsyncProfileCache:
    """`ProfileCache` for tasks (one event loop); a cancelled leader hands over to a waiter."""

    __slots__ = ("_flights", "_profiles")

    def __init__(self) -> None:
        self._profiles: dict[Key, EvaluatorProfile] | None = None  # made on the first lookup
        self._flights: dict[Key, _Flight[anyio.Event]] | None = None

    async def get(
        self, key: Key, load: Callable[[], Awaitable[EvaluatorProfile]]
    ) -> EvaluatorProfile:
        profiles, flights = self._profiles, self._flights
        if profiles is None or flights is None:
            profiles, flights = self._profiles, self._flights = {}, {}
        while True:
            if (profile := profiles.get(key)) is not None:
                return profile
            flight = flights.get(key)
            if flight is None:
                break
            await flight.done.wait()
            if flight.error is not None:
                raise flight.error
            if flight.profile is not None:
                return flight.profile
        import anyio

        flight = flights[key] = _Flight(anyio.Event())
        try:
            flight.profile = await load()
        except Exception as e:
            flight.error = e
            raise
        finally:
            if flight.profile is not None:
                profiles[key] = flight.profile
            del flights[key]
            flight.done.set()
        return flight.profile
