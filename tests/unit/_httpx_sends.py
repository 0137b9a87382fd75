"""How often httpx.Client.send runs in a call: where httpx's per-request work starts."""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType

import httpx

__all__ = ["httpx_sends"]


def httpx_sends(call: Callable[[], object]) -> int:
    """How many times httpx.Client.send runs in `call` (watched, not replaced)."""
    code = httpx.Client.send.__code__
    runs = 0

    def profiler(frame: FrameType, event: str, arg: object) -> None:
        nonlocal runs
        if event == "call" and frame.f_code is code:
            runs += 1

    sys.setprofile(profiler)
    try:
        call()
    finally:
        sys.setprofile(None)
    return runs
