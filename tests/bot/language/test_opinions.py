import pytest

from bot.language.identify import LanguageIdentifier
from bot.language.opinions import Cld3Opinion, LangdetectOpinion, LangidOpinion, Opinion, second_opinions

CODES = ("en", "fr", "es", "ar", "pt", "sw")
GERMAN = "Wie viel kostet ein Reisepass in diesem Land und wo beantrage ich ihn?"


@pytest.fixture(scope="module")
def opinions() -> tuple[Opinion, ...]:
    return second_opinions(CODES)


def test_each_detector_recognises_a_clear_sentence(opinions: tuple[Opinion, ...]) -> None:
    sentences = {
        "pt": "Quanto tempo demora para tirar a carta de condução?",
        "es": "¿Dónde puedo solicitar un certificado de nacimiento?",
        "sw": "Nitapataje cheti cha kuzaliwa kwa mtoto wangu?",
    }
    for opinion in opinions:
        for language, text in sentences.items():
            scores = opinion.scores(text)
            assert max(scores, key=scores.__getitem__) == language, (type(opinion).__name__, text)


def test_detectors_answer_only_supported_languages(opinions: tuple[Opinion, ...]) -> None:
    for opinion in opinions:
        assert set(opinion.scores(GERMAN)) <= set(CODES), type(opinion).__name__
    assert Cld3Opinion(CODES).scores(GERMAN) == {}  # CLD3 knows it is German: no supported answer


def test_restricted_detectors_spread_their_confidence_over_the_supported_languages() -> None:
    for opinion in (LangdetectOpinion(CODES), LangidOpinion(CODES)):
        assert sum(opinion.scores(GERMAN).values()) == pytest.approx(1.0, abs=0.01)


def test_langdetect_answers_the_same_every_time() -> None:
    opinion = LangdetectOpinion(CODES)
    assert len({tuple(sorted(opinion.scores("o NIF é gratis para todos?").items())) for _ in range(20)}) == 1


class Recording:
    """A second opinion that records what it was asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def scores(self, text: str) -> dict[str, float]:
        self.asked.append(text)
        return {}


def test_second_opinions_are_asked_only_about_sentences_lingua_is_unsure_of() -> None:
    recording = Recording()
    identifier = LanguageIdentifier(CODES, opinions=(recording,))
    for text in (
        "ok",
        "alertas do sul",
        "What documents do I need to renew my passport?",
        "شكرا جزيلا لك يا صديقي",
    ):
        identifier.identify(text)
    assert recording.asked == []
    identifier.identify("otro idioma, por favor")  # lingua hesitates between Spanish and Portuguese
    assert recording.asked == ["otro idioma, por favor"]


def test_second_opinions_settle_sentences_lingua_and_langdetect_got_wrong(
    identifier: LanguageIdentifier,
) -> None:
    """Citizens' sentences from our own data that lingua with langdetect alone misread."""
    design_before = LanguageIdentifier(CODES, opinions=(LangdetectOpinion(CODES),))
    sentences = {
        "how do i delete my data?": "en",
        "otro idioma, por favor": "es",
        "chau, até outro dia": "pt",
        "services zenu ni zipi": "sw",
        "bei ya good conduct tafadhal": "sw",
    }
    for text, language in sentences.items():
        assert design_before.identify(text).language != language, text
        assert identifier.identify(text).language == language, text
