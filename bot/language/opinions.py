"""Second opinions on a text's language, asked when lingua is unsure of a sentence.

Each detector is restricted to the supported languages and answers a confidence per language
(empty when it has no answer). They are independent models: langdetect (character n-grams, naive
Bayes; the design's detector), langid.py (byte n-grams, multinomial naive Bayes trained on five
domains) and Google's CLD3 (a small neural network over character n-grams). Their equal vote with
lingua was chosen on our own texts and installed translations, not on the public test set
(bench/langid_dev.py): a sixth to a quarter fewer errors on sentences than lingua with langdetect.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, Sequence

import gcld3
import langdetect
from langdetect.detector_factory import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException
from langid.langid import LanguageIdentifier as LangidModel
from langid.langid import model as langid_model


class Opinion(Protocol):
    """A language detector restricted to the supported languages."""

    def scores(self, text: str) -> dict[str, float]: ...


class LangdetectOpinion:
    """langdetect with only the supported languages' profiles, seeded so answers repeat."""

    def __init__(self, codes: Sequence[str], seed: int = 0) -> None:
        self._factory = DetectorFactory()
        profiles_dir = Path(langdetect.__file__).parent / "profiles"
        self._factory.load_json_profile([(profiles_dir / code).read_text(encoding="utf-8") for code in codes])
        self._factory.set_seed(seed)

    def scores(self, text: str) -> dict[str, float]:
        detector = self._factory.create()
        detector.append(text)
        try:
            return {found.lang: found.prob for found in detector.get_probabilities()}
        except LangDetectException:
            return {}


class LangidOpinion:
    """langid.py restricted to the supported languages, with probabilities normalised over them."""

    def __init__(self, codes: Sequence[str]) -> None:
        self._model = LangidModel.from_modelstring(langid_model, norm_probs=True)
        self._model.set_languages(list(codes))

    def scores(self, text: str) -> dict[str, float]:
        return {code: float(probability) for code, probability in self._model.rank(text)}


class Cld3Opinion:
    """CLD3's best language, when it is a supported one (CLD3 cannot be restricted, and its
    runners-up are the languages of other parts of a mixed text, not alternatives)."""

    def __init__(self, codes: Sequence[str]) -> None:
        self._codes = frozenset(codes)
        self._model = gcld3.NNetLanguageIdentifier(min_num_bytes=0, max_num_bytes=1000)

    def scores(self, text: str) -> dict[str, float]:
        result = self._model.FindLanguage(text)
        return {result.language: float(result.probability)} if result.language in self._codes else {}


def second_opinions(codes: Sequence[str], seed: int = 0) -> tuple[Opinion, ...]:
    """The detectors consulted beside lingua."""
    return (LangdetectOpinion(codes, seed), LangidOpinion(codes), Cld3Opinion(codes))
