"""A change's effects as the outbox keeps them: read back as written, empty when there are none."""

from __future__ import annotations

from bot.alerts.effects import NONE, Effects, Job, View
from bot.fanout.notices import JobKind


def test_effects_are_read_back_from_the_outbox_as_written() -> None:
    live = Effects(View.SHOW, (Job(JobKind.ALERT, "al_2"), Job(JobKind.SUPERSEDE, "al_1", by="al_2")))
    assert Effects.from_json(live.to_json()) == live
    assert Effects.from_json(NONE.to_json()) == NONE


def test_a_change_with_nothing_to_do_outside_the_database_has_no_effects() -> None:
    assert not NONE
    assert Effects(View.WITHDRAW)
    assert Effects(jobs=(Job(JobKind.CANCEL, "al_1"),))
