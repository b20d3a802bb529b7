import pytest

from bot.language.conversation import decide_language
from bot.language.identify import LanguageIdentifier


@pytest.mark.parametrize("turn", ["ok", "oui", "Dakar", "yes", "Bandari", "passport", "merci", "1"])
def test_short_turns_keep_the_conversation_language(identifier: LanguageIdentifier, turn: str) -> None:
    decision = decide_language(turn, "fr", identifier=identifier, default="en")
    assert decision.language == "fr"
    assert not decision.changed


def test_a_clear_sentence_in_another_language_switches(identifier: LanguageIdentifier) -> None:
    decision = decide_language(
        "Ninahitaji kujua ada ya pasipoti tafadhali", "fr", identifier=identifier, default="en"
    )
    assert decision.language == "sw"
    assert decision.changed


def test_an_explicit_request_wins(identifier: LanguageIdentifier) -> None:
    decision = decide_language("in French please", "en", identifier=identifier, default="en", requested="fr")
    assert decision.language == "fr"


def test_first_turn_uses_the_channel_hint_for_short_text(identifier: LanguageIdentifier) -> None:
    decision = decide_language("ok", None, identifier=identifier, default="en", hint="pt")
    assert decision.language == "pt"


def test_first_turn_clear_text_beats_the_hint(identifier: LanguageIdentifier) -> None:
    decision = decide_language(
        "Combien coûte une carte d'identité ?", None, identifier=identifier, default="en", hint="en"
    )
    assert decision.language == "fr"


def test_first_turn_ambiguous_word_falls_back_to_default(identifier: LanguageIdentifier) -> None:
    assert decide_language("hello", None, identifier=identifier, default="en").language == "en"
    assert decide_language("bonjour", None, identifier=identifier, default="en").language == "fr"


def test_empty_text_keeps_language(identifier: LanguageIdentifier) -> None:
    assert decide_language("", "ar", identifier=identifier, default="en").language == "ar"


def test_first_turn_spanish_beats_an_english_browser_hint(identifier: LanguageIdentifier) -> None:
    """Spanish and Portuguese share much vocabulary: the lead over the runner-up decides."""
    decision = decide_language(
        "Hola, ¿qué documentos necesito para el pasaporte?",
        None,
        identifier=identifier,
        default="en",
        hint="en",
    )
    assert decision.language == "es"
