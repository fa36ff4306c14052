"""Benchmark runs are saved, listed newest first for this PC, and turned into a verdict."""

from engine.bench import history, verdict
from engine.i18n import set_language

ROWS = [
    {
        "backend": "onnxruntime-cpu",
        "variant": "fp32",
        "device": "CPU",
        "images_per_s": 1.0,
        "problem": "",
    },
    {
        "backend": "ncnn-vulkan",
        "variant": "fp16",
        "device": "Radeon RX 580",
        "images_per_s": 2.5,
        "problem": "",
    },
    {
        "backend": "opencv-opencl",
        "variant": "fp32",
        "device": "",
        "images_per_s": 0.0,
        "problem": "failed",
    },
]


def test_runs_are_saved_and_listed_newest_first():
    first = history.save_run("backends", ROWS)
    second = history.save_run("pipeline", {"pipeline": 3.0})
    runs = history.list_runs()
    paths = [run.path for run in runs]
    assert paths.index(second) < paths.index(first)
    assert history.list_runs("backends")[0].data == ROWS
    (history.history_dir() / "broken.json").write_text("{", encoding="utf-8")
    assert len(history.list_runs()) == len(runs)


def test_other_hosts_are_hidden_unless_asked(monkeypatch):
    monkeypatch.setattr(history, "host_name", lambda: "another-pc")
    history.save_run("device", [])
    monkeypatch.undo()
    assert all(run.host == history.host_name() for run in history.list_runs())
    assert any(run.host == "another-pc" for run in history.list_runs(all_hosts=True))


def test_verdict_uses_the_measured_figures_only():
    text = verdict.backend_verdict(ROWS)
    assert "9,000 photos per hour" in text and "Radeon RX 580" in text and "Vulkan" in text
    assert "2.5×" in text
    try:
        set_language("es")
        assert "9.000" in verdict.backend_verdict(ROWS)
    finally:
        set_language("en")
    assert "nothing was measured" in verdict.backend_verdict(ROWS[2:])
