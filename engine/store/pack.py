"""A model pack: one zip that carries models (card, files, licences, manifest) to a station
that never sees the internet. `ocelote models import` reads it with no network.

Layout: `ocelote-pack.json` (what is inside) and one folder per model id.
"""

import json
import zipfile
from pathlib import Path

import engine
from engine.i18n import _
from engine.store.errors import ImportProblem
from engine.store.location import store_dir
from engine.store.manifest import MANIFEST_NAME, model_files
from engine.store.verify import verify_folder

PACK_INDEX = "ocelote-pack.json"
PACK_FORMAT = "ocelote-model-pack"


def write_pack(model_ids: list[str], out: Path) -> Path:
    """Verify each model, then write them into `out` (written aside, renamed when complete)."""
    store = store_dir()
    folders = []
    for model_id in model_ids:
        folder = store / model_id
        if not (folder / "card.json").is_file():
            raise ImportProblem(
                _("No installed model is called {id} (see: ocelote models list).").format(
                    id=model_id
                )
            )
        verify_folder(folder)
        folders.append(folder)
    index = {"format": PACK_FORMAT, "version": 1, "ocelote": engine.__version__, "models": []}
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as bundle:
        for folder in folders:
            card = json.loads((folder / "card.json").read_text(encoding="utf-8"))
            names = [*model_files(folder), MANIFEST_NAME]
            for name in names:
                bundle.write(folder / name, f"{folder.name}/{name}")
            index["models"].append(
                {"id": card["id"], "name": card["name"], "kind": card.get("kind", "classifier"),
                 "license": card["license"].get("spdx", ""), "files": names}
            )  # fmt: skip
        bundle.writestr(PACK_INDEX, json.dumps(index, indent=1, ensure_ascii=False))
    partial.replace(out)
    return out
