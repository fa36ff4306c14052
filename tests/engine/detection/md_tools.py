"""MegaDetector's own validator and postprocessing, imported without their side effect:
`megadetector.visualization.visualization_utils` sets Pillow's process-wide
`ImageFile.LOAD_TRUNCATED_IMAGES = True` when imported, which would make every later test of
truncated photos in this pytest process see them decode. The flag is put back at once."""

from PIL import ImageFile

_BEFORE = ImageFile.LOAD_TRUNCATED_IMAGES
from megadetector.postprocessing.convert_output_format import convert_json_to_csv  # noqa: E402
from megadetector.postprocessing.separate_detections_into_folders import (  # noqa: E402
    SeparateDetectionsIntoFoldersOptions,
    separate_detections_into_folders,
)
from megadetector.postprocessing.validate_batch_results import (  # noqa: E402
    validate_batch_results,
)

ImageFile.LOAD_TRUNCATED_IMAGES = _BEFORE

__all__ = [
    "SeparateDetectionsIntoFoldersOptions",
    "convert_json_to_csv",
    "separate_detections_into_folders",
    "validate_batch_results",
]
