"""`python -m g2g_core`: the command line."""

import sys

from g2g_core.cli import main

sys.exit(main())
