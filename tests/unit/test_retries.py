"""What is retried, after how long, and whether a failed write may have been applied."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from respan_evals._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    RespanValidationError,
    error_from_response,
    error_from_transport,
)
from respan_evals._retries import (
    Failure,
    RetryPolicy,
    classify,
    is_idempotent,
    may_have_been_applied,
    retry_delay,
)

POLICY = RetryPolicy()
REQUEST = httpx.Request("POST", "https://api.respan.ai/api/scores/")


def status_error(
    status: int, body: object = None, headers: dict[str, str] | None = None
) -> APIStatusError:
    resp = httpx.Response(status, json=body, headers=headers, request=REQUEST)
    return error_from_response(resp)


def wrapped(exc: httpx.TransportError) -> APIConnectionError:
    """What the client raises: the facade's error, `from` the httpx one."""
    exc.request = REQUEST
    try:
        raise error_from_transport(exc) from exc
    except APIConnectionError as e:
        return e


CLASSIFIED: list[tuple[str, BaseException, Failure]] = [
    ("ConnectError", httpx.ConnectError("refused"), Failure.NOT_SENT),
    ("ConnectTimeout", httpx.ConnectTimeout("slow"), Failure.NOT_SENT),
    ("PoolTimeout", httpx.PoolTimeout("busy"), Failure.NOT_SENT),
    ("ReadTimeout", httpx.ReadTimeout("slow"), Failure.MAYBE_APPLIED),
    ("WriteTimeout", httpx.WriteTimeout("slow"), Failure.MAYBE_APPLIED),
    ("ReadError", httpx.ReadError("reset"), Failure.MAYBE_APPLIED),
    ("WriteError", httpx.WriteError("broken pipe"), Failure.MAYBE_APPLIED),
    ("RemoteProtocolError", httpx.RemoteProtocolError("eof"), Failure.MAYBE_APPLIED),
    ("ProxyError", httpx.ProxyError("proxy"), Failure.MAYBE_APPLIED),
    ("UnsupportedProtocol", httpx.UnsupportedProtocol("ftp"), Failure.FINAL),
    ("wrapped ConnectError", wrapped(httpx.ConnectError("refused")), Failure.NOT_SENT),
    ("wrapped PoolTimeout", wrapped(httpx.PoolTimeout("busy")), Failure.NOT_SENT),
    ("wrapped ReadTimeout", wrapped(httpx.ReadTimeout("slow")), Failure.MAYBE_APPLIED),
    ("bare APIConnectionError", APIConnectionError(request=None), Failure.MAYBE_APPLIED),
    ("bare APITimeoutError", APITimeoutError(request=None), Failure.MAYBE_APPLIED),
    ("429", status_error(429, {"detail": "Rate limit exceeded"}), Failure.THROTTLED),
    ("408", status_error(408), Failure.MAYBE_APPLIED),
    ("500", status_error(500), Failure.MAYBE_APPLIED),
    ("502", status_error(502), Failure.MAYBE_APPLIED),
    ("503", status_error(503), Failure.MAYBE_APPLIED),
    ("504", status_error(504), Failure.MAYBE_APPLIED),
    ("400", status_error(400), Failure.FINAL),
    ("401", status_error(401), Failure.FINAL),
    ("403", status_error(403), Failure.FINAL),
    ("404", status_error(404), Failure.FINAL),
    ("409", status_error(409), Failure.FINAL),
    ("422", status_error(422), Failure.FINAL),
    (
        "unreadable 2xx",
        APIResponseValidationError(httpx.Response(200, request=REQUEST), "not JSON"),
        Failure.UNREADABLE,
    ),
    ("client-side validation", RespanValidationError("bad"), Failure.FINAL),
    ("unknown error", KeyError("x"), Failure.FINAL),
]


@pytest.mark.parametrize(
    ("error", "failure"), [c[1:] for c in CLASSIFIED], ids=[c[0] for c in CLASSIFIED]
)
def test_classify(error: BaseException, failure: Failure) -> None:
    assert classify(error) is failure


RETRIED = {Failure.NOT_SENT: (True, True), Failure.THROTTLED: (True, True)}
RETRIED |= {Failure.MAYBE_APPLIED: (True, False), Failure.UNREADABLE: (False, False)}
RETRIED |= {Failure.FINAL: (False, False)}


@pytest.mark.parametrize(
    ("error", "failure"), [c[1:] for c in CLASSIFIED], ids=[c[0] for c in CLASSIFIED]
)
@pytest.mark.parametrize("idempotent", [True, False])
def test_what_is_retried(error: BaseException, failure: Failure, idempotent: bool) -> None:
    delay = retry_delay(POLICY, attempt=0, error=error, idempotent=idempotent, random=lambda: 0.0)
    retried_if_idempotent, retried_otherwise = RETRIED[failure]
    assert (delay is not None) == (retried_if_idempotent if idempotent else retried_otherwise)


@pytest.mark.parametrize(
    ("error", "failure"), [c[1:] for c in CLASSIFIED], ids=[c[0] for c in CLASSIFIED]
)
def test_may_have_been_applied(error: BaseException, failure: Failure) -> None:
    expected = failure in (Failure.MAYBE_APPLIED, Failure.UNREADABLE)
    assert may_have_been_applied(error) is expected


@pytest.mark.parametrize(
    ("attempt", "rand", "expected"),
    [
        (0, 0.0, 0.25),
        (0, 0.5, 0.375),
        (0, 0.999, 0.49975),
        (1, 0.0, 0.5),
        (2, 0.0, 1.0),
        (3, 0.0, 2.0),
        (4, 1.0, 8.0),
        (5, 0.0, 4.0),  # capped at max_delay before jitter
        (30, 0.5, 6.0),
    ],
)
def test_backoff_with_jitter(attempt: int, rand: float, expected: float) -> None:
    policy = RetryPolicy(max_retries=100)
    error = httpx.ConnectError("refused")
    delay = retry_delay(policy, attempt=attempt, error=error, idempotent=True, random=lambda: rand)
    assert delay == pytest.approx(expected)


@given(attempt=st.integers(0, 50), rand=st.floats(0.0, 1.0, exclude_max=True))
def test_backoff_stays_within_bounds(attempt: int, rand: float) -> None:
    policy = RetryPolicy(max_retries=100)
    error = httpx.ConnectError("refused")
    delay = retry_delay(policy, attempt=attempt, error=error, idempotent=False, random=lambda: rand)
    assert delay is not None
    full = min(policy.max_delay, policy.base_delay * 2**attempt)
    assert 0.5 * full <= delay <= full


@pytest.mark.parametrize(
    ("max_retries", "attempt", "retried"),
    [(2, 0, True), (2, 1, True), (2, 2, False), (2, 3, False), (0, 0, False), (5, 4, True)],
)
def test_never_beyond_max_retries(max_retries: int, attempt: int, retried: bool) -> None:
    policy = RetryPolicy(max_retries=max_retries)
    error = httpx.ConnectError("refused")
    delay = retry_delay(policy, attempt=attempt, error=error, idempotent=True, random=lambda: 0.0)
    assert (delay is not None) is retried


@pytest.mark.parametrize(
    ("status", "body", "headers", "idempotent", "expected"),
    [
        (429, {"detail": "Rate limit exceeded", "retry_after": 30}, {}, False, 30.0),
        (429, {"detail": "Rate limit exceeded", "retry_after": 0}, {}, False, 0.0),
        (429, {"detail": "Rate limit exceeded", "retry_after": 60}, {}, False, 60.0),
        (429, {"detail": "Rate limit exceeded", "retry_after": 61}, {}, False, None),
        (429, {"detail": "Rate limit exceeded"}, {"Retry-After": "12"}, False, 12.0),
        (429, {"detail": "Rate limit exceeded"}, {"Retry-After": "3600"}, True, None),
        (429, {"detail": "Rate limit exceeded"}, {}, False, 0.25),  # no hint: backoff
        (503, {"detail": "down"}, {"Retry-After": "5"}, True, 5.0),
        (503, {"detail": "down"}, {"Retry-After": "5"}, False, None),  # not idempotent
        (500, {"detail": "boom"}, {}, True, 0.25),
        (400, {"detail": "bad"}, {"Retry-After": "1"}, True, None),
    ],
)
def test_server_hint_first_and_capped(
    status: int, body: object, headers: dict[str, str], idempotent: bool, expected: float | None
) -> None:
    error = status_error(status, body, headers)
    delay = retry_delay(POLICY, attempt=0, error=error, idempotent=idempotent, random=lambda: 0.0)
    assert delay == expected


def test_hint_is_honoured_on_later_attempts_too() -> None:
    error = status_error(429, {"retry_after": 7})
    assert retry_delay(POLICY, attempt=1, error=error, idempotent=False, random=lambda: 0) == 7.0


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("GET", True),
        ("get", True),
        ("HEAD", True),
        ("OPTIONS", True),
        ("PUT", True),
        ("PATCH", True),
        ("DELETE", True),
        ("POST", False),  # only the spec can say a POST repeats (respan_evals._operations)
        ("post", False),
        ("TRACE", False),
        ("CONNECT", False),
    ],
)
def test_is_idempotent_by_http_semantics(method: str, expected: bool) -> None:
    assert is_idempotent(method) is expected


def test_policy_defaults() -> None:
    assert RetryPolicy() == RetryPolicy(
        max_retries=2, base_delay=0.5, max_delay=8.0, max_retry_after=60.0
    )
    with pytest.raises(AttributeError):
        POLICY.max_retries = 5  # type: ignore[misc]


def test_earlier_attempt_may_have_applied_reads_the_response_extension() -> None:
    from respan_evals._retries import EARLIER_ATTEMPT, earlier_attempt_may_have_applied

    assert earlier_attempt_may_have_applied(httpx.Response(200, extensions={EARLIER_ATTEMPT: True}))
    assert not earlier_attempt_may_have_applied(httpx.Response(200))
    assert not earlier_attempt_may_have_applied(None)
