"""A backend that tries the plan's backends in order and never gives wrong labels silently.

Failure is normal on old drivers: a candidate that fails to initialise or load, fails on a
batch, or whose first batch disagrees with onnxruntime CPU on the same images, is dropped for
the rest of the process (a hung Vulkan driver must not be retried by the next job) and the batch
runs again on the next candidate. `on_drop(name, reason)` tells the user, in their language.
"""

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from engine.backends.agreement import compare, reference_variant
from engine.backends.base import Backend, BackendInfo, BackendUnavailable, Loader
from engine.backends.timebox import call_with_timeout, describe
from engine.i18n import _

log = logging.getLogger(__name__)
DropCallback = Callable[[str, str], None]
REFERENCE_NAME = "onnxruntime-cpu"

_dropped: dict[tuple[str, str], str] = {}
_dropped_lock = threading.Lock()


def dropped_in_session() -> dict[tuple[str, str], str]:
    """(backend, variant) -> reason, for everything dropped in this process so far."""
    with _dropped_lock:
        return dict(_dropped)


def forget_dropped() -> None:
    """Give dropped backends another chance (tests; a settings change such as a new driver)."""
    with _dropped_lock:
        _dropped.clear()


@dataclass(frozen=True)
class Candidate:
    name: str
    variant_id: str
    load: Loader


class AllBackendsFailed(BackendUnavailable):
    """Even the last candidate failed: nothing left to run the model on."""


class FallbackBackend:
    """Loads the first candidate that works; checks its first batch; moves on when it fails."""

    def __init__(
        self,
        candidates: Sequence[Candidate],
        reference: Callable[[str], Backend],
        on_drop: DropCallback | None = None,
        *,
        load_timeout: float = 120.0,
        first_batch_timeout: float = 300.0,
    ) -> None:
        self._queue = list(candidates)
        self._reference = reference
        self._references: dict[str, Backend] = {}
        self._on_drop = on_drop
        self._load_timeout = load_timeout
        self._batch_timeout = first_batch_timeout
        self._current: Backend | None = None
        self._candidate: Candidate | None = None
        self._checked = False
        self.drops: list[tuple[str, str]] = []
        self._advance()

    @property
    def info(self) -> BackendInfo:
        assert self._current is not None
        return self._current.info

    @property
    def candidate(self) -> Candidate | None:
        return self._candidate

    def _drop(self, candidate: Candidate, reason: str) -> None:
        with _dropped_lock:
            _dropped[(candidate.name, candidate.variant_id)] = reason
        self.drops.append((candidate.name, reason))
        log.warning("backend %s (%s) dropped: %s", candidate.name, candidate.variant_id, reason)
        if self._on_drop:
            self._on_drop(candidate.name, reason)
        closer = getattr(self._current, "close", None) if candidate is self._candidate else None
        if closer:
            try:
                closer()
            except Exception:  # noqa: BLE001 - already dropped; closing is best effort
                log.debug("closing %s failed", candidate.name, exc_info=True)

    def _advance(self) -> None:
        """Load the next candidate that starts; raise AllBackendsFailed when none is left."""
        self._current, self._candidate, self._checked = None, None, False
        while self._queue:
            candidate = self._queue.pop(0)
            earlier = dropped_in_session().get((candidate.name, candidate.variant_id))
            if earlier:
                self._drop(candidate, _("dropped earlier in this session: {reason}").format(
                    reason=earlier))  # fmt: skip
                continue
            try:
                what = _("starting {name}").format(name=candidate.name)
                backend = call_with_timeout(
                    candidate.name, what, candidate.load, self._load_timeout
                )
            except BackendUnavailable as error:
                self._drop(candidate, error.reason)
                continue
            self._current, self._candidate = backend, candidate
            self._checked = candidate.name == REFERENCE_NAME  # the reference needs no check
            return
        raise AllBackendsFailed("all", _("no backend could run the model"))

    def _reference_logits(self, variant_id: str, batch: np.ndarray) -> np.ndarray:
        wanted = reference_variant(variant_id)
        if wanted not in self._references:
            self._references[wanted] = self._reference(wanted)
        return self._references[wanted].run(batch)

    def _checked_run(self, candidate: Candidate, backend: Backend, batch: np.ndarray):
        what = _("the first batch on {name}").format(name=candidate.name)
        logits = call_with_timeout(
            candidate.name, what, lambda: backend.run(batch), self._batch_timeout
        )
        reference = self._reference_logits(candidate.variant_id, batch)
        agreement = compare(logits, reference, backend.info.precision)
        if not agreement.ok:
            raise BackendUnavailable(candidate.name, agreement.problem)
        log.info("%s agrees with the CPU: top-1 %.3f, max |d| %.3g", candidate.name,
                 agreement.top1, agreement.max_abs_diff)  # fmt: skip
        self._references.clear()  # free the reference session's memory
        return logits

    def run(self, batch: np.ndarray) -> np.ndarray:
        """Logits from the first candidate that runs this batch and (first time) agrees."""
        while True:
            candidate, backend = self._candidate, self._current
            assert candidate is not None and backend is not None
            try:
                if self._checked:
                    return backend.run(batch)
                logits = self._checked_run(candidate, backend, batch)
                self._checked = True
                return logits
            except BackendUnavailable as error:
                reason = error.reason
            except Exception as error:  # noqa: BLE001 - a runtime may raise anything
                reason = _("failed on a batch: {error}").format(error=describe(error))
            self._drop(candidate, reason)
            self._advance()
