"""The administrative service catalogue (``config/catalogue/services*.yml``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.phrases import PhraseIndex
from bot.yaml_files import DataFileError, read_yaml_mapping

#: What a citizen can ask about a service; each is a field of every service in every language.
ASPECTS = (
    "overview",
    "eligibility",
    "documents",
    "fee",
    "processing_time",
    "where_to_apply",
    "opening_hours",
)
TEXT_FIELDS = ("name", *ASPECTS)


@dataclass(frozen=True)
class ServiceText:
    """A service as written in one language."""

    service_id: str
    name: str
    synonyms: tuple[str, ...]
    aspects: dict[str, str]  #: aspect -> text (documents joined as a list)

    def answer(self, aspect: str) -> str:
        """The text for one aspect."""
        return self.aspects[aspect]


@dataclass(frozen=True)
class Service:
    """A service: language-neutral facts and its text in every language."""

    service_id: str
    online_url: str
    fee_amounts: tuple[int, ...]
    texts: dict[str, ServiceText]


def _aspect_text(value: object) -> str:
    if isinstance(value, list):
        return "\n".join(f"• {item}" for item in value)
    return str(value).strip()


class ServiceCatalogue:
    """All services, with lookup by id and by the words citizens use."""

    def __init__(self, services: dict[str, Service]) -> None:
        self.services = services
        self._phrases = PhraseIndex()
        for service in services.values():
            for language, text in service.texts.items():
                for phrase in (text.name, *text.synonyms):
                    self._phrases.add(language, phrase, service.service_id)

    @property
    def ids(self) -> tuple[str, ...]:
        """Service ids in catalogue order."""
        return tuple(self.services)

    def get(self, service_id: str) -> Service | None:
        """The service with this id, if any."""
        return self.services.get(service_id)

    def text(self, service_id: str, language: str) -> ServiceText:
        """A service in one language."""
        return self.services[service_id].texts[language]

    def find_in_text(self, text: str, language: str) -> str | None:
        """The service a citizen's text names, trying their language first, then any language."""
        return self._phrases.find(text, language)


def load_services(config_dir: Path, languages: tuple[str, ...]) -> ServiceCatalogue:
    """Read the neutral service file and one text file per language."""
    neutral_path = config_dir / "catalogue" / "services.yml"
    neutral = read_yaml_mapping(neutral_path).get("services") or {}
    per_language = {}
    for code in languages:
        path = config_dir / "catalogue" / "services" / f"{code}.yml"
        per_language[code] = (path, read_yaml_mapping(path).get("services") or {})
    services: dict[str, Service] = {}
    for service_id, facts in neutral.items():
        texts: dict[str, ServiceText] = {}
        for code, (path, entries) in per_language.items():
            entry = entries.get(service_id)
            if not isinstance(entry, dict):
                raise DataFileError(f"{path}: service {service_id!r} is missing")
            missing = [f for f in TEXT_FIELDS if not entry.get(f)]
            if missing:
                raise DataFileError(f"{path}: service {service_id!r} lacks {', '.join(missing)}")
            texts[code] = ServiceText(
                service_id=service_id,
                name=str(entry["name"]).strip(),
                synonyms=tuple(str(s) for s in entry.get("synonyms") or ()),
                aspects={aspect: _aspect_text(entry[aspect]) for aspect in ASPECTS},
            )
        services[service_id] = Service(
            service_id=service_id,
            online_url=str(facts.get("online_url", "")),
            fee_amounts=tuple(int(a) for a in facts.get("fee_amounts") or ()),
            texts=texts,
        )
    for path, entries in per_language.values():
        unknown = set(entries) - set(services)
        if unknown:
            raise DataFileError(f"{path}: unknown service ids {sorted(unknown)}")
    return ServiceCatalogue(services)
