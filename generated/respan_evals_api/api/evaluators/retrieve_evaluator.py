from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client, build_request
from ...models.evaluator import Evaluator
from ...types import Response

if TYPE_CHECKING:
    from ...models.error_detail import ErrorDetail
    from ...models.rate_limit_error import RateLimitError


def _get_kwargs(
    evaluator_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/evaluators/{evaluator_id}/".format(
            evaluator_id=quote(str(evaluator_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorDetail | Evaluator | RateLimitError | None:
    if response.status_code == 200:
        response_200 = Evaluator.from_dict(errors.read_json(response.content))

        return response_200

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
) -> Response[ErrorDetail | Evaluator | RateLimitError]:
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
) -> Response[ErrorDetail | Evaluator | RateLimitError]:
    """Retrieve an evaluator

     Retrieve the current draft/latest version of an evaluator, with full configuration
    (`score_config`, `passing_conditions`, `llm_config`, `code_config`).

    The current docs page was not captured; the path is confirmed by every SDK release and by
    Respan's MCP code, and the response fields by SDK 0.1.29/0.1.46. The example is from the
    old, pre-versioning page (hence no version fields and `eval_class: ""`).

    Args:
        evaluator_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | Evaluator | RateLimitError]
    """

    http = client.get_httpx_client()
    request = build_request(
        http,
        _get_kwargs(
            evaluator_id=evaluator_id,
        ),
    )

    response = http.send(request)

    return _build_response(client=client, response=response)


def sync(
    evaluator_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorDetail | Evaluator | RateLimitError | None:
    """Retrieve an evaluator

     Retrieve the current draft/latest version of an evaluator, with full configuration
    (`score_config`, `passing_conditions`, `llm_config`, `code_config`).

    The current docs page was not captured; the path is confirmed by every SDK release and by
    Respan's MCP code, and the response fields by SDK 0.1.29/0.1.46. The example is from the
    old, pre-versioning page (hence no version fields and `eval_class: ""`).

    Args:
        evaluator_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | Evaluator | RateLimitError
    """

    return sync_detailed(
        evaluator_id=evaluator_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    evaluator_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorDetail | Evaluator | RateLimitError]:
    """Retrieve an evaluator

     Retrieve the current draft/latest version of an evaluator, with full configuration
    (`score_config`, `passing_conditions`, `llm_config`, `code_config`).

    The current docs page was not captured; the path is confirmed by every SDK release and by
    Respan's MCP code, and the response fields by SDK 0.1.29/0.1.46. The example is from the
    old, pre-versioning page (hence no version fields and `eval_class: ""`).

    Args:
        evaluator_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | Evaluator | RateLimitError]
    """

    http = client.get_async_httpx_client()
    request = build_request(
        http,
        _get_kwargs(
            evaluator_id=evaluator_id,
        ),
    )

    response = await http.send(request)

    return _build_response(client=client, response=response)


async def asyncio(
    evaluator_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorDetail | Evaluator | RateLimitError | None:
    """Retrieve an evaluator

     Retrieve the current draft/latest version of an evaluator, with full configuration
    (`score_config`, `passing_conditions`, `llm_config`, `code_config`).

    The current docs page was not captured; the path is confirmed by every SDK release and by
    Respan's MCP code, and the response fields by SDK 0.1.29/0.1.46. The example is from the
    old, pre-versioning page (hence no version fields and `eval_class: ""`).

    Args:
        evaluator_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | Evaluator | RateLimitError
    """

    return (
        await asyncio_detailed(
            evaluator_id=evaluator_id,
            client=client,
        )
    ).parsed
