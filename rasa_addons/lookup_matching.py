r"""Finding the catalogues' names in a message without a 12,000-way regular expression.

Rasa's ``RegexEntityExtractor`` turns each lookup table into one pattern, ``(\bform1\b|\bform2\b|...)``
(every form escaped), and runs ``re.finditer`` over the message with each. Baraza's tables hold about
12,000 forms (services, regions, topics and languages in six languages, with their spellings), and the
regular expression engine tries the alternatives one by one at every position: profiled under load,
the extractor was about 5 % of the Rasa server's CPU.

:func:`extract` finds the same matches by looking words up: a match of such a pattern starts and ends
at word boundaries (``\b``), so for each boundary, left to right, the spans up to the longest form
that end at a boundary are looked up in a dictionary of the lowercased forms; of the forms found there,
the one listed first wins, as the first alternative that matches wins in the pattern, and the search
goes on after it, as ``finditer`` does. Lowercasing stands in for ``re.IGNORECASE``: a text whose
lowercase has another length (a few characters, such as the Turkish dotted I, lowercase to two), a
form whose lowercase does, and a pattern not built the way Rasa builds lookup patterns, are left to
the regular expression. Tests compare both on the project's training data, its public evaluation
texts and edge cases.

:func:`apply` is called by ``rasa_addons.serve`` before the server starts; nothing changes on import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rasa.nlu.extractors.regex_entity_extractor import RegexEntityExtractor
from rasa.shared.nlu.constants import (
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

_ORIGINAL_EXTRACT = RegexEntityExtractor._extract_entities
_SEPARATOR = "\\b|\\b"
_UNESCAPE = re.compile(r"\\(.)", re.DOTALL)


@dataclass(frozen=True)
class Forms:
    """A lookup pattern's forms: each lowercased form's first place in the pattern, and the longest."""

    first: dict[str, int]
    longest: int


#: Per pattern string: its forms, or None for a pattern left to the regular expression.
_FORMS: dict[str, Forms | None] = {}


def forms_of(pattern: str) -> Forms | None:
    """The forms of a lookup pattern built as Rasa builds them with word boundaries, else None."""
    if pattern in _FORMS:
        return _FORMS[pattern]
    found: Forms | None = None
    if pattern.startswith("(\\b") and pattern.endswith("\\b)") and len(pattern) > 6:
        escaped = pattern[3:-3].split(_SEPARATOR)
        elements = [_UNESCAPE.sub(r"\1", e) for e in escaped]
        rebuilt = "(\\b" + _SEPARATOR.join(re.escape(e) for e in elements) + "\\b)"
        if rebuilt == pattern and all(elements) and all(len(e.lower()) == len(e) for e in elements):
            first: dict[str, int] = {}
            for index, element in enumerate(elements):
                first.setdefault(element.lower(), index)
            found = Forms(first, max(len(e) for e in elements))
    _FORMS[pattern] = found
    return found


def _is_word(character: str) -> bool:
    return character.isalnum() or character == "_"


def boundaries(text: str) -> list[int]:
    r"""The positions where ``\b`` holds in ``text`` (between a word character and another)."""
    words = [_is_word(c) for c in text]
    return [i for i in range(len(text) + 1) if (i > 0 and words[i - 1]) != (i < len(text) and words[i])]


def spans(text: str, forms: Forms) -> list[tuple[int, int]]:
    """Where ``re.finditer`` finds the pattern of ``forms`` in ``text`` (lowercase of the same length)."""
    lowered = text.lower()
    edges = boundaries(text)
    found: list[tuple[int, int]] = []
    resume = 0
    for position, start in enumerate(edges):
        if start < resume:
            continue
        best: tuple[int, int] | None = None  # (place in the pattern, end)
        for end in edges[position + 1 :]:
            if end - start > forms.longest:
                break
            place = forms.first.get(lowered[start:end])
            if place is not None and (best is None or place < best[0]):
                best = (place, end)
        if best is not None:
            found.append((start, best[1]))
            resume = best[1]
    return found


def extract(self: RegexEntityExtractor, message: Message) -> list[dict[str, Any]]:
    """``RegexEntityExtractor._extract_entities``, looking forms up instead of matching patterns."""
    text = str(message.get(TEXT) or "")
    if self.case_sensitive or len(text.lower()) != len(text):
        return list(_ORIGINAL_EXTRACT(self, message))
    entities: list[dict[str, Any]] = []
    for pattern in self.patterns:
        forms = forms_of(pattern["pattern"])
        if forms is None:
            found = [m.span() for m in re.finditer(pattern["pattern"], text, flags=re.IGNORECASE)]
        else:
            found = spans(text, forms)
        entities.extend(
            {
                ENTITY_ATTRIBUTE_TYPE: pattern["name"],
                ENTITY_ATTRIBUTE_START: start,
                ENTITY_ATTRIBUTE_END: end,
                ENTITY_ATTRIBUTE_VALUE: text[start:end],
            }
            for start, end in found
        )
    return entities


def apply() -> None:
    """Install :func:`extract` (idempotent)."""
    RegexEntityExtractor._extract_entities = extract  # type: ignore[method-assign]
