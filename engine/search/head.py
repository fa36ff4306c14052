"""A light classifier head over frozen features: logistic regression or a one-layer MLP.

scikit-learn does the fitting; the fitted head is also kept as plain dense layers (the
feature scaling folded into the first one), which is what the exported ONNX graph holds.
Class weights balance the classes: a park's photos are mostly empty frames.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

MAX_FOLDS = 5
Dense = tuple[np.ndarray, np.ndarray]  # weight (out, in), bias (out,)


@dataclass(frozen=True)
class HeadSpec:
    kind: str = "logreg"  # "logreg" | "mlp"
    width: int = 0  # hidden units of the MLP
    c: float = 1.0  # inverse regularisation strength, as in scikit-learn's C

    def label(self) -> str:
        name = "logreg" if self.kind == "logreg" else f"mlp{self.width}"
        return f"{name} C={self.c:g}"


LOGREG = HeadSpec()
MLP = HeadSpec("mlp", 128)


@dataclass
class Head:
    spec: HeadSpec
    estimator: object  # the fitted scikit-learn pipeline: the in-memory reference
    layers: list[Dense]  # the same function as dense layers with Relu between them

    def predict(self, features: np.ndarray) -> np.ndarray:
        return np.asarray(self.estimator.predict(features))

    def logits(self, features: np.ndarray) -> np.ndarray:
        out = features.astype(np.float64)
        for index, (weight, bias) in enumerate(self.layers):
            out = out @ weight.T + bias
            if index < len(self.layers) - 1:
                out = np.maximum(out, 0.0)
        return out


@dataclass(frozen=True)
class Metrics:
    accuracy: float
    majority: float  # accuracy of always answering the largest class
    folds: int
    precision: np.ndarray  # per class, in class order
    recall: np.ndarray
    support: np.ndarray
    confusion: np.ndarray  # rows: true class, columns: predicted class
    duplicates: int = 0  # photos whose content repeats another's, kept in that one's fold


def _estimator(spec: HeadSpec, seed: int):  # noqa: ANN202 - a scikit-learn pipeline
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if spec.kind == "logreg":
        model = LogisticRegression(C=spec.c, max_iter=2000, class_weight="balanced")
    else:
        alpha = 1e-3 / spec.c
        model = MLPClassifier(
            (spec.width,), alpha=alpha, solver="lbfgs", max_iter=500, random_state=seed
        )
    return make_pipeline(StandardScaler(), model)


def fit(features: np.ndarray, labels: np.ndarray, spec: HeadSpec, seed: int = 0) -> Head:
    """Fit on all rows; labels are class indices 0..K-1 and every class must appear."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.utils.class_weight import compute_sample_weight
    from threadpoolctl import threadpool_limits

    estimator = _estimator(spec, seed)
    extra = {}
    if spec.kind == "mlp":  # MLPClassifier has no class_weight: the same weights per sample
        extra["mlpclassifier__sample_weight"] = compute_sample_weight("balanced", labels)
    # One BLAS thread: these matrices are small, and threads fighting over 2 busy cores made
    # an MLP fit 10x slower than single-threaded.
    with warnings.catch_warnings(), threadpool_limits(1):
        warnings.simplefilter("ignore", ConvergenceWarning)
        estimator.fit(features, labels, **extra)
    return Head(spec, estimator, _dense_layers(estimator))


def _dense_layers(estimator) -> list[Dense]:  # noqa: ANN001
    """The pipeline as dense layers: scaling folded into the first, binary made two logits."""
    scaler, model = estimator[0], estimator[-1]
    mean, scale = scaler.mean_, scaler.scale_
    if hasattr(model, "coef_"):
        weights = [(model.coef_, model.intercept_)]  # (K or 1, D)
    else:
        weights = [(w.T, b) for w, b in zip(model.coefs_, model.intercepts_, strict=True)]
    first_w, first_b = weights[0]
    weights[0] = (first_w / scale, first_b - first_w @ (mean / scale))
    last_w, last_b = weights[-1]
    if last_w.shape[0] == 1:  # binary: sigmoid(z) is softmax of [0, z]
        weights[-1] = (np.vstack([np.zeros_like(last_w), last_w]), np.r_[0.0, last_b])
    return [(w.astype(np.float32), b.astype(np.float32)) for w, b in weights]


def folds_for(labels: np.ndarray) -> int:
    """k ≤ the smallest class, so every class is in every training fold."""
    smallest = int(np.bincount(labels).min()) if len(labels) else 0
    return max(2, min(MAX_FOLDS, smallest))


def same_content(features: np.ndarray) -> np.ndarray:
    """One id per distinct photo: copies of one photo give identical features."""
    if not len(features):
        return np.zeros(0, dtype=np.int64)
    return np.unique(features, axis=0, return_inverse=True)[1].ravel()


def cross_validate(
    features: np.ndarray, labels: np.ndarray, spec: HeadSpec, classes: int, seed: int = 0
) -> Metrics:
    """Stratified k-fold: every photo is predicted by a head that never saw it, nor a copy
    of it. Copies (20 of each photo gave 99.9 %) stay together in one fold."""
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    groups = same_content(features)
    distinct = len(np.unique(groups))
    predicted = np.empty_like(labels)
    if distinct < len(labels):
        per_class = [len(np.unique(groups[labels == c])) for c in np.unique(labels)]
        k = max(2, min(MAX_FOLDS, min(per_class), distinct))
        splits = StratifiedGroupKFold(k, shuffle=True, random_state=seed).split(
            features, labels, groups
        )
    else:
        k = folds_for(labels)
        splits = StratifiedKFold(k, shuffle=True, random_state=seed).split(features, labels)
    for train, test in splits:
        head = fit(features[train], labels[train], spec, seed)
        predicted[test] = head.predict(features[test])
    order = list(range(classes))
    precision, recall, _f, support = precision_recall_fscore_support(
        labels, predicted, labels=order, zero_division=0
    )
    counts = np.bincount(labels, minlength=classes)
    return Metrics(
        accuracy=float(np.mean(predicted == labels)),
        majority=float(counts.max() / max(1, len(labels))),
        folds=k,
        precision=precision,
        recall=recall,
        support=support,
        confusion=confusion_matrix(labels, predicted, labels=order),
        duplicates=len(labels) - distinct,
    )
