from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client, build_request
from ...models.paginated_score_list import PaginatedScoreList
from ...types import UNSET, Response, Unset

if TYPE_CHECKING:
    from ...models.error_detail import ErrorDetail
    from ...models.rate_limit_error import RateLimitError
    from ...models.validation_error_body import ValidationErrorBody


def _get_kwargs(
    log_id: str,
    *,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["page"] = page

    params["page_size"] = page_size

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/logs/{log_id}/scores/".format(
            log_id=quote(str(log_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorDetail | PaginatedScoreList | RateLimitError | ValidationErrorBody | None:
    if response.status_code == 200:
        response_200 = PaginatedScoreList.from_dict(errors.read_json(response.content))

        return response_200

    if response.status_code == 400:
        from ...models.validation_error_body import ValidationErrorBody

        response_400 = ValidationErrorBody.from_dict(errors.read_json(response.content))

        return response_400

    if response.status_code == 401:
        from ...models.error_detail import ErrorDetail

        response_401 = ErrorDetail.from_dict(errors.read_json(response.content))

        return response_401

    if response.status_code == 404:
        from ...models.error_detail import ErrorDetail

        response_404 = ErrorDetail.from_dict(errors.read_json(response.content))

        return response_404

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
) -> Response[ErrorDetail | PaginatedScoreList | RateLimitError | ValidationErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    log_id: str,
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> Response[ErrorDetail | PaginatedScoreList | RateLimitError | ValidationErrorBody]:
    """List log scores

     List the scores of one log/span, paginated.

    Query parameters rest on the SDK (0.1.18-0.1.46); the docs page's
    parameter section was not captured.

    400 is not in the docs' error list for this operation (SDK 0.1.29 lists 401 and 404); it is listed
    because its query parameters are constrained (`page` >= 1, `page_size` 1..100) and a careful client
    must read that answer. Re-check against the live API.

    Args:
        log_id (str):
        page (int | Unset):
        page_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | PaginatedScoreList | RateLimitError | ValidationErrorBody]
    """

    http = client.get_httpx_client()
    request = build_request(
        http,
        _get_kwargs(
            log_id=log_id,
            page=page,
            page_size=page_size,
        ),
    )

    response = http.send(request)

    return _build_response(client=client, response=response)


def sync(
    log_id: str,
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> ErrorDetail | PaginatedScoreList | RateLimitError | ValidationErrorBody | None:
    """List log scores

     List the scores of one log/span, paginated.

    Query parameters rest on the SDK (0.1.18-0.1.46); the docs page's
    parameter section was not captured.

    400 is not in the docs' error list for this operation (SDK 0.1.29 lists 401 and 404); it is listed
    because its query parameters are constrained (`page` >= 1, `page_size` 1..100) and a careful client
    must read that answer. Re-check against the live API.

    Args:
        log_id (str):
        page (int | Unset):
        page_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | PaginatedScoreList | RateLimitError | ValidationErrorBody
    """

    return sync_detailed(
        log_id=log_id,
        client=client,
        page=page,
        page_size=page_size,
    ).parsed


async def asyncio_detailed(
    log_id: str,
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> Response[ErrorDetail | PaginatedScoreList | RateLimitError | ValidationErrorBody]:
    """List log scores

     List the scores of one log/span, paginated.

    Query parameters rest on the SDK (0.1.18-0.1.46); the docs page's
    parameter section was not captured.

    400 is not in the docs' error list for this operation (SDK 0.1.29 lists 401 and 404); it is listed
    because its query parameters are constrained (`page` >= 1, `page_size` 1..100) and a careful client
    must read that answer. Re-check against the live API.

    Args:
        log_id (str):
        page (int | Unset):
        page_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | PaginatedScoreList | RateLimitError | ValidationErrorBody]
    """

    http = client.get_async_httpx_client()
    request = build_request(
        http,
        _get_kwargs(
            log_id=log_id,
            page=page,
            page_size=page_size,
        ),
    )

    response = await http.send(request)

    return _build_response(client=client, response=response)


async def asyncio(
    log_id: str,
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> ErrorDetail | PaginatedScoreList | RateLimitError | ValidationErrorBody | None:
    """List log scores

     List the scores of one log/span, paginated.

    Query parameters rest on the SDK (0.1.18-0.1.46); the docs page's
    parameter section was not captured.

    400 is not in the docs' error list for this operation (SDK 0.1.29 lists 401 and 404); it is listed
    because its query parameters are constrained (`page` >= 1, `page_size` 1..100) and a careful client
    must read that answer. Re-check against the live API.

    Args:
        log_id (str):
        page (int | Unset):
        page_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | PaginatedScoreList | RateLimitError | ValidationErrorBody
    """

    return (
        await asyncio_detailed(
            log_id=log_id,
            client=client,
            page=page,
            page_size=page_size,
        )
    ).parsed
