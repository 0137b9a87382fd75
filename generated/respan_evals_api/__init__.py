"""A client library for accessing Respan Scores and Evaluators API"""

# Lazy (PEP 562): `respan_evals_api.facts` and `.resources` are read at start-up by the facade,
# which should not pay for attrs and the client classes before its first request.
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import client

        return getattr(client, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
