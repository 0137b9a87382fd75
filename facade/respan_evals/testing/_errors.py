"""The emulator's error answers: an HTTP status with a JSON body, raised by the store and rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["ApiError", "EmulatorBug", "field_error", "not_found"]


class ApiError(Exception):
    """An HTTP error answer: status and JSON body."""

    def __init__(self, status: int, body: Mapping[str, Any]) -> None:
        super().__init__(f"{status}: {body}")
        self.status = status
        self.body = dict(body)


class EmulatorBug(Exception):
    """The emulator cannot answer as the spec says (e.g. a required property it cannot fill)."""


def field_error(field_name: str, message: str, *, detail: str | None = None) -> ApiError:
    return ApiError(400, {"detail": detail or message, "errors": {field_name: [message]}})


def not_found(what: str = "Not found.") -> ApiError:
    return ApiError(404, {"detail": what})
