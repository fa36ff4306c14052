"""Labels from sorted folders and from reviewed results, in the user's words."""

import shutil
from pathlib import Path

from engine.media.exif import EMPTY
from engine.results.db import ResultsDB
from engine.results.records import Classified, FileInfo, Prediction
from engine.results.rows import RunInfo
from engine.search.dataset import (
    BACKGROUND_GROUP,
    EMPTY_KEY,
    OTHER_GROUP,
    from_folders,
    from_results,
    small_classes_message,
)


def _copy(src: Path, dest: Path, count: int) -> None:
    dest.mkdir(parents=True)
    for index, image in enumerate(sorted(src.glob("*.jpg"))[:count]):
        shutil.copyfile(image, dest / f"{index}.jpg")


def test_folders_give_classes_with_empty_first_and_small_ones_flagged(labelled_root, tmp_path):
    root = tmp_path / "sorted"
    _copy(labelled_root / "blank", root / "Vacío", 5)
    _copy(labelled_root / "dog", root / "perro_doméstico", 6)
    _copy(labelled_root / "elephant", root / "African elephant", 2)
    (root / "notes.txt").write_text("not a class")
    dataset = from_folders(root)
    keys = [info.key for info in dataset.classes]
    assert keys[0] == EMPTY_KEY
    empty = dataset.classes[0]
    assert (empty.en, empty.es, empty.group, empty.count) == ("empty", "vacío", BACKGROUND_GROUP, 5)
    dog = next(info for info in dataset.classes if info.key == "perro domestico")
    assert (dog.en, dog.group) == ("perro doméstico", OTHER_GROUP)
    elephant = next(info for info in dataset.classes if info.en == "African elephant")
    assert elephant.es == "elefante africano" and elephant.group != OTHER_GROUP  # bundled label
    assert [info.en for info in dataset.small()] == ["African elephant"]
    assert "African elephant (2)" in small_classes_message(dataset)
    assert {info.key for info in dataset.trainable().classes} == {EMPTY_KEY, "perro domestico"}


def _classified(rel: str) -> Classified:
    prediction = Prediction(386, "African elephant", "ungulates", 0.9)
    return Classified(FileInfo(rel, "image", "jpeg", 1, 1), 10, 10, EMPTY, (prediction,))


def test_results_reviews_are_labels(labelled_root, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with ResultsDB(out / "results.sqlite") as db:
        run = db.start_run(RunInfo(str(labelled_root), "m", "fp32", "x", "cpu", {}, {}))
        rels = ["elephant/elephant_00.jpg", "blank/blank_00.jpg", "dog/dog_00.jpg"]
        db.record(run, [_classified(rel) for rel in [*rels, "cattle/cattle_00.jpg"]])
        db.add_review(rels[0], "accept", "African elephant", "ungulates", 386)
        db.add_review(rels[1], "correct", "empty", "background", None)
        db.add_review(rels[2], "correct", "dog", "canids", None)
    dataset = from_results(out)
    assert {(i.en, i.es, i.group) for i in dataset.classes} == {
        ("empty", "vacío", "background"),
        ("African elephant", "elefante africano", "ungulates"),
        ("dog", "dog", "canids"),
    }
    assert sorted(e.path.name for e in dataset.examples) == [
        "blank_00.jpg", "dog_00.jpg", "elephant_00.jpg"
    ]  # fmt: skip
