"""The stop flag of a bulk run, seen by its worker threads (and by the transport they send through).

Its own module, importing nothing of the facade: `_bulk` sets it and `_transport` reads it.
"""

from __future__ import annotations

import threading
from contextvars import ContextVar

__all__ = ["STOP", "current_stop"]

STOP: ContextVar[threading.Event | None] = ContextVar("respan_evals_bulk_stop", default=None)


def current_stop() -> threading.Event | None:
    """The stop flag of the bulk run this thread works for (None outside one).

    Set once the run is abandoned: a worker about to send checks it and does not send.
    """
    return STOP.get()
