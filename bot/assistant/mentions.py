"""What a turn names from the catalogues: the entity, else a name found in the text, else what was
discussed before.

Catalogue lookups tag words in NLU, but a name can also be typed in a way the model did not see; and
a follow-up ("how much is it?") refers to the service or region already discussed. A name the
citizen gave that the catalogue does not know is never replaced by the earlier one: the answer says
it is unknown instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import Enum

from bot.assistant.subscriptions import topic_in_text
from bot.catalogue.bundle import Catalogues
from bot.phrases import fold


class Kind(str, Enum):
    """Catalogue entries a turn may name; the value is the NLU entity."""

    REGION = "region"
    SERVICE = "service"
    CRISIS_TOPIC = "crisis_topic"


@dataclass(frozen=True)
class Mention:
    """What a turn names of one kind."""

    value: str | None  #: a catalogue id, or None
    named_unknown: bool = False  #: the citizen named one, and the catalogue does not know it
    name: str = ""  #: what the citizen called it, when the catalogue does not know it


def _lookup(catalogues: Catalogues, kind: Kind) -> tuple[Collection[str], Callable[[str, str], str | None]]:
    if kind is Kind.REGION:
        return catalogues.regions.regions, catalogues.regions.find_in_text
    if kind is Kind.SERVICE:
        return catalogues.services.services, catalogues.services.find_in_text
    return catalogues.crisis.topic_ids, catalogues.crisis.find_in_text


def mentioned(
    catalogues: Catalogues,
    kind: Kind,
    entities: dict[str, str],
    text: str,
    language: str,
    earlier: object = None,
) -> Mention:
    """The entity if the catalogue knows it, else a name in ``text``, else ``earlier`` (a slot) when
    the citizen named nothing of this kind."""
    known, find_in_text = _lookup(catalogues, kind)
    named = entities.get(kind.value)
    if named in known:
        return Mention(named)
    found = find_in_text(text, language) if text else None
    if found:
        return Mention(found)
    if named:
        return Mention(None, named_unknown=True, name=named)
    place = unknown_place(catalogues, text, language) if kind is Kind.REGION else None
    if place:  # "alerts for Paris": never the region discussed before
        return Mention(None, named_unknown=True, name=place)
    return Mention(str(earlier) if earlier in known else None)


#: Words (with their apostrophes and hyphens), and each other sign on its own: a name ends at one.
_TOKEN = re.compile(r"[\w'’-]+|[^\w\s]")
_QUOTES = frozenset("\"'«»“”‘’„")
_END_MARKS = frozenset("?!.؟")
#: The longest place name looked for after a marker, in words.
PLACE_WORDS = 3


def unknown_place(catalogues: Catalogues, text: str, language: str) -> str | None:
    """A place name the citizen gave after a word like "in" or "for" (``place_markers``) that is no
    region and nothing else the catalogues know ("alerts for Paris"); None when there is none.

    A name is what looks like one: capitalised words in scripts with capitals, a word in others
    (Arabic), so "alerts for floods" or "alerts for today" name no place. Typed in lowercase ("alerts
    for paris"), the words that end the message are the name, unless they are ``not_places`` ("for
    me", "for today", a stop-word) or anything the catalogues know.
    """
    locale = catalogues.locales[language]
    markers = [fold(m).split() for m in locale.place_markers]
    words = [token for token in _TOKEN.findall(text) if token not in _QUOTES]
    folded = [fold(word) for word in words]
    starts = [
        i + len(marker)
        for i in range(len(folded))
        for marker in markers
        if marker and folded[i : i + len(marker)] == marker
    ]
    if not starts:
        return None
    rest = words[max(starts) :]
    candidate = _name_at(rest) or _lowercase_name(rest, _not_places(catalogues, language))
    if not candidate or _known(catalogues, candidate, language):
        return None
    return candidate


def _known(catalogues: Catalogues, name: str, language: str) -> bool:
    """Whether the catalogues know ``name`` (a region, a service, a crisis topic, an alert topic)."""
    return bool(
        catalogues.regions.find_in_text(name, language)
        or catalogues.services.find_in_text(name, language)
        or catalogues.crisis.find_in_text(name, language)
        or topic_in_text(catalogues, name, language)
    )


def _not_places(catalogues: Catalogues, language: str) -> frozenset[str]:
    """Words that are no place name: the language's ``not_places`` and its stop-words."""
    listed = frozenset(fold(word) for word in catalogues.locales[language].not_places)
    return listed | catalogues.stopwords.by_language.get(language, frozenset())


#: A name typed in lowercase is at most this many words, and each at least this many letters.
LOWERCASE_NAME_WORDS, NAME_LETTERS = 2, 3


def _lowercase_name(words: list[str], not_places: frozenset[str]) -> str:
    """The words that end the message, as a name typed in lowercase ("for paris", "in new york?"): ""
    when more or other words follow, or when one of them is no place ("for me today")."""
    words = [word for word in words if word not in _END_MARKS]
    if not 1 <= len(words) <= LOWERCASE_NAME_WORDS:
        return ""
    if not all(w.isalpha() and len(w) >= NAME_LETTERS and fold(w) not in not_places for w in words):
        return ""
    return " ".join(word[:1].upper() + word[1:] for word in words)


def lone_name(text: str) -> str:
    """The text itself when it is only a name ("Paris", "New York", "باريس"), else ""."""
    words = [word for word in _TOKEN.findall(text) if word not in _QUOTES and word not in _END_MARKS]
    name = _name_at(words)
    return name if name and len(name.split()) == len(words) else ""


def place_answer(catalogues: Catalogues, text: str, language: str) -> str:
    """The place an answer to "which region?" names that is no region: "for Paris", "Paris", or one
    word in lowercase ("paris"); "" when it names none (or a region, or anything else known)."""
    found = unknown_place(catalogues, text, language)
    if found:
        return found
    words = [word for word in _TOKEN.findall(text) if word not in _QUOTES and word not in _END_MARKS]
    name = lone_name(text) or (
        _lowercase_name(words, _not_places(catalogues, language)) if len(words) == 1 else ""
    )
    return "" if not name or _known(catalogues, name, language) else name


def _name_at(words: list[str]) -> str:
    """The name the words start with: capitalised words (up to :data:`PLACE_WORDS`) in scripts with
    capitals, the first word in others; "" when they start with no name ("for floods")."""
    first = words[0][:1] if words else ""
    if not first.isalpha():
        return ""
    if first.lower() == first.upper():  # a script without capitals (Arabic)
        return words[0]
    name = []
    for word in words[:PLACE_WORDS]:
        if not word[:1].isupper():
            break
        name.append(word)
    return " ".join(name)


def region_typed(
    catalogues: Catalogues, entities: dict[str, str], text: str, language: str
) -> tuple[str | None, str, bool]:
    """What a text typed at "which region?" names: the region (or None), a place that is no region
    (its name, or ""), and whether it named neither (the question is then asked once more)."""
    region = mentioned(catalogues, Kind.REGION, entities, text, language)
    place = region.name or ("" if region.value else place_answer(catalogues, text, language))
    return region.value, place, region.value is None and not place
