"""RESPAN_LOG: the `respan_evals` logger's output on stderr, turned on by the environment.

    RESPAN_LOG=debug python app.py   # every request: method, path, status, attempt, elapsed
    RESPAN_LOG=info python app.py    # only retries and requests that failed

Read once, when `respan_evals` is imported. Lines name the method and the path only (never the
query string, a header or a body), and anything shaped like a credential is masked besides. Any
other value is ignored, with one warning. Without the variable nothing is configured: the
logger stays silent unless the application sets up logging itself.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from collections.abc import Mapping

from ._errors import _redact

__all__ = [
    "ENV_VAR",
    "HANDLER_NAME",
    "LEVELS",
    "configure_from_env",
    "env_handler",
    "remove_env_handler",
]

# The name of the handler RESPAN_LOG attaches to the `respan_evals` logger (logging's own API:
# `handler.get_name()`), documented so that code can find it without this module.
HANDLER_NAME = "RESPAN_LOG"

ENV_VAR = "RESPAN_LOG"
LEVELS: Mapping[str, int] = {"debug": logging.DEBUG, "info": logging.INFO}
FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"

_LOGGER = logging.getLogger("respan_evals")
_handler: logging.Handler | None = None
_warned = False


class _StderrHandler(logging.Handler):
    """Writes to whatever sys.stderr is at the time (pytest and the CLI swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(_redact(self.format(record)) + "\n")
        except Exception:  # logging must never break the request it describes
            self.handleError(record)


def configure_from_env(environ: Mapping[str, str] = os.environ) -> logging.Handler | None:
    """Attach the stderr handler at the level RESPAN_LOG names; the handler, or None."""
    global _handler, _warned
    value = environ.get(ENV_VAR, "").strip().lower()
    if not value:
        return None
    level = LEVELS.get(value)
    if level is None:
        if not _warned:
            _warned = True
            warnings.warn(
                f"{ENV_VAR}={value[:40]!r} is not one of {', '.join(LEVELS)}: ignored",
                RuntimeWarning,
                stacklevel=2,
            )
        return None
    if _handler is None:
        _handler = _StderrHandler()
        _handler.set_name(HANDLER_NAME)  # how an app (or the CLI) finds it to take it off
        _handler.setFormatter(logging.Formatter(FORMAT))
    if _handler not in _LOGGER.handlers:  # new, or taken off by its name since
        _LOGGER.addHandler(_handler)
    _handler.setLevel(level)
    _LOGGER.setLevel(level)
    return _handler


def env_handler() -> logging.Handler | None:
    """The handler RESPAN_LOG attached, if any."""
    return _handler


def remove_env_handler() -> None:
    """Detach RESPAN_LOG's handler (the CLI's --verbose brings its own)."""
    global _handler
    if _handler is not None:
        _LOGGER.removeHandler(_handler)
        _handler = None
