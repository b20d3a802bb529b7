"""Is this a crisis question at all? A second opinion, by meaning, where the classifier said "out of
scope" and the letters were close to a crisis question but not close enough.

The intent classifier reads character n-grams: "Est-ce qu'il existe actuellement un médicament
efficace contre le Covid-19 ?" looked to it like the general questions it was taught to refuse. A
logistic regression over sentence vectors (:mod:`bot.sentence_vectors`) tells the knowledge base's
questions (every entry, every language) from the out-of-scope examples of the training data; it is
fitted by the training step (:func:`fit_detector`, a few seconds once the vectors exist) and kept in
``models/crisis_detector.npz``. The router (``rasa_addons/crisis_questions.py``) asks it only for
messages the classifier called out of scope whose letters are close to a crisis question, so most
messages never pay for a sentence vector.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.sentence_vectors import Vectors, VectorStore

LOG = logging.getLogger(__name__)
#: Regularisation of the fit (sklearn's C), and the shortest knowledge base text taught as a question
#: (a keyword such as "masks" is no question).
FIT_C = 10.0
MIN_QUESTION_WORDS = 3


def detector_path(project_root: Path) -> Path:
    """Where the fitted detector is kept (beside the trained model)."""
    return project_root / "models" / "crisis_detector.npz"


class CrisisDetector:
    """The probability that a text is a crisis question rather than a general one; and the general
    texts it was fitted on, for the closest of them (:class:`bot.catalogue.crisis.MeaningScores`)."""

    def __init__(
        self, weights: Vectors, bias: float, store: VectorStore, general: Vectors | None = None
    ) -> None:
        self._weights = weights.astype(np.float32)
        self._bias = float(bias)
        self._store = store
        self.general: Vectors = (
            np.zeros((0, len(self._weights)), np.float32) if general is None else general.astype(np.float32)
        )
        """The out-of-scope examples' vectors (unit rows; none in a file fitted before they were kept)."""

    def probability(self, text: str) -> float:
        """0 to 1: how sure the detector is that ``text`` asks a crisis question."""
        score = float(self._store.encode(text) @ self._weights) + self._bias
        return float(1.0 / (1.0 + np.exp(-score)))

    @classmethod
    def load(cls, path: Path, store: VectorStore) -> CrisisDetector | None:
        """The fitted detector, or None when the training step has not fitted one."""
        if not path.exists():
            return None
        with np.load(path) as data:
            general = np.asarray(data["general"]) if "general" in data.files else None
            return cls(np.asarray(data["weights"]), float(data["bias"]), store, general)


def fit_detector(store: VectorStore, questions: Sequence[str], general: Sequence[str], path: Path) -> None:
    """Fit crisis questions against general ones (both classes weighed alike) and save the weights,
    with the general texts' vectors (float16: 2 MB for 2,500 texts)."""
    from sklearn.linear_model import LogisticRegression

    questions = [q for q in questions if len(q.split()) >= MIN_QUESTION_WORDS]
    vectors = store.vectors([*questions, *general])
    labels = np.array([1] * len(questions) + [0] * len(general))
    model = LogisticRegression(C=FIT_C, class_weight="balanced", max_iter=2000).fit(vectors, labels)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(
        path,
        weights=model.coef_[0].astype(np.float32),
        bias=np.float32(model.intercept_[0]),
        general=vectors[len(questions) :].astype(np.float16),
    )
    LOG.info("crisis detector fitted on %d questions and %d general texts", len(questions), len(general))
