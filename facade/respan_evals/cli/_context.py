"""What every command shares: the global options, the client they make, and CliError."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from respan_evals import Respan

from ._output import Output

__all__ = ["DEFAULT_BASE_URL", "CliError", "Settings"]

DEFAULT_BASE_URL = "https://api.respan.ai"
API_KEY_ENV = "RESPAN_API_KEY"
BASE_URL_ENV = "RESPAN_BASE_URL"


class CliError(Exception):
    """A failure the user can act on: printed as one `error:` line, exit code `exit_code`."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class Settings:
    """The global options, resolved (flags first, then the environment)."""

    api_key: str | None = None
    base_url: str | None = None
    rate_limit: float | None = 60.0  # requests per minute; None: no pacing
    max_retries: int = 2
    verbose: bool = False
    output: Output = field(default_factory=Output)
    argv: list[str] = field(default_factory=list)  # as given, for "run this again" hints

    @property
    def resolved_base_url(self) -> str:
        return (self.base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")

    def resolved_api_key(self) -> str:
        """The key (flag, then environment); CliError without one."""
        key = self.api_key or os.environ.get(API_KEY_ENV)
        if not key:
            raise CliError(f"no API key: pass --api-key or set {API_KEY_ENV}", exit_code=2)
        self.output.add_secret(key)
        return key

    def client(self) -> Respan:
        """A client for the API; needs a key."""
        key = self.resolved_api_key()
        return Respan(
            api_key=key,
            base_url=self.resolved_base_url,
            rate_limit=self.rate_limit,
            max_retries=self.max_retries,
        )
