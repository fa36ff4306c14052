"""The evaluation in words (translated, numbers through babel) and as JSON."""

import json
from dataclasses import asdict

from engine.evaluate.metrics import Scores
from engine.evaluate.run import WAYS, Evaluation
from engine.i18n import _, fmt_number
from engine.results.four_way import FOUR_WAY


def _way_names() -> dict[str, str]:
    return {"whole_frame": _("whole frame"), "per_frame": _("per frame"), "events": _("events")}


def _ratio(value: float) -> str:
    return fmt_number(value, 2)


def headline(evaluation: Evaluation) -> str:
    """The first line: the answer the user sees (after smoothing across events)."""
    final = evaluation.scores["events"]
    return _("four-way accuracy {accuracy} (n = {n})").format(
        accuracy=_ratio(final.accuracy), n=fmt_number(final.n)
    )


def _table(title: str, by_way: dict[str, Scores]) -> list[str]:
    names = _way_names()
    lines = [title, f"  {'':<20}" + "".join(f"{names[way]:>14}" for way in WAYS)]
    rows = [(_("accuracy"), lambda s: s.accuracy)] + [
        (_("{label} recall").format(label=label), lambda s, label=label: s.recall(label))
        for label in FOUR_WAY
    ]
    for name, value in rows:
        lines.append(f"  {name:<20}" + "".join(f"{_ratio(value(by_way[w])):>14}" for w in WAYS))
    return lines


def text_report(evaluation: Evaluation) -> str:
    per_frame = evaluation.scores["per_frame"]
    lines = [
        headline(evaluation),
        _("Threshold {threshold}; {labelled} photos labelled, {missing} not in the results.")
        .format(threshold=fmt_number(evaluation.threshold, 2),
                labelled=fmt_number(evaluation.labelled),
                missing=fmt_number(len(evaluation.missing))),
        "",
    ]  # fmt: skip
    if evaluation.from_reviews:
        lines.insert(1, _("Truth: the photos a person reviewed in Ocelote."))
    lines += _table(_("All photos (n = {n}):").format(n=fmt_number(per_frame.n)),
                    evaluation.scores)  # fmt: skip
    if evaluation.in_sequences:
        n = evaluation.in_sequences["per_frame"].n
        lines += _table(_("Photos in sequences (n = {n}):").format(n=fmt_number(n)),
                        evaluation.in_sequences)  # fmt: skip
    if evaluation.by_sources:
        lines.append(_("Tuning sources: {sources}").format(sources=", ".join(evaluation.tuning)))
    titles = {
        "tuning": _("Tuning sources (n = {n}):"),
        "held_out": _("Held-out sources (n = {n}):"),
    }
    for group, by_way in evaluation.by_sources.items():
        n = fmt_number(by_way["per_frame"].n)
        lines += _table(titles[group].format(n=n), by_way)
    lines += ["", _("Per class (per frame):")]
    lines.append(f"  {'':<10}{'n':>6}{_('recall'):>12}{_('precision'):>12}")
    for score in per_frame.classes:
        lines.append(
            f"  {score.label:<10}{fmt_number(score.support):>6}"
            f"{_ratio(score.recall):>12}{_ratio(score.precision):>12}"
        )
    lines += ["", _("Confusion matrix (per frame; rows: truth, columns: answer):")]
    lines.append(f"  {'':<11}" + "".join(f"{label:>11}" for label in per_frame.labels))
    for label, row in zip(per_frame.labels, per_frame.confusion, strict=True):
        lines.append(f"  {label:<11}" + "".join(f"{fmt_number(v):>11}" for v in row))
    lines += ["", _("Empty filter (per frame) at each threshold:")]
    for point in evaluation.trade_off:
        lines.append(
            "  "
            + _("{threshold}: {aside} of {empties} empty photos set aside, "
                "{lost} of {others} with an animal, person or vehicle lost").format(
                threshold=fmt_number(point.threshold, 2), aside=fmt_number(point.empties_set_aside),
                empties=fmt_number(point.empties), lost=fmt_number(point.others_lost),
                others=fmt_number(point.others),
            )
        )  # fmt: skip
    lines += ["", _("Per folder (per frame):")]
    for folder, score in evaluation.per_folder.items():
        lines.append(
            "  " + _("{folder}: accuracy {accuracy} (n = {n})").format(
                folder=folder, accuracy=_ratio(score.accuracy), n=fmt_number(score.n))
        )  # fmt: skip
    return "\n".join(lines)


def json_report(evaluation: Evaluation) -> str:
    data = asdict(evaluation)
    data["headline"] = headline(evaluation)
    return json.dumps(data, indent=2, ensure_ascii=False)
