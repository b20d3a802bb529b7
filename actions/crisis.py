"""Crisis information and the alerts active in a region."""

from __future__ import annotations

import functools

from actions.base import BarazaAction
from actions.services import service_choice_answered
from actions.subscriptions import subscription_region_answered
from actions.turn import Turn
from bot.assistant.alerts import WAITING_FOR_ALERTS_REGION, active_alerts
from bot.assistant.conversation import fallback
from bot.assistant.crisis import answer_crisis
from bot.assistant.crisis_meaning import default_meaning
from bot.assistant.mentions import Kind, mentioned, region_typed
from bot.assistant.replies import Outcome
from bot.assistant.shelters import SHELTERS_TOPIC, answer_shelters, is_shelter_question
from bot.catalogue.bundle import Catalogues
from bot.services import shared

#: A text of this many words that matches no entry was a question (answered "I don't know that yet");
#: a shorter one ("covid info") asks for the topic menu.
QUESTION_WORDS = 4


def crisis_topic_asked(turn: Turn, catalogues: Catalogues) -> tuple[str | None, bool]:
    """The entry a question asks about, and whether it was a question the knowledge base does not
    answer (rather than a request for the topic menu)."""
    source = default_meaning()
    # one encoding per turn: the letters' choice and the keyword's check below may both ask
    meaning = functools.lru_cache(maxsize=1)(source.of(catalogues.crisis)) if source else None
    if turn.text:
        match = catalogues.crisis.match(turn.text, meaning)
        if match is not None and match.confident:
            return match.topic_id, False
        if match is not None and not match.understood:
            return None, True  # alike in letters to a question of the knowledge base, not in meaning
    question = len(turn.text.split()) >= QUESTION_WORDS
    named = mentioned(catalogues, Kind.CRISIS_TOPIC, turn.entities, turn.text, turn.language).value
    if named and question and meaning is not None and meaning(turn.text).general_rather:
        return None, True  # an entry's keyword in a general question: "how do i change the pin of my card"
    if named:
        return named, False
    # a question alike in letters to none, in meaning to one; a short text ("covid info") asks the menu
    meant = meaning(turn.text).entry_meant if meaning is not None and question else None
    if meant is not None:
        return meant, False
    return None, question


def citizens_region(turn: Turn) -> str | None:
    """The region the conversation discussed last, else the one region the citizen subscribed to."""
    if turn.slots.get("region"):
        return str(turn.slots["region"])
    subscriber = shared().subscriptions.get(turn.subscriber)
    regions = {s.region for s in subscriber.subscriptions} if subscriber else set()
    return regions.pop() if len(regions) == 1 else None


class ActionAnswerCrisis(BarazaAction):
    """The crisis FAQ answer for the topic asked, or the list of topics; for shelters, the open ones of
    the region named (or discussed before) from the shelter catalogue."""

    def name(self) -> str:
        return "action_answer_crisis"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        topic, unanswered = crisis_topic_asked(turn, catalogues)
        if topic == SHELTERS_TOPIC or is_shelter_question(catalogues, turn.text):
            region = mentioned(catalogues, Kind.REGION, turn.entities, turn.text, turn.language)
            if region.value is None and not region.named_unknown:
                region = mentioned(catalogues, Kind.REGION, {}, "", turn.language, citizens_region(turn))
            return answer_shelters(
                catalogues, turn.language, region.value, named_unknown=region.named_unknown
            )
        if topic is None and not unanswered:  # no entry named: at a pending choice, an answer to it
            answered = (
                service_choice_answered(turn, catalogues)
                or subscription_region_answered(turn, catalogues)
                or alerts_region_answered(turn, catalogues)
            )
            if answered is not None:
                return answered
        return answer_crisis(catalogues, turn.language, topic, unanswered=unanswered)


def alerts_region_answered(turn: Turn, catalogues: Catalogues) -> Outcome | None:
    """The answer to a pending "which region?" of the active alerts: the region it names (in a
    sentence, in lowercase), or saying a place is no region, or (naming none) the question once more,
    then the main menu; None when that question is not pending."""
    pending = turn.slots.get("pending")
    if not (isinstance(pending, dict) and pending.get("kind") == WAITING_FOR_ALERTS_REGION):
        return None
    region, place, missed = region_typed(catalogues, turn.entities, turn.text, turn.language)
    if missed and pending.get("again"):
        return fallback(catalogues, turn.language)
    return _alerts(turn, catalogues, region, place, named_unknown=bool(place), again=missed)


def _alerts(
    turn: Turn,
    catalogues: Catalogues,
    region: str | None,
    place: str,
    *,
    named_unknown: bool,
    again: bool = False,
) -> Outcome:
    services = shared()
    return active_alerts(
        catalogues,
        turn.language,
        region,
        services.active_alerts,
        services.now(),
        named_unknown=named_unknown,
        unknown_name=place,
        again=again,
    )


class ActionActiveAlerts(BarazaAction):
    """The alerts in force in the region asked about (or the region discussed before)."""

    def name(self) -> str:
        return "action_active_alerts"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        answered = alerts_region_answered(turn, catalogues)
        if answered is not None:
            return answered
        # A typed follow-up refers to the region discussed; the menu button (no text) always asks.
        earlier = turn.slots.get("region") if turn.text else None
        region = mentioned(catalogues, Kind.REGION, turn.entities, turn.text, turn.language, earlier)
        return _alerts(turn, catalogues, region.value, region.name, named_unknown=region.named_unknown)
