"""What every resource shares: calling operations, request bodies from keyword arguments,
filters, and page adapters for the iterators.

A method that sends a request body is written once against the generated request model:

    @body_args(ScoreCreateRequest)
    def create(self, body: ScoreCreateRequest) -> Score: ...

and is called as `create(numerical_value=4, evaluator_slug="quality", ...)`: the keyword
arguments are those of the generated model (typed by it, NOT_GIVEN by default, None meaning
JSON null), so the facade's signatures follow the spec when the client is regenerated.
"""

from __future__ import annotations

import functools
import inspect
import json
import types
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeAlias, TypeVar, cast, overload

from .._call import LazyApi, acall, call
from .._errors import RespanValidationError, short_repr
from .._not_given import NOT_GIVEN, NotGiven, omit_not_given
from .._pagination import PageLike

if TYPE_CHECKING:
    # The generated models and operations are imported where first used, not at start-up:
    # `respan_evals_api.models` imports all of its models at once.
    import respan_evals_api.models as lazy_models
    from respan_evals_api.models import EvaluatorRunInputs, Filters
    from respan_evals_api.types import Response, Unset

__all__ = [
    "NOT_GIVEN",
    "AsyncResource",
    "NotGiven",
    "SyncResource",
    "afetcher",
    "body_args",
    "body_args_1",
    "body_args_2",
    "checked_body",
    "fetcher",
    "lazy_models",
    "to_filters",
    "to_run_inputs",
]

P = ParamSpec("P")
S = TypeVar("S")
B = TypeVar("B")
R = TypeVar("R")
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
A1 = TypeVar("A1")
A2 = TypeVar("A2")


class SyncResource:
    """A group of operations on the sync client."""

    def __init__(self, api: LazyApi) -> None:
        self._api = api

    @overload
    def _call(
        self, op: Callable[..., Response[Any]], expect: type[T], *path: str | int, **kw: Any
    ) -> T: ...
    @overload
    def _call(
        self, op: Callable[..., Response[Any]], expect: None, *path: str | int, **kw: Any
    ) -> None: ...
    def _call(
        self, op: Callable[..., Response[Any]], expect: type[T] | None, *path: str | int, **kw: Any
    ) -> T | None:
        return call(self._api.get(), op, expect, *path, **kw)[0]


class AsyncResource:
    """A group of operations on the async client."""

    def __init__(self, api: LazyApi) -> None:
        self._api = api

    @overload
    async def _call(
        self,
        op: Callable[..., Awaitable[Response[Any]]],
        expect: type[T],
        *path: str | int,
        **kw: Any,
    ) -> T: ...
    @overload
    async def _call(
        self,
        op: Callable[..., Awaitable[Response[Any]]],
        expect: None,
        *path: str | int,
        **kw: Any,
    ) -> None: ...
    async def _call(
        self,
        op: Callable[..., Awaitable[Response[Any]]],
        expect: type[T] | None,
        *path: str | int,
        **kw: Any,
    ) -> T | None:
        return (await acall(self._api.get(), op, expect, *path, **kw))[0]


def checked_body(model: Callable[..., B], kwargs: Mapping[str, Any]) -> B:
    """The request model built from keyword arguments, checked to encode as JSON.

    An unknown or missing field is a TypeError, as for any call; a value that cannot be sent
    (None where the field is not nullable, NaN, an object JSON cannot encode) is a
    RespanValidationError, raised before anything is sent.
    """
    body = model(**omit_not_given(kwargs))
    name = getattr(model, "__name__", "request body")
    try:
        json.dumps(cast(Any, body).to_dict(), allow_nan=False)
    except (TypeError, ValueError, AttributeError, RecursionError) as e:
        raise RespanValidationError(
            f"{name} cannot be sent: {type(e).__name__}: {short_repr(str(e), 200)}{_hint(e)}"
        ) from None
    return body


def _hint(e: BaseException) -> str:
    text = str(e)
    if "has no attribute 'value'" in text or "has no attribute 'to_dict'" in text:
        return (
            "; enum and object fields take the generated types, "
            "e.g. EvaluatorType.LLM or ScoreConfig.from_dict({...}) from respan_evals.types"
        )
    return ""


class _ModelRef:
    """A generated model named before it is imported: `lazy_models.X` at run time."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._model: Callable[..., Any] | None = None

    def resolve(self) -> Callable[..., Any]:
        if self._model is None:
            import respan_evals_api.models

            self._model = cast(Callable[..., Any], getattr(respan_evals_api.models, self.name))
        return self._model


class _ModelRefs:
    """`lazy_models.ScoreCreateRequest` for body_args: a reference, imported on first use."""

    def __getattr__(self, name: str) -> _ModelRef:
        if name.startswith("__"):
            raise AttributeError(name)
        return _ModelRef(name)


if not TYPE_CHECKING:  # mypy reads lazy_models as the generated models module itself
    lazy_models = _ModelRefs()


def _resolve(model: Callable[..., Any] | _ModelRef) -> Callable[..., Any]:
    return model.resolve() if isinstance(model, _ModelRef) else model


class _BodyMethod:
    """The method behind body_args*: path arguments positional, body fields keyword-only.

    A descriptor (bound like a function), so that the model is imported on the first call or
    the first look at the signature, not when the resource module is imported.
    """

    def __init__(
        self, model: Callable[..., Any] | _ModelRef, method: Callable[..., Any], arity: int
    ) -> None:
        functools.update_wrapper(self, method)
        self._model = model
        self._method = method
        self._arity = arity
        self._sig: inspect.Signature | None = None

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        return self if instance is None else types.MethodType(self, instance)

    def __call__(self, instance: Any, /, *args: Any, **kwargs: Any) -> Any:
        if len(args) != self._arity:
            raise TypeError(
                f"{self._method.__name__}() takes {self._arity} positional argument(s) (the "
                f"path) and the body fields as keyword arguments; got {len(args)} positional"
            )
        return self._method(instance, *args, checked_body(_resolve(self._model), kwargs))

    @property
    def __signature__(self) -> inspect.Signature:
        if self._sig is None:
            self._sig = _signature(_resolve(self._model), self._method)
        return self._sig


def _bind(model: Callable[..., Any], method: Callable[..., Any], arity: int) -> Any:
    return _BodyMethod(model, method, arity)


def _signature(model: Callable[..., Any], method: Callable[..., Any]) -> inspect.Signature:
    """`(self, path..., /, *, field=NOT_GIVEN, ...)` for help() and IDEs reading it at run time."""
    from respan_evals_api.types import Unset

    own = list(inspect.signature(method).parameters.values())[:-1]  # drop `body`
    path = [p.replace(kind=inspect.Parameter.POSITIONAL_ONLY) for p in own]
    fields = [
        p.replace(
            kind=inspect.Parameter.KEYWORD_ONLY,
            default=NOT_GIVEN if isinstance(p.default, Unset) else p.default,
        )
        for p in inspect.signature(model).parameters.values()
    ]
    return inspect.Signature(
        [*path, *fields], return_annotation=inspect.signature(method).return_annotation
    )


def body_args(
    model: Callable[P, B],
) -> Callable[[Callable[[S, B], R]], Callable[Concatenate[S, P], R]]:
    """`method(self, body)` becomes `method(self, **fields of model)`."""

    def decorate(method: Callable[[S, B], R]) -> Callable[Concatenate[S, P], R]:
        return cast(Callable[Concatenate[S, P], R], _bind(model, method, 0))

    return decorate


def body_args_1(
    model: Callable[P, B],
) -> Callable[[Callable[[S, A1, B], R]], Callable[Concatenate[S, A1, P], R]]:
    """`method(self, a, body)` becomes `method(self, a, **fields of model)`."""

    def decorate(method: Callable[[S, A1, B], R]) -> Callable[Concatenate[S, A1, P], R]:
        return cast(Callable[Concatenate[S, A1, P], R], _bind(model, method, 1))

    return decorate


def body_args_2(
    model: Callable[P, B],
) -> Callable[[Callable[[S, A1, A2, B], R]], Callable[Concatenate[S, A1, A2, P], R]]:
    """`method(self, a, b, body)` becomes `method(self, a, b, **fields of model)`."""

    def decorate(method: Callable[[S, A1, A2, B], R]) -> Callable[Concatenate[S, A1, A2, P], R]:
        return cast(Callable[Concatenate[S, A1, A2, P], R], _bind(model, method, 2))

    return decorate


FiltersArg: TypeAlias = "Mapping[str, Mapping[str, object]] | Filters | NotGiven | Unset"


def to_filters(filters: FiltersArg) -> Filters | Unset:
    """The generated Filters model from the standard filter dict (e.g. `respan_evals.filters()`)."""
    from respan_evals_api.models import Filters
    from respan_evals_api.types import UNSET, Unset

    if isinstance(filters, NotGiven):
        return UNSET
    if isinstance(filters, Filters | Unset):
        return filters
    if not isinstance(filters, Mapping) or not all(
        isinstance(k, str) and isinstance(v, Mapping) for k, v in filters.items()
    ):
        raise RespanValidationError(
            "filters must map field names to {'operator': ..., 'value': [...]} conditions, "
            f"e.g. respan_evals.filters(evaluator_slug='quality'); got {short_repr(filters)}"
        )
    try:
        return Filters.from_dict(filters)
    except (TypeError, ValueError, KeyError, AttributeError) as e:
        raise RespanValidationError(f"filters could not be read: {e}") from None


def to_run_inputs(inputs: EvaluatorRunInputs | Mapping[str, Any]) -> EvaluatorRunInputs:
    """The generated EvaluatorRunInputs from a plain dict ({"input": ..., "output": ...})."""
    from respan_evals_api.models import EvaluatorRunInputs

    if isinstance(inputs, EvaluatorRunInputs):
        return inputs
    if not isinstance(inputs, Mapping):
        raise RespanValidationError(
            f"inputs must be a dict or EvaluatorRunInputs, got {short_repr(inputs)}"
        )
    try:
        return EvaluatorRunInputs.from_dict(inputs)
    except (TypeError, ValueError, KeyError, AttributeError) as e:
        raise RespanValidationError(f"inputs could not be read: {e}") from None


def fetcher(list_page: Callable[..., PageLike[T]], **kwargs: Any) -> Callable[[int], PageLike[T]]:
    """fetch(page_number) for `iterate`, from a list method and its other arguments."""
    return lambda number: list_page(page=number, **kwargs)


def afetcher(
    list_page: Callable[..., Awaitable[PageLike[T]]], **kwargs: Any
) -> Callable[[int], Awaitable[PageLike[T]]]:
    """`fetcher` for a coroutine list method."""
    return lambda number: list_page(page=number, **kwargs)
