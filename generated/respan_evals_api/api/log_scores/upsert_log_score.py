from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client, build_request
from ...models.log_score_upsert_request import LogScoreUpsertRequest
from ...models.score import Score
from ...types import Response

if TYPE_CHECKING:
    from ...models.error_detail import ErrorDetail
    from ...models.rate_limit_error import RateLimitError
    from ...models.validation_error_body import ValidationErrorBody


def _get_kwargs(
    log_id: str,
    *,
    body: LogScoreUpsertRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/logs/{log_id}/scores/".format(
            log_id=quote(str(log_id), safe=""),
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
    log_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: LogScoreUpsertRequest,
) -> Response[ErrorDetail | RateLimitError | Score | ValidationErrorBody]:
    """Create or update a log score (upsert)

     Create a score for a specific log/span. This is an UPSERT: the backend
    keeps one score per (log, evaluator, scorer), and submitting the same
    combination again updates that score instead of creating a second one.
    The log ID comes from the path; the backend derives `scorer` from the
    authenticated user on this route.

    Success status: the docs describe the response as "Updated existing score
    for this log/evaluator/scorer." and do not give a code; the legacy page
    showed 201 Created for a new score and the SDK accepts any 2xx. Both 200
    (updated) and 201 (created) are listed with the same body. The legacy
    `409 Conflict` on duplicates is superseded by the upsert.

    Args:
        log_id (str):
        body (LogScoreUpsertRequest): Body of POST /api/logs/{log_id}/scores/. No `log_id` (it
            comes from the
            path). Provide one of `evaluator_id` / `evaluator_slug` (not encoded as
            `required`, the docs mark both optional). One score is kept per
            (log, evaluator, scorer); re-posting the same combination updates it.

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
                log_id=log_id,
                body=body,
            ),
        )
    except (TypeError, ValueError, AttributeError, RecursionError) as e:
        raise errors.UnencodableBody(type(body).__name__, e) from e

    response = http.send(request)

    return _build_response(client=client, response=response)


def sync(
    log_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: LogScoreUpsertRequest,
) -> ErrorDetail | RateLimitError | Score | ValidationErrorBody | None:
    """Create or update a log score (upsert)

     Create a score for a specific log/span. This is an UPSERT: the backend
    keeps one score per (log, evaluator, scorer), and submitting the same
    combination again updates that score instead of creating a second one.
    The log ID comes from the path; the backend derives `scorer` from the
    authenticated user on this route.

    Success status: the docs describe the response as "Updated existing score
    for this log/evaluator/scorer." and do not give a code; the legacy page
    showed 201 Created for a new score and the SDK accepts any 2xx. Both 200
    (updated) and 201 (created) are listed with the same body. The legacy
    `409 Conflict` on duplicates is superseded by the upsert.

    Args:
        log_id (str):
        body (LogScoreUpsertRequest): Body of POST /api/logs/{log_id}/scores/. No `log_id` (it
            comes from the
            path). Provide one of `evaluator_id` / `evaluator_slug` (not encoded as
            `required`, the docs mark both optional). One score is kept per
            (log, evaluator, scorer); re-posting the same combination updates it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | RateLimitError | Score | ValidationErrorBody
    """

    return sync_detailed(
        log_id=log_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    log_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: LogScoreUpsertRequest,
) -> Response[ErrorDetail | RateLimitError | Score | ValidationErrorBody]:
    """Create or update a log score (upsert)

     Create a score for a specific log/span. This is an UPSERT: the backend
    keeps one score per (log, evaluator, scorer), and submitting the same
    combination again updates that score instead of creating a second one.
    The log ID comes from the path; the backend derives `scorer` from the
    authenticated user on this route.

    Success status: the docs describe the response as "Updated existing score
    for this log/evaluator/scorer." and do not give a code; the legacy page
    showed 201 Created for a new score and the SDK accepts any 2xx. Both 200
    (updated) and 201 (created) are listed with the same body. The legacy
    `409 Conflict` on duplicates is superseded by the upsert.

    Args:
        log_id (str):
        body (LogScoreUpsertRequest): Body of POST /api/logs/{log_id}/scores/. No `log_id` (it
            comes from the
            path). Provide one of `evaluator_id` / `evaluator_slug` (not encoded as
            `required`, the docs mark both optional). One score is kept per
            (log, evaluator, scorer); re-posting the same combination updates it.

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
                log_id=log_id,
                body=body,
            ),
        )
    except (TypeError, ValueError, AttributeError, RecursionError) as e:
        raise errors.UnencodableBody(type(body).__name__, e) from e

    response = await http.send(request)

    return _build_response(client=client, response=response)


async def asyncio(
    log_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: LogScoreUpsertRequest,
) -> ErrorDetail | RateLimitError | Score | ValidationErrorBody | None:
    """Create or update a log score (upsert)

     Create a score for a specific log/span. This is an UPSERT: the backend
    keeps one score per (log, evaluator, scorer), and submitting the same
    combination again updates that score instead of creating a second one.
    The log ID comes from the path; the backend derives `scorer` from the
    authenticated user on this route.

    Success status: the docs describe the response as "Updated existing score
    for this log/evaluator/scorer." and do not give a code; the legacy page
    showed 201 Created for a new score and the SDK accepts any 2xx. Both 200
    (updated) and 201 (created) are listed with the same body. The legacy
    `409 Conflict` on duplicates is superseded by the upsert.

    Args:
        log_id (str):
        body (LogScoreUpsertRequest): Body of POST /api/logs/{log_id}/scores/. No `log_id` (it
            comes from the
            path). Provide one of `evaluator_id` / `evaluator_slug` (not encoded as
            `required`, the docs mark both optional). One score is kept per
            (log, evaluator, scorer); re-posting the same combination updates it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | RateLimitError | Score | ValidationErrorBody
    """

    return (
        await asyncio_detailed(
            log_id=log_id,
            client=client,
            body=body,
        )
    ).parsed
