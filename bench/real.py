"""What Baraza does with text nobody on the team wrote: public questions, chit-chat and greetings.

Usage: ``python -m bench.real [dev|test] [MODEL] [-v [--languages]]`` (default: dev, the trained
model; ``-v`` lists the misses, with ``--languages`` also the first messages' wrong languages). The data
(``bench/real/{dev,test}.jsonl``, sources and licences in ``bench/real/sources.md``) is measured only:
never trained on. Tune on ``dev``; measure ``test`` once per change.

Each item is decided as the running assistant decides it: the trained NLU pipeline (with the
knowledge-base router and the cautious-intent gate), then the action's own choice of crisis entry
(``actions/crisis.py``), the service action's fallback for an unsure service question naming no
service (``bot/assistant/services.py``) and the conversation's first-turn language
(``bot/language/conversation.py``).
Printed per language:

- in-scope intent accuracy (``intent:<name>`` items);
- out-of-scope rejection: an ``oos`` item gets the fallback or the out-of-scope reply, or an honest
  "I don't know that yet" (never a crisis entry, a service answer or an action);
- crisis accuracy: a ``crisis:<topic>`` item is answered with that entry;
- first-turn language: a ``greeting:<lang>`` item as a first message sets the conversation to <lang>;
- first-message language: every item, as a first message with no channel hint, sets the
  conversation to the item's language (English is the default);
- dangerous misroutes: an ``oos`` or crisis item that would delete data, unsubscribe, say goodbye or
  start the concern form (the target is none).
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.settings import PROJECT_ROOT

DATA = PROJECT_ROOT / "bench" / "real"
#: Intents whose action acts on the conversation: a wrong guess of one of them is dangerous.
DANGEROUS = frozenset({"delete_my_data", "unsubscribe_alerts", "goodbye", "report_concern"})
#: What an out-of-scope question may get: the fallback, the out-of-scope reply, "I don't know that yet".
REJECTED = frozenset({"nlu_fallback", "out_of_scope"})


@dataclass(frozen=True)
class Item:
    """One labelled text."""

    item_id: str
    lang: str
    text: str
    expect: str
    variety: str = "standard"
    #: other answers as right as ``expect`` (``crisis:<topic>``): two entries may both answer a text
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    """What the assistant does with a text."""

    intent: str
    crisis_topic: str | None  #: the entry the crisis answer uses (for ask_crisis)
    unanswered: bool  #: ask_crisis answered "I don't know that yet"
    first_language: str


@dataclass
class Tally:
    """Right and total per measure, and the misses to show."""

    right: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    misses: list[tuple[str, str, str, str]] = field(default_factory=list)

    def add(self, measure: str, ok: bool, item: Item, got: str) -> None:
        """Count one item."""
        self.total[measure] += 1
        self.right[measure] += ok
        if not ok:
            self.misses.append((measure, item.text, item.expect, got))

    def rate(self, measure: str) -> float | None:
        """right / total, or None without items."""
        return self.right[measure] / self.total[measure] if self.total[measure] else None


def load(part: str) -> list[Item]:
    """The items of ``dev`` or ``test``."""
    path = DATA / f"{part}.jsonl"
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            items.append(
                Item(
                    raw["id"],
                    raw["lang"],
                    raw["text"],
                    raw["expect"],
                    raw.get("variety", "standard"),
                    tuple(raw.get("also") or ()),
                )
            )
    return items


class Assistant:
    """The trained NLU pipeline and the actions' decisions, in one process."""

    def __init__(self, model: Path) -> None:
        from rasa.core.agent import Agent

        from bot.catalogue.bundle import load_catalogues
        from bot.language.identify import LanguageIdentifier

        self.agent = Agent.load(str(model))
        self.catalogues = load_catalogues(PROJECT_ROOT / "config")
        self.identifier = LanguageIdentifier(self.catalogues.languages.codes)

    async def decide(self, text: str) -> Decision:
        """The intent, crisis entry and first-turn language of ``text`` as a first message."""
        from actions.crisis import crisis_topic_asked
        from actions.services import service_in_question
        from actions.turn import Turn
        from bot.assistant.services import ASPECT_INTENTS
        from bot.language.conversation import decide_language

        parsed: dict[str, Any] = await self.agent.parse_message(text)
        intent = str((parsed.get("intent") or {}).get("name") or "")
        if intent == "choose_option":  # "2" with no options offered: the action answers the fallback
            intent = "nlu_fallback"
        entities: dict[str, str] = {}
        for entity in parsed.get("entities") or []:
            entities.setdefault(str(entity.get("entity")), str(entity.get("value")))
        languages = self.catalogues.languages
        language = decide_language(
            text,
            None,
            identifier=self.identifier,
            default=languages.default,
            short_turn=self.catalogues.locales.short_turn_language(text),
        ).language
        confidence = float((parsed.get("intent") or {}).get("confidence") or 0.0)
        turn = Turn(text, intent, entities, language, channel="rest", confidence=confidence)
        topic, unanswered = None, False
        if intent in ASPECT_INTENTS and service_in_question(turn, self.catalogues)[1]:
            intent = "nlu_fallback"  # the service action answers it with the fallback
        if intent == "ask_crisis":
            topic, unanswered = crisis_topic_asked(turn, self.catalogues)
        return Decision(intent, topic, unanswered, language)


def judge(item: Item, decision: Decision, tally: Tally) -> None:
    """Count what the assistant did with one item."""
    kind, _, expected = item.expect.partition(":")
    shown = f"{decision.intent}" + (f":{decision.crisis_topic}" if decision.crisis_topic else "")
    if kind == "intent":
        tally.add("intent_accuracy", decision.intent == expected, item, shown)
    elif kind == "oos":
        honest = decision.intent == "ask_crisis" and decision.crisis_topic is None
        tally.add("oos_rejection", decision.intent in REJECTED or honest, item, shown)
    elif kind == "crisis":
        accepted = {expected} | {a.partition(":")[2] for a in item.also}
        # a message of danger is handed to a person with the emergency number first: for an emergency
        # sign that is the answer the entry gives ("call 112 at once"), and more
        urgent = decision.intent == "distress" and "emergency_signs" in accepted
        tally.add("crisis_accuracy", decision.crisis_topic in accepted or urgent, item, shown)
    elif kind == "greeting":
        tally.add("first_turn_language", decision.first_language == expected, item, decision.first_language)
    # every text, as the first message of a conversation with no channel hint, is in its own language
    tally.add("first_message_language", decision.first_language == item.lang, item, decision.first_language)
    if kind in ("oos", "crisis"):
        tally.add("safe_from_misroute", decision.intent not in DANGEROUS, item, shown)


async def evaluate(part: str, model: Path) -> dict[str, Tally]:
    """A tally per language."""
    assistant = Assistant(model)
    tallies: dict[str, Tally] = defaultdict(Tally)
    for item in load(part):
        judge(item, await assistant.decide(item.text), tallies[item.lang])
    return dict(tallies)


MEASURES = (
    "intent_accuracy",
    "oos_rejection",
    "crisis_accuracy",
    "first_turn_language",
    "first_message_language",
)


def main() -> None:
    """Print the figures per language."""
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    part = args[0] if args else "dev"
    model = Path(args[1]) if len(args) > 1 else PROJECT_ROOT / "models" / "baraza.tar.gz"
    tallies = asyncio.run(evaluate(part, model))
    print(
        f"bench.real on the {part} part ({sum(sum(t.total.values()) for t in tallies.values())} judgements)"
    )
    header = "".join(f"{m:>24}" for m in MEASURES)
    print(f"{'language':<9}{header}{'dangerous misroutes':>22}")
    for language in sorted(tallies):
        tally = tallies[language]
        cells = []
        for measure in MEASURES:
            rate = tally.rate(measure)
            cells.append(f"{'–' if rate is None else f'{rate:.3f}'} ({tally.total[measure]:>3})".rjust(24))
        total = tally.total["safe_from_misroute"]
        danger = f"{total - tally.right['safe_from_misroute']} of {total}"
        print(f"{language:<9}{''.join(cells)}{danger:>22}")
    if "-v" in sys.argv:
        for language in sorted(tallies):
            for measure, text, expected, got in tallies[language].misses:
                if measure == "first_message_language" and "--languages" not in sys.argv:
                    continue
                print(f"  {language} {measure}: {text!r} ({expected}) -> {got}")


if __name__ == "__main__":
    main()
