"""Language identification on texts that design choices may be made on (never the public test set).

Usage: ``python -m bench.langid_dev``. Two sources, neither of them in ../shared/benchmarks/langid/:

- **own**: Baraza's texts: NLU training examples, the held-out NLU set, the locales and catalogues;
- **gettext**: the human translations installed on this machine (``/usr/share/locale/<lang>/
  LC_MESSAGES/*.mo``: French, Spanish, Portuguese, Arabic, and their English originals; Debian ships
  almost nothing in Swahili). Software messages, so noisier than chat (untranslated terms), but
  thousands of independent sentences in the languages lingua confuses most (Spanish, Portuguese).

For texts of 2–3 and of 4+ words it prints the errors of lingua alone, of lingua with langdetect (the
design before second opinions), and of Baraza's identifier (lingua, langdetect, langid.py, CLD3).
"""

from __future__ import annotations

import gettext
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

from bot.language.identify import LanguageIdentifier, language_bearing
from bot.language.opinions import LangdetectOpinion
from bot.settings import PROJECT_ROOT

LANGUAGES = ("en", "fr", "es", "ar", "pt", "sw")
LOCALE_DIRS = {"fr": ("fr",), "es": ("es",), "pt": ("pt", "pt_BR"), "ar": ("ar",), "sw": ("sw",)}
#: Per language and source at most this many texts (a random sample, fixed seed).
SAMPLE = 3000
PLACEHOLDERS = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|\{[^}]*\}|<[^>]+>|&\w+;|\$\{?\w+\}?|_")
#: Paths, options, identifiers: not language.
TECHNICAL = re.compile(r"[/\\=]|--|\w\.\w")
ANNOTATION = re.compile(r"\[([^\]]*)\]\{[^}]*\}|\[([^\]]*)\]\([^)]*\)")


def tidy(text: str) -> str:
    """``text`` without placeholders and markup, spaces collapsed."""
    return " ".join(PLACEHOLDERS.sub(" ", text).split())


def usable(text: str) -> bool:
    """Two words or more, and no paths, options or identifiers."""
    return len(text.split()) >= 2 and not TECHNICAL.search(text)


def gettext_texts(root: Path = Path("/usr/share/locale")) -> dict[str, list[str]]:
    """Translated messages per language, and their English originals, of 2 words or more."""
    found: dict[str, set[str]] = {code: set() for code in LANGUAGES}
    for code, dirs in LOCALE_DIRS.items():
        for locale in dirs:
            for path in sorted((root / locale / "LC_MESSAGES").glob("*.mo")):
                try:
                    with path.open("rb") as handle:
                        catalog: dict[Any, str] = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
                except (OSError, ValueError, UnicodeDecodeError):
                    continue
                for key, value in catalog.items():
                    original = tidy(key[0] if isinstance(key, tuple) else key)
                    translation = tidy(value)
                    if translation != original and usable(translation):
                        found[code].add(translation)
                    if usable(original):
                        found["en"].add(original)
    return {code: sample(texts) for code, texts in found.items()}


def strings(value: object) -> Iterator[str]:
    """Every string in a YAML document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def by_language(value: object, found: dict[str, set[str]]) -> None:
    """Strings under a language-code key anywhere in a catalogue document."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in found and isinstance(item, str):
                found[key].add(tidy(item))
            else:
                by_language(item, found)
    elif isinstance(value, list):
        for item in value:
            by_language(item, found)


def own_texts() -> dict[str, list[str]]:
    """Baraza's own texts per language."""
    found: dict[str, set[str]] = {code: set() for code in LANGUAGES}
    for code in LANGUAGES:
        for path in (
            PROJECT_ROOT / "data" / "nlu" / f"{code}.yml",
            PROJECT_ROOT / "tests" / "nlu" / "heldout" / f"{code}.yml",
        ):
            for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
                for line in (block.get("examples") or "").splitlines():
                    text = ANNOTATION.sub(lambda m: m.group(1) or m.group(2), line.strip().removeprefix("- "))
                    found[code].add(text.strip())
        locale = yaml.safe_load(
            (PROJECT_ROOT / "config" / "locales" / f"{code}.yml").read_text(encoding="utf-8")
        )
        found[code].update(tidy(text) for text in strings(locale))
    for path in sorted((PROJECT_ROOT / "config" / "catalogue").rglob("*.yml")):
        by_language(yaml.safe_load(path.read_text(encoding="utf-8")), found)
    return {code: sample(texts) for code, texts in found.items()}


def sample(texts: set[str]) -> list[str]:
    """At most :data:`SAMPLE` of ``texts``, the same ones on every run."""
    ordered = sorted(text for text in texts if text)
    random.Random(1).shuffle(ordered)
    return ordered[:SAMPLE]


def errors(
    identify: Callable[[str], str | None], texts: dict[str, list[str]], words: range
) -> tuple[int, int, Counter[str]]:
    """(texts measured, errors, errors per true language) over texts whose word count is in ``words``."""
    measured = wrong = 0
    per_language: Counter[str] = Counter()
    for code, items in texts.items():
        for text in items:
            if len(language_bearing(text).split()) not in words:
                continue
            measured += 1
            if identify(text) != code:
                wrong += 1
                per_language[code] += 1
    return measured, wrong, per_language


def main() -> None:
    """Print errors per source, length and identifier."""
    identifiers = {
        "lingua": LanguageIdentifier(LANGUAGES, opinions=()),
        "lingua+langdetect": LanguageIdentifier(LANGUAGES, opinions=(LangdetectOpinion(LANGUAGES),)),
        "baraza": LanguageIdentifier(LANGUAGES),
    }
    sources = {"own": own_texts(), "gettext": gettext_texts()}
    for source, texts in sources.items():
        print(f"{source}: " + ", ".join(f"{code} {len(items)}" for code, items in texts.items()))
    print(
        f"{'source':<9}{'words':<7}{'n':>6}"
        + "".join(f"{name:>19}" for name in identifiers)
        + "   baraza's errors by language"
    )
    for source, texts in sources.items():
        for label, words in (("2-3", range(2, 4)), ("4+", range(4, 10_000))):
            results = [
                errors(lambda text, i=identifier: i.identify(text).language, texts, words)  # type: ignore[misc]
                for identifier in identifiers.values()
            ]
            measured = results[0][0]
            row = f"{source:<9}{label:<7}{measured:>6}"
            row += "".join(f"{wrong:>11} ({wrong / max(measured, 1):.3f})" for _, wrong, _ in results)
            print(row + "   " + ", ".join(f"{code} {count}" for code, count in results[-1][2].most_common()))


if __name__ == "__main__":
    main()
