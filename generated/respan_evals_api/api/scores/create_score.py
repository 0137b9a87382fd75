from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client, build_request
from ...models.score import Score
from ...models.score_create_request import ScoreCreateRequest
from ...types import Response

if TYPE_CHECKING:
    from ...models.error_detail import ErrorDetail
    from ...models.rate_limit_error import RateLimitError
    from ...models.validation_error_body import ValidationErrorBody


def _get_kwargs(
    *,
    body: ScoreCreateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/scores/",
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

    if response.status_code == 201:
        response_201 = Score.from_dict(errors.read_json(response.content))

        return response_201

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
) -> Response[ErrorDetail | RateLimitError | Score | ValidationErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ScoreCreateRequest,
) -> Response[ErrorDetail | RateLimitError | Score | ValidationErrorBody]:
    """Create a score

     Create an evaluation score. Identify the evaluator with `evaluator_id` or
    `evaluator_slug`, and the log/span with `log_id`. Put the value in the field
    that matches the evaluator's `score_value_type` (see ScoreValueFields).
    When the log is known, the docs recommend the log-scoped route
    `POST /api/logs/{log_id}/scores/` instead.

    Success status: the current page does not say; the oldest docs page shows
    `201 Created` and the SDK accepts any 2xx, so both 200 and 201 are listed
    with the same body.

    Args:
        body (ScoreCreateRequest): Body of POST /api/scores/. All fields are optional in the docs'
            schema;
            the server expects exactly one of `evaluator_id` / `evaluator_slug`, and
            `log_id` ("required for general score creation when not using the
            log-scoped route"). These rules are not encoded as `required` because the
            docs and SDK mark the fields optional.

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
                body=body,
            ),
        )
    except (TypeError, ValueError, AttributeError, RecursionError) as e:
        raise errors.UnencodableBody(type(body).__name__, e) from e

    response = http.send(request)

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: ScoreCreateRequest,
) -> ErrorDetail | RateLimitError | Score | ValidationErrorBody | None:
    """Create a score

     Create an evaluation score. Identify the evaluator with `evaluator_id` or
    `evaluator_slug`, and the log/span with `log_id`. Put the value in the field
    that matches the evaluator's `score_value_type` (see ScoreValueFields).
    When the log is known, the docs recommend the log-scoped route
    `POST /api/logs/{log_id}/scores/` instead.

    Success status: the current page does not say; the oldest docs page shows
    `201 Created` and the SDK accepts any 2xx, so both 200 and 201 are listed
    with the same body.

    Args:
        body (ScoreCreateRequest): Body of POST /api/scores/. All fields are optional in the docs'
            schema;
            the server expects exactly one of `evaluator_id` / `evaluator_slug`, and
            `log_id` ("required for general score creation when not using the
            log-scoped route"). These rules are not encoded as `required` because the
            docs and SDK mark the fields optional.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | RateLimitError | Score | ValidationErrorBody
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ScoreCreateRequest,
) -> Response[ErrorDetail | RateLimitError | Score | ValidationErrorBody]:
    """Create a score

     Create an evaluation score. Identify the evaluator with `evaluator_id` or
    `evaluator_slug`, and the log/span with `log_id`. Put the value in the field
    that matches the evaluator's `score_value_type` (see ScoreValueFields).
    When the log is known, the docs recommend the log-scoped route
    `POST /api/logs/{log_id}/scores/` instead.

    Success status: the current page does not say; the oldest docs page shows
    `201 Created` and the SDK accepts any 2xx, so both 200 and 201 are listed
    with the same body.

    Args:
        body (ScoreCreateRequest): Body of POST /api/scores/. All fields are optional in the docs'
            schema;
            the server expects exactly one of `evaluator_id` / `evaluator_slug`, and
            `log_id` ("required for general score creation when not using the
            log-scoped route"). These rules are not encoded as `required` because the
            docs and SDK mark the fields optional.

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
                body=body,
            ),
        )
    except (TypeError, ValueError, AttributeError, RecursionError) as e:
        raise errors.UnencodableBody(type(body).__name__, e) from e

    response = await http.send(request)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ScoreCreateRequest,
) -> ErrorDetail | RateLimitError | Score | ValidationErrorBody | None:
    """Create a score

     Create an evaluation score. Identify the evaluator with `evaluator_id` or
    `evaluator_slug`, and the log/span with `log_id`. Put the value in the field
    that matches the evaluator's `score_value_type` (see ScoreValueFields).
    When the log is known, the docs recommend the log-scoped route
    `POST /api/logs/{log_id}/scores/` instead.

    Success status: the current page does not say; the oldest docs page shows
    `201 Created` and the SDK accepts any 2xx, so both 200 and 201 are listed
    with the same body.

    Args:
        body (ScoreCreateRequest): Body of POST /api/scores/. All fields are optional in the docs'
            schema;
            the server expects exactly one of `evaluator_id` / `evaluator_slug`, and
            `log_id` ("required for general score creation when not using the
            log-scoped route"). These rules are not encoded as `required` because the
            docs and SDK mark the fields optional.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | RateLimitError | Score | ValidationErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
