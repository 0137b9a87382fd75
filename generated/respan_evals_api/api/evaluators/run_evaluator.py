from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client, build_request
from ...models.evaluator_run_request import EvaluatorRunRequest
from ...models.evaluator_run_result import EvaluatorRunResult
from ...types import Response

if TYPE_CHECKING:
    from ...models.error_detail import ErrorDetail
    from ...models.rate_limit_error import RateLimitError
    from ...models.validation_error_body import ValidationErrorBody


def _get_kwargs(
    evaluator_id: str,
    *,
    body: EvaluatorRunRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/evaluators/{evaluator_id}/run/".format(
            evaluator_id=quote(str(evaluator_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorDetail | EvaluatorRunResult | RateLimitError | ValidationErrorBody | None:
    if response.status_code == 200:
        response_200 = EvaluatorRunResult.from_dict(errors.read_json(response.content))

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
) -> Response[ErrorDetail | EvaluatorRunResult | RateLimitError | ValidationErrorBody]:
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
    body: EvaluatorRunRequest,
) -> Response[ErrorDetail | EvaluatorRunResult | RateLimitError | ValidationErrorBody]:
    """Run an evaluator

     Run an evaluator against raw unified inputs and return the resulting score. The evaluator
    ID may carry a version suffix such as `evl_abc123:2` to run a specific version; the plain
    (family) ID runs the current draft/latest version. Pass the family `id`, not `version_id`.
    The body field `evaluator_id` can override the path ID (same suffix rules).

    `generation_method` defaults to `auto` (tries LLM, then code, then legacy configuration);
    human scoring is not done through this endpoint.

    Success status: 200 per the legacy docs page (the current page does not show it; the SDK
    accepts any 2xx). Before SDK 0.1.16 the body was `log_ids`/`dataset_id` (run over stored
    spans); those fields are kept below as deprecated.

    Args:
        evaluator_id (str):
        body (EvaluatorRunRequest): Body of Run an evaluator (SDK 0.1.16-0.1.46 and the docs
            example).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | EvaluatorRunResult | RateLimitError | ValidationErrorBody]
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
    body: EvaluatorRunRequest,
) -> ErrorDetail | EvaluatorRunResult | RateLimitError | ValidationErrorBody | None:
    """Run an evaluator

     Run an evaluator against raw unified inputs and return the resulting score. The evaluator
    ID may carry a version suffix such as `evl_abc123:2` to run a specific version; the plain
    (family) ID runs the current draft/latest version. Pass the family `id`, not `version_id`.
    The body field `evaluator_id` can override the path ID (same suffix rules).

    `generation_method` defaults to `auto` (tries LLM, then code, then legacy configuration);
    human scoring is not done through this endpoint.

    Success status: 200 per the legacy docs page (the current page does not show it; the SDK
    accepts any 2xx). Before SDK 0.1.16 the body was `log_ids`/`dataset_id` (run over stored
    spans); those fields are kept below as deprecated.

    Args:
        evaluator_id (str):
        body (EvaluatorRunRequest): Body of Run an evaluator (SDK 0.1.16-0.1.46 and the docs
            example).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | EvaluatorRunResult | RateLimitError | ValidationErrorBody
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
    body: EvaluatorRunRequest,
) -> Response[ErrorDetail | EvaluatorRunResult | RateLimitError | ValidationErrorBody]:
    """Run an evaluator

     Run an evaluator against raw unified inputs and return the resulting score. The evaluator
    ID may carry a version suffix such as `evl_abc123:2` to run a specific version; the plain
    (family) ID runs the current draft/latest version. Pass the family `id`, not `version_id`.
    The body field `evaluator_id` can override the path ID (same suffix rules).

    `generation_method` defaults to `auto` (tries LLM, then code, then legacy configuration);
    human scoring is not done through this endpoint.

    Success status: 200 per the legacy docs page (the current page does not show it; the SDK
    accepts any 2xx). Before SDK 0.1.16 the body was `log_ids`/`dataset_id` (run over stored
    spans); those fields are kept below as deprecated.

    Args:
        evaluator_id (str):
        body (EvaluatorRunRequest): Body of Run an evaluator (SDK 0.1.16-0.1.46 and the docs
            example).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | EvaluatorRunResult | RateLimitError | ValidationErrorBody]
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
    body: EvaluatorRunRequest,
) -> ErrorDetail | EvaluatorRunResult | RateLimitError | ValidationErrorBody | None:
    """Run an evaluator

     Run an evaluator against raw unified inputs and return the resulting score. The evaluator
    ID may carry a version suffix such as `evl_abc123:2` to run a specific version; the plain
    (family) ID runs the current draft/latest version. Pass the family `id`, not `version_id`.
    The body field `evaluator_id` can override the path ID (same suffix rules).

    `generation_method` defaults to `auto` (tries LLM, then code, then legacy configuration);
    human scoring is not done through this endpoint.

    Success status: 200 per the legacy docs page (the current page does not show it; the SDK
    accepts any 2xx). Before SDK 0.1.16 the body was `log_ids`/`dataset_id` (run over stored
    spans); those fields are kept below as deprecated.

    Args:
        evaluator_id (str):
        body (EvaluatorRunRequest): Body of Run an evaluator (SDK 0.1.16-0.1.46 and the docs
            example).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | EvaluatorRunResult | RateLimitError | ValidationErrorBody
    """

    return (
        await asyncio_detailed(
            evaluator_id=evaluator_id,
            client=client,
            body=body,
        )
    ).parsed
