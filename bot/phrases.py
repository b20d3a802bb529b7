"""Matching what citizens type with catalogue names: folding (case, accents, Arabic letter forms) and
finding phrases in a text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_SPACES = re.compile(r"\s+")
#: Arabic diacritics (harakat) and tatweel, which citizens type inconsistently.
_ARABIC_MARKS = re.compile(r"[\u064B-\u065F\u0670\u0640]")
#: Letters typed interchangeably: Arabic hamza/alef forms, alef maqsura, ta marbuta; the typographic
#: apostrophe.
_LETTER_VARIANTS = str.maketrans("أإآىة’", "ااايه'")


def fold(text: str) -> str:
    """Lowercase, strip accents and Arabic diacritics, unify Arabic letter variants, squeeze spaces.

    Used to compare what a citizen typed with catalogue names: "Carte d'Identité" and
    "carte d identite" fold to the same words.
    """
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _ARABIC_MARKS.sub("", text)
    text = text.translate(_LETTER_VARIANTS)
    text = re.sub(r"[^\w']+", " ", text).replace("'", " ")
    return _SPACES.sub(" ", text).strip()


#: Arabic glues the article, and a preposition or conjunction before it, to the word: "بالفيضانات" is
#: "with the floods", "للحرائق" "for the fires".
_ARABIC_ARTICLES = ("وبال", "وال", "فال", "بال", "كال", "لل", "ال")
_ARABIC_WORD = re.compile(r"^[\u0621-\u064A]+$")


def arabic_base(word: str) -> str:
    """A folded Arabic word without its article (and what is glued before it), its sound feminine
    plural (ات) or its ta marbuta (folded to ه); any other word unchanged.

    Applied alike to catalogue names and to what citizens type, so "الفيضانات", "بالفيضانات" and
    "فيضانات" all meet "فيضان". Broken plurals (سيول for سيل) are not derived: they are listed.
    """
    if not _ARABIC_WORD.match(word):
        return word
    for article in _ARABIC_ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 2:
            word = word[len(article) :]
            break
    if len(word) >= 5 and word.endswith("ات"):
        return word[:-2]
    if len(word) >= 4 and word.endswith("ه"):
        return word[:-1]
    return word


def base_form(text: str) -> str:
    """``fold(text)`` with every Arabic word reduced by :func:`arabic_base` (same number of words)."""
    return " ".join(arabic_base(word) for word in fold(text).split())


#: Arabic words carry their conjunctions and prepositions: "وامسح" is "and erase".
_PROCLITICS = ("وال", "بال", "فال", "لل", "ال", "و", "ف", "ب", "ل")


def _word_forms(word: str) -> list[str]:
    return [word, *(word[len(p) :] for p in _PROCLITICS if word.startswith(p) and len(word) > len(p) + 1)]


def cues_found(text: str, cues: Iterable[str]) -> set[str]:
    """The cues (folded) that ``text`` holds: a word starting with a one-word cue (Arabic words also
    without what is glued before them), or a cue phrase of whole words."""
    folded = fold(text)
    words = [form for word in folded.split() for form in _word_forms(word)]
    padded = f" {folded} "
    return {
        cue
        for cue in cues
        if cue
        and (
            (" " in cue and f" {cue} " in padded)
            or (" " not in cue and any(w.startswith(cue) for w in words))
        )
    }


def asks(text: str, openings: Iterable[str]) -> bool:
    """Whether ``text`` is put as a question: it holds a question mark, or opens with one of
    ``openings`` (folded whole words: "how", "est ce", "هل"). A report of a problem tells ("the
    clinic has no medicine"); a question about the same thing asks ("can the clinic give medicine?")."""
    if "?" in text or "؟" in text or "¿" in text:
        return True
    padded = f"{fold(text)} "
    return any(opening and padded.startswith(f"{opening} ") for opening in openings)


def find_phrases(
    text: str, phrases: dict[str, str], longest: int | None = None
) -> list[tuple[int, int, str]]:
    """Find catalogue phrases in ``text`` (both folded), longest first, without overlaps.

    The text's runs of one to ``longest`` words are looked up in ``phrases``, so the cost follows the
    text's length, not the catalogue's (thousands of phrases: a scan of each took milliseconds).

    Args:
        text: folded text to search.
        phrases: folded phrase -> id.
        longest: the most words a phrase has (counted from ``phrases`` when not given).

    Returns:
        (start, end, id) of each match, in order of position.
    """
    if longest is None:
        longest = most_words(phrases)
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    found: list[tuple[int, int, int, str]] = []  # (-length, start, end, id)
    for first in range(len(words)):
        for last in range(first, min(first + longest, len(words))):
            start, end = words[first][0], words[last][1]
            value = phrases.get(text[start:end])
            if value is not None:
                found.append((start - end, start, end, value))
    taken: list[tuple[int, int, str]] = []
    for _, start, end, value in sorted(found):
        if all(end <= s or start >= e for s, e, _ in taken):
            taken.append((start, end, value))
    return sorted(taken)


#: A word of a folded text: what a space separates.
_WORD = re.compile(r"[^ ]+")


def most_words(phrases: Iterable[str]) -> int:
    """The number of words of the longest of ``phrases`` (0 for none)."""
    return max((phrase.count(" ") + 1 for phrase in phrases if phrase), default=0)


class PhraseIndex:
    """Catalogue phrases per language, searched in a citizen's text (their language first).

    A phrase is found as written (folded) first, else by its base form (:func:`base_form`: "الفيضانات"
    for "فيضانات"); a base form that two entries share ("مساعدة" help, "مساعدات" aid) is only found as
    written.
    """

    def __init__(self) -> None:
        self._tables: dict[str, dict[str, str]] = {}
        self._bases: dict[str, dict[str, str]] = {}
        self._shared_bases: dict[str, set[str]] = {}
        self._found_by_base: dict[str, dict[str, str]] = {}  #: the bases found, built on first use
        self._longest: dict[str, int] = {}  #: words of the longest phrase per language

    def add(self, language: str, phrase: str, value: str) -> None:
        """Index ``phrase`` (folded, and by its base form) in ``language`` as a name of ``value``."""
        folded = fold(phrase)
        self._tables.setdefault(language, {})[folded] = value
        base, bases = base_form(phrase), self._bases.setdefault(language, {})
        self._longest[language] = max(
            self._longest.get(language, 0), most_words([folded]), most_words([base])
        )
        if bases.get(base, value) != value:
            self._shared_bases.setdefault(language, set()).add(base)
        bases[base] = value
        self._found_by_base.pop(language, None)

    def _base_table(self, language: str) -> dict[str, str]:
        if language not in self._found_by_base:
            shared = self._shared_bases.get(language, set())
            bases = self._bases.get(language, {})
            self._found_by_base[language] = {b: v for b, v in bases.items() if b not in shared}
        return self._found_by_base[language]

    def find_all(self, text: str) -> set[str]:
        """The values of every phrase found in ``text``, in any language."""
        folded, based = fold(text), base_form(text)
        return {
            value
            for code, table in self._tables.items()
            for found in (
                find_phrases(folded, table, self._longest[code]),
                find_phrases(based, self._base_table(code), self._longest[code]),
            )
            for _, _, value in found
        }

    def find(self, text: str, language: str) -> str | None:
        """The value of the first phrase found in ``text``, trying ``language`` first, then the others."""
        folded, based = fold(text), base_form(text)
        for code in [language, *[other for other in self._tables if other != language]]:
            longest = self._longest.get(code, 0)
            matches = find_phrases(folded, self._tables.get(code, {}), longest) or find_phrases(
                based, self._base_table(code), longest
            )
            if matches:
                return matches[0][2]
        return None
