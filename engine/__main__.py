"""`python -m engine` is the `ocelote` command."""

import sys

from engine.launch import main

if __name__ == "__main__":
    sys.exit(main())
