from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client, build_request
from ...models.evaluators_summary import EvaluatorsSummary
from ...types import Response

if TYPE_CHECKING:
    from ...models.error_detail import ErrorDetail
    from ...models.rate_limit_error import RateLimitError


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/evaluators/summary/",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorDetail | EvaluatorsSummary | RateLimitError | None:
    if response.status_code == 200:
        response_200 = EvaluatorsSummary.from_dict(errors.read_json(response.content))

        return response_200

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
) -> Response[ErrorDetail | EvaluatorsSummary | RateLimitError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorDetail | EvaluatorsSummary | RateLimitError]:
    """Get evaluators summary

     Return the total number of current draft/latest evaluators visible to the authenticated
    organization.

    Inferred: the docs page was not captured (sidebar entry only). Path, the empty parameter
    list and the `{total_count}` response come from SDK 0.1.16-0.1.27; the route is absent from
    SDK 0.1.28 and later. Re-check that it still exists.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | EvaluatorsSummary | RateLimitError]
    """

    http = client.get_httpx_client()
    request = build_request(http, _get_kwargs())

    response = http.send(request)

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
) -> ErrorDetail | EvaluatorsSummary | RateLimitError | None:
    """Get evaluators summary

     Return the total number of current draft/latest evaluators visible to the authenticated
    organization.

    Inferred: the docs page was not captured (sidebar entry only). Path, the empty parameter
    list and the `{total_count}` response come from SDK 0.1.16-0.1.27; the route is absent from
    SDK 0.1.28 and later. Re-check that it still exists.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | EvaluatorsSummary | RateLimitError
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorDetail | EvaluatorsSummary | RateLimitError]:
    """Get evaluators summary

     Return the total number of current draft/latest evaluators visible to the authenticated
    organization.

    Inferred: the docs page was not captured (sidebar entry only). Path, the empty parameter
    list and the `{total_count}` response come from SDK 0.1.16-0.1.27; the route is absent from
    SDK 0.1.28 and later. Re-check that it still exists.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | EvaluatorsSummary | RateLimitError]
    """

    http = client.get_async_httpx_client()
    request = build_request(http, _get_kwargs())

    response = await http.send(request)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
) -> ErrorDetail | EvaluatorsSummary | RateLimitError | None:
    """Get evaluators summary

     Return the total number of current draft/latest evaluators visible to the authenticated
    organization.

    Inferred: the docs page was not captured (sidebar entry only). Path, the empty parameter
    list and the `{total_count}` response come from SDK 0.1.16-0.1.27; the route is absent from
    SDK 0.1.28 and later. Re-check that it still exists.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | EvaluatorsSummary | RateLimitError
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
