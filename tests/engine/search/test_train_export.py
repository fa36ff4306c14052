"""A head trained on real trap photos beats the majority class, and its exported ONNX model
predicts exactly what the in-memory head predicts, inside the classify job too."""

import numpy as np

from engine.media.decode import decode_for_model
from engine.models.store import find_card
from engine.optimize.onnx_tools import session
from engine.pipeline.job import ClassifyJob, JobSettings
from engine.search.export import Architecture
from engine.search.features import EmbeddingCache
from engine.search.graph import head_model
from engine.search.head import HeadSpec, cross_validate
from engine.search.report import metrics_text
from engine.search.trainer import export, features_for


def test_cross_validated_accuracy_beats_the_majority_class(trained):
    metrics = trained.metrics
    assert len(trained.dataset.classes) == 4
    assert metrics.majority == 0.25
    assert metrics.accuracy >= metrics.majority + 0.4
    assert metrics.confusion.sum() == len(trained.dataset.examples)
    assert np.trace(metrics.confusion) == round(metrics.accuracy * metrics.confusion.sum())
    assert "Confusion matrix" in metrics_text(trained.dataset, metrics)


def test_mlp_head_also_learns(trained):
    data = features_for(trained.dataset, Architecture())  # cached: no decoding this time
    metrics = cross_validate(data.features, data.labels, HeadSpec("mlp", 64), 4)
    assert metrics.accuracy >= metrics.majority + 0.4


def test_embeddings_are_cached(trained):
    card = find_card()
    cache = EmbeddingCache()
    keys = [cache.key(e.path, card.variant("fp32"), 224, "final") for e in trained.dataset.examples]
    assert len(cache.get(keys)) == len(keys)


def test_bundled_classifier_is_rebuilt_exactly_from_its_own_weights():
    """The graph surgery is sound: cut at the pooled features, put the bundled Gemm back."""
    from engine.optimize.onnx_tools import weight
    from engine.search.graph import load_model

    card = find_card()
    path = card.variant("fp32").file
    model = load_model(path)
    layers = [(weight(model, "_fc.weight"), weight(model, "_fc.bias"))]
    batch = np.random.default_rng(1).standard_normal((2, 3, 224, 224)).astype(np.float32)
    rebuilt = session(head_model(path, 224, "final", layers)).run(None, {"input": batch})[0]
    original = session(path).run(None, {"input": batch})[0]
    np.testing.assert_allclose(rebuilt, original, rtol=1e-4, atol=1e-4)


def test_exported_model_predicts_like_the_head_and_classifies(trained, labelled_root, tmp_path):
    folder, card = export(trained, "Test park", folder=tmp_path / "model", install_now=True)
    assert card.id == "custom-test-park"
    assert [label.en for label in card.labels] == [c.en for c in trained.dataset.classes]
    assert card.labels[0].es == "vacío" and card.labels[0].group == "background"
    assert {v.id for v in card.variants} >= {"fp32", "int8"}
    paths = [e.path for e in trained.dataset.examples]
    data = features_for(trained.dataset, trained.arch)
    expected = trained.head.predict(data.features)
    tensors = np.stack([decode_for_model(p, card.preprocessing).tensor for p in paths])
    logits = session(card.variant("fp32").file).run(None, {"input": tensors})[0]
    assert (logits.argmax(1) == expected).all()

    settings = JobSettings(labelled_root, tmp_path / "out", model_id=card.id, variant="fp32")
    summary = ClassifyJob(settings).run()
    assert summary.classified == len(paths)
    from engine.results.db import ResultsDB

    with ResultsDB(tmp_path / "out" / "results.sqlite") as db:
        top = {row.rel_path: row.predictions[0][1] for row in db.iter_files()}
    names = [c.en for c in trained.dataset.classes]
    by_path = {
        p.relative_to(labelled_root).as_posix(): names[i]
        for p, i in zip(paths, expected, strict=True)
    }
    assert top == by_path
