"""What the desk's notices say to the citizen (``action_handoff_relay``), in memory against the real
test Redis: a claim pauses, the person's words verbatim, the end resumes and asks for a rating; a USSD
citizen is told in the SMS wording."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.conversation import ActionSmallTalk
from actions.handoff import ActionHandoffRelay
from actions.routing import ActionChooseOption
from bot.assistant.handoff import WAITING_FOR_RATING
from bot.catalogue.bundle import Catalogues
from bot.handoff.model import EndReason, Trigger
from bot.handoff.relay import CitizenNotice, NoticeKind
from bot.services import Services
from tests.actions.conftest import AMINA, run_action, slot_events
from tests.actions.conftest import citizen_tracker as tracker
from tests.actions.conftest import texts_of as _texts


def _relay(sender: str, channel: str, language: str = "es", slots: dict[str, Any] | None = None) -> Tracker:
    return tracker(sender, "hola", "greet", channel=channel, language=language, slots=slots)


def test_the_desks_notices_pause_speak_verbatim_resume_and_ask_for_a_rating(
    at_work: Services, catalogues: Catalogues
) -> None:
    es = catalogues.locales["es"]
    ticket = at_work.handoffs.ask("web:ana", "socketio", "es", Trigger.ASKED)
    handoff, _ = at_work.handoffs.claim(AMINA, ticket.handoff.handoff_id)
    outbox = at_work.handoff_outbox
    outbox.put("web:ana", CitizenNotice(NoticeKind.CLAIMED, handoff.handoff_id))
    outbox.put(
        "web:ana",
        CitizenNotice(NoticeKind.AGENT_REPLY, handoff.handoff_id, text="Hola, soy Amina. ¿En qué le ayudo?"),
    )
    messages, events = run_action(ActionHandoffRelay(), _relay("web:ana", "socketio"))
    assert _texts(messages) == [es.text("handoff_claimed"), "Hola, soy Amina. ¿En qué le ayudo?"]
    assert [e["event"] for e in events[-2:]] == ["pause", "action"]  # then listening, as after a turn
    assert events[-1]["name"] == "action_listen"
    assert not [e for e in events if e["event"] == "followup"]  # the citizen's next message is not silenced
    assert run_action(ActionHandoffRelay(), _relay("web:ana", "socketio")) == ([], [])  # each said once

    at_work.handoffs.end(AMINA, handoff.handoff_id, EndReason.RESOLVED)
    outbox.put("web:ana", CitizenNotice(NoticeKind.ENDED, handoff.handoff_id))
    messages, events = run_action(ActionHandoffRelay(), _relay("web:ana", "socketio"))
    assert _texts(messages) == [es.text("handoff_ended")]
    assert [b["title"] for b in messages[0]["buttons"]] == ["1", "2", "3", "4", "5"]
    assert events[-2]["event"] == "resume"
    pending = slot_events(events)["pending"]
    assert pending == {"kind": WAITING_FOR_RATING, "handoff_id": handoff.handoff_id}

    four = tracker("web:ana", "4", "choose_option", slots={"pending": pending})
    messages, events = run_action(ActionChooseOption(), four)
    assert _texts(messages) == [es.text("handoff_comment_ask")]
    comment = tracker(
        "web:ana", "Muy amable, gracias", "thank", slots={"pending": slot_events(events)["pending"]}
    )
    messages, _ = run_action(ActionSmallTalk(), comment)
    assert _texts(messages) == [es.text("handoff_comment_thanks")]
    rated = at_work.handoffs._store.get(handoff.handoff_id)
    assert rated is not None and rated.rating == 4 and rated.comment == "Muy amable, gracias"


def test_a_ussd_citizen_is_told_in_the_sms_wording_numbered(
    at_work: Services, catalogues: Catalogues
) -> None:
    sw = catalogues.locales["sw"]
    ticket = at_work.handoffs.ask("ussd:+254700000009", "ussd", "sw", Trigger.ASKED)
    at_work.handoff_outbox.put(
        "ussd:+254700000009", CitizenNotice(NoticeKind.CLAIMED, ticket.handoff.handoff_id)
    )
    at_work.handoff_outbox.put(
        "ussd:+254700000009",
        CitizenNotice(NoticeKind.PLACE, ticket.handoff.handoff_id, position=2, expected_wait_seconds=600),
    )
    messages, _ = run_action(ActionHandoffRelay(), _relay("ussd:+254700000009", "ussd", language="sw"))
    assert _texts(messages) == [
        sw.text("handoff_claimed_sms"),
        sw.text("handoff_place", position=2, minutes=10),
    ]


def test_a_claim_said_after_the_citizen_stopped_leaves_the_conversation_unpaused(
    at_work: Services, catalogues: Catalogues
) -> None:
    """The citizen wrote STOP between the claim and its notice: the notice is still said, but nobody
    holds the conversation now, so the relay does not pause it (the assistant would never speak again)."""
    ticket = at_work.handoffs.ask("web:ben", "socketio", "es", Trigger.ASKED)
    claimed, _ = at_work.handoffs.claim(AMINA, ticket.handoff.handoff_id)
    at_work.handoff_outbox.put("web:ben", CitizenNotice(NoticeKind.CLAIMED, claimed.handoff_id))
    at_work.handoffs.leave("web:ben")
    messages, events = run_action(ActionHandoffRelay(), _relay("web:ben", "socketio"))
    assert _texts(messages) == [catalogues.locales["es"].text("handoff_claimed")]
    assert "pause" not in [e["event"] for e in events] and events[-2]["event"] == "resume"
