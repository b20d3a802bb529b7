"""The speed-ups change how often Rasa computes things, never what it computes."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig

from rasa_addons import speedups

ORIGINAL_RESOLVE = Event.__dict__["resolve_by_type"]
ORIGINAL_VALIDATE = RemoteAction._validate_action_result
ORIGINAL_CLASSIFY = LogisticRegressionClassifier.process


@pytest.fixture()
def applied(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apply the speed-ups for one test; the originals come back after it."""
    monkeypatch.setattr(Event, "resolve_by_type", ORIGINAL_RESOLVE)
    monkeypatch.setattr(RemoteAction, "_validate_action_result", ORIGINAL_VALIDATE)
    monkeypatch.setattr(LogisticRegressionClassifier, "process", ORIGINAL_CLASSIFY)
    speedups.apply()
    speedups.apply()  # idempotent


def test_every_event_type_resolves_to_the_same_class(applied: None) -> None:
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert len(names) > 20
    for name in sorted(names):
        assert Event.resolve_by_type(name) is ORIGINAL_RESOLVE.__func__(name), name
        assert Event.resolve_by_type(name) is ORIGINAL_RESOLVE.__func__(name), name  # remembered
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")


def test_a_conversation_reads_back_the_same(applied: None) -> None:
    events = [
        ActionExecuted("action_listen"),
        UserUttered("combien coûte un passeport ?", {"name": "ask_service", "confidence": 0.9}),
        SlotSet("language", "fr"),
        ActionExecuted("action_answer_service"),
        BotUttered("Passeport – Coût : 6000 KLS.", metadata={"language": "fr"}),
    ]
    as_dicts = [event.as_dict() for event in events]
    assert [Event.from_parameters(d) for d in as_dicts] == events


def _action() -> RemoteAction:
    return RemoteAction("action_answer_service", EndpointConfig("http://127.0.0.1:5055/webhook"))


RESPONSES: list[dict[str, Any]] = [
    {"events": [{"event": "slot", "name": "language", "value": "fr"}], "responses": [{"text": "Bonjour"}]},
    {"events": [], "responses": []},
    {"events": [{"event": "followup", "name": "action_listen"}]},
    {"events": "not a list"},
    {"events": [{"event": "slot", "name": 3}]},
    {"events": [{"name": "no event key"}]},
    {"responses": [3]},
    {"events": [{"event": "no_such_event"}]},
]


@pytest.mark.parametrize("response", RESPONSES)
def test_action_responses_get_the_same_verdict(applied: None, response: dict[str, Any]) -> None:
    try:
        jsonschema.validate(response, RemoteAction.action_response_format_spec())
        expected_valid = True
    except jsonschema.ValidationError:
        expected_valid = False
    if expected_valid:
        assert _action()._validate_action_result(response) is True
    else:
        with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
            _action()._validate_action_result(response)


def test_the_verdicts_cover_both_outcomes() -> None:
    verdicts = set()
    for response in RESPONSES:
        try:
            jsonschema.validate(response, RemoteAction.action_response_format_spec())
            verdicts.add(True)
        except jsonschema.ValidationError:
            verdicts.add(False)
    assert verdicts == {True, False}


def test_the_intent_classifier_gives_the_same_ranking(applied: None, tmp_path: Any) -> None:
    """The trained model's own classifier, on texts of every language: the same intents and
    probabilities with the coefficients reordered as without."""
    import asyncio

    from rasa.core.agent import Agent

    from bot.runtime.training import MODEL_NAME
    from bot.settings import PROJECT_ROOT

    model = PROJECT_ROOT / "models" / f"{MODEL_NAME}.tar.gz"
    if not model.exists():
        pytest.skip("no trained model (./baraza test trains it first)")
    texts = ["how much is a passport", "nina homa", "أين الملاجئ؟", "Salut", "quero cancelar", "stop"]

    async def parse(agent: Agent) -> list[list[tuple[str, float]]]:
        rankings = []
        for text in texts:
            parsed = await agent.parse_message(text)
            rankings.append([(r["name"], r["confidence"]) for r in parsed["intent_ranking"]])
        return rankings

    agent = Agent.load(str(model))
    after = asyncio.run(parse(agent))
    LogisticRegressionClassifier.process = ORIGINAL_CLASSIFY  # type: ignore[method-assign]
    fresh = Agent.load(str(model))
    before = asyncio.run(parse(fresh))
    assert [[name for name, _ in r] for r in after] == [[name for name, _ in r] for r in before]
    for a, b in zip(after, before, strict=True):
        assert [c for _, c in a] == pytest.approx([c for _, c in b], abs=1e-12)
