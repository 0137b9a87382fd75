from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client, build_request
from ...models.evaluator_filter_request import EvaluatorFilterRequest
from ...models.paginated_evaluator_list import PaginatedEvaluatorList
from ...types import UNSET, Response, Unset

if TYPE_CHECKING:
    from ...models.error_detail import ErrorDetail
    from ...models.rate_limit_error import RateLimitError
    from ...models.validation_error_body import ValidationErrorBody


def _get_kwargs(
    *,
    body: EvaluatorFilterRequest | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    sort_by: str | Unset = UNSET,
    is_including_public_evaluators: bool | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["page"] = page

    params["page_size"] = page_size

    params["sort_by"] = sort_by

    params["is_including_public_evaluators"] = is_including_public_evaluators

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/evaluators/list/",
        "params": params,
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorDetail | PaginatedEvaluatorList | RateLimitError | ValidationErrorBody | None:
    if response.status_code == 200:
        response_200 = PaginatedEvaluatorList.from_dict(
            errors.read_json(response.content)
        )

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
) -> Response[
    ErrorDetail | PaginatedEvaluatorList | RateLimitError | ValidationErrorBody
]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: EvaluatorFilterRequest | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    sort_by: str | Unset = UNSET,
    is_including_public_evaluators: bool | Unset = UNSET,
) -> Response[
    ErrorDetail | PaginatedEvaluatorList | RateLimitError | ValidationErrorBody
]:
    """List evaluators with filters

     List evaluators using POST-for-filtering. Returns only the current draft/latest version of
    each evaluator and includes filter metadata (`filters_data`) for dashboard clients.

    Filters use the standard Respan filter format. Fields reported to work, by a comment in old
    agent-tool code (Keywords AI's MCP server, `grader_list`; not the docs, not the SDK):
    `name` (`icontains`), `score_value_type` (`""`), `starred` (`""`). The same comment says a
    filter on a field that does not exist on the model makes the server drop ALL filters and
    return the unfiltered list. Re-check both against the live API.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        sort_by (str | Unset):
        is_including_public_evaluators (bool | Unset):
        body (EvaluatorFilterRequest | Unset): Body of List evaluators with filters. `{}` lists
            everything.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | PaginatedEvaluatorList | RateLimitError | ValidationErrorBody]
    """

    http = client.get_httpx_client()
    try:
        request = build_request(
            http,
            _get_kwargs(
                body=body,
                page=page,
                page_size=page_size,
                sort_by=sort_by,
                is_including_public_evaluators=is_including_public_evaluators,
            ),
        )
    except (TypeError, ValueError, AttributeError, RecursionError) as e:
        raise errors.UnencodableBody(type(body).__name__, e) from e

    response = http.send(request)

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: EvaluatorFilterRequest | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    sort_by: str | Unset = UNSET,
    is_including_public_evaluators: bool | Unset = UNSET,
) -> ErrorDetail | PaginatedEvaluatorList | RateLimitError | ValidationErrorBody | None:
    """List evaluators with filters

     List evaluators using POST-for-filtering. Returns only the current draft/latest version of
    each evaluator and includes filter metadata (`filters_data`) for dashboard clients.

    Filters use the standard Respan filter format. Fields reported to work, by a comment in old
    agent-tool code (Keywords AI's MCP server, `grader_list`; not the docs, not the SDK):
    `name` (`icontains`), `score_value_type` (`""`), `starred` (`""`). The same comment says a
    filter on a field that does not exist on the model makes the server drop ALL filters and
    return the unfiltered list. Re-check both against the live API.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        sort_by (str | Unset):
        is_including_public_evaluators (bool | Unset):
        body (EvaluatorFilterRequest | Unset): Body of List evaluators with filters. `{}` lists
            everything.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | PaginatedEvaluatorList | RateLimitError | ValidationErrorBody
    """

    return sync_detailed(
        client=client,
        body=body,
        page=page,
        page_size=page_size,
        sort_by=sort_by,
        is_including_public_evaluators=is_including_public_evaluators,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: EvaluatorFilterRequest | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    sort_by: str | Unset = UNSET,
    is_including_public_evaluators: bool | Unset = UNSET,
) -> Response[
    ErrorDetail | PaginatedEvaluatorList | RateLimitError | ValidationErrorBody
]:
    """List evaluators with filters

     List evaluators using POST-for-filtering. Returns only the current draft/latest version of
    each evaluator and includes filter metadata (`filters_data`) for dashboard clients.

    Filters use the standard Respan filter format. Fields reported to work, by a comment in old
    agent-tool code (Keywords AI's MCP server, `grader_list`; not the docs, not the SDK):
    `name` (`icontains`), `score_value_type` (`""`), `starred` (`""`). The same comment says a
    filter on a field that does not exist on the model makes the server drop ALL filters and
    return the unfiltered list. Re-check both against the live API.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        sort_by (str | Unset):
        is_including_public_evaluators (bool | Unset):
        body (EvaluatorFilterRequest | Unset): Body of List evaluators with filters. `{}` lists
            everything.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | PaginatedEvaluatorList | RateLimitError | ValidationErrorBody]
    """

    http = client.get_async_httpx_client()
    try:
        request = build_request(
            http,
            _get_kwargs(
                body=body,
                page=page,
                page_size=page_size,
                sort_by=sort_by,
                is_including_public_evaluators=is_including_public_evaluators,
            ),
        )
    except (TypeError, ValueError, AttributeError, RecursionError) as e:
        raise errors.UnencodableBody(type(body).__name__, e) from e

    response = await http.send(request)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: EvaluatorFilterRequest | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    sort_by: str | Unset = UNSET,
    is_including_public_evaluators: bool | Unset = UNSET,
) -> ErrorDetail | PaginatedEvaluatorList | RateLimitError | ValidationErrorBody | None:
    """List evaluators with filters

     List evaluators using POST-for-filtering. Returns only the current draft/latest version of
    each evaluator and includes filter metadata (`filters_data`) for dashboard clients.

    Filters use the standard Respan filter format. Fields reported to work, by a comment in old
    agent-tool code (Keywords AI's MCP server, `grader_list`; not the docs, not the SDK):
    `name` (`icontains`), `score_value_type` (`""`), `starred` (`""`). The same comment says a
    filter on a field that does not exist on the model makes the server drop ALL filters and
    return the unfiltered list. Re-check both against the live API.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        sort_by (str | Unset):
        is_including_public_evaluators (bool | Unset):
        body (EvaluatorFilterRequest | Unset): Body of List evaluators with filters. `{}` lists
            everything.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | PaginatedEvaluatorList | RateLimitError | ValidationErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            page=page,
            page_size=page_size,
            sort_by=sort_by,
            is_including_public_evaluators=is_including_public_evaluators,
        )
    ).parsed
