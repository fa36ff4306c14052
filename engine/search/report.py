"""Training and search results as text for a terminal, in the user's language and number format."""

from __future__ import annotations

from engine.i18n import _, fmt_duration, fmt_number, language
from engine.search.dataset import Dataset, class_names
from engine.search.head import Metrics
from engine.search.nas import SearchResult
from engine.search.pareto import Point

NAME_WIDTH = 18


def _pct(value: float) -> str:
    return f"{fmt_number(100 * value, 1)} %"


def _columns(*cells: tuple[str, int]) -> str:
    """A header row: positive width pads right (text columns), negative pads left (numbers)."""
    return "  " + " ".join(t.ljust(w) if w > 0 else t.rjust(-w) for t, w in cells)


def _names(dataset: Dataset) -> list[str]:
    names = class_names(dataset, language())
    return [names[info.key][:NAME_WIDTH] for info in dataset.classes]


def counts_text(dataset: Dataset, min_count: int) -> str:
    lines = [_("Photos per class:")]
    for name, info in zip(_names(dataset), dataset.classes, strict=True):
        flag = "  " + _("(too few: left out)") if info.count < min_count else ""
        lines.append(f"  {name:<{NAME_WIDTH}} {fmt_number(info.count):>7}{flag}")
    return "\n".join(lines)


def accuracy_line(metrics: Metrics) -> str:
    """Accuracy beside the majority class: 90 % means little when 90 % of photos are empty."""
    text = _(
        "Cross-validated accuracy: {accuracy} ({folds} folds); always the largest class: {base}"
    )
    line = text.format(
        accuracy=_pct(metrics.accuracy), folds=metrics.folds, base=_pct(metrics.majority)
    )
    if metrics.duplicates:
        line += " " + _(
            "{count} photos are copies of others: each stayed in its original's fold."
        ).format(count=fmt_number(metrics.duplicates))
    return line


def metrics_text(dataset: Dataset, metrics: Metrics) -> str:
    """Accuracy against the majority class, per-class precision/recall, the confusion matrix."""
    lines = [
        accuracy_line(metrics),
        "",
        _columns(
            (_("class"), NAME_WIDTH), (_("photos"), -7), (_("precision"), -10), (_("recall"), -10)
        ),
    ]  # fmt: skip
    names = _names(dataset)
    for row, name in enumerate(names):
        lines.append(
            f"  {name:<{NAME_WIDTH}} {fmt_number(int(metrics.support[row])):>7}"
            f" {_pct(metrics.precision[row]):>10} {_pct(metrics.recall[row]):>10}"
        )
    lines += ["", _("Confusion matrix (rows: true class, columns: predicted):")]
    lines.append(" " * (NAME_WIDTH + 3) + " ".join(f"{i + 1:>5}" for i in range(len(names))))
    for row, name in enumerate(names):
        cells = " ".join(f"{fmt_number(int(v)):>5}" for v in metrics.confusion[row])
        lines.append(f"{row + 1:>2} {name:<{NAME_WIDTH}}{cells}")
    return "\n".join(lines)


def _point_line(point: Point, marker: str) -> str:
    return (
        f"{marker} {point.arch.label():<24} {point.head.label():<14} {_pct(point.accuracy):>9}"
        f" {fmt_number(point.images_per_s, 1):>8} {fmt_number(point.photos_per_hour):>10}"
    )


def front_text(result: SearchResult) -> str:
    """Every measured point, the front marked with *, the recommendation with >."""
    header = _columns(
        (_("architecture"), 24), (_("head"), 14), (_("accuracy"), -9),
        (_("images/s"), -8), (_("photos/h"), -10),
    )  # fmt: skip
    lines = [
        _("Measured {count} architectures on every photo in {time} (budget {budget}).").format(
            count=len(result.points),
            time=fmt_duration(result.seconds),
            budget=fmt_duration(result.budget_s),
        ),
        header,
    ]
    for point in sorted(result.points, key=lambda p: -p.images_per_s):
        marker = ">" if point == result.recommended else "*" if point in result.front else " "
        lines.append(_point_line(point, marker))
    lines.append(_("* Pareto front   > recommended"))
    if result.recommended is not None and not result.meets_speed:
        lines.append(_("No architecture reached the speed asked for; the fastest is recommended."))
    return "\n".join(lines)
