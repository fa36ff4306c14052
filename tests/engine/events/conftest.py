"""One real run shared by the events, motion and evaluation tests (it is the slow part)."""

from pathlib import Path

import pytest

from tests.engine.events.trap_run import TrapRun, trap_run


@pytest.fixture(scope="session")
def traps(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> TrapRun:
    return trap_run(shared_data, tmp_path_factory.mktemp("traps"))
