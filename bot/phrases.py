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


def find_phrases(text: str, phrases: dict[str, str]) -> list[tuple[int, int, str]]:
    """Find catalogue phrases in ``text`` (both folded), longest first, without overlaps.

    Args:
        text: folded text to search.
        phrases: folded phrase -> id.

    Returns:
        (start, end, id) of each match, in order of position.
    """
    padded = f" {text} "
    taken: list[tuple[int, int, str]] = []
    for phrase in sorted(phrases, key=len, reverse=True):
        if not phrase:
            continue
        needle = f" {phrase} "
        start = padded.find(needle)
        while start != -1:
            span = (start, start + len(phrase))
            if all(span[1] <= s or span[0] >= e for s, e, _ in taken):
                taken.append((span[0], span[1], phrases[phrase]))
            start = padded.find(needle, start + 1)
    return sorted(taken)


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

    def add(self, language: str, phrase: str, value: str) -> None:
        """Index ``phrase`` (folded, and by its base form) in ``language`` as a name of ``value``."""
        self._tables.setdefault(language, {})[fold(phrase)] = value
        base, bases = base_form(phrase), self._bases.setdefault(language, {})
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
            for found in (find_phrases(folded, table), find_phrases(based, self._base_table(code)))
            for _, _, value in found
        }

    def find(self, text: str, language: str) -> str | None:
        """The value of the first phrase found in ``text``, trying ``language`` first, then the others."""
        folded, based = fold(text), base_form(text)
        for code in [language, *[other for other in self._tables if other != language]]:
            matches = find_phrases(folded, self._tables.get(code, {})) or find_phrases(
                based, self._base_table(code)
            )
            if matches:
                return matches[0][2]
        return None
