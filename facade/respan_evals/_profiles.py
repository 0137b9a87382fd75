"""What score_log knows of an evaluator: its profile, looked up once per client and cached.

An evaluator is found by ID, or by slug through a filter whose answer is checked (a server that
ignored the filter would hand back some other evaluator). Concurrent first lookups of the same
evaluator share one request; failures are not cached.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from ._errors import RespanValidationError
from ._rows import Key
from ._values import EvaluatorProfile

if TYPE_CHECKING:
    import anyio

    from respan_evals_api.models import Evaluator, PaginatedEvaluatorList

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


class _Flight(Generic[F]):
    """One lookup in progress: its waiters read the result or the error when `done` is set."""

    def __init__(self, done: F) -> None:
        self.done = done
        self.profile: EvaluatorProfile | None = None
        self.error: Exception | None = None


class ProfileCache:
    """Evaluator profiles by key, for threads: concurrent first lookups share one request.

    Failures are not cached: they reach the callers waiting at the time, and the next call
    looks up again.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._profiles: dict[Key, EvaluatorProfile] = {}
        self._flights: dict[Key, _Flight[threading.Event]] = {}

    def get(self, key: Key, load: Callable[[], EvaluatorProfile]) -> EvaluatorProfile:
        while True:
            with self._lock:
                if (profile := self._profiles.get(key)) is not None:
                    return profile
                flight = self._flights.get(key)
                if flight is None:
                    flight = self._flights[key] = _Flight(threading.Event())
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
            with self._lock:
                if flight.profile is not None:
                    self._profiles[key] = flight.profile
                del self._flights[key]
            flight.done.set()
        return flight.profile


class AsyncProfileCache:
    """`ProfileCache` for tasks (one event loop); a cancelled leader hands over to a waiter."""

    def __init__(self) -> None:
        self._profiles: dict[Key, EvaluatorProfile] = {}
        self._flights: dict[Key, _Flight[anyio.Event]] = {}

    async def get(
        self, key: Key, load: Callable[[], Awaitable[EvaluatorProfile]]
    ) -> EvaluatorProfile:
        while True:
            if (profile := self._profiles.get(key)) is not None:
                return profile
            flight = self._flights.get(key)
            if flight is None:
                break
            await flight.done.wait()
            if flight.error is not None:
                raise flight.error
            if flight.profile is not None:
                return flight.profile
        import anyio

        flight = self._flights[key] = _Flight(anyio.Event())
        try:
            flight.profile = await load()
        except Exception as e:
            flight.error = e
            raise
        finally:
            if flight.profile is not None:
                self._profiles[key] = flight.profile
            del self._flights[key]
            flight.done.set()
        return flight.profile
