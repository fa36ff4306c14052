"""`ocelote models …`: list, install, import, pack, remove and verify the models of the store."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from typing import TextIO

from engine.cli.models_prepare import add_prepare_parser, prepare_if_planned
from engine.i18n import _, fmt_bytes, fmt_duration, language
from engine.pipeline.cancel import CancelToken
from engine.store.catalog import entry
from engine.store.checkall import verify_models
from engine.store.download import DownloadProgress
from engine.store.errors import StoreError
from engine.store.importing import BareOnnxAnswers, import_path
from engine.store.inspect_onnx import inspect
from engine.store.install import install
from engine.store.listing import as_json, broken_in_store, disk_use, has_discrete_gpu, remove, rows
from engine.store.pack import write_pack
from engine.store.staging import clean_leftovers

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
WIDTH = 24


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("models", help=_("install, import, pack and verify models"))
    actions = parser.add_subparsers(dest="models_command", metavar=_("ACTION"), required=True)
    listing = actions.add_parser("list", help=_("installed models and the catalog"))
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    listing.set_defaults(func=run_list)
    inst = actions.add_parser("install", help=_("download and install a catalog model"))
    inst.add_argument("model_id", metavar="ID")
    inst.add_argument("--yes", action="store_true", help=_("accept the licence without asking"))
    inst.set_defaults(func=run_install)
    imp = actions.add_parser("import", help=_("import a model pack, a zip, a folder or an ONNX"))
    imp.add_argument("path", type=Path, metavar="PATH")
    imp.add_argument("--id", dest="model_id", help=_("bare ONNX: the model's id"))
    imp.add_argument("--name", help=_("bare ONNX: the model's name"))
    imp.add_argument("--kind", choices=["detector", "classifier"], help=_("bare ONNX: its kind"))
    imp.add_argument(
        "--layout", choices=["yolov5", "ultralytics", "e2e", "rtdetr", "logits", "probabilities"],
        help=_("bare ONNX: its output layout"),
    )  # fmt: skip
    imp.add_argument("--labels", type=Path, help=_("bare ONNX: labels file, one name a line"))
    imp.add_argument("--license", default="LicenseRef-unknown", help=_("bare ONNX: SPDX id"))
    imp.set_defaults(func=run_import)
    pack = actions.add_parser("pack", help=_("write models into one file for an offline PC"))
    pack.add_argument("model_ids", nargs="+", metavar="ID")
    pack.add_argument("--out", type=Path, required=True, help=_("the pack file to write"))
    pack.set_defaults(func=run_pack)
    rm = actions.add_parser("remove", help=_("remove an installed model"))
    rm.add_argument("model_id", metavar="ID")
    rm.set_defaults(func=run_remove)
    ver = actions.add_parser("verify", help=_("check every file of the installed models"))
    ver.add_argument("model_id", nargs="?", metavar="ID")
    ver.set_defaults(func=run_verify)
    add_prepare_parser(actions)


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _has_gpu() -> bool:
    from engine.pipeline.plan import live_profile

    return has_discrete_gpu(live_profile())


def run_list(args: argparse.Namespace) -> int:
    model_rows = rows(_has_gpu(), language())
    if args.json:
        print(as_json(model_rows))
        return EXIT_OK
    header = (_("ID"), _("KIND"), _("NAME"), _("LICENCE"), _("SIZE"), _("INSTALLED"),
              _("RECOMMENDED"))  # fmt: skip
    table = [header] + [
        (r.id, _("detector") if r.kind == "detector" else _("classifier"), r.name, r.license,
         fmt_bytes(r.size_bytes), _yes_no(r.installed), _yes_no(r.recommended))
        for r in model_rows
    ]  # fmt: skip
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    for r in model_rows:
        if r.int8:
            print(f"{r.id}: {r.int8}")
    for folder in broken_in_store():
        print(_("{id}: does not verify (see: ocelote models verify {id})").format(id=folder))
    use = disk_use()
    print(
        _("Store: {folder} — models {models}, unfinished downloads {partial}, {free} free").format(
            folder=use.folder, models=fmt_bytes(use.models_bytes),
            partial=fmt_bytes(use.partial_bytes), free=fmt_bytes(use.free_bytes),
        )
    )  # fmt: skip
    return EXIT_OK


class DownloadLine:
    """Bytes, percentage, speed and time left on one terminal line."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self._stream = stream
        self._interactive = stream.isatty()
        self._last = -1

    def update(self, event: DownloadProgress) -> None:
        percent = int(100 * event.done / event.total) if event.total else 0
        if not self._interactive and percent // 10 == self._last // 10:
            return
        self._last = percent
        filled = WIDTH * percent // 100
        left = fmt_duration(event.eta_seconds) if event.eta_seconds is not None else "?"
        total = fmt_bytes(event.total) if event.total else "?"
        text = _("{done} of {total}, {speed}/s, {left} left").format(
            done=fmt_bytes(event.done), total=total, speed=fmt_bytes(int(event.speed)), left=left
        )
        end = "\r" if self._interactive else "\n"
        self._stream.write(f"[{'#' * filled}{'-' * (WIDTH - filled)}] {percent:3d}% {text}{end}")
        self._stream.flush()


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        return False
    answer = input(f"{question} [{_('y')}/{_('n')}] ").strip().lower()
    return answer in ("y", "yes", "s", "si", "sí", _("y"))


def run_install(args: argparse.Namespace) -> int:
    try:
        item = entry(args.model_id)
    except KeyError:
        print(_("{id} is not in the catalog (see: ocelote models list).").format(id=args.model_id),
              file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    print(f"{item.name} — {fmt_bytes(item.size_bytes)} — {item.spdx}")
    print(item.text("purpose"))
    if item.plain_license():
        print(_("Licence: {text}").format(text=item.plain_license()))
    if not args.yes and not _confirm(_("Download and install it?")):
        print(_("Not installed. Add --yes to install without this question."), file=sys.stderr)
        return EXIT_FAILED
    cancel = CancelToken()
    line = DownloadLine()
    previous = _cancel_on_interrupt(cancel)
    try:
        done = install(item.id, progress=line.update, cancel=cancel, status=print)
    except StoreError as error:
        print(f"\n{error}", file=sys.stderr)
        if cancel.cancelled:
            print(
                _("What was downloaded is kept: run the same command to resume."), file=sys.stderr
            )
            return EXIT_INTERRUPTED
        return EXIT_FAILED
    finally:
        _restore_interrupt(previous)
    print()
    print(_("Installed {model} in {folder}.").format(model=item.name, folder=done.folder))
    if done.first_record:
        print(_("The publisher gives no checksum: this first install recorded SHA-256 {sha}; "
                "every later copy is checked against it.").format(sha=done.sha256))  # fmt: skip
    else:
        print(_("Checked against {source}; SHA-256 {sha}.").format(
            source=done.checked_against, sha=done.sha256))  # fmt: skip
    prepare_if_planned(item.id)
    return EXIT_OK


def _cancel_on_interrupt(cancel: CancelToken):  # noqa: ANN202 - the previous handler
    """Ctrl+C asks the download to stop cleanly (the partial file stays for a resume)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGINT, lambda *_args: cancel.cancel())


def _restore_interrupt(previous) -> None:  # noqa: ANN001
    if previous is not None:
        signal.signal(signal.SIGINT, previous)


def _ask(prompt: str, default: str | None = None) -> str | None:
    if not sys.stdin.isatty():
        return default
    answer = input(f"{prompt}" + (f" [{default}]" if default else "") + ": ").strip()
    return answer or default


def _answers(args: argparse.Namespace) -> BareOnnxAnswers:
    """Flags first; at a terminal, ask for what is missing, proposing what inspection found."""
    info = inspect(args.path)
    print(_("Inputs: {inputs}").format(
        inputs=", ".join(f"{t.name} {list(t.shape)}" for t in info.inputs)))  # fmt: skip
    print(_("Outputs: {outputs}").format(
        outputs=", ".join(f"{t.name} {list(t.shape)}" for t in info.outputs)))  # fmt: skip
    print(_("Proposed: {kind}, layout {layout}").format(kind=info.kind, layout=info.layout))
    stem = args.path.stem.lower().replace("_", "-")
    model_id = args.model_id or _ask(_("Model id"), stem) or stem
    name = args.name or _ask(_("Name"), args.path.stem) or args.path.stem
    kind = args.kind or _ask(_("Kind (detector/classifier)"), info.kind) or info.kind
    labels = args.labels
    if labels is None and kind == "classifier":
        answer = _ask(_("Labels file (one name a line)"))
        labels = Path(answer) if answer else None
    return BareOnnxAnswers(model_id, name, kind, args.layout, labels, args.license)


def run_import(args: argparse.Namespace) -> int:
    try:
        answers = _answers(args) if args.path.suffix.lower() == ".onnx" else None
        ids = import_path(args.path, answers)
    except StoreError as error:
        print(str(error), file=sys.stderr)
        return EXIT_FAILED
    for model_id in ids:
        print(_("Imported {id}; every file verifies.").format(id=model_id))
        prepare_if_planned(model_id)
    return EXIT_OK


def run_pack(args: argparse.Namespace) -> int:
    try:
        out = write_pack(args.model_ids, args.out)
    except StoreError as error:
        print(str(error), file=sys.stderr)
        return EXIT_FAILED
    print(_("Wrote {file} ({size}): import it on the other PC with: ocelote models import {file}")
          .format(file=out, size=fmt_bytes(out.stat().st_size)))  # fmt: skip
    return EXIT_OK


def run_remove(args: argparse.Namespace) -> int:
    if not remove(args.model_id):
        print(_("{id} is not a model of the store (bundled models stay).").format(id=args.model_id),
              file=sys.stderr)  # fmt: skip
        return EXIT_FAILED
    print(_("Removed {id}.").format(id=args.model_id))
    return EXIT_OK


def run_verify(args: argparse.Namespace) -> int:
    from engine.store.location import store_dir

    clean_leftovers(store_dir())
    try:
        verdicts = verify_models(args.model_id)
    except KeyError:
        print(_("No installed model is called {id} (see: ocelote models list).").format(
            id=args.model_id), file=sys.stderr)  # fmt: skip
        return EXIT_FAILED
    failed = False
    for verdict in verdicts:
        if verdict.problem is None:
            print(
                _("{id}: every file verifies ({folder})").format(
                    id=verdict.id, folder=verdict.folder
                )
            )
        else:
            failed = True
            print(
                _("{id}: DOES NOT VERIFY — {problem}").format(
                    id=verdict.id, problem=verdict.problem
                )
            )
    return EXIT_FAILED if failed else EXIT_OK
