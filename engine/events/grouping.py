"""Photos of one camera closer in time than a gap form an event; a video is an event alone.

A photo without a capture time cannot be placed in a burst and is an event of its own (its
file time is the time it was copied, not taken, on most cards copied by hand).
"""

from datetime import datetime
from itertools import groupby

from engine.events.camera import camera_key
from engine.results.events_store import StoredPhoto

DEFAULT_GAP_S = 60.0


def _moment(photo: StoredPhoto) -> datetime | None:
    try:
        return datetime.fromisoformat(photo.taken_at) if photo.taken_at else None
    except ValueError:
        return None


def group_events(
    photos: list[StoredPhoto], gap_s: float = DEFAULT_GAP_S
) -> list[list[StoredPhoto]]:
    """Events in (camera, start) order, each its files in time order.

    A burst is chained: a photo joins the event when it follows the previous photo of the same
    camera by at most `gap_s`, so a long visit with steady triggers stays one event.
    """
    alone, timed = [], []
    for photo in photos:
        moment = _moment(photo)
        if photo.kind == "video" or moment is None:
            alone.append([photo])
        else:
            timed.append((camera_key(photo), moment, photo.rel_path, photo))
    events: list[list[StoredPhoto]] = []
    for _camera, shots in groupby(sorted(timed, key=lambda t: t[:3]), key=lambda t: t[0]):
        current: list[StoredPhoto] = []
        last: datetime | None = None
        for _key, moment, _rel, photo in shots:
            if last is not None and (moment - last).total_seconds() > gap_s:
                events.append(current)
                current = []
            current.append(photo)
            last = moment
        events.append(current)
    return events + alone
