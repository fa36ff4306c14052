"""`ocelote models prepare ID`: a detector made ready for ncnn on the graphics card, once.

The conversion (pnnx, engine.detection.ncnn_convert) runs into the model's store folder, ncnn
must then load the graph (an operation ncnn lacks is found here, not in a job), and the files
join the card as the `ncnn` variant with a rewritten manifest. Whether the converted model gives
the same boxes is checked on the first batch of every job, on the photos of that job.
"""

import tempfile
from pathlib import Path

from engine.backends.base import BackendUnavailable
from engine.detection.ncnn_convert import ConversionError, convert
from engine.detection.ncnn_files import NcnnModel, from_card, variant_entry
from engine.detection.ncnn_runtime import NcnnDetector
from engine.detection.spec import DetectorSpec
from engine.i18n import _
from engine.models.card import ModelCard
from engine.models.store import add_variant_files, find_card, store_dir, verify


def prepare_for_ncnn(card: ModelCard) -> ModelCard:
    """The card with its `ncnn` variant (converted now, or already there)."""
    if card.kind != "detector":
        raise ConversionError(
            _("{model} is not a detector; only detectors are prepared for ncnn.").format(
                model=card.name
            )
        )
    if from_card(card) is not None:
        return card
    folder = store_dir() / card.id
    if card.folder.resolve() != folder.resolve():
        raise ConversionError(
            _("{model} is not in the model store; install or import it first.").format(
                model=card.name
            )
        )
    source = card.variants_in("onnx")[0]
    verify(source, card)
    size = DetectorSpec.from_card(card).size
    with tempfile.TemporaryDirectory(prefix=".ncnn-", dir=folder.parent) as work:
        done = convert(source, size, Path(work), f"{card.id}.ncnn")
        try:
            NcnnDetector(
                NcnnModel(done.param, done.weights, size, done.outputs), vulkan=False
            ).close()
        except BackendUnavailable as error:
            raise ConversionError(
                _("ncnn cannot run this model ({reason}); it keeps running with onnxruntime.")
                .format(reason=error.reason)
            ) from error  # fmt: skip
        files = {"param": done.param, "bin": done.weights}
        add_variant_files(card, files, variant_entry(done, source))
    return find_card(card.id)
