"""`python -m respan_evals.testing`: run the emulator (same flags as `respan-evals emulator`)."""

import sys

from .cli import main

sys.exit(main())
