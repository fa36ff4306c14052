"""The `ocelote` command's entry point: a stop (Ctrl+C, SIGTERM) at any moment ends it quietly.

Nothing heavy is imported here, so the handlers are in place before the first second of imports
(numpy, onnxruntime, the subcommands); the command itself is `engine.cli.main`.
Exit codes: 130 interrupted (Ctrl+C), 143 stopped by SIGTERM (128 + the signal's number).
"""

import signal
import sys
from types import FrameType

EXIT_INTERRUPTED = 128 + signal.SIGINT
EXIT_TERMINATED = 128 + signal.SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl+C raises KeyboardInterrupt, so both unwind the same way."""


def raise_terminated(_signum: int, _frame: FrameType | None) -> None:
    raise Terminated


def main(argv: list[str] | None = None) -> int:
    previous = signal.signal(signal.SIGTERM, raise_terminated)
    try:
        from engine.cli import main as cli_main

        return cli_main(argv)
    except KeyboardInterrupt as stop:
        return stopped(stop)
    finally:
        signal.signal(signal.SIGTERM, previous)


def stopped(stop: KeyboardInterrupt) -> int:
    """Say so, and the exit code for how the command was stopped."""
    try:
        from engine.i18n import _

        print(_("Interrupted."), file=sys.stderr)
    except (ImportError, KeyboardInterrupt):
        print("Interrupted.", file=sys.stderr)
    return EXIT_TERMINATED if isinstance(stop, Terminated) else EXIT_INTERRUPTED
