from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client, build_request
from ...models.evaluator_version import EvaluatorVersion
from ...types import Response

if TYPE_CHECKING:
    from ...models.error_detail import ErrorDetail
    from ...models.rate_limit_error import RateLimitError
    from ...models.validation_error_body import ValidationErrorBody


def _get_kwargs(
    evaluator_id: str,
    version: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/evaluators/{evaluator_id}/versions/{version}/".format(
            evaluator_id=quote(str(evaluator_id), safe=""),
            version=quote(str(version), safe=""),
        ),
    }

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
) -> Response[ErrorDetail | EvaluatorVersion | RateLimitError | ValidationErrorBody]:
    """Retrieve evaluator version

     Retrieve a specific evaluator version by version number, with its full configuration.
    Version 0 is the first draft.

    The docs page shows the typed response and both path parameters but not the path; the path
    is confirmed by SDK 0.1.16-0.1.46.

    400 is not in the docs' error list for this operation (the page and SDK 0.1.29 list 401 and 404); it
    is listed because its `version` path parameter is constrained (an integer >= 0) and a careful client
    must read that answer. Re-check against the live API.

    Args:
        evaluator_id (str):
        version (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | EvaluatorVersion | RateLimitError | ValidationErrorBody]
    """

    http = client.get_httpx_client()
    request = build_request(
        http,
        _get_kwargs(
            evaluator_id=evaluator_id,
            version=version,
        ),
    )

    response = http.send(request)

    return _build_response(client=client, response=response)


def sync(
    evaluator_id: str,
    version: int,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorDetail | EvaluatorVersion | RateLimitError | ValidationErrorBody | None:
    """Retrieve evaluator version

     Retrieve a specific evaluator version by version number, with its full configuration.
    Version 0 is the first draft.

    The docs page shows the typed response and both path parameters but not the path; the path
    is confirmed by SDK 0.1.16-0.1.46.

    400 is not in the docs' error list for this operation (the page and SDK 0.1.29 list 401 and 404); it
    is listed because its `version` path parameter is constrained (an integer >= 0) and a careful client
    must read that answer. Re-check against the live API.

    Args:
        evaluator_id (str):
        version (int):

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
    ).parsed


async def asyncio_detailed(
    evaluator_id: str,
    version: int,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorDetail | EvaluatorVersion | RateLimitError | ValidationErrorBody]:
    """Retrieve evaluator version

     Retrieve a specific evaluator version by version number, with its full configuration.
    Version 0 is the first draft.

    The docs page shows the typed response and both path parameters but not the path; the path
    is confirmed by SDK 0.1.16-0.1.46.

    400 is not in the docs' error list for this operation (the page and SDK 0.1.29 list 401 and 404); it
    is listed because its `version` path parameter is constrained (an integer >= 0) and a careful client
    must read that answer. Re-check against the live API.

    Args:
        evaluator_id (str):
        version (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | EvaluatorVersion | RateLimitError | ValidationErrorBody]
    """

    http = client.get_async_httpx_client()
    request = build_request(
        http,
        _get_kwargs(
            evaluator_id=evaluator_id,
            version=version,
        ),
    )

    response = await http.send(request)

    return _build_response(client=client, response=response)


async def asyncio(
    evaluator_id: str,
    version: int,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorDetail | EvaluatorVersion | RateLimitError | ValidationErrorBody | None:
    """Retrieve evaluator version

     Retrieve a specific evaluator version by version number, with its full configuration.
    Version 0 is the first draft.

    The docs page shows the typed response and both path parameters but not the path; the path
    is confirmed by SDK 0.1.16-0.1.46.

    400 is not in the docs' error list for this operation (the page and SDK 0.1.29 list 401 and 404); it
    is listed because its `version` path parameter is constrained (an integer >= 0) and a careful client
    must read that answer. Re-check against the live API.

    Args:
        evaluator_id (str):
        version (int):

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
        )
    ).parsed
