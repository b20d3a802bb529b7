"""What the fan-out carries: broadcasts named in Redis, written to streams and read back."""

from __future__ import annotations

from bot.fanout.notices import TRIGGERS, Broadcast, Notice, NoticeKind


def test_a_broadcast_is_named_by_its_reference_and_change() -> None:
    assert Broadcast.alert("al_1").key == "al_1"
    assert Broadcast(NoticeKind.CONCERN, "K7P2QX", "3").key == "K7P2QX#3"
    assert Broadcast.cancellation("al_1") == Broadcast(NoticeKind.CANCEL, "al_1")


def test_stream_fields_round_trip() -> None:
    for broadcast in (
        Broadcast.alert("al_1"),
        Broadcast.cancellation("al_1"),
        Broadcast(NoticeKind.CONCERN, "K7P2QX", "2"),
    ):
        assert Broadcast.from_fields(broadcast.fields()) == broadcast
    assert Broadcast.alert("al_1").fields() == {"a": "al_1", "k": "alert"}  # no empty change written
    assert Broadcast.from_fields({"a": "al_1"}) == Broadcast.alert("al_1")  # entries written before kinds


def test_the_delivery_id_of_an_alert_is_unchanged() -> None:
    """Conversations remember the delivery ids they have shown: the format must not move under them."""
    notice = Notice(Broadcast.alert("al_1"), "telegram", "12345")
    assert notice.delivery_id == "al_1:alert:telegram:12345"
    assert (
        Notice(Broadcast.cancellation("al_1"), "telegram", "12345").delivery_id
        == "al_1:cancel:telegram:12345"
    )
    concern = Notice(Broadcast(NoticeKind.CONCERN, "K7P2QX", "2"), "socketio", "abc")
    assert concern.delivery_id == "K7P2QX#2:concern:socketio:abc"
    assert (concern.kind, concern.reference) == (NoticeKind.CONCERN, "K7P2QX")


def test_every_kind_enters_the_conversation_through_an_external_intent() -> None:
    assert set(TRIGGERS) == set(NoticeKind)
    assert all(trigger.intent.startswith("EXTERNAL_") for trigger in TRIGGERS.values())
