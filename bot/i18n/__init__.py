"""Languages and the assistant's own sentences, one data file per language."""

from bot.i18n.languages import Language, LanguageRegistry, load_languages
from bot.i18n.messages import Locale, LocaleCatalogue, load_locales

__all__ = [
    "Language",
    "LanguageRegistry",
    "Locale",
    "LocaleCatalogue",
    "load_languages",
    "load_locales",
]
