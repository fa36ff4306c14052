"""The `ocelote` command's entry point: a stop (Ctrl+C, SIGTERM) at any moment ends it quietly.

Nothing heavy is imported here, so the handlers are in place before the first second of imports
(numpy, onnxruntime, the subcommands); the command itself is `engine.cli.main`.
Exit codes: 130 interrupted (Ctrl+C), 143 stopped by SIGTERM (128 + the signal's number).
"""

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

EXIT_INTERRUPTED = 128 + signal.SIGINT
EXIT_TERMINATED = 128 + signal.SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl+C raises KeyboardInterrupt, so both unwind the same way."""


def raise_terminated(_signum: int, _frame: FrameType | None) -> None:
    raise Terminated


def main(argv: list[str] | None = None, *, process: bool = False) -> int:
    """Run one command; the stop handlers it sets are put back when it returns, or, for the
    `ocelote` process itself (`process`), stops are ignored from then on: the command is over
    and its files are written, and a Ctrl+C during the interpreter's own shutdown (which puts
    the system's handler back) would otherwise end the process by the signal instead of with
    the command's exit code."""
    previous = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        with _deferred_stops() as asked:
            from engine.cli import main as cli_main  # numpy, onnxruntime...: seconds
        if asked:
            return stopped(Terminated() if asked[0] == signal.SIGTERM else KeyboardInterrupt())
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, raise_terminated)
        return cli_main(argv)
    except KeyboardInterrupt as stop:
        return stopped(stop)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_IGN if process else handler)


def run() -> None:
    """The `ocelote` process (console script, `python -m engine`)."""
    sys.exit(main(process=True))


@contextmanager
def _deferred_stops() -> Iterator[list[int]]:
    """While the modules load, a stop is only noted: raised inside a native module's
    initialisation (onnxruntime's), it would surface as an ImportError with a traceback."""
    asked: list[int] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda number, _frame: asked.append(number))
    yield asked


def stopped(stop: KeyboardInterrupt) -> int:
    """Say so, and the exit code for how the command was stopped."""
    try:
        from engine.i18n import _

        print(_("Interrupted."), file=sys.stderr)
    except (ImportError, KeyboardInterrupt):
        print("Interrupted.", file=sys.stderr)
    return EXIT_TERMINATED if isinstance(stop, Terminated) else EXIT_INTERRUPTED
