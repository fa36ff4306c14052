"""What a cluster run tells its listeners besides the plain job's events (no Ray needed here)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class WorkerInfo:
    """Who classified a batch, and with what plan (each machine picks its own)."""

    host: str
    pid: int
    backend: str
    device: str
    variant: str
    batch_size: int
    threads: int


@dataclass(frozen=True)
class WorkerSeen:
    """Event: a worker of the cluster sent its first batch (the CLI names it and its plan)."""

    worker: WorkerInfo
