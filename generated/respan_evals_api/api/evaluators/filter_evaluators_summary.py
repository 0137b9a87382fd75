from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client, build_request
from ...models.evaluator_summary_filter_request import EvaluatorSummaryFilterRequest
from ...models.evaluators_summary import EvaluatorsSummary
from ...types import UNSET, Response, Unset

if TYPE_CHECKING:
    from ...models.error_detail import ErrorDetail
    from ...models.rate_limit_error import RateLimitError
    from ...models.validation_error_body import ValidationErrorBody


def _get_kwargs(
    *,
    body: EvaluatorSummaryFilterRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/evaluators/summary/",
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorDetail | EvaluatorsSummary | RateLimitError | ValidationErrorBody | None:
    if response.status_code == 200:
        response_200 = EvaluatorsSummary.from_dict(errors.read_json(response.content))

        return response_200

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
) -> Response[ErrorDetail | EvaluatorsSummary | RateLimitError | ValidationErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: EvaluatorSummaryFilterRequest | Unset = UNSET,
) -> Response[ErrorDetail | EvaluatorsSummary | RateLimitError | ValidationErrorBody]:
    """Get filtered evaluators summary

     Return the number of current draft/latest evaluators matching the filters (standard Respan
    filter format).

    Inferred: the docs page was not captured (sidebar entry only). Path, body and response come
    from SDK 0.1.16-0.1.46 and match the documented Testsets analog
    (`filters` -> `{total_count}`, errors 400/401).

    Args:
        body (EvaluatorSummaryFilterRequest | Unset): Body of Get filtered evaluators summary
            (from the SDK; no docs page captured).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | EvaluatorsSummary | RateLimitError | ValidationErrorBody]
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
    body: EvaluatorSummaryFilterRequest | Unset = UNSET,
) -> ErrorDetail | EvaluatorsSummary | RateLimitError | ValidationErrorBody | None:
    """Get filtered evaluators summary

     Return the number of current draft/latest evaluators matching the filters (standard Respan
    filter format).

    Inferred: the docs page was not captured (sidebar entry only). Path, body and response come
    from SDK 0.1.16-0.1.46 and match the documented Testsets analog
    (`filters` -> `{total_count}`, errors 400/401).

    Args:
        body (EvaluatorSummaryFilterRequest | Unset): Body of Get filtered evaluators summary
            (from the SDK; no docs page captured).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | EvaluatorsSummary | RateLimitError | ValidationErrorBody
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: EvaluatorSummaryFilterRequest | Unset = UNSET,
) -> Response[ErrorDetail | EvaluatorsSummary | RateLimitError | ValidationErrorBody]:
    """Get filtered evaluators summary

     Return the number of current draft/latest evaluators matching the filters (standard Respan
    filter format).

    Inferred: the docs page was not captured (sidebar entry only). Path, body and response come
    from SDK 0.1.16-0.1.46 and match the documented Testsets analog
    (`filters` -> `{total_count}`, errors 400/401).

    Args:
        body (EvaluatorSummaryFilterRequest | Unset): Body of Get filtered evaluators summary
            (from the SDK; no docs page captured).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | EvaluatorsSummary | RateLimitError | ValidationErrorBody]
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
    body: EvaluatorSummaryFilterRequest | Unset = UNSET,
) -> ErrorDetail | EvaluatorsSummary | RateLimitError | ValidationErrorBody | None:
    """Get filtered evaluators summary

     Return the number of current draft/latest evaluators matching the filters (standard Respan
    filter format).

    Inferred: the docs page was not captured (sidebar entry only). Path, body and response come
    from SDK 0.1.16-0.1.46 and match the documented Testsets analog
    (`filters` -> `{total_count}`, errors 400/401).

    Args:
        body (EvaluatorSummaryFilterRequest | Unset): Body of Get filtered evaluators summary
            (from the SDK; no docs page captured).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | EvaluatorsSummary | RateLimitError | ValidationErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
