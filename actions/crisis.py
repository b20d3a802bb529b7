"""Crisis information and the alerts active in a region."""

from __future__ import annotations

from actions import resources
from actions.base import BarazaAction
from actions.turn import Turn
from bot.alerts.model import utc_now
from bot.assistant.alerts import active_alerts
from bot.assistant.crisis import answer_crisis
from bot.assistant.replies import Outcome
from bot.catalogue.bundle import Catalogues


class ActionAnswerCrisis(BarazaAction):
    """The crisis FAQ answer for the topic asked, or the list of topics."""

    def name(self) -> str:
        return "action_answer_crisis"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        topic = turn.entities.get("crisis_topic")
        if topic not in catalogues.crisis.topic_ids and turn.text:
            topic = catalogues.crisis.find_in_text(turn.text, turn.language)
        return answer_crisis(catalogues, turn.language, topic)


class ActionActiveAlerts(BarazaAction):
    """The alerts in force in the region asked about (or the region discussed before)."""

    def name(self) -> str:
        return "action_active_alerts"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        named = turn.entities.get("region")
        region = named if named in catalogues.regions.regions else None
        if region is None and turn.text:
            region = catalogues.regions.find_in_text(turn.text, turn.language)
        if region is None and not named and turn.text:
            region = turn.slots.get("region")  # a typed follow-up; the menu button always asks
        return active_alerts(
            catalogues,
            turn.language,
            region,
            resources.alert_store(),
            utc_now(),
            named_unknown=bool(named) and region is None,
        )
