from tests.engine.detection.standin_packs import store  # noqa: F401 - the fixture, for every test here
