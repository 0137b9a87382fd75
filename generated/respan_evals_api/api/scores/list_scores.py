from __future__ import annotations

import datetime
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

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
    *,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    start_time: datetime.datetime | Unset = UNSET,
    end_time: datetime.datetime | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["page"] = page

    params["page_size"] = page_size

    json_start_time: str | Unset = UNSET
    if not isinstance(start_time, Unset):
        json_start_time = start_time.isoformat()
    params["start_time"] = json_start_time

    json_end_time: str | Unset = UNSET
    if not isinstance(end_time, Unset):
        json_end_time = end_time.isoformat()
    params["end_time"] = json_end_time

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/scores/",
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
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    start_time: datetime.datetime | Unset = UNSET,
    end_time: datetime.datetime | Unset = UNSET,
) -> Response[ErrorDetail | PaginatedScoreList | RateLimitError | ValidationErrorBody]:
    """List scores

     List evaluation scores with pagination. For complex filters use
    `POST /api/scores/list/` (filter_scores).

    Query parameters rest on the SDK: the docs page's parameter section was not
    captured; respan-api 0.1.18-0.1.27 send `page`, `page_size`, `start_time`,
    `end_time`. This GET route is absent from SDK 0.1.28+ although the docs
    sidebar still lists it; re-check that it is still served.

    400 is not in the docs' error list for this operation (SDK 0.1.18-0.1.27 lists only 401); it is
    listed because its query parameters are constrained (`page` >= 1, `page_size` 1..100, `start_time`
    and `end_time` date-times) and a careful client must read that answer. Re-check against the live
    API.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        start_time (datetime.datetime | Unset):
        end_time (datetime.datetime | Unset):

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
            page=page,
            page_size=page_size,
            start_time=start_time,
            end_time=end_time,
        ),
    )

    response = http.send(request)

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    start_time: datetime.datetime | Unset = UNSET,
    end_time: datetime.datetime | Unset = UNSET,
) -> ErrorDetail | PaginatedScoreList | RateLimitError | ValidationErrorBody | None:
    """List scores

     List evaluation scores with pagination. For complex filters use
    `POST /api/scores/list/` (filter_scores).

    Query parameters rest on the SDK: the docs page's parameter section was not
    captured; respan-api 0.1.18-0.1.27 send `page`, `page_size`, `start_time`,
    `end_time`. This GET route is absent from SDK 0.1.28+ although the docs
    sidebar still lists it; re-check that it is still served.

    400 is not in the docs' error list for this operation (SDK 0.1.18-0.1.27 lists only 401); it is
    listed because its query parameters are constrained (`page` >= 1, `page_size` 1..100, `start_time`
    and `end_time` date-times) and a careful client must read that answer. Re-check against the live
    API.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        start_time (datetime.datetime | Unset):
        end_time (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | PaginatedScoreList | RateLimitError | ValidationErrorBody
    """

    return sync_detailed(
        client=client,
        page=page,
        page_size=page_size,
        start_time=start_time,
        end_time=end_time,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    start_time: datetime.datetime | Unset = UNSET,
    end_time: datetime.datetime | Unset = UNSET,
) -> Response[ErrorDetail | PaginatedScoreList | RateLimitError | ValidationErrorBody]:
    """List scores

     List evaluation scores with pagination. For complex filters use
    `POST /api/scores/list/` (filter_scores).

    Query parameters rest on the SDK: the docs page's parameter section was not
    captured; respan-api 0.1.18-0.1.27 send `page`, `page_size`, `start_time`,
    `end_time`. This GET route is absent from SDK 0.1.28+ although the docs
    sidebar still lists it; re-check that it is still served.

    400 is not in the docs' error list for this operation (SDK 0.1.18-0.1.27 lists only 401); it is
    listed because its query parameters are constrained (`page` >= 1, `page_size` 1..100, `start_time`
    and `end_time` date-times) and a careful client must read that answer. Re-check against the live
    API.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        start_time (datetime.datetime | Unset):
        end_time (datetime.datetime | Unset):

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
            page=page,
            page_size=page_size,
            start_time=start_time,
            end_time=end_time,
        ),
    )

    response = await http.send(request)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    start_time: datetime.datetime | Unset = UNSET,
    end_time: datetime.datetime | Unset = UNSET,
) -> ErrorDetail | PaginatedScoreList | RateLimitError | ValidationErrorBody | None:
    """List scores

     List evaluation scores with pagination. For complex filters use
    `POST /api/scores/list/` (filter_scores).

    Query parameters rest on the SDK: the docs page's parameter section was not
    captured; respan-api 0.1.18-0.1.27 send `page`, `page_size`, `start_time`,
    `end_time`. This GET route is absent from SDK 0.1.28+ although the docs
    sidebar still lists it; re-check that it is still served.

    400 is not in the docs' error list for this operation (SDK 0.1.18-0.1.27 lists only 401); it is
    listed because its query parameters are constrained (`page` >= 1, `page_size` 1..100, `start_time`
    and `end_time` date-times) and a careful client must read that answer. Re-check against the live
    API.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        start_time (datetime.datetime | Unset):
        end_time (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | PaginatedScoreList | RateLimitError | ValidationErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            page=page,
            page_size=page_size,
            start_time=start_time,
            end_time=end_time,
        )
    ).parsed
