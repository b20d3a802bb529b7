"""The assistant's own sentences (``config/locales/<lang>.yml``)."""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.i18n.languages import LanguageRegistry
from bot.yaml_files import DataFileError, read_yaml_mapping


@dataclass(frozen=True)
class Locale:
    """The texts of one language."""

    code: str
    messages: dict[str, str]
    page: dict[str, str]
    language_names: dict[str, str]
    language_spellings: dict[str, list[str]]
    #: Whole-message words that opt a citizen out of every alert (lowercase).
    opt_out_keywords: tuple[str, ...] = ()
    #: Alert topic id -> name, and -> words citizens use for it (lowercase).
    alert_topic_names: dict[str, str] = field(default_factory=dict)
    alert_topic_spellings: dict[str, list[str]] = field(default_factory=dict)
    #: Ministry id -> official name.
    ministry_names: dict[str, str] = field(default_factory=dict)
    #: Texts of the ministry console page.
    console: dict[str, str] = field(default_factory=dict)
    #: Texts of the analyst dashboard page.
    dashboard: dict[str, str] = field(default_factory=dict)
    #: Concern category id -> name.
    concern_category_names: dict[str, str] = field(default_factory=dict)

    def text(self, key: str, **values: Any) -> str:
        """The message ``key``, with its ``{placeholders}`` filled from ``values``."""
        return self.messages[key].format(**values)


@dataclass(frozen=True)
class LocaleCatalogue:
    """All locales, by language code."""

    locales: dict[str, Locale]

    def __getitem__(self, code: str) -> Locale:
        return self.locales[code]

    def language_spellings(self) -> dict[str, str]:
        """Every way of writing a language's name, in any locale, mapped to its code."""
        spellings: dict[str, str] = {}
        for locale in self.locales.values():
            for code, name in locale.language_names.items():
                spellings[name.lower()] = code
            for code, forms in locale.language_spellings.items():
                for form in forms:
                    spellings[form.lower()] = code
        return spellings

    def opt_out_keywords(self) -> frozenset[str]:
        """Every language's opt-out words: STOP works whatever language the conversation is in."""
        return frozenset(word for locale in self.locales.values() for word in locale.opt_out_keywords)


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a message template expects."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def load_locales(config_dir: Path, languages: LanguageRegistry) -> LocaleCatalogue:
    """Read the locale file of every supported language."""
    locales: dict[str, Locale] = {}
    for code in languages.codes:
        path = config_dir / "locales" / f"{code}.yml"
        raw = read_yaml_mapping(path)
        try:
            locales[code] = Locale(
                code=code,
                messages={str(k): str(v) for k, v in raw["messages"].items()},
                page={str(k): str(v) for k, v in raw["page"].items()},
                language_names={str(k): str(v) for k, v in raw["language_names"].items()},
                language_spellings={
                    str(k): [str(form) for form in v] for k, v in raw.get("language_spellings", {}).items()
                },
                opt_out_keywords=tuple(str(w).lower() for w in raw.get("opt_out_keywords") or ()),
                alert_topic_names={str(k): str(v) for k, v in (raw.get("alert_topic_names") or {}).items()},
                alert_topic_spellings={
                    str(k): [str(form).lower() for form in v]
                    for k, v in (raw.get("alert_topic_spellings") or {}).items()
                },
                ministry_names={str(k): str(v) for k, v in (raw.get("ministry_names") or {}).items()},
                console={str(k): str(v) for k, v in (raw.get("console") or {}).items()},
                dashboard={str(k): str(v) for k, v in (raw.get("dashboard") or {}).items()},
                concern_category_names={
                    str(k): str(v) for k, v in (raw.get("concern_category_names") or {}).items()
                },
            )
        except (KeyError, AttributeError, TypeError) as error:
            raise DataFileError(f"{path}: missing or malformed section: {error}") from error
    return LocaleCatalogue(locales=locales)
