import random

from bot.concerns.ticket import ALPHABET
from bot.language.identify import LanguageIdentifier


def test_identifies_a_sentence_in_each_language(identifier: LanguageIdentifier) -> None:
    sentences = {
        "en": "What documents do I need to renew my passport?",
        "fr": "Combien coûte une carte d'identité nationale ?",
        "es": "¿Dónde puedo solicitar un certificado de nacimiento?",
        "ar": "ما هي الوثائق المطلوبة لتجديد جواز السفر؟",
        "pt": "Quanto tempo demora para tirar a carta de condução?",
        "sw": "Nitapataje cheti cha kuzaliwa kwa mtoto wangu?",
    }
    for language, text in sentences.items():
        detection = identifier.identify(text)
        assert detection.language == language, text
        assert detection.confidence > 0.8


def test_is_deterministic(identifier: LanguageIdentifier) -> None:
    results = {identifier.identify("ok merci beaucoup").confidence for _ in range(20)}
    assert len(results) == 1


def test_only_supported_languages_are_answered(identifier: LanguageIdentifier) -> None:
    detection = identifier.identify("Wie viel kostet ein Reisepass in diesem Land?")
    assert detection.language in identifier.codes


def test_text_without_letters_has_no_language(identifier: LanguageIdentifier) -> None:
    for text in ("", "   ", "😀😀😀", "12345 !!!"):
        assert identifier.identify(text).language is None


def test_arabic_script_is_arabic_even_for_one_word(identifier: LanguageIdentifier) -> None:
    detection = identifier.identify("شكرا")
    assert detection.language == "ar"
    assert detection.confidence == 1.0


def test_ticket_references_and_numbers_do_not_sway_the_language(identifier: LanguageIdentifier) -> None:
    """Random letters in a reference once tipped "¿cuál es el estado de tjspz8?" to Portuguese."""
    rng = random.Random(4)  # noqa: S311 - reproducible test references, not secrets
    for _ in range(300):
        ticket = "".join(rng.choice(ALPHABET) for _ in range(5)) + rng.choice("23456789")
        for text, language in (
            (f"¿cuál es el estado de {ticket.lower()}?", "es"),
            (f"quel est le statut de {ticket} ?", "fr"),
            (f"what is the status of {ticket}", "en"),
            (f"qual é o estado do {ticket}?", "pt"),
        ):
            assert identifier.identify(text).language == language, text
    assert identifier.identify("mi número es 0712 345 678 y no hay agua").language == "es"
    assert identifier.identify("K7P2QX").language is not None  # nothing else: the reference itself


def test_arabic_around_names_in_english_is_arabic(identifier: LanguageIdentifier) -> None:
    """Two Arabic words are someone who writes Arabic, however long the English titles around them."""
    assert identifier.identify("أضف The Famous Flower of Serving-Men إلى قائمة التشغيل").language == "ar"
    assert identifier.identify("هل يعرض Patrick Still Lives في AMC Theaters").language == "ar"
    assert identifier.identify("my friend محمد lives in Dubai").language == "en"  # one Arabic word: a name
