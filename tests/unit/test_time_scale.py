"""RetryPolicy.time_scale: the same retry schedule with every wait scaled (1.0: real time)."""

from __future__ import annotations

import httpx
import pytest

from respan_evals._errors import APIStatusError, error_from_response
from respan_evals._retries import RetryPolicy, retry_delay


def _throttled(retry_after: str) -> APIStatusError:
    request = httpx.Request("POST", "https://api.respan.ai/api/scores/")
    response = httpx.Response(429, headers={"Retry-After": retry_after}, request=request)
    return error_from_response(response)


def test_the_default_is_real_time() -> None:
    assert RetryPolicy().time_scale == 1.0
    backoff = retry_delay(
        RetryPolicy(),
        attempt=1,
        error=httpx.ConnectError("x"),
        idempotent=False,
        random=lambda: 1.0,
    )
    assert backoff == 1.0  # 0.5 * 2**1


def test_backoff_and_the_servers_wait_are_scaled_alike() -> None:
    scaled = RetryPolicy(max_retries=9, time_scale=0.01)
    for attempt, real in ((0, 0.5), (1, 1.0), (5, 8.0)):  # the cap applies before the scale
        got = retry_delay(
            scaled, attempt=attempt, error=httpx.ConnectError("x"), idempotent=False,
            random=lambda: 1.0,
        )  # fmt: skip
        assert got == pytest.approx(real * 0.01)
    hinted = retry_delay(
        scaled, attempt=0, error=_throttled("30"), idempotent=False, random=lambda: 0
    )
    assert hinted == pytest.approx(0.3)


def test_the_longest_acceptable_wait_is_judged_in_real_seconds() -> None:
    scaled = RetryPolicy(time_scale=0.01, max_retry_after=60.0)
    error = _throttled("61")  # 0.61 s once scaled, still longer than the server may ask for
    assert retry_delay(scaled, attempt=0, error=error, idempotent=True, random=lambda: 0) is None


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf")])
def test_a_scale_that_is_not_a_positive_number_is_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="time_scale must be a positive number"):
        RetryPolicy(time_scale=bad)
