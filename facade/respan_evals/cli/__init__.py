"""The `respan-evals` command: import and export scores, manage evaluators, run the demo.

Needs the `cli` extra (click, rich; PyYAML for YAML files): `pip install 'respan-evals[cli]'`.
Importing this package does not import them; `main()` does, and says how to install them when
they are missing. `import respan_evals` never imports this package.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["INSTALL_HINT", "main"]

INSTALL_HINT = (
    "respan-evals: the command needs its extra dependencies: pip install 'respan-evals[cli]'"
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with `argv` (default: sys.argv[1:]); returns the exit code."""
    try:
        import click  # noqa: F401
        import rich  # noqa: F401
    except ImportError:
        from respan_evals.testing.cli import EXIT_MISSING_EXTRA  # argparse and os only

        sys.stderr.write(INSTALL_HINT + "\n")
        return EXIT_MISSING_EXTRA
    from ._app import run

    return run(argv)
