"""What a turn names from the catalogues: the entity, else a name found in the text, else what was
discussed before.

Catalogue lookups tag words in NLU, but a name can also be typed in a way the model did not see; and
a follow-up ("how much is it?") refers to the service or region already discussed. A name the
citizen gave that the catalogue does not know is never replaced by the earlier one: the answer says
it is unknown instead.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import Enum

from bot.catalogue.bundle import Catalogues


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
        return Mention(None, named_unknown=True)
    return Mention(str(earlier) if earlier in known else None)
