"""What runs once the job has classified every file: the motion step, then the events.

Kept out of `engine/pipeline/job.py`, which calls `after_job` once; the motion step needs all
of a camera's frames, the events need every file's answer.
"""

from collections.abc import Callable
from pathlib import Path

from engine.backends.base import Backend
from engine.events.refresh import EventSettings, refresh_events
from engine.models.card import ModelCard
from engine.motion.stage import MotionPass, MotionReport


def after_job(
    db_path: Path,
    source: Path,
    card: ModelCard,
    backend: Backend,
    motion: bool,
    batch: int,
    threads: int | None,
    cancelled: Callable[[], bool],
    events: EventSettings | None = None,
) -> MotionReport | None:
    """Run the motion step (when asked) and rebuild the events; the motion report or None."""
    report = None
    if motion and not cancelled():
        report = MotionPass(
            db_path, source, card, backend, batch=batch, threads=threads, cancelled=cancelled
        ).run()
    if not cancelled():
        refresh_events(db_path, events or EventSettings())
    return report
