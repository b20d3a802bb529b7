"""Language identification restricted to the supported languages.

lingua decides, because it is accurate on the short texts citizens type. On sentence-length texts
where lingua is unsure, three second opinions (:mod:`bot.language.opinions`: langdetect, the design's
detector, langid.py and CLD3) each get a vote equal to lingua's; all are restricted to the supported
languages and deterministic. The other detectors are far weaker on single words and word pairs, and
mixing them in on short texts lowered accuracy, so they are not asked there; this also keeps
identification well under a millisecond for most messages. Figures: README "Benchmarks"
(bench/langid.py on the public test set, bench/langid_dev.py on texts the choices were made on).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Sequence

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from bot.language.opinions import Opinion, second_opinions

#: Second opinions are asked only from this many words on...
SECOND_OPINION_MIN_WORDS = 4
#: ...and only when lingua's best language has less than this confidence.
LINGUA_UNSURE_BELOW = 0.6
#: Scripts that only one supported language uses: a text mostly in them is that language.
UNIQUE_SCRIPTS = {"ARABIC": "ar"}
#: A text with this many words in such a script is that language too, whatever else it holds: "شغِّل
#: All Things Must Pass" or "أضف The Famous Flower إلى قائمة تشغيل" is written by someone who writes
#: Arabic, around names in English (every Arabic text of bench/real dev as a first message: 0.861
#: -> 0.997 in Arabic; no other language's text holds two Arabic words).
UNIQUE_SCRIPT_WORDS = 2


@dataclass(frozen=True)
class Detection:
    """The most likely language of a text, with the combined confidence (0–1)."""

    language: str | None
    confidence: float
    letters: int
    words: int
    #: How far the best language is ahead of the second (0–1); close relatives (es/pt) split the
    #: confidence, so the lead says more than the confidence alone.
    margin: float = 0.0


def script_counts(text: str) -> tuple[int, dict[str, int]]:
    """Count letters, and letters per script named in :data:`UNIQUE_SCRIPTS`."""
    letters = 0
    by_script: dict[str, int] = {}
    for char in text:
        if not char.isalpha():
            continue
        letters += 1
        name = unicodedata.name(char, "")
        for script in UNIQUE_SCRIPTS:
            if name.startswith(script):
                by_script[script] = by_script.get(script, 0) + 1
    return letters, by_script


def _words_in(text: str, script: str) -> int:
    """How many words of ``text`` are written in ``script`` (two letters or more, all of it)."""
    return sum(
        1
        for word in text.split()
        if len(letters := [ch for ch in word if ch.isalpha()]) >= 2
        and all(unicodedata.name(ch, "").startswith(script) for ch in letters)
    )


def language_bearing(text: str) -> str:
    """``text`` without the words that hold digits (ticket references such as K7P2QX, phone and ID
    numbers, codes): they say nothing about the language, and random letters in them can tip a short
    message to the wrong one. Unchanged when nothing with letters would be left."""
    kept = " ".join(word for word in text.split() if not any(ch.isdigit() for ch in word))
    return kept if any(ch.isalpha() for ch in kept) else text


class LanguageIdentifier:
    """Identify the language of a text among a fixed set of ISO 639-1 codes."""

    def __init__(
        self, codes: Sequence[str], seed: int = 0, opinions: Sequence[Opinion] | None = None
    ) -> None:
        self.codes = tuple(codes)
        lingua_languages = [
            Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in self.codes
        ]
        self._lingua: LanguageDetector = (
            LanguageDetectorBuilder.from_languages(*lingua_languages).with_preloaded_language_models().build()
        )
        self._opinions = tuple(opinions) if opinions is not None else second_opinions(self.codes, seed)

    def scores(self, text: str) -> dict[str, float]:
        """Combined confidence per language for ``text`` (at most 1 in all; empty without letters)."""
        letters, by_script = script_counts(text)
        if letters == 0:
            return {}
        for script, count in by_script.items():
            if count * 2 > letters or _words_in(text, script) >= UNIQUE_SCRIPT_WORDS:
                return {UNIQUE_SCRIPTS[script]: 1.0}
        lingua_scores = {
            value.language.iso_code_639_1.name.lower(): value.value
            for value in self._lingua.compute_language_confidence_values(text)
        }
        unsure = max(lingua_scores.values(), default=0.0) < LINGUA_UNSURE_BELOW
        if unsure and self._opinions and len(text.split()) >= SECOND_OPINION_MIN_WORDS:
            votes = [lingua_scores, *(opinion.scores(text) for opinion in self._opinions)]
            # a detector without an answer still counts: it gives no language any weight
            lingua_scores = {
                code: sum(vote.get(code, 0.0) for vote in votes) / len(votes) for code in self.codes
            }
        # rounded: lingua's sums differ in the last bits from call to call
        return {code: round(lingua_scores.get(code, 0.0), 6) for code in self.codes}

    def identify(self, text: str) -> Detection:
        """The most likely supported language of ``text`` (words with digits left out)."""
        text = language_bearing(text)
        letters, _ = script_counts(text)
        words = len([word for word in text.split() if any(ch.isalpha() for ch in word)])
        scores = self.scores(text)
        if not scores:
            return Detection(language=None, confidence=0.0, letters=0, words=words)
        ranked = sorted(scores.values(), reverse=True)
        best = max(scores, key=lambda code: scores[code])
        margin = ranked[0] - (ranked[1] if len(ranked) > 1 else 0.0)
        return Detection(language=best, confidence=scores[best], letters=letters, words=words, margin=margin)
