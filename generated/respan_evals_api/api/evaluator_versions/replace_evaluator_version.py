from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client, build_request
from ...models.evaluator_version import EvaluatorVersion
from ...models.evaluator_version_replace_request import EvaluatorVersionReplaceRequest
from ...types import Response

if TYPE_CHECKING:
    from ...models.error_detail import ErrorDetail
    from ...models.rate_limit_error import RateLimitError
    from ...models.validation_error_body import ValidationErrorBody


def _get_kwargs(
    evaluator_id: str,
    version: int,
    *,
    body: EvaluatorVersionReplaceRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/evaluators/{evaluator_id}/versions/{version}/".format(
            evaluator_id=quote(str(evaluator_id), safe=""),
            version=quote(str(version), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorDetail | EvaluatorVersion | RateLimitError | ValidationErrorBody | None:
    if response.status_code == 200:
        response_200 = EvaluatorVersion.from_dict(errors.read_json(response.content))

        return response_200

    if response.status_code == 400:
        from ...models.validation_error_body import ValidationErrorBody

        response_400 = ValidationErrorBody.from_dict(errors.read_json(response.content))

        return response_400

    if response.status_code == 401:
        from ...models.error_detail import ErrorDetail

        response_401 = ErrorDetail.from_dict(errors.read_json(response.content))

        return response_401

    if response.status_code == 403:
        from ...models.error_detail import ErrorDetail

        response_403 = ErrorDetail.from_dict(errors.read_json(response.content))

        return response_403

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
) -> Response[ErrorDetail | EvaluatorVersion | RateLimitError | ValidationErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    evaluator_id: str,
    version: int,
    *,
    client: AuthenticatedClient | Client,
    body: EvaluatorVersionReplaceRequest,
) -> Response[ErrorDetail | EvaluatorVersion | RateLimitError | ValidationErrorBody]:
    """Replace evaluator version

     Replace a specific evaluator version. Only the current draft (`is_read_only: false`) can be
    edited; committed versions are read-only (403 is documented only for the two
    version-editing endpoints, consistent with that rule).

    Path confirmed by SDK 0.1.16-0.1.46; the body follows the SDK (the docs page showed field
    descriptions only).

    Args:
        evaluator_id (str):
        version (int):
        body (EvaluatorVersionReplaceRequest): Body of Replace evaluator version (draft only).
            Required fields per SDK 0.1.16-0.1.29;
            SDK 0.1.36+ requires only `name`. No `version_description` (it is set when committing).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | EvaluatorVersion | RateLimitError | ValidationErrorBody]
    """

    http = client.get_httpx_client()
    try:
        request = build_request(
            http,
            _get_kwargs(
                evaluator_id=evaluator_id,
                version=version,
                body=body,
            ),
        )
    except (TypeError, ValueError, AttributeError, RecursionError) as e:
        raise errors.UnencodableBody(type(body).__name__, e) from e

    response = http.send(request)

    return _build_response(client=client, response=response)


def sync(
    evaluator_id: str,
    version: int,
    *,
    client: AuthenticatedClient | Client,
    body: EvaluatorVersionReplaceRequest,
) -> ErrorDetail | EvaluatorVersion | RateLimitError | ValidationErrorBody | None:
    """Replace evaluator version

     Replace a specific evaluator version. Only the current draft (`is_read_only: false`) can be
    edited; committed versions are read-only (403 is documented only for the two
    version-editing endpoints, consistent with that rule).

    Path confirmed by SDK 0.1.16-0.1.46; the body follows the SDK (the docs page showed field
    descriptions only).

    Args:
        evaluator_id (str):
        version (int):
        body (EvaluatorVersionReplaceRequest): Body of Replace evaluator version (draft only).
            Required fields per SDK 0.1.16-0.1.29;
            SDK 0.1.36+ requires only `name`. No `version_description` (it is set when committing).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | EvaluatorVersion | RateLimitError | ValidationErrorBody
    """

    return sync_detailed(
        evaluator_id=evaluator_id,
        version=version,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    evaluator_id: str,
    version: int,
    *,
    client: AuthenticatedClient | Client,
    body: EvaluatorVersionReplaceRequest,
) -> Response[ErrorDetail | EvaluatorVersion | RateLimitError | ValidationErrorBody]:
    """Replace evaluator version

     Replace a specific evaluator version. Only the current draft (`is_read_only: false`) can be
    edited; committed versions are read-only (403 is documented only for the two
    version-editing endpoints, consistent with that rule).

    Path confirmed by SDK 0.1.16-0.1.46; the body follows the SDK (the docs page showed field
    descriptions only).

    Args:
        evaluator_id (str):
        version (int):
        body (EvaluatorVersionReplaceRequest): Body of Replace evaluator version (draft only).
            Required fields per SDK 0.1.16-0.1.29;
            SDK 0.1.36+ requires only `name`. No `version_description` (it is set when committing).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | EvaluatorVersion | RateLimitError | ValidationErrorBody]
    """

    http = client.get_async_httpx_client()
    try:
        request = build_request(
            http,
            _get_kwargs(
                evaluator_id=evaluator_id,
                version=version,
                body=body,
            ),
        )
    except (TypeError, ValueError, AttributeError, RecursionError) as e:
        raise errors.UnencodableBody(type(body).__name__, e) from e

    response = await http.send(request)

    return _build_response(client=client, response=response)


async def asyncio(
    evaluator_id: str,
    version: int,
    *,
    client: AuthenticatedClient | Client,
    body: EvaluatorVersionReplaceRequest,
) -> ErrorDetail | EvaluatorVersion | RateLimitError | ValidationErrorBody | None:
    """Replace evaluator version

     Replace a specific evaluator version. Only the current draft (`is_read_only: false`) can be
    edited; committed versions are read-only (403 is documented only for the two
    version-editing endpoints, consistent with that rule).

    Path confirmed by SDK 0.1.16-0.1.46; the body follows the SDK (the docs page showed field
    descriptions only).

    Args:
        evaluator_id (str):
        version (int):
        body (EvaluatorVersionReplaceRequest): Body of Replace evaluator version (draft only).
            Required fields per SDK 0.1.16-0.1.29;
            SDK 0.1.36+ requires only `name`. No `version_description` (it is set when committing).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | EvaluatorVersion | RateLimitError | ValidationErrorBody
    """

    return (
        await asyncio_detailed(
            evaluator_id=evaluator_id,
            version=version,
            client=client,
            body=body,
        )
    ).parsed
