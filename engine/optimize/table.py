"""The evaluation table as text, for the CLI (the GUI shows the same figures in a table)."""

from __future__ import annotations

from engine.i18n import _, fmt_number
from engine.optimize.evaluate import Evaluation
from engine.optimize.make import Candidate


def _mb(count: int) -> str:
    return fmt_number(count / 2**20, 1)


def _percent(value: float | None) -> str:
    return "-" if value is None else fmt_number(value * 100, 1) + " %"


def _row(name: str, ev: Evaluation) -> str:
    cpu = ev.speed()
    return (
        f"{name:22} {_mb(ev.file_bytes):>8} {_mb(ev.zipped_bytes):>8} "
        f"{fmt_number(ev.parameters):>11} {_percent(ev.agreement):>9} "
        f"{_percent(ev.accuracy_on_reviewed):>9} {_mb(ev.peak_memory_bytes):>8} "
        f"{fmt_number(cpu, 1) if cpu is not None else '-':>8}"
    )


def format_candidate(candidate: Candidate) -> str:
    """Original and variant side by side, every figure measured on this PC, then the notes."""
    head = (
        f"{_('variant'):22} {_('MB'):>8} {_('zip MB'):>8} {_('parameters'):>11} "
        f"{_('agrees'):>9} {_('accuracy'):>9} {_('RAM MB'):>8} {_('img/s'):>8}"
    )
    lines = [
        head,
        _row(candidate.made_from, candidate.original),
        _row(candidate.variant_id, candidate.evaluation),
        _(
            "Agreement: same top-1 answer as {source} on {count} of your photos; "
            "accuracy: on the photos you reviewed ({reviewed}); img/s: onnxruntime CPU."
        ).format(
            source=candidate.made_from,
            count=candidate.evaluation.images,
            reviewed=candidate.evaluation.reviewed_images,
        ),
    ]
    for speed in candidate.evaluation.speeds[1:]:
        lines.append(f"  {speed.backend}: {fmt_number(speed.images_per_second, 1)} img/s")
    if candidate.protected:
        lines.append(
            _("Protected layers (pruning them alone hurt most): {names}").format(
                names=", ".join(candidate.protected)
            )
        )
    lines += [f"* {note}" for note in candidate.evaluation.notes]
    return "\n".join(lines)
