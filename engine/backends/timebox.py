"""Run driver calls that may hang or throw (Vulkan, OpenCL, GPU providers) under a time limit.

A hung driver thread cannot be killed from Python; it is left behind as a daemon thread and the
caller moves on. `usable_backends()` goes further and probes in a child process.
"""

import threading
from collections.abc import Callable
from typing import TypeVar

from engine.backends.base import BackendUnavailable
from engine.i18n import _

T = TypeVar("T")


def describe(error: BaseException) -> str:
    """One line from any exception: its type and first line, never a traceback."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def call_with_timeout(name: str, what: str, function: Callable[[], T], seconds: float) -> T:
    """`function()` or BackendUnavailable(name, readable reason) on error or after `seconds`."""
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = function()
        except BaseException as error:  # noqa: BLE001 - a driver may raise anything
            box["error"] = error

    thread = threading.Thread(target=target, name=f"ocelote-{name}-{what}", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise BackendUnavailable(
            name,
            _("{what} did not finish within {seconds:.0f} s (the driver may be hung)").format(
                what=what, seconds=seconds
            ),
        )
    if "error" in box:
        error = box["error"]
        if isinstance(error, BackendUnavailable):
            raise error
        raise BackendUnavailable(
            name, _("{what} failed: {error}").format(what=what, error=describe(error))
        ) from error  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]
