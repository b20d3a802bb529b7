"""The assistant's own sentences (``config/locales/<lang>.yml``)."""

from __future__ import annotations

import functools
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from bot.i18n.languages import LanguageRegistry
from bot.phrases import fold
from bot.yaml_files import DataFileError, read_yaml_mapping

#: Longest greeting or thanks compared with the lists, in words ("habari za asubuhi").
SHORT_TURN_WORDS = 4


def made_of_phrases(words: list[str], phrases: frozenset[str]) -> bool:
    """Whether ``words`` are one phrase of ``phrases`` after another, with nothing left over."""
    reachable = [True] + [False] * len(words)  # reachable[i]: the first i words are whole phrases
    for end in range(1, len(words) + 1):
        reachable[end] = any(
            reachable[start] and " ".join(words[start:end]) in phrases for start in range(end)
        )
    return reachable[-1]


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
    #: Texts of the agents' handoff inbox page.
    inbox: dict[str, str] = field(default_factory=dict)
    #: Concern category id -> name.
    concern_category_names: dict[str, str] = field(default_factory=dict)
    #: Concern category id -> cue words of a description about it (the start of a word, or a phrase).
    concern_category_cues: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Service aspect id -> cue words of a question about it ("fee": "cost", "how much"...).
    service_aspect_cues: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Words that introduce a place name ("alerts for Paris"), so that an unknown one is noticed.
    place_markers: tuple[str, ...] = ()
    #: Words that can follow a place marker without being a place ("alerts for today", "for me"): a
    #: name typed in lowercase ("alerts for paris") is a place only when it is none of them.
    not_places: tuple[str, ...] = ()
    #: Greetings, thanks, yes and no that make a whole first message in this language.
    short_turns: tuple[str, ...] = ()
    #: Intent -> words a message must contain before the assistant acts on that intent.
    intent_cues: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Intent -> words that show its cue is about something else ("cancel tomorrow's reminders" is no
    #: unsubscribing): with one, the assistant asks instead of acting.
    intent_cue_exceptions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: how a question opens ("how", "est-ce", "posso", "هل"): starts of words, folded
    question_words: tuple[str, ...] = ()
    #: how a request opens ("i want to", "je voudrais", "أريد"): like a question, a request is no report
    #: of a problem, so the concern form needs a report's word for it ("i want to eat at an eastern
    #: european restaurant" starts no report)
    request_openings: tuple[str, ...] = ()

    @functools.cached_property
    def folded_short_turns(self) -> frozenset[str]:
        """:attr:`short_turns`, folded as citizens' texts are before comparing."""
        return frozenset(fold(turn) for turn in self.short_turns)

    def text(self, key: str, **values: Any) -> str:
        """The message ``key``, with its ``{placeholders}`` filled from ``values``."""
        return self.messages[key].format(**values)

    def join(self, items: Iterable[str]) -> str:
        """Items as one list in this language's way: "a, b" in English, "أ، ب" in Arabic
        (``list_separator``); empty items are left out."""
        return self.messages["list_separator"].join(item for item in items if item)


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

    def short_turn_language(self, text: str) -> str | None:
        """The language of a whole message made of greetings, thanks, yes or no of exactly one
        language's list (``short_turns``): "Olá, tudo bem" is two of the Portuguese list. None when
        no list makes the whole message, or several do ("no", "ok")."""
        words = fold(text).split()
        if not words or len(words) > SHORT_TURN_WORDS:
            return None
        found = {
            code for code, locale in self.locales.items() if made_of_phrases(words, locale.folded_short_turns)
        }
        if found:
            return found.pop() if len(found) == 1 else None
        return self._greeting_first(words)

    def _greeting_first(self, words: list[str]) -> str | None:
        """The language of a short message that opens with one language's phrase and goes on with words
        of no list ("Olá para ti", "hola amigo", "salut toi"): the opening word says more than the rest,
        which is too short to identify. None when the opening is several languages' ("ok amigo") or
        the rest holds another list's phrase ("hola obrigado")."""
        opening: dict[str, int] = {}
        for code, locale in self.locales.items():
            lengths = [n for n in range(1, len(words)) if " ".join(words[:n]) in locale.folded_short_turns]
            if lengths:
                opening[code] = max(lengths)
        if len(opening) != 1:
            return None
        ((code, length),) = opening.items()
        rest = words[length:]
        for other, locale in self.locales.items():
            if other != code and any(word in locale.folded_short_turns for word in rest):
                return None
        return code

    def intent_cues(self) -> dict[str, frozenset[str]]:
        """Intent -> every language's cue words for it, folded; switching language is also cued by
        any name of a language."""
        cues = _folded_union(locale.intent_cues for locale in self.locales.values())
        if "switch_language" in cues:
            cues["switch_language"] |= {fold(name) for name in self.language_spellings()}
        return cues

    def intent_cue_exceptions(self) -> dict[str, frozenset[str]]:
        """Intent -> every language's words that make its cue about something else, folded."""
        return _folded_union(locale.intent_cue_exceptions for locale in self.locales.values())

    def question_words(self) -> frozenset[str]:
        """Every language's question openings, folded."""
        return frozenset(fold(word) for locale in self.locales.values() for word in locale.question_words)

    def request_openings(self) -> frozenset[str]:
        """Every language's request openings, folded."""
        return frozenset(fold(word) for locale in self.locales.values() for word in locale.request_openings)

    def concern_category_cues(self) -> dict[str, frozenset[str]]:
        """Concern category -> every language's cue words for it, folded."""
        return _folded_union(locale.concern_category_cues for locale in self.locales.values())

    def aspect_cues(self) -> dict[str, frozenset[str]]:
        """Service aspect -> every language's cue words for it, folded."""
        return _folded_union(locale.service_aspect_cues for locale in self.locales.values())

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
                inbox={str(k): str(v) for k, v in (raw.get("inbox") or {}).items()},
                concern_category_names={
                    str(k): str(v) for k, v in (raw.get("concern_category_names") or {}).items()
                },
                concern_category_cues={
                    str(k): tuple(str(w) for w in v or ())
                    for k, v in (raw.get("concern_category_cues") or {}).items()
                },
                service_aspect_cues={
                    str(k): tuple(str(w) for w in v or ())
                    for k, v in (raw.get("service_aspect_cues") or {}).items()
                },
                place_markers=tuple(str(w) for w in raw.get("place_markers") or ()),
                not_places=tuple(str(w) for w in raw.get("not_places") or ()),
                short_turns=tuple(str(w) for w in raw.get("short_turns") or ()),
                intent_cues={
                    str(k): tuple(str(w) for w in v) for k, v in (raw.get("intent_cues") or {}).items()
                },
                intent_cue_exceptions={
                    str(k): tuple(str(w) for w in v or ())
                    for k, v in (raw.get("intent_cue_exceptions") or {}).items()
                },
                question_words=tuple(str(w) for w in raw.get("question_words") or ()),
                request_openings=tuple(str(w) for w in raw.get("request_openings") or ()),
            )
        except (KeyError, AttributeError, TypeError) as error:
            raise DataFileError(f"{path}: missing or malformed section: {error}") from error
    return LocaleCatalogue(locales=locales)


def _folded_union(per_language: Iterable[Mapping[str, Iterable[str]]]) -> dict[str, frozenset[str]]:
    """Key -> the folded words every language gives it (the cue lists of the locales)."""
    merged: dict[str, set[str]] = {}
    for lists in per_language:
        for key, words in lists.items():
            merged.setdefault(key, set()).update(fold(word) for word in words)
    return {key: frozenset(words) for key, words in merged.items()}
