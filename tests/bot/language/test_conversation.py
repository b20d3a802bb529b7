import pytest

from bot.catalogue.bundle import Catalogues
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


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hola", "es"),
        ("Salut", "fr"),
        ("bom dia", "pt"),
        ("buenas tardes", "es"),
        ("Habari", "sw"),
        ("mambo vipi", "sw"),
        ("السلام عليكم", "ar"),
        ("merci!", "fr"),
        ("Olá", "pt"),
        ("asante sana", "sw"),
        ("Olá, tudo bem?", "pt"),  # two phrases of one list
        ("Sim claro.", "pt"),
        ("hola, ¿qué tal?", "es"),
        ("habari gani", "sw"),
        ("Olá para ti", "pt"),  # a greeting, then words of no list
        ("hola amigo", "es"),
        ("salut toi", "fr"),
    ],
)
def test_a_first_greeting_sets_the_language_of_its_list(
    identifier: LanguageIdentifier, catalogues: Catalogues, text: str, language: str
) -> None:
    short_turn = catalogues.locales.short_turn_language(text)
    decision = decide_language(text, None, identifier=identifier, default="en", short_turn=short_turn)
    assert decision.language == language  # Arabic script decides by itself; the others by their list
    assert decision.reason == ("detected" if language == "ar" else "greeting")


def test_a_greeting_of_several_lists_or_a_later_one_decides_nothing(
    identifier: LanguageIdentifier, catalogues: Catalogues
) -> None:
    assert catalogues.locales.short_turn_language("no") is None  # English and Spanish
    assert catalogues.locales.short_turn_language("ok") is None
    assert catalogues.locales.short_turn_language("hola, I need help with my passport please") is None
    assert catalogues.locales.short_turn_language("hola obrigado") is None  # phrases of two lists
    assert catalogues.locales.short_turn_language("claro") is None  # Spanish and Portuguese
    assert catalogues.locales.short_turn_language("ok amigo") is None  # opens with several lists' word
    later = decide_language("Hola", "fr", identifier=identifier, default="en", short_turn="es")
    assert (later.language, later.changed) == ("fr", False)  # an established language stays
    hinted = decide_language("Hola", None, identifier=identifier, default="en", hint="fr", short_turn="es")
    assert hinted.language == "fr"  # the channel's hint comes first, as before


@pytest.mark.parametrize(
    "text,language",
    [
        ("quero falar com um atendente", "pt"),
        ("no tengo olfato ni gusto desde ayer, es covid?", "es"),
        ("combien de jours apres le contact on a les symptomes", "fr"),
    ],
)
def test_a_first_message_of_a_few_words_starts_in_its_leading_language(
    identifier: LanguageIdentifier, text: str, language: str
) -> None:
    """Less clear than a switch needs (the lead is 0.3-0.4), but a first turn has nothing to protect:
    the default would answer a Portuguese speaker in English."""
    detection = identifier.identify(text)
    assert detection.language == language and detection.margin < 0.5  # no switch would be made
    assert decide_language(text, None, identifier=identifier, default="en").language == language
    assert decide_language(text, "sw", identifier=identifier, default="en").language == "sw"  # kept later
    assert decide_language(text, None, identifier=identifier, default="en", hint="sw").language == "sw"
