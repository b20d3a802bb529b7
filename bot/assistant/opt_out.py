"""Opt-out keywords: the words that, sent alone, stop every alert (STOP, arrêt, baja, sitisha...)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n.languages import load_languages
from bot.i18n.messages import load_locales
from bot.phrases import fold
from bot.settings import load_settings


@dataclass(frozen=True)
class OptOutKeywords:
    """The opt-out words of every supported language, normalised."""

    words: frozenset[str]

    @classmethod
    def from_config(cls) -> OptOutKeywords:
        """Read the keywords from the locales of the configured languages."""
        config_dir = load_settings().config_dir
        locales = load_locales(config_dir, load_languages(config_dir))
        return cls(frozenset(fold(word) for word in locales.opt_out_keywords()))

    def matches(self, text: str) -> bool:
        """Whether ``text`` is nothing but an opt-out keyword (short messages only)."""
        return len(text) <= 40 and fold(text) in self.words
