"""Yes or no: the answer goes to the feature whose question is pending; without one it is small talk."""

from __future__ import annotations

from typing import Any

import pytest

from actions import confirm
from actions.confirm import ANSWERS, ActionConfirm
from actions.privacy import WAITING_FOR_DELETION
from actions.turn import Turn
from bot.assistant.concerns import WAITING_FOR_SUMMARY
from bot.assistant.replies import Outcome, Reply
from bot.assistant.subscriptions import WAITING_FOR_CONSENT
from bot.catalogue.bundle import Catalogues
from tests.actions.conftest import make_tracker, run_action


def test_every_yes_no_question_of_the_features_has_its_answer() -> None:
    assert set(ANSWERS) == {WAITING_FOR_DELETION, WAITING_FOR_SUMMARY, WAITING_FOR_CONSENT}


@pytest.mark.parametrize("kind", sorted(ANSWERS))
@pytest.mark.parametrize("intent,agreed", [("affirm", True), ("deny", False)])
def test_the_pending_kind_routes_the_answer(
    monkeypatch: pytest.MonkeyPatch, kind: str, intent: str, agreed: bool
) -> None:
    calls: list[tuple[str, str, bool]] = []

    def recorder(name: str) -> Any:
        def answer(turn: Turn, catalogues: Catalogues, *, agreed: bool) -> Outcome:
            calls.append((name, turn.intent, agreed))
            return Outcome((Reply(f"answered by {name}"),))

        return answer

    for name in ANSWERS:
        monkeypatch.setitem(confirm.ANSWERS, name, recorder(name))
    pending = {"kind": kind, "region": "coast"}
    messages, _ = run_action(ActionConfirm(), make_tracker("ok", intent, slots={"pending": pending}))
    assert calls == [(kind, intent, agreed)]
    assert messages[0]["text"] == f"answered by {kind}"


@pytest.mark.parametrize("pending", [None, {"kind": "nothing_we_asked"}, "subscribe_consent", {}])
def test_without_a_known_question_yes_and_no_are_small_talk(catalogues: Catalogues, pending: object) -> None:
    english = catalogues.locales["en"]
    yes, _ = run_action(
        ActionConfirm(), make_tracker("ok", "affirm", slots={"pending": pending, "language": "en"})
    )
    no, _ = run_action(
        ActionConfirm(), make_tracker("no thanks", "deny", slots={"pending": pending, "language": "en"})
    )
    assert yes[0]["text"] == english.text("acknowledge")
    assert no[0]["text"] == english.text("deny_reply")
