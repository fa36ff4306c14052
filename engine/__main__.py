"""`python -m engine` is the `ocelote` command."""

import sys

from engine.cli import main

sys.exit(main())
