from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client, build_request
from ...models.evaluator import Evaluator
from ...models.evaluator_create_request import EvaluatorCreateRequest
from ...types import Response

if TYPE_CHECKING:
    from ...models.error_detail import ErrorDetail
    from ...models.rate_limit_error import RateLimitError
    from ...models.validation_error_body import ValidationErrorBody


def _get_kwargs(
    *,
    body: EvaluatorCreateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/evaluators/",
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

    if response.status_code == 201:
        response_201 = Evaluator.from_dict(errors.read_json(response.content))

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
) -> Response[ErrorDetail | Evaluator | RateLimitError | ValidationErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: EvaluatorCreateRequest,
) -> Response[ErrorDetail | Evaluator | RateLimitError | ValidationErrorBody]:
    """Create an evaluator

     Create an evaluator (called a "grader" in Respan's agent tools). Current public evaluator
    types are `llm`, `human` and `code`; legacy human-specific types remain readable for older
    evaluators. Use the flat configuration fields (`score_config`, `passing_conditions`,
    `llm_config`, `code_config`) instead of the legacy `configurations`.

    A new evaluator starts as an editable draft (version 0, `is_read_only: false`); commit it
    with `POST /api/evaluators/{evaluator_id}/versions/`.

    Success status: the current page does not show it; the pre-versioning docs said
    `201 Created` and the SDK accepts any 2xx, so both 200 and 201 are listed with the same
    schema. Re-check against a live response.

    Args:
        body (EvaluatorCreateRequest): Body of Create an evaluator. `name`, `type` and
            `score_value_type` are required per the
            docs (typed on the Replace page) and SDK 0.1.16-0.1.29; SDK 0.1.36+ requires only `name`
            (the backend then defaults `type` to `human`). Kept required here; re-check if relaxing.

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
    body: EvaluatorCreateRequest,
) -> ErrorDetail | Evaluator | RateLimitError | ValidationErrorBody | None:
    """Create an evaluator

     Create an evaluator (called a "grader" in Respan's agent tools). Current public evaluator
    types are `llm`, `human` and `code`; legacy human-specific types remain readable for older
    evaluators. Use the flat configuration fields (`score_config`, `passing_conditions`,
    `llm_config`, `code_config`) instead of the legacy `configurations`.

    A new evaluator starts as an editable draft (version 0, `is_read_only: false`); commit it
    with `POST /api/evaluators/{evaluator_id}/versions/`.

    Success status: the current page does not show it; the pre-versioning docs said
    `201 Created` and the SDK accepts any 2xx, so both 200 and 201 are listed with the same
    schema. Re-check against a live response.

    Args:
        body (EvaluatorCreateRequest): Body of Create an evaluator. `name`, `type` and
            `score_value_type` are required per the
            docs (typed on the Replace page) and SDK 0.1.16-0.1.29; SDK 0.1.36+ requires only `name`
            (the backend then defaults `type` to `human`). Kept required here; re-check if relaxing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | Evaluator | RateLimitError | ValidationErrorBody
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: EvaluatorCreateRequest,
) -> Response[ErrorDetail | Evaluator | RateLimitError | ValidationErrorBody]:
    """Create an evaluator

     Create an evaluator (called a "grader" in Respan's agent tools). Current public evaluator
    types are `llm`, `human` and `code`; legacy human-specific types remain readable for older
    evaluators. Use the flat configuration fields (`score_config`, `passing_conditions`,
    `llm_config`, `code_config`) instead of the legacy `configurations`.

    A new evaluator starts as an editable draft (version 0, `is_read_only: false`); commit it
    with `POST /api/evaluators/{evaluator_id}/versions/`.

    Success status: the current page does not show it; the pre-versioning docs said
    `201 Created` and the SDK accepts any 2xx, so both 200 and 201 are listed with the same
    schema. Re-check against a live response.

    Args:
        body (EvaluatorCreateRequest): Body of Create an evaluator. `name`, `type` and
            `score_value_type` are required per the
            docs (typed on the Replace page) and SDK 0.1.16-0.1.29; SDK 0.1.36+ requires only `name`
            (the backend then defaults `type` to `human`). Kept required here; re-check if relaxing.

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
    body: EvaluatorCreateRequest,
) -> ErrorDetail | Evaluator | RateLimitError | ValidationErrorBody | None:
    """Create an evaluator

     Create an evaluator (called a "grader" in Respan's agent tools). Current public evaluator
    types are `llm`, `human` and `code`; legacy human-specific types remain readable for older
    evaluators. Use the flat configuration fields (`score_config`, `passing_conditions`,
    `llm_config`, `code_config`) instead of the legacy `configurations`.

    A new evaluator starts as an editable draft (version 0, `is_read_only: false`); commit it
    with `POST /api/evaluators/{evaluator_id}/versions/`.

    Success status: the current page does not show it; the pre-versioning docs said
    `201 Created` and the SDK accepts any 2xx, so both 200 and 201 are listed with the same
    schema. Re-check against a live response.

    Args:
        body (EvaluatorCreateRequest): Body of Create an evaluator. `name`, `type` and
            `score_value_type` are required per the
            docs (typed on the Replace page) and SDK 0.1.16-0.1.29; SDK 0.1.36+ requires only `name`
            (the backend then defaults `type` to `human`). Kept required here; re-check if relaxing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | Evaluator | RateLimitError | ValidationErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
