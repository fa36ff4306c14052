"""The one protocol every inference runtime adapter follows."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class BackendInfo:
    """What ran the model, in words a technician can check."""

    name: str
    device: str
    precision: str


class Backend(Protocol):
    """Loaded once per job and reused for every batch (session creation is the slow part)."""

    info: BackendInfo

    def run(self, batch: np.ndarray) -> np.ndarray:
        """Logits of shape (n, classes) for a float32 (n, 3, size, size) batch."""
        ...


class BackendUnavailable(Exception):
    """A backend cannot run here; `reason` is a sentence a technician can read (translated)."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


Loader = Callable[[], Backend]
"""Creates a backend or raises BackendUnavailable; called lazily so failures stay contained."""
