from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client, build_request
from ...models.score import Score
from ...models.score_update_request import ScoreUpdateRequest
from ...types import Response

if TYPE_CHECKING:
    from ...models.error_detail import ErrorDetail
    from ...models.rate_limit_error import RateLimitError
    from ...models.validation_error_body import ValidationErrorBody


def _get_kwargs(
    id: str,
    *,
    body: ScoreUpdateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/scores/{id}/".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorDetail | RateLimitError | Score | ValidationErrorBody | None:
    if response.status_code == 200:
        response_200 = Score.from_dict(errors.read_json(response.content))

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
) -> Response[ErrorDetail | RateLimitError | Score | ValidationErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ScoreUpdateRequest,
) -> Response[ErrorDetail | RateLimitError | Score | ValidationErrorBody]:
    """Update a score

     Partially update a score by score ID. Only the five value fields can be
    sent; only the fields provided are changed.

    Args:
        id (str):
        body (ScoreUpdateRequest): Body of PATCH /api/scores/{id}/: only the five value fields;
            only the fields sent are changed. (`explanation` is not accepted here, per the SDK.)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | RateLimitError | Score | ValidationErrorBody]
    """

    http = client.get_httpx_client()
    try:
        request = build_request(
            http,
            _get_kwargs(
                id=id,
                body=body,
            ),
        )
    except (TypeError, ValueError, AttributeError, RecursionError) as e:
        raise errors.UnencodableBody(type(body).__name__, e) from e

    response = http.send(request)

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ScoreUpdateRequest,
) -> ErrorDetail | RateLimitError | Score | ValidationErrorBody | None:
    """Update a score

     Partially update a score by score ID. Only the five value fields can be
    sent; only the fields provided are changed.

    Args:
        id (str):
        body (ScoreUpdateRequest): Body of PATCH /api/scores/{id}/: only the five value fields;
            only the fields sent are changed. (`explanation` is not accepted here, per the SDK.)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | RateLimitError | Score | ValidationErrorBody
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ScoreUpdateRequest,
) -> Response[ErrorDetail | RateLimitError | Score | ValidationErrorBody]:
    """Update a score

     Partially update a score by score ID. Only the five value fields can be
    sent; only the fields provided are changed.

    Args:
        id (str):
        body (ScoreUpdateRequest): Body of PATCH /api/scores/{id}/: only the five value fields;
            only the fields sent are changed. (`explanation` is not accepted here, per the SDK.)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | RateLimitError | Score | ValidationErrorBody]
    """

    http = client.get_async_httpx_client()
    try:
        request = build_request(
            http,
            _get_kwargs(
                id=id,
                body=body,
            ),
        )
    except (TypeError, ValueError, AttributeError, RecursionError) as e:
        raise errors.UnencodableBody(type(body).__name__, e) from e

    response = await http.send(request)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ScoreUpdateRequest,
) -> ErrorDetail | RateLimitError | Score | ValidationErrorBody | None:
    """Update a score

     Partially update a score by score ID. Only the five value fields can be
    sent; only the fields provided are changed.

    Args:
        id (str):
        body (ScoreUpdateRequest): Body of PATCH /api/scores/{id}/: only the five value fields;
            only the fields sent are changed. (`explanation` is not accepted here, per the SDK.)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | RateLimitError | Score | ValidationErrorBody
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
