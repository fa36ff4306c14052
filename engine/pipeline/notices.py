"""What happened before classifying, in words: printed by the command, shown by the window."""

from engine.i18n import _, fmt_number
from engine.pipeline.events import DatabaseRecovered, Discovering, Reconciled

Notice = Discovering | Reconciled | DatabaseRecovered


def describe_event(event: Notice) -> str:
    """What happened before classifying, in words (the window shows the same texts)."""
    if isinstance(event, Discovering):
        return _("Found {count} files…").format(count=fmt_number(event.found))
    if isinstance(event, Reconciled):
        return _(
            "{gone} files classified before are no longer in the folder: kept in the database, "
            "left out of counts and exports. {renamed} renamed files kept their results."
        ).format(gone=fmt_number(event.gone), renamed=fmt_number(event.renamed))
    recovered = (
        _("{count} reviews were recovered from {origin}.").format(
            count=fmt_number(event.reviews), origin=event.reviews_from
        )
        if event.reviews_from
        else _("No reviews could be recovered from it.")
    )
    return " ".join([
        _(
            "The results database was damaged ({reason}). It was kept as {path}; this run "
            "rebuilds the results from the photos."
        ).format(reason=event.reason, path=event.damaged),
        recovered,
    ])  # fmt: skip
