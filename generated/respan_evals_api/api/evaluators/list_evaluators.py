from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client, build_request
from ...models.paginated_evaluator_list import PaginatedEvaluatorList
from ...types import UNSET, Response, Unset

if TYPE_CHECKING:
    from ...models.error_detail import ErrorDetail
    from ...models.rate_limit_error import RateLimitError
    from ...models.validation_error_body import ValidationErrorBody


def _get_kwargs(
    *,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    search: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["page"] = page

    params["page_size"] = page_size

    params["search"] = search

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/evaluators/",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorDetail | PaginatedEvaluatorList | RateLimitError | ValidationErrorBody | None:
    if response.status_code == 200:
        response_200 = PaginatedEvaluatorList.from_dict(
            errors.read_json(response.content)
        )

        return response_200

    if response.status_code == 400:
        from ...models.validation_error_body import ValidationErrorBody

        response_400 = ValidationErrorBody.from_dict(errors.read_json(response.content))

        return response_400

    if response.status_code == 401:
        from ...models.error_detail import ErrorDetail

        response_401 = ErrorDetail.from_dict(errors.read_json(response.content))

        return response_401

    if response.status_code == 429:
        from ...models.rate_limit_error import RateLimitError

        response_429 = RateLimitError.from_dict(errors.read_json(response.content))

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    ErrorDetail | PaginatedEvaluatorList | RateLimitError | ValidationErrorBody
]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    search: str | Unset = UNSET,
) -> Response[
    ErrorDetail | PaginatedEvaluatorList | RateLimitError | ValidationErrorBody
]:
    """List evaluators

     List the current draft/latest version of each evaluator. Supports simple pagination and
    name search; use `POST /api/evaluators/list/` for the full filter format (this GET route
    cannot carry `filters`).

    Inferred: the current docs page for "GET List evaluators" was not captured. Path and
    parameters come from SDK 0.1.16-0.1.27 (`list_evaluators_root`); the route is absent from
    SDK 0.1.28 and later although the docs sidebar still lists it. The old pre-versioning page
    also documented `type`, `score_value_type`, `starred` and `tags` query filters, which the
    SDK does not have; they are left out. Re-check that the route still exists.

    400 is not in the docs' error list for this operation (SDK 0.1.16-0.1.27 lists only 401); it is
    listed because its query parameters are constrained (`page` >= 1, `page_size` 1..100) and a careful
    client must read that answer. Re-check against the live API.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        search (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | PaginatedEvaluatorList | RateLimitError | ValidationErrorBody]
    """

    http = client.get_httpx_client()
    request = build_request(
        http,
        _get_kwargs(
            page=page,
            page_size=page_size,
            search=search,
        ),
    )

    response = http.send(request)

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    search: str | Unset = UNSET,
) -> ErrorDetail | PaginatedEvaluatorList | RateLimitError | ValidationErrorBody | None:
    """List evaluators

     List the current draft/latest version of each evaluator. Supports simple pagination and
    name search; use `POST /api/evaluators/list/` for the full filter format (this GET route
    cannot carry `filters`).

    Inferred: the current docs page for "GET List evaluators" was not captured. Path and
    parameters come from SDK 0.1.16-0.1.27 (`list_evaluators_root`); the route is absent from
    SDK 0.1.28 and later although the docs sidebar still lists it. The old pre-versioning page
    also documented `type`, `score_value_type`, `starred` and `tags` query filters, which the
    SDK does not have; they are left out. Re-check that the route still exists.

    400 is not in the docs' error list for this operation (SDK 0.1.16-0.1.27 lists only 401); it is
    listed because its query parameters are constrained (`page` >= 1, `page_size` 1..100) and a careful
    client must read that answer. Re-check against the live API.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        search (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | PaginatedEvaluatorList | RateLimitError | ValidationErrorBody
    """

    return sync_detailed(
        client=client,
        page=page,
        page_size=page_size,
        search=search,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    search: str | Unset = UNSET,
) -> Response[
    ErrorDetail | PaginatedEvaluatorList | RateLimitError | ValidationErrorBody
]:
    """List evaluators

     List the current draft/latest version of each evaluator. Supports simple pagination and
    name search; use `POST /api/evaluators/list/` for the full filter format (this GET route
    cannot carry `filters`).

    Inferred: the current docs page for "GET List evaluators" was not captured. Path and
    parameters come from SDK 0.1.16-0.1.27 (`list_evaluators_root`); the route is absent from
    SDK 0.1.28 and later although the docs sidebar still lists it. The old pre-versioning page
    also documented `type`, `score_value_type`, `starred` and `tags` query filters, which the
    SDK does not have; they are left out. Re-check that the route still exists.

    400 is not in the docs' error list for this operation (SDK 0.1.16-0.1.27 lists only 401); it is
    listed because its query parameters are constrained (`page` >= 1, `page_size` 1..100) and a careful
    client must read that answer. Re-check against the live API.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        search (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | PaginatedEvaluatorList | RateLimitError | ValidationErrorBody]
    """

    http = client.get_async_httpx_client()
    request = build_request(
        http,
        _get_kwargs(
            page=page,
            page_size=page_size,
            search=search,
        ),
    )

    response = await http.send(request)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    search: str | Unset = UNSET,
) -> ErrorDetail | PaginatedEvaluatorList | RateLimitError | ValidationErrorBody | None:
    """List evaluators

     List the current draft/latest version of each evaluator. Supports simple pagination and
    name search; use `POST /api/evaluators/list/` for the full filter format (this GET route
    cannot carry `filters`).

    Inferred: the current docs page for "GET List evaluators" was not captured. Path and
    parameters come from SDK 0.1.16-0.1.27 (`list_evaluators_root`); the route is absent from
    SDK 0.1.28 and later although the docs sidebar still lists it. The old pre-versioning page
    also documented `type`, `score_value_type`, `starred` and `tags` query filters, which the
    SDK does not have; they are left out. Re-check that the route still exists.

    400 is not in the docs' error list for this operation (SDK 0.1.16-0.1.27 lists only 401); it is
    listed because its query parameters are constrained (`page` >= 1, `page_size` 1..100) and a careful
    client must read that answer. Re-check against the live API.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        search (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | PaginatedEvaluatorList | RateLimitError | ValidationErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            page=page,
            page_size=page_size,
            search=search,
        )
    ).parsed
