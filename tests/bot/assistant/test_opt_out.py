"""STOP and its equivalents, in every language, whatever the punctuation or case."""

import pytest

from bot.assistant.opt_out import OptOutKeywords
from bot.catalogue.bundle import Catalogues


@pytest.fixture(scope="module")
def keywords() -> OptOutKeywords:
    return OptOutKeywords.from_config()


@pytest.mark.parametrize(
    "text", ["STOP", "stop!", " Stop. ", "UNSUBSCRIBE", "Arrêt", "arret", "BAJA", "sitisha", "توقف", "parar"]
)
def test_opt_out_words_match(keywords: OptOutKeywords, text: str) -> None:
    assert keywords.matches(text)


@pytest.mark.parametrize(
    "text", ["stop the alerts for the coast", "no", "ok", "bye", "hello", "", "stop " * 20]
)
def test_other_messages_do_not(keywords: OptOutKeywords, text: str) -> None:
    assert not keywords.matches(text)


def test_every_language_has_stop(catalogues: Catalogues) -> None:
    for code in catalogues.languages.codes:
        assert "stop" in catalogues.locales[code].opt_out_keywords
