"""The trained classifier: an ensemble of a calibrated linear SVM and a modified-Huber linear model.

Confidences are the averaged class probabilities (the SVM calibrated by Platt scaling on internal folds).
A model is saved with joblib; loading it unpickles code, so load only models you trained yourself.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from gongfu.cases.classify.features import MessageFeatures
from gongfu.errors import InputError, NotFound

MODEL_ENV = "GONGFU_CASE_MODEL"
CREDIT = "第八届“泰迪杯”数据挖掘挑战赛 C题 “智慧政务中的文本挖掘应用” (2020) 附件2"


def default_model_path() -> Path:
    """$GONGFU_CASE_MODEL, else case-classifier.joblib in the user's data directory."""
    from gongfu.settings import settings

    if settings().case_model:
        return Path(settings().case_model)
    from platformdirs import user_data_dir

    return Path(user_data_dir("gongfu")) / "case-classifier.joblib"


@dataclass(frozen=True)
class Prediction:
    category: str
    confidence: float  # probability of the chosen category, 0–1
    runner_up: str
    runner_up_confidence: float


@dataclass
class CaseClassifier:
    """Features plus the fitted models; `info` records what it was trained on and how well it did."""

    features: MessageFeatures
    models: list
    weights: list[float]
    labels: list[str]
    info: dict = field(default_factory=dict)

    @property
    def version(self) -> str:
        return str(self.info.get("version", ""))

    def probabilities(self, subjects: list[str], bodies: list[str]) -> np.ndarray:
        x = self.features.transform(subjects, bodies)
        total = np.zeros((len(subjects), len(self.labels)))
        for model, w in zip(self.models, self.weights, strict=True):
            p = model.predict_proba(x)
            order = [list(model.classes_).index(c) for c in self.labels]
            total += w * p[:, order]
        return total / sum(self.weights)

    def predict(self, subjects: list[str], bodies: list[str]) -> list[Prediction]:
        if not subjects:
            return []
        probs = self.probabilities(subjects, bodies)
        out = []
        for row in probs:
            top = np.argsort(row)[::-1]
            out.append(
                Prediction(self.labels[top[0]], float(row[top[0]]), self.labels[top[1]], float(row[top[1]]))
            )
        return out

    def predict_one(self, text: str, subject: str = "") -> Prediction:
        return self.predict([subject], [text])[0]

    def save(self, path: Path) -> Path:
        import joblib

        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(self, path, compress=3)
        return path


_CACHE: dict[Path, tuple[tuple[int, int], CaseClassifier]] = {}
_LOCK = threading.Lock()


def load_model(path: Path | None = None) -> CaseClassifier:
    """The classifier at `path`, loaded once per process: later calls return the same object until the
    file changes (its size or modification time), so the CLI, the server and the benchmarks share it."""
    path = (path or default_model_path()).resolve()
    try:
        st = path.stat()
    except FileNotFoundError:
        raise NotFound(
            f"no case classifier at {path}; train one with `gongfu cases train FILE.csv`"
        ) from None
    stamp = (st.st_size, st.st_mtime_ns)
    with _LOCK:
        hit = _CACHE.get(path)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        model = _read(path)
        _CACHE[path] = (stamp, model)
        return model


def forget_models() -> None:
    """Drop the cached classifiers (after training a new one in the same process)."""
    with _LOCK:
        _CACHE.clear()


def _read(path: Path) -> CaseClassifier:
    import joblib

    model = joblib.load(path)
    if not isinstance(model, CaseClassifier):
        raise InputError("not a gongfu case classifier", file=str(path))
    return model
