from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client, build_request
from ...models.paginated_score_list import PaginatedScoreList
from ...models.score_filter_request import ScoreFilterRequest
from ...types import UNSET, Response, Unset

if TYPE_CHECKING:
    from ...models.error_detail import ErrorDetail
    from ...models.rate_limit_error import RateLimitError
    from ...models.validation_error_body import ValidationErrorBody


def _get_kwargs(
    *,
    body: ScoreFilterRequest | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    sort_by: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["page"] = page

    params["page_size"] = page_size

    params["sort_by"] = sort_by

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/scores/list/",
        "params": params,
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
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
    body: ScoreFilterRequest | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    sort_by: str | Unset = UNSET,
) -> Response[ErrorDetail | PaginatedScoreList | RateLimitError | ValidationErrorBody]:
    """Filter scores

     List scores using POST-for-filtering: filters go in the request body in the
    standard Respan filter format; pagination and sorting are query parameters.
    Returns paginated score results.

    The docs page did not show the path; `POST /api/scores/list/` is confirmed
    by the SDK (0.1.18-0.1.46). Which fields can be filtered or sorted on is
    not documented.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        sort_by (str | Unset):
        body (ScoreFilterRequest | Unset): Body of POST /api/scores/list/. Not built on
            ScoreValueFields: this body
            carries filters, not score values.
            The older docs page (and SDK <= 0.1.27) also had `is_exporting` (boolean,
            default false, "Reserved for dashboard exports."); it was removed from the
            newer page and SDK 0.1.28+, so it is left out here.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | PaginatedScoreList | RateLimitError | ValidationErrorBody]
    """

    http = client.get_httpx_client()
    try:
        request = build_request(
            http,
            _get_kwargs(
                body=body,
                page=page,
                page_size=page_size,
                sort_by=sort_by,
            ),
        )
    except (TypeError, ValueError, AttributeError, RecursionError) as e:
        raise errors.UnencodableBody(type(body).__name__, e) from e

    response = http.send(request)

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: ScoreFilterRequest | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    sort_by: str | Unset = UNSET,
) -> ErrorDetail | PaginatedScoreList | RateLimitError | ValidationErrorBody | None:
    """Filter scores

     List scores using POST-for-filtering: filters go in the request body in the
    standard Respan filter format; pagination and sorting are query parameters.
    Returns paginated score results.

    The docs page did not show the path; `POST /api/scores/list/` is confirmed
    by the SDK (0.1.18-0.1.46). Which fields can be filtered or sorted on is
    not documented.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        sort_by (str | Unset):
        body (ScoreFilterRequest | Unset): Body of POST /api/scores/list/. Not built on
            ScoreValueFields: this body
            carries filters, not score values.
            The older docs page (and SDK <= 0.1.27) also had `is_exporting` (boolean,
            default false, "Reserved for dashboard exports."); it was removed from the
            newer page and SDK 0.1.28+, so it is left out here.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | PaginatedScoreList | RateLimitError | ValidationErrorBody
    """

    return sync_detailed(
        client=client,
        body=body,
        page=page,
        page_size=page_size,
        sort_by=sort_by,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ScoreFilterRequest | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    sort_by: str | Unset = UNSET,
) -> Response[ErrorDetail | PaginatedScoreList | RateLimitError | ValidationErrorBody]:
    """Filter scores

     List scores using POST-for-filtering: filters go in the request body in the
    standard Respan filter format; pagination and sorting are query parameters.
    Returns paginated score results.

    The docs page did not show the path; `POST /api/scores/list/` is confirmed
    by the SDK (0.1.18-0.1.46). Which fields can be filtered or sorted on is
    not documented.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        sort_by (str | Unset):
        body (ScoreFilterRequest | Unset): Body of POST /api/scores/list/. Not built on
            ScoreValueFields: this body
            carries filters, not score values.
            The older docs page (and SDK <= 0.1.27) also had `is_exporting` (boolean,
            default false, "Reserved for dashboard exports."); it was removed from the
            newer page and SDK 0.1.28+, so it is left out here.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | PaginatedScoreList | RateLimitError | ValidationErrorBody]
    """

    http = client.get_async_httpx_client()
    try:
        request = build_request(
            http,
            _get_kwargs(
                body=body,
                page=page,
                page_size=page_size,
                sort_by=sort_by,
            ),
        )
    except (TypeError, ValueError, AttributeError, RecursionError) as e:
        raise errors.UnencodableBody(type(body).__name__, e) from e

    response = await http.send(request)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ScoreFilterRequest | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    sort_by: str | Unset = UNSET,
) -> ErrorDetail | PaginatedScoreList | RateLimitError | ValidationErrorBody | None:
    """Filter scores

     List scores using POST-for-filtering: filters go in the request body in the
    standard Respan filter format; pagination and sorting are query parameters.
    Returns paginated score results.

    The docs page did not show the path; `POST /api/scores/list/` is confirmed
    by the SDK (0.1.18-0.1.46). Which fields can be filtered or sorted on is
    not documented.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        sort_by (str | Unset):
        body (ScoreFilterRequest | Unset): Body of POST /api/scores/list/. Not built on
            ScoreValueFields: this body
            carries filters, not score values.
            The older docs page (and SDK <= 0.1.27) also had `is_exporting` (boolean,
            default false, "Reserved for dashboard exports."); it was removed from the
            newer page and SDK 0.1.28+, so it is left out here.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | PaginatedScoreList | RateLimitError | ValidationErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            page=page,
            page_size=page_size,
            sort_by=sort_by,
        )
    ).parsed
