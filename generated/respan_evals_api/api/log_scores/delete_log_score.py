from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client, build_request
from ...types import Response

if TYPE_CHECKING:
    from ...models.error_detail import ErrorDetail
    from ...models.rate_limit_error import RateLimitError


def _get_kwargs(
    log_id: str,
    score_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/api/logs/{log_id}/scores/{score_id}/".format(
            log_id=quote(str(log_id), safe=""),
            score_id=quote(str(score_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorDetail | RateLimitError | None:
    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

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
) -> Response[Any | ErrorDetail | RateLimitError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    log_id: str,
    score_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Any | ErrorDetail | RateLimitError]:
    """Delete a log score

     Delete a score from a log/span.

    The current docs page for this route was not found. The path is confirmed
    by the SDK (every release); `204 No Content` comes from the legacy docs
    page. The SDK accepts any 2xx with no body; re-check the live status code.

    Args:
        log_id (str):
        score_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorDetail | RateLimitError]
    """

    http = client.get_httpx_client()
    request = build_request(
        http,
        _get_kwargs(
            log_id=log_id,
            score_id=score_id,
        ),
    )

    response = http.send(request)

    return _build_response(client=client, response=response)


def sync(
    log_id: str,
    score_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Any | ErrorDetail | RateLimitError | None:
    """Delete a log score

     Delete a score from a log/span.

    The current docs page for this route was not found. The path is confirmed
    by the SDK (every release); `204 No Content` comes from the legacy docs
    page. The SDK accepts any 2xx with no body; re-check the live status code.

    Args:
        log_id (str):
        score_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorDetail | RateLimitError
    """

    return sync_detailed(
        log_id=log_id,
        score_id=score_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    log_id: str,
    score_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Any | ErrorDetail | RateLimitError]:
    """Delete a log score

     Delete a score from a log/span.

    The current docs page for this route was not found. The path is confirmed
    by the SDK (every release); `204 No Content` comes from the legacy docs
    page. The SDK accepts any 2xx with no body; re-check the live status code.

    Args:
        log_id (str):
        score_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorDetail | RateLimitError]
    """

    http = client.get_async_httpx_client()
    request = build_request(
        http,
        _get_kwargs(
            log_id=log_id,
            score_id=score_id,
        ),
    )

    response = await http.send(request)

    return _build_response(client=client, response=response)


async def asyncio(
    log_id: str,
    score_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Any | ErrorDetail | RateLimitError | None:
    """Delete a log score

     Delete a score from a log/span.

    The current docs page for this route was not found. The path is confirmed
    by the SDK (every release); `204 No Content` comes from the legacy docs
    page. The SDK accepts any 2xx with no body; re-check the live status code.

    Args:
        log_id (str):
        score_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorDetail | RateLimitError
    """

    return (
        await asyncio_detailed(
            log_id=log_id,
            score_id=score_id,
            client=client,
        )
    ).parsed
