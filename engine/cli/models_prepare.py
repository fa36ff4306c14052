"""`ocelote models prepare ID --for ncnn`, and the same step after an install or an import
when this PC's plan runs detectors with ncnn on Vulkan: once, with a message, never fatal."""

from __future__ import annotations

import argparse
import sys

from engine.i18n import _


def add_prepare_parser(actions: argparse._SubParsersAction) -> None:
    prepare = actions.add_parser(
        "prepare", help=_("convert a detector for the graphics card (ncnn on Vulkan), once")
    )
    prepare.add_argument("model_id", metavar="ID", help=_("an installed detector"))
    prepare.add_argument(
        "--for", dest="target", choices=["ncnn"], default="ncnn",
        help=_("the runtime to prepare it for (default: ncnn, for Vulkan graphics cards)"),
    )  # fmt: skip
    prepare.set_defaults(func=run_prepare)


def _prepare(model_id: str) -> bool:
    from engine.detection.ncnn_convert import ConversionError
    from engine.detection.ncnn_files import from_card
    from engine.detection.ncnn_prepare import prepare_for_ncnn
    from engine.models.store import find_card
    from engine.store.errors import StoreError

    try:
        card = find_card(model_id)
    except KeyError:
        print(_("The model {id} is not installed.").format(id=model_id), file=sys.stderr)
        return False
    if from_card(card) is not None:
        print(_("{model} is already prepared for the graphics card.").format(model=card.name))
        return True
    print(
        _("Preparing {model} for the graphics card (ncnn on Vulkan): once, a minute or two.")
        .format(model=card.name)
    )  # fmt: skip
    try:
        done = prepare_for_ncnn(card)
    except (ConversionError, StoreError, OSError) as error:
        print(
            _("{model} was not prepared for the graphics card: {reason}").format(
                model=card.name, reason=error
            ),
            file=sys.stderr,
        )
        return False
    files = ", ".join(f.file.name for f in done.variant("ncnn").files)
    print(_("Ready: {files} added to {folder}.").format(files=files, folder=done.folder))
    return True


def run_prepare(args: argparse.Namespace) -> int:
    return 0 if _prepare(args.model_id) else 1


def prepare_if_planned(model_id: str) -> None:
    """After an install or import: prepare a detector that this PC runs on ncnn-vulkan."""
    from engine.detection.plan import fitted_route, from_card
    from engine.models.store import find_card
    from engine.pipeline.plan import live_profile

    try:
        card = find_card(model_id)
    except KeyError:
        return
    if card.kind != "detector":
        return
    route = fitted_route(from_card(card), live_profile())
    if route.backend == "ncnn-vulkan" and not _prepare(model_id):
        print(_("Detectors will run with onnxruntime."), file=sys.stderr)
