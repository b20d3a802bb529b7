"""Which conversation an SMS through Africa's Talking belongs to: the number's ``sms:`` one, or its
``ussd:`` one while that is in the middle of a handoff (a USSD citizen answers by SMS)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.assistant.opt_out import OptOutKeywords
from bot.channels.africastalking import conversation_of
from bot.handoff.model import EndReason, Trigger
from bot.handoff.service import Agent
from bot.services import Services

PHONE = "+254722000111"
AMINA = Agent("amina", frozenset({"citizen_services"}))
TUESDAY_MORNING = datetime(2026, 12, 1, 7, 0, tzinfo=timezone.utc)  # the desk is open


@pytest.fixture()
def services(services: Services) -> Services:
    """The services with a clock at a time the desks are open."""
    services.now = lambda: TUESDAY_MORNING  # type: ignore[method-assign]
    return services


@pytest.fixture()
def opt_out(config_dir: Path) -> OptOutKeywords:
    return OptOutKeywords.from_config()


def test_without_a_handoff_an_sms_stays_in_the_sms_conversation(
    services: Services, opt_out: OptOutKeywords
) -> None:
    assert conversation_of(services, opt_out, PHONE, "Habari") == f"sms:{PHONE}"


def test_while_the_ussd_conversation_is_handed_over_an_sms_reaches_it_until_the_rating_is_done(
    services: Services, opt_out: OptOutKeywords
) -> None:
    services.handoffs.ask(f"ussd:{PHONE}", "ussd", "sw", Trigger.ASKED)
    assert conversation_of(services, opt_out, PHONE, "Niko hapa") == f"ussd:{PHONE}"  # waiting
    assert conversation_of(services, opt_out, "+254722000999", "Niko hapa") == "sms:+254722000999"
    handoff = services.handoffs.active(f"ussd:{PHONE}")
    assert handoff is not None
    services.handoffs.claim(AMINA, handoff.handoff_id)
    assert conversation_of(services, opt_out, PHONE, "Maji hayajafika") == f"ussd:{PHONE}"  # held
    services.handoffs.end(AMINA, handoff.handoff_id, EndReason.RESOLVED)
    assert conversation_of(services, opt_out, PHONE, "5") == f"ussd:{PHONE}"  # the rating
    services.handoffs.rate(handoff.handoff_id, f"ussd:{PHONE}", 5)
    assert conversation_of(services, opt_out, PHONE, "Asante") == f"ussd:{PHONE}"  # the comment
    services.handoffs.rate(handoff.handoff_id, f"ussd:{PHONE}", 5, "Asante")
    assert conversation_of(services, opt_out, PHONE, "Habari") == f"sms:{PHONE}"


@pytest.mark.parametrize("word", ["STOP", "stop", "sitisha", "ARRÊT"])
def test_stop_by_sms_stays_in_the_sms_conversation_even_while_handed_over(
    services: Services, opt_out: OptOutKeywords, word: str
) -> None:
    services.handoffs.ask(f"ussd:{PHONE}", "ussd", "sw", Trigger.ASKED)
    assert conversation_of(services, opt_out, PHONE, word) == f"sms:{PHONE}"


def test_a_handoff_of_another_channel_with_the_number_draws_nothing(
    services: Services, opt_out: OptOutKeywords
) -> None:
    """Only the number's own ``ussd:`` conversation: a REST caller naming the number holds
    ``rest:…``, and a handoff there never pulls the citizen's SMS."""
    for conversation in (f"rest:{PHONE}", f"rest:ussd:{PHONE}", f"whatsapp:{PHONE}"):
        services.handoffs.ask(conversation, "rest", "en", Trigger.ASKED)
    assert conversation_of(services, opt_out, PHONE, "Hello") == f"sms:{PHONE}"
