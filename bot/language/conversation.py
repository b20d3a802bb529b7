"""The language a conversation keeps from one turn to the next.

A conversation's language changes only on clear evidence: an explicit request ("in French please",
the language menu), or a turn long enough for identification to be reliable whose best language is
well ahead of the next. Short turns ("ok", "oui", a place name) never flip it. The first turn starts from the
channel's hint (browser language, Telegram ``language_code``) unless the text clearly says otherwise;
without a hint, a first message that is a greeting, thanks, yes or no of one language's word list
("Hola", "bom dia", "habari") starts the conversation in that language, and a first message of a few
words starts it in the language leading the others, even by a little: there is nothing to protect yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.language.identify import Detection

#: A turn needs at least this many words to switch a conversation's language...
SWITCH_MIN_WORDS = 3
#: ...and its best language this far ahead of the second (confidence 0.75 against 0.25, say).
SWITCH_MIN_MARGIN = 0.50
#: On a first turn without a channel hint, a short text must be this clearly in one language to
#: beat the default ("bonjour" and "habari" are; "hello" and "ok" are not).
FIRST_TURN_MIN_CONFIDENCE = 0.70
#: A first turn has no language to protect yet: a text of SWITCH_MIN_WORDS words or more whose best
#: language leads by this much is in that language rather than the default ("quero falar com um
#: atendente" leads by 0.33, "no tengo olfato ni gusto desde ayer" by 0.38). On every text of the
#: public dev set (bench/real) as a first message: Portuguese 0.755 -> 0.874, French 0.951 -> 0.992,
#: Spanish 0.958 -> 0.972, English unchanged (0.997); with Swahili as the default, English 0.926 ->
#: 0.975 and Swahili 1.000 -> 0.992 (0.20: Portuguese 0.854; 0.10: 0.877, English 0.980).
FIRST_TURN_MIN_MARGIN = 0.15


class Identifier(Protocol):
    """Anything that identifies the language of a text."""

    def identify(self, text: str) -> Detection: ...


@dataclass(frozen=True)
class LanguageDecision:
    """The language to answer a turn in, and why."""

    language: str
    changed: bool
    reason: str


def is_clear(detection: Detection) -> bool:
    """Whether a detection is strong enough to change a conversation's language."""
    if detection.language is None:
        return False
    if detection.confidence >= 0.999 and detection.letters >= 2:
        return True  # a script only one supported language uses (Arabic)
    return detection.words >= SWITCH_MIN_WORDS and detection.margin >= SWITCH_MIN_MARGIN


def decide_language(
    text: str,
    current: str | None,
    *,
    identifier: Identifier,
    default: str,
    hint: str | None = None,
    requested: str | None = None,
    short_turn: str | None = None,
) -> LanguageDecision:
    """Choose the language for this turn.

    Args:
        text: what the citizen wrote (empty for button payloads).
        current: the conversation's language so far, or None on the first turn.
        identifier: language identification for ``text``.
        default: the deployment's default language.
        hint: a supported language the channel suggests (browser, Telegram), if any.
        requested: a supported language the citizen explicitly asked for, if any.
        short_turn: the language whose greetings, thanks, yes or no ``text`` is, if exactly one.
    """
    if requested:
        return LanguageDecision(requested, requested != current, "requested")
    detection = identifier.identify(text) if text.strip() else Detection(None, 0.0, 0, 0)
    if current is None:
        if is_clear(detection):
            assert detection.language is not None
            return LanguageDecision(detection.language, True, "detected")
        if hint:
            return LanguageDecision(hint, True, "channel hint")
        if short_turn:
            return LanguageDecision(short_turn, True, "greeting")
        if detection.language and detection.confidence >= FIRST_TURN_MIN_CONFIDENCE:
            return LanguageDecision(detection.language, True, "detected (weak)")
        if (
            detection.language
            and detection.words >= SWITCH_MIN_WORDS
            and detection.margin >= FIRST_TURN_MIN_MARGIN
        ):
            return LanguageDecision(detection.language, True, "detected (first turn)")
        return LanguageDecision(default, True, "default")
    if is_clear(detection) and detection.language != current:
        assert detection.language is not None
        return LanguageDecision(detection.language, True, "detected switch")
    return LanguageDecision(current, False, "kept")
