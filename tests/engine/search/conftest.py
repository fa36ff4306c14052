"""A labelled folder made once per session: real trap photos and augmented copies."""

from pathlib import Path

import pytest

from tests.engine.search.labelled import make_labelled_folder


@pytest.fixture(scope="session")
def labelled_root(trap_images: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_labelled_folder(trap_images, tmp_path_factory.mktemp("labelled"), per_class=6)


@pytest.fixture(scope="session")
def trained(labelled_root: Path):
    """A logistic-regression head at the default architecture (shared: training costs)."""
    from engine.search.dataset import from_folders
    from engine.search.trainer import train

    return train(from_folders(labelled_root))
