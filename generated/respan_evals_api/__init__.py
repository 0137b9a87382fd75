"""A client library for accessing Respan Scores and Evaluators API"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
