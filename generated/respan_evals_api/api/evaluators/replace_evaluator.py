from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client, build_request
from ...models.evaluator import Evaluator
from ...models.evaluator_replace_request import EvaluatorReplaceRequest
from ...types import Response

if TYPE_CHECKING:
    from ...models.error_detail import ErrorDetail
    from ...models.rate_limit_error import RateLimitError
    from ...models.validation_error_body import ValidationErrorBody


def _get_kwargs(
    evaluator_id: str,
    *,
    body: EvaluatorReplaceRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/evaluators/{evaluator_id}/".format(
            evaluator_id=quote(str(evaluator_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorDetail | Evaluator | RateLimitError | ValidationErrorBody | None:
    if response.status_code == 200:
        response_200 = Evaluator.from_dict(errors.read_json(response.content))

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
) -> Response[ErrorDetail | Evaluator | RateLimitError | ValidationErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    evaluator_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: EvaluatorReplaceRequest,
) -> Response[ErrorDetail | Evaluator | RateLimitError | ValidationErrorBody]:
    """Replace an evaluator

     Replace the current draft/latest evaluator configuration. Committed read-only versions
    cannot be edited.

    The docs page shows the typed body and path parameter but not the path itself; the path is
    confirmed by SDK 0.1.16-0.1.46 (`replace_evaluator`).

    403 is in neither the docs' error list nor the SDK's (400, 401, 404) for this operation. Edits land
    on the draft, which is never read-only, so a 403 could come only from a version-pinned id
    (`evl_abc123:2`) that addresses a committed version; whether this route accepts such an id is
    unconfirmed (see the `evaluator_id` parameter: the docs document the suffix for Run an evaluator
    only). It is listed because the version routes, which write to a numbered version, document 403 for
    read-only versions (SDK 0.1.29-0.1.46), and a careful client must read that answer. Re-check against
    the live API.

    Args:
        evaluator_id (str):
        body (EvaluatorReplaceRequest): Body of Replace an evaluator (full replacement of the
            current draft). Required fields as
            typed on the docs page and in SDK 0.1.16-0.1.29; SDK 0.1.36+ requires only `name`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | Evaluator | RateLimitError | ValidationErrorBody]
    """

    http = client.get_httpx_client()
    try:
        request = build_request(
            http,
            _get_kwargs(
                evaluator_id=evaluator_id,
                body=body,
            ),
        )
    except (TypeError, ValueError, AttributeError, RecursionError) as e:
        raise errors.UnencodableBody(type(body).__name__, e) from e

    response = http.send(request)

    return _build_response(client=client, response=response)


def sync(
    evaluator_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: EvaluatorReplaceRequest,
) -> ErrorDetail | Evaluator | RateLimitError | ValidationErrorBody | None:
    """Replace an evaluator

     Replace the current draft/latest evaluator configuration. Committed read-only versions
    cannot be edited.

    The docs page shows the typed body and path parameter but not the path itself; the path is
    confirmed by SDK 0.1.16-0.1.46 (`replace_evaluator`).

    403 is in neither the docs' error list nor the SDK's (400, 401, 404) for this operation. Edits land
    on the draft, which is never read-only, so a 403 could come only from a version-pinned id
    (`evl_abc123:2`) that addresses a committed version; whether this route accepts such an id is
    unconfirmed (see the `evaluator_id` parameter: the docs document the suffix for Run an evaluator
    only). It is listed because the version routes, which write to a numbered version, document 403 for
    read-only versions (SDK 0.1.29-0.1.46), and a careful client must read that answer. Re-check against
    the live API.

    Args:
        evaluator_id (str):
        body (EvaluatorReplaceRequest): Body of Replace an evaluator (full replacement of the
            current draft). Required fields as
            typed on the docs page and in SDK 0.1.16-0.1.29; SDK 0.1.36+ requires only `name`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | Evaluator | RateLimitError | ValidationErrorBody
    """

    return sync_detailed(
        evaluator_id=evaluator_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    evaluator_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: EvaluatorReplaceRequest,
) -> Response[ErrorDetail | Evaluator | RateLimitError | ValidationErrorBody]:
    """Replace an evaluator

     Replace the current draft/latest evaluator configuration. Committed read-only versions
    cannot be edited.

    The docs page shows the typed body and path parameter but not the path itself; the path is
    confirmed by SDK 0.1.16-0.1.46 (`replace_evaluator`).

    403 is in neither the docs' error list nor the SDK's (400, 401, 404) for this operation. Edits land
    on the draft, which is never read-only, so a 403 could come only from a version-pinned id
    (`evl_abc123:2`) that addresses a committed version; whether this route accepts such an id is
    unconfirmed (see the `evaluator_id` parameter: the docs document the suffix for Run an evaluator
    only). It is listed because the version routes, which write to a numbered version, document 403 for
    read-only versions (SDK 0.1.29-0.1.46), and a careful client must read that answer. Re-check against
    the live API.

    Args:
        evaluator_id (str):
        body (EvaluatorReplaceRequest): Body of Replace an evaluator (full replacement of the
            current draft). Required fields as
            typed on the docs page and in SDK 0.1.16-0.1.29; SDK 0.1.36+ requires only `name`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | Evaluator | RateLimitError | ValidationErrorBody]
    """

    http = client.get_async_httpx_client()
    try:
        request = build_request(
            http,
            _get_kwargs(
                evaluator_id=evaluator_id,
                body=body,
            ),
        )
    except (TypeError, ValueError, AttributeError, RecursionError) as e:
        raise errors.UnencodableBody(type(body).__name__, e) from e

    response = await http.send(request)

    return _build_response(client=client, response=response)


async def asyncio(
    evaluator_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: EvaluatorReplaceRequest,
) -> ErrorDetail | Evaluator | RateLimitError | ValidationErrorBody | None:
    """Replace an evaluator

     Replace the current draft/latest evaluator configuration. Committed read-only versions
    cannot be edited.

    The docs page shows the typed body and path parameter but not the path itself; the path is
    confirmed by SDK 0.1.16-0.1.46 (`replace_evaluator`).

    403 is in neither the docs' error list nor the SDK's (400, 401, 404) for this operation. Edits land
    on the draft, which is never read-only, so a 403 could come only from a version-pinned id
    (`evl_abc123:2`) that addresses a committed version; whether this route accepts such an id is
    unconfirmed (see the `evaluator_id` parameter: the docs document the suffix for Run an evaluator
    only). It is listed because the version routes, which write to a numbered version, document 403 for
    read-only versions (SDK 0.1.29-0.1.46), and a careful client must read that answer. Re-check against
    the live API.

    Args:
        evaluator_id (str):
        body (EvaluatorReplaceRequest): Body of Replace an evaluator (full replacement of the
            current draft). Required fields as
            typed on the docs page and in SDK 0.1.16-0.1.29; SDK 0.1.36+ requires only `name`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | Evaluator | RateLimitError | ValidationErrorBody
    """

    return (
        await asyncio_detailed(
            evaluator_id=evaluator_id,
            client=client,
            body=body,
        )
    ).parsed
