"""`python -m respan_evals.cli`."""

import sys

from . import main

sys.exit(main())
