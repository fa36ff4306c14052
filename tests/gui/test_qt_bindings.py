"""The Qt bindings themselves: a release that corrupts Python objects must not slip in."""

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    flag = Signal(bool)
    anything = Signal(object)


def test_emitting_booleans_keeps_their_reference_counts(qapp):
    emitter = _Emitter()
    received: list[object] = []
    emitter.flag.connect(received.append)
    emitter.anything.connect(received.append)
    before = sys.getrefcount(True)
    for _ in range(50):
        emitter.flag.emit(True)
        emitter.anything.emit(True)
    received.clear()
    assert sys.getrefcount(True) >= before, "PySide6 drops references to True on emit"
