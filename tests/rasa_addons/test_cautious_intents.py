"""Intents that act on the conversation need confidence and a cue word; otherwise the assistant asks."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_addons.cautious_intents import FALLBACK, CautiousIntentGate, acts_on, has_cue

THRESHOLDS = {"delete_my_data": 0.8, "goodbye": 0.7}
#: The intents that act on the conversation, as config.yml guards them.
ACTING = {
    "delete_my_data": 0.5,
    "unsubscribe_alerts": 0.5,
    "goodbye": 0.5,
    "switch_language": 0.4,
    "report_concern": 0.45,
}
CUES = {"delete_my_data": frozenset({"delete", "supprimer"}), "goodbye": frozenset({"bye", "au revoir"})}


def test_an_acting_intent_needs_both_confidence_and_a_cue() -> None:
    assert acts_on("delete_my_data", 0.9, "please delete my data", THRESHOLDS, CUES)
    assert acts_on("delete_my_data", 0.9, "Supprimer mes données", THRESHOLDS, CUES)  # any language, folded
    assert not acts_on("delete_my_data", 0.9, "Barça or Real?", THRESHOLDS, CUES)  # no cue word
    assert not acts_on("delete_my_data", 0.7, "delete my data", THRESHOLDS, CUES)  # not sure enough
    assert acts_on("goodbye", 0.9, "byebye everyone", THRESHOLDS, CUES)  # a word that starts with the cue
    assert not acts_on("goodbye", 0.9, "goodbye", THRESHOLDS, CUES)  # the cue inside a word is not one
    assert not acts_on("goodbye", 0.9, "revoir au", THRESHOLDS, CUES)  # a cue phrase, in its order
    assert acts_on("goodbye", 0.9, "Au revoir !", THRESHOLDS, CUES)


def test_cues_are_whole_word_starts_or_phrases() -> None:
    assert has_cue("Please DELETE everything", frozenset({"delete"}))
    assert has_cue("deleted already?", frozenset({"delete"}))  # a word starting with the cue
    assert has_cue("والحذف", frozenset({"حذف"}))  # Arabic: "and the" is written onto the word
    assert not has_cue("undelete", frozenset({"delete"}))
    assert has_cue("à bientôt, au revoir", frozenset({"au revoir"}))


def test_other_intents_buttons_and_forced_intents_pass() -> None:
    assert acts_on("greet", 0.2, "hm", THRESHOLDS, CUES)  # not guarded
    assert acts_on("delete_my_data", 0.3, "/delete_my_data", THRESHOLDS, CUES)  # a button
    assert acts_on("goodbye", 1.0, "STOP", THRESHOLDS, CUES)  # decided by a rule
    assert acts_on("goodbye", 0.75, "anything", THRESHOLDS, {})  # no cue words known: confidence is enough


def test_the_gate_turns_unsure_guesses_into_the_fallback_keeping_their_confidence() -> None:
    gate = CautiousIntentGate({"require": THRESHOLDS}, CUES)
    unsure = Message({TEXT: "Barça or Real?", INTENT: {"name": "goodbye", "confidence": 0.9}})
    sure = Message({TEXT: "bye then", INTENT: {"name": "goodbye", "confidence": 0.9}})
    gate.process([unsure, sure])
    assert unsure.get(INTENT) == {"name": FALLBACK, "confidence": 0.9}
    assert sure.get(INTENT) == {"name": "goodbye", "confidence": 0.9}


def test_nothing_is_guarded_by_default() -> None:
    gate = CautiousIntentGate(CautiousIntentGate.get_default_config(), CUES)
    message = Message({TEXT: "Barça or Real?", INTENT: {"name": "delete_my_data", "confidence": 0.4}})
    gate.process([message])
    assert message.get(INTENT)["name"] == "delete_my_data"


def test_a_report_put_as_a_question_needs_a_reports_word() -> None:
    thresholds, cues = {"report_concern": 0.45}, {"report_concern": frozenset({"complain"})}
    gate = CautiousIntentGate(
        {"require": thresholds, "cue_when_asked": ["report_concern"]}, cues, frozenset({"how", "should"})
    )
    texts = ["the clinic has no medicine", "how do i complain about the clinic", "should i go to the clinic?"]
    messages = [Message({TEXT: t, INTENT: {"name": "report_concern", "confidence": 0.9}}) for t in texts]
    gate.process(messages)
    assert [m.get(INTENT)["name"] for m in messages] == ["report_concern", "report_concern", FALLBACK]


def test_a_cue_about_something_else_asks_instead_of_acting() -> None:
    exceptions = {"unsubscribe_alerts": frozenset({"remind", "تذكير"})}
    thresholds, cues = {"unsubscribe_alerts": 0.5}, {"unsubscribe_alerts": frozenset({"cancel", "الغاء"})}
    for text in ("cancel tomorrow's reminders", "إلغاء تذكيرات الغد"):
        assert not acts_on("unsubscribe_alerts", 0.9, text, thresholds, cues, exceptions=exceptions)
    assert acts_on(
        "unsubscribe_alerts", 0.9, "cancel my flood alerts", thresholds, cues, exceptions=exceptions
    )
    assert acts_on("unsubscribe_alerts", 1.0, "الغاء", thresholds, cues, exceptions=exceptions)  # STOP's rule


def test_the_shipped_locales_hold_the_exceptions_of_every_language() -> None:
    from bot.catalogue.bundle import load_catalogues
    from bot.settings import load_settings

    locales = load_catalogues(load_settings().config_dir).locales
    for code, locale in locales.locales.items():
        assert set(locale.intent_cue_exceptions) == set(ACTING), code
    gate = CautiousIntentGate.from_config({"require": {"unsubscribe_alerts": 0.5}})
    for text in (
        "cancel tomorrow's reminders",
        "annule mon rendez-vous de demain",
        "cancela la alarma",
        "cancelar o lembrete",
        "إلغاء تذكيرات الغد",
        "futa kikumbusho cha kesho",
    ):
        message = Message({TEXT: text, INTENT: {"name": "unsubscribe_alerts", "confidence": 0.9}})
        gate.process([message])
        assert message.get(INTENT)["name"] == FALLBACK, text


def test_a_report_put_as_a_request_needs_a_reports_word_in_every_language() -> None:
    """A request ("I want to eat at a restaurant") is no report of a problem: without a report's word,
    the concern form does not start."""
    gate = CautiousIntentGate.from_config(
        {"require": {"report_concern": 0.45}, "cue_when_asked": ["report_concern"]}
    )
    requests = [
        "i want to eat canned food at a restaurant tonight",
        "je voudrais réserver une table pour ce soir",
        "quiero comer en un restaurante esta noche",
        "أريد أن أتناول طعاما في مطعم الليلة",
        "eu quero jantar num restaurante hoje",
        "nataka kula chakula mgahawani leo usiku",
    ]
    reports = [
        "i want to report a broken water pipe",
        "أريد أن أقدم شكوى عن المستشفى",
        "the clinic has no medicine",
    ]
    messages = [
        Message({TEXT: t, INTENT: {"name": "report_concern", "confidence": 0.9}}) for t in requests + reports
    ]
    gate.process(messages)
    assert [m.get(INTENT)["name"] for m in messages] == [FALLBACK] * len(requests) + ["report_concern"] * 3


#: Messages about another app, a company, a phone or a word of another language, in every language,
#: with the acting intent a classifier could guess for them.
ABOUT_SOMETHING_ELSE = [
    ("delete_my_data", "how do I delete my Instagram account"),
    ("delete_my_data", "comment supprimer mon compte TikTok"),
    ("unsubscribe_alerts", "how do i stop the facebook notifications"),
    ("unsubscribe_alerts", "quiero darme de baja de las promociones de la tienda"),
    ("unsubscribe_alerts", "كيف أوقف إشعارات انستغرام"),
    ("goodbye", "como se diz tchau em japonês?"),
    ("goodbye", "cómo se dice adiós en alemán"),
    ("goodbye", "unasemaje kwaheri kwa kifaransa"),
    ("switch_language", "change my phone's language to french"),
    ("switch_language", "comment mettre mon téléphone en anglais"),
    ("switch_language", "كيف أغير لغة الجوال"),
    ("switch_language", "nabadilishaje lugha ya simu yangu"),
    ("report_concern", "i want to complain about the airline, they lost my bag"),
    ("report_concern", "quero reclamar da loja, a geladeira veio quebrada"),
    ("report_concern", "أريد أن أشتكي على الشركة"),
    ("report_concern", "nataka kulalamika kuhusu kampuni ya simu"),
]
#: The same intents asked of the assistant itself: they still act.
ABOUT_THE_ASSISTANT = [
    ("delete_my_data", "delete my data"),
    ("delete_my_data", "supprimez mes données"),
    ("unsubscribe_alerts", "stop sending me the flood alerts"),
    ("goodbye", "bye, thank you"),
    ("switch_language", "speak english please"),
    ("report_concern", "i want to report a broken water pipe in my street"),
    ("report_concern", "quero reclamar do posto de saúde, não tem médico"),
]


def test_an_acting_intents_cue_about_another_app_company_or_phone_asks_instead() -> None:
    """ "Delete my Instagram account", "how do you say bye in Japanese": the cue is there, but it is about
    something else (the locales' exceptions, every language's in every language)."""
    gate = CautiousIntentGate.from_config({"require": ACTING, "cue_when_asked": ["report_concern"]})
    messages = [
        Message({TEXT: text, INTENT: {"name": intent, "confidence": 0.9}})
        for intent, text in ABOUT_SOMETHING_ELSE + ABOUT_THE_ASSISTANT
    ]
    gate.process(messages)
    decided = [(m.get(TEXT), m.get(INTENT)["name"]) for m in messages]
    assert decided == [(text, FALLBACK) for _, text in ABOUT_SOMETHING_ELSE] + [
        (text, intent) for intent, text in ABOUT_THE_ASSISTANT
    ]
