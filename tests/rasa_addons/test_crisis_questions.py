"""A message close to a crisis knowledge base question is that question, whatever the classifier said."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_addons.crisis_questions import ENTITY, INTENT_NAME, CrisisQuestionClassifier


class Guide:
    """The crisis guide's matching, answered from a table (the real one: tests/bot/catalogue)."""

    def __init__(self, matches: dict[str, tuple[str, float]], unnamed: frozenset[str] = frozenset()) -> None:
        self.matches = matches
        self.unnamed = unnamed  #: questions that contain none of their entry's keywords
        self.asked: list[str] = []

    def entry(self, topic_id: str) -> Any:
        return SimpleNamespace(hazard="flood" if topic_id == "relief_aid" else "covid19")

    def match(self, text: str) -> Any:
        self.asked.append(text)
        found = self.matches.get(text)
        named = text not in self.unnamed
        return SimpleNamespace(topic_id=found[0], score=found[1], named=named) if found else None


def _classifier(guide: Guide, **config: Any) -> CrisisQuestionClassifier:
    catalogues = SimpleNamespace(current=lambda: SimpleNamespace(crisis=guide))
    settings = {**CrisisQuestionClassifier.get_default_config(), "overrides": ["goodbye"], **config}
    return CrisisQuestionClassifier(settings, catalogues)  # type: ignore[arg-type]


def _message(text: str, intent: str = "goodbye", confidence: float = 0.8, **entities: str) -> Message:
    found = [{"entity": e, "value": v, "start": 0, "end": 1} for e, v in entities.items()]
    return Message({TEXT: text, INTENT: {"name": intent, "confidence": confidence}, ENTITIES: found})


QUESTION = "Ma fille a de la fièvre"


def test_a_close_question_mistaken_for_small_talk_becomes_the_crisis_question() -> None:
    message = _message(QUESTION, crisis_topic="testing", region="coast")
    _classifier(Guide({QUESTION: ("symptoms", 0.82)})).process([message])
    assert message.get(INTENT) == {"name": INTENT_NAME, "confidence": 0.82}
    topics = [e for e in message.get(ENTITIES) if e["entity"] == ENTITY]
    assert [t["value"] for t in topics] == ["symptoms"]  # replaces what the extractor guessed
    assert {"entity": "region", "value": "coast", "start": 0, "end": 1} in message.get(ENTITIES)


def test_a_confident_guess_of_another_kind_is_kept_and_an_unsure_one_replaced() -> None:
    guide = Guide({QUESTION: ("symptoms", 0.82)})
    confident = _message(QUESTION, intent="service_documents", confidence=0.9)
    unsure = _message(QUESTION, intent="service_documents", confidence=0.3)
    _classifier(guide).process([confident, unsure])
    assert confident.get(INTENT)["name"] == "service_documents"
    assert unsure.get(INTENT)["name"] == INTENT_NAME


def test_a_short_message_replaces_only_an_unsure_guess() -> None:
    guide = Guide({"a plus": ("symptoms", 0.9)})
    sure, unsure = _message("a plus", confidence=0.8), _message("a plus", confidence=0.2)
    _classifier(guide).process([sure, unsure])
    assert sure.get(INTENT)["name"] == "goodbye" and unsure.get(INTENT)["name"] == INTENT_NAME


def test_far_questions_payloads_and_rule_decisions_are_left_alone() -> None:
    guide = Guide({"bye bye my friend": ("symptoms", 0.3), "STOP": ("shelters", 0.9)})
    far, payload = _message("bye bye my friend"), _message("/ask_crisis")
    decided = _message("STOP", intent="unsubscribe_alerts", confidence=1.0)
    _classifier(guide).process([far, payload, decided, _message("")])
    assert far.get(INTENT)["name"] == "goodbye" and payload.get(INTENT)["name"] == "goodbye"
    assert decided.get(INTENT)["name"] == "unsubscribe_alerts"
    assert guide.asked == ["bye bye my friend"]  # payloads, decided and empty messages are not compared
    lower = _message("bye bye my friend")
    _classifier(guide, threshold=0.25).process([lower])
    assert lower.get(INTENT)["name"] == INTENT_NAME  # the threshold is configurable


def test_a_near_copy_of_a_question_wins_over_a_confident_guess_unless_it_names_a_service() -> None:
    asked = "is it airborne"
    guide = Guide({asked: ("spread", 0.95), "help me please": ("help", 0.97), "a plus": ("symptoms", 0.95)})
    classifier = _classifier(guide, near_copy=0.9, keep=["help"])
    guessed = _message(asked, intent="service_overview", confidence=0.9)
    with_service = _message(asked, intent="service_overview", confidence=0.9, service="passport")
    menu = _message("help me please", intent="help", confidence=0.9)
    short = _message("a plus", confidence=0.9)
    classifier.process([guessed, with_service, menu, short])
    assert guessed.get(INTENT) == {"name": INTENT_NAME, "confidence": 0.95}
    assert with_service.get(INTENT)["name"] == "service_overview"  # "the passport" is a service question
    assert menu.get(INTENT)["name"] == "help"  # asking for the menu is kept
    assert short.get(INTENT)["name"] == "goodbye"  # too few words to be sure
    far = _message(asked, intent="service_overview", confidence=0.9)
    _classifier(Guide({asked: ("spread", 0.8)}), near_copy=0.9).process([far])
    assert far.get(INTENT)["name"] == "service_overview"  # close, but not a near copy


def test_a_near_copy_that_names_nothing_of_its_entry_keeps_the_guess() -> None:
    """ "how much does it cost?" is 0.90 like "how much does a test cost": alike in every word but the
    one that says what it is about, so the question about a fee stays one."""
    asked = "how much does it cost?"
    guide = Guide({asked: ("testing", 0.9037)}, unnamed=frozenset({asked}))
    fee = _message(asked, intent="ask_fee", confidence=0.9)
    _classifier(guide, near_copy=0.9).process([fee])
    assert fee.get(INTENT)["name"] == "ask_fee"


OPENINGS = frozenset({"how", "can", "est ce"})


def _reporting(guide: Guide) -> CrisisQuestionClassifier:
    catalogues = SimpleNamespace(current=lambda: SimpleNamespace(crisis=guide))
    settings = {
        **CrisisQuestionClassifier.get_default_config(),
        "overrides": ["report_concern"],
        "ask_only": ["report_concern"],
        "ask_threshold": 0.4,
        "told": ["symptoms"],
    }
    return CrisisQuestionClassifier(settings, catalogues, OPENINGS)  # type: ignore[arg-type]


def test_a_report_stays_a_report_however_alike_and_a_question_or_ones_symptoms_do_not() -> None:
    told = "the clinic has no medicine"
    asked = "can the clinic give me medicine for the virus"
    long_question = "Je suis enceinte et je dois aller à la clinique, devrais-je y aller ?"
    symptoms = "it all started with the headaches and with the fever"
    guide = Guide(
        {
            told: ("treatment", 0.79),
            asked: ("treatment", 0.7),
            long_question: ("pregnancy", 0.45),
            symptoms: ("symptoms", 0.58),
        }
    )
    messages = [
        _message(t, intent="report_concern", confidence=0.95) for t in (told, asked, long_question, symptoms)
    ]
    _reporting(guide).process(messages)
    assert [m.get(INTENT)["name"] for m in messages] == [
        "report_concern",
        INTENT_NAME,
        INTENT_NAME,
        INTENT_NAME,
    ]


def test_a_service_question_naming_no_service_gives_way_to_an_entry_it_names() -> None:
    text = "Le port du masque est requis pour tous ?"
    guide = Guide(
        {text: ("masks", 0.65), "how much does it cost": ("testing", 0.9)},
        unnamed=frozenset({"how much does it cost"}),
    )
    guide.matches["what is the cash transfer for old people"] = ("relief_aid", 0.8)  # a service itself
    classifier = _classifier(
        guide,
        service_intents=["service_documents", "service_fee", "service_overview"],
        service_threshold=0.6,
        service_hazards=["covid19"],
    )
    masks = _message(text, intent="service_documents", confidence=0.84)
    passport = _message(text, intent="service_documents", confidence=0.84, service="passport")
    cost = _message("how much does it cost", intent="service_fee", confidence=0.9)  # after "passport"
    aid = _message("what is the cash transfer for old people", intent="service_overview", confidence=0.7)
    classifier.process([masks, passport, cost, aid])
    assert [m.get(INTENT)["name"] for m in (masks, passport, cost, aid)] == [
        INTENT_NAME,
        "service_documents",
        "service_fee",
        "service_overview",
    ]


def test_a_word_that_is_an_entrys_keyword_is_that_entry() -> None:
    guide = Guide({"mascara": ("masks", 1.0), "habari": ("help", 0.7)})
    classifier = _classifier(guide, overrides=["inform", "greet"], exact_keyword=0.95)
    keyword = _message("mascara", intent="inform", confidence=0.59)
    greeting = _message("habari", intent="greet", confidence=0.9)
    classifier.process([keyword, greeting])
    assert keyword.get(INTENT)["name"] == INTENT_NAME
    assert greeting.get(INTENT)["name"] == "greet"


def test_the_surer_the_classifier_that_a_message_is_out_of_scope_the_closer_it_must_be() -> None:
    flight = "what's the status of my airline flight"
    guide = Guide({flight: ("travel", 0.7)})
    weighed: dict[str, Any] = {
        "overrides": ["out_of_scope"],
        "weighed": ["out_of_scope"],
        "weigh_from": 0.6,
        "weigh_slope": 0.5,
    }
    sure = _message(flight, intent="out_of_scope", confidence=0.9)  # needs 0.65 + 0.5 x 0.3 = 0.8
    hesitant = _message(flight, intent="out_of_scope", confidence=0.6)  # needs 0.65
    goodbye = _message(flight, intent="goodbye", confidence=0.9)  # not weighed
    _classifier(guide, threshold=0.65, **weighed).process([sure, hesitant, goodbye])
    assert sure.get(INTENT)["name"] == "out_of_scope"
    assert hesitant.get(INTENT)["name"] == INTENT_NAME
    _classifier(guide, threshold=0.65, **{**weighed, "overrides": ["goodbye"]}).process([goodbye])
    assert goodbye.get(INTENT)["name"] == INTENT_NAME
    closer = _message(flight, intent="out_of_scope", confidence=0.9)
    _classifier(Guide({flight: ("travel", 0.82)}), threshold=0.65, **weighed).process([closer])
    assert closer.get(INTENT)["name"] == INTENT_NAME


class Detector:
    """The crisis detector's opinion, from a table (the real one: tests/bot/test_crisis_detector.py)."""

    def __init__(self, opinions: dict[str, float]) -> None:
        self.opinions = opinions
        self.asked: list[str] = []

    def probability(self, text: str) -> float:
        self.asked.append(text)
        return self.opinions[text]


def test_a_general_question_by_the_classifiers_guess_is_a_crisis_one_when_the_detector_is_sure() -> None:
    medicine = "Existe-t-il un médicament efficace contre le Covid-19 ?"
    card = "my card is damaged"
    far = "who won the match"
    guide = Guide({medicine: ("treatment", 0.62), card: ("help", 0.56), far: ("spread", 0.2)})
    detector = Detector({medicine: 0.94, card: 0.4, far: 0.99})
    catalogues = SimpleNamespace(current=lambda: SimpleNamespace(crisis=guide))
    config = {
        **CrisisQuestionClassifier.get_default_config(),
        "overrides": ["out_of_scope"],
        "threshold": 0.65,
        "detector_intents": ["out_of_scope"],
        "detector_from": 0.4,
        "detector_threshold": 0.8,
    }
    router = CrisisQuestionClassifier(config, catalogues, detector=detector)  # type: ignore[arg-type]
    messages = [_message(text, intent="out_of_scope", confidence=0.7) for text in (medicine, card, far)]
    service = _message(medicine, intent="service_fee", confidence=0.9)
    router.process([*messages, service])
    assert [m.get(INTENT)["name"] for m in messages] == [INTENT_NAME, "out_of_scope", "out_of_scope"]
    assert service.get(INTENT)["name"] == "service_fee"  # only out-of-scope guesses are second-guessed
    assert detector.asked == [medicine, card]  # not for letters far from every crisis question
