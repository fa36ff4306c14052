"""`--ray` targets and the clear errors a wrong one gets, before any cluster is started."""

import pytest

from engine.cli import main
from engine.cluster.target import ClusterError, RayTarget
from engine.i18n import set_language
from engine.paths import assets_dir


def test_local_targets_and_addresses() -> None:
    assert RayTarget.parse("local:3") == RayTarget(None, 3)
    assert RayTarget.parse("local").workers >= 1
    assert RayTarget.parse("10.0.0.5:6379") == RayTarget("10.0.0.5:6379")
    assert RayTarget.parse("ray://head:10001").address == "ray://head:10001"
    assert str(RayTarget.parse("local:2")) == "local:2"


@pytest.mark.parametrize("text", ["local:0", "local:two", "local:-1", " "])
def test_a_wrong_target_is_named(text: str) -> None:
    with pytest.raises(ClusterError):
        RayTarget.parse(text)


@pytest.fixture
def english_after():
    """`--lang es` sets the process's language: later tests read English again."""
    yield
    set_language("en")


def test_the_cli_refuses_a_wrong_worker_count_in_spanish(tmp_path, capsys, english_after) -> None:
    code = main(
        ["--lang", "es", "classify", str(assets_dir() / "samples"), "--out", str(tmp_path),
         "--ray", "local:cero"]
    )  # fmt: skip
    assert code == 2
    assert "no es un número de trabajadores" in capsys.readouterr().err
    assert not (tmp_path / "results.sqlite").exists()
