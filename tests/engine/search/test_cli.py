"""`ocelote train` and `ocelote search` print what a technician needs and install the model."""

import argparse

from engine.cli import build_parser
from engine.cli import search as search_cli
from engine.cli import train as train_cli
from engine.models.store import find_card
from engine.search import nas
from engine.search.head import HeadSpec


def _run(argv: list[str]) -> int:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    if "train" not in sub.choices:  # until the lead wires them into engine/cli/__init__.py
        train_cli.add_parser(sub)
        search_cli.add_parser(sub)
    args = parser.parse_args(argv)
    return args.func(args)


def test_train_prints_metrics_and_installs(labelled_root, capsys):
    code = _run(["train", "--folders", str(labelled_root), "--name", "CLI park", "--install"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Cross-validated accuracy" in out and "Confusion matrix" in out
    assert "custom-cli-park" in out
    assert find_card("custom-cli-park").labels[0].en == "empty"


def test_search_prints_the_front(labelled_root, capsys, monkeypatch):
    space = nas.Space(("fp32",), (224,), ("final", "block14", "block10"), (HeadSpec(),))
    monkeypatch.setattr(nas, "default_space", lambda card=None: space)
    code = _run(["search", "--folders", str(labelled_root), "--budget", "60",
                 "--min-photos-per-hour", "5000"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "Pareto front" in out and "Recommended:" in out
    assert "Model written to" in out


def test_train_without_a_source_fails_politely(capsys):
    assert _run(["train"]) == 1
    assert "--folders" in capsys.readouterr().err
