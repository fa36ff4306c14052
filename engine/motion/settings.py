"""The motion step's knobs, with the values chosen on one group of sources (see evaluate docs).

Chosen on the development sources (animl-r-southwest, the MegaDetector and SpeciesNet test
images) and reported on the others (Wellington sequences, the squirrel sequence, animl-py,
Snapshot Serengeti): none was tuned to a single file.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class MotionSettings:
    work_side: int = 240  # long side of the frames the background is made from, in pixels
    window: int = 12  # frames of the same camera and light on each side that may be background
    min_similarity: float = 0.5  # correlation of two small greys to count as the same scene
    peer_band: float = 0.05  # background frames within this similarity of the closest one
    min_frames: int = 3  # frames (this one included) needed for a median background
    noise_factor: float = 2.5  # a pixel changed when its difference exceeds this many sigmas
    min_difference: float = 15.0  # ... and at least this many grey levels
    min_area: float = 0.002  # a region smaller than this share of the frame is noise
    max_noise: float = 20.0  # typical difference (sigma) above this: another scene or light
    max_changed: float = 0.45  # more changed than this: light or scene changed, not an animal
    stamp_band: float = 0.07  # top and bottom share of the frame ignored (the camera's stamp)
    max_boxes: int = 2  # largest regions kept per frame
    crop_side: int = 480  # long side of the decode crops are cut from (<= work_side: reuse it)
    margin: float = 0.15  # crop margin around a region, share of its size
    night_colour: float = 6.0  # mean channel spread below this: an infrared (grey) frame
