"""The one protocol every inference runtime adapter follows."""

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
