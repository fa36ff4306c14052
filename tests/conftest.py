"""Fixtures shared by engine and GUI tests: the real data beside the project."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """`../shared/data`: real camera-trap images, videos and GPU dumps (see their MANIFESTs)."""
    if not SHARED_DATA.is_dir():
        pytest.fail(f"{SHARED_DATA} is missing: the tests need the shared data beside the repo")
    return SHARED_DATA


@pytest.fixture(scope="session")
def trap_images(shared_data: Path) -> Path:
    return shared_data / "camera_traps"


@pytest.fixture(autouse=True, scope="session")
def private_user_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tests (and the processes they start) never touch the real user's data folder."""
    folder = tmp_path_factory.mktemp("user-data")
    patch = pytest.MonkeyPatch()
    patch.setenv("OCELOTE_DATA_DIR", str(folder))
    yield folder
    patch.undo()
