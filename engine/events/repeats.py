"""Repeated false detections: a detector box at the same place in many frames of one camera.

A rock, a post or a branch that a detector calls an animal in 3,000 frames is the commonest
false detection on a fixed camera (MegaDetector's repeat-detection elimination). Boxes of one
camera and category that overlap (IoU) a group's first box join it; a group seen in at least
`min_frames` frames and in at least `min_share` of that camera's frames is flagged, for the
user to dismiss as one.
"""

from collections import defaultdict
from dataclasses import dataclass

from engine.events.camera import camera_key
from engine.results.events_store import StoredPhoto

Box = tuple[float, ...]


@dataclass(frozen=True)
class RepeatSettings:
    iou: float = 0.8
    min_frames: int = 10
    min_share: float = 0.1
    max_size: float = 0.5  # boxes covering more of the frame are a close animal, not a rock


def iou(a: Box, b: Box) -> float:
    left, top = max(a[0], b[0]), max(a[1], b[1])
    right, bottom = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    inter = max(0.0, right - left) * max(0.0, bottom - top)
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def find_repeats(
    photos: list[StoredPhoto],
    boxes: list[tuple[int, int, str, float, Box]],
    settings: RepeatSettings = RepeatSettings(),
) -> list[tuple[str, str, Box, int, list[int]]]:
    """(camera, category, box, frames, detection ids) of every repeated box found."""
    camera_of = {photo.id: camera_key(photo) for photo in photos}
    frames_per_camera: dict[str, int] = defaultdict(int)
    for photo in photos:
        if photo.kind == "image":
            frames_per_camera[camera_of[photo.id]] += 1
    clusters: dict[tuple[str, str], list[tuple[Box, set[int], list[int]]]] = defaultdict(list)
    for detection_id, file_id, category, _conf, box in boxes:
        if file_id not in camera_of or box[2] * box[3] > settings.max_size:
            continue
        groups = clusters[(camera_of[file_id], category)]
        home = next((g for g in groups if iou(g[0], box) >= settings.iou), None)
        if home is None:
            groups.append((box, {file_id}, [detection_id]))
        else:
            home[1].add(file_id)
            home[2].append(detection_id)
    found = []
    for (camera, category), groups in clusters.items():
        for box, files, members in groups:
            enough = len(files) >= settings.min_frames
            if enough and len(files) >= settings.min_share * frames_per_camera[camera]:
                found.append((camera, category, box, len(files), members))
    return found
