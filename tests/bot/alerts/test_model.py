"""An alert as citizens read it: checked on creation, in force for a while, text per language."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.alerts.model import Alert, AlertText, utc_now


def test_alert_rejects_bad_values() -> None:
    now = utc_now()
    with pytest.raises(ValueError, match="severity"):
        Alert(
            "x", "Catastrophic", ("coast",), now, now + timedelta(hours=1), {"en": AlertText("h", "d", "i")}
        )
    with pytest.raises(ValueError, match="expires"):
        Alert("x", "Minor", ("coast",), now, now, {"en": AlertText("h", "d", "i")})


def _alert(**changes: object) -> Alert:
    now = utc_now()
    values: dict[str, object] = {
        "alert_id": "al_1",
        "severity": "Severe",
        "regions": ("coast",),
        "effective": now,
        "expires": now + timedelta(hours=2),
        "texts": {
            "sw": AlertText("Mafuriko", "Mto unafurika.", "Hamia juu."),
            "en": AlertText("Flood", "d", "i"),
        },
    }
    values.update(changes)
    return Alert(**values)  # type: ignore[arg-type]


def test_in_force_from_effective_until_just_before_expires() -> None:
    alert = _alert()
    assert alert.is_active(alert.effective)
    assert alert.is_active(alert.expires - timedelta(microseconds=1))
    assert not alert.is_active(alert.expires)
    assert not alert.is_active(alert.effective - timedelta(seconds=1))


def test_text_in_the_language_or_in_the_original_language_saying_so() -> None:
    alert = _alert()
    assert alert.text_for("en") == (AlertText("Flood", "d", "i"), False)
    assert alert.text_for("fr") == (AlertText("Mafuriko", "Mto unafurika.", "Hamia juu."), True)


def test_json_round_trip_keeps_everything() -> None:
    alert = _alert(msg_type="Update", references=("al_0",), topics=("weather",), web="https://x.example")
    data = alert.to_json()
    assert data["effective"] == alert.effective.isoformat()
    assert Alert.from_json(data) == alert


def test_an_update_must_reference_and_times_must_carry_a_zone() -> None:
    with pytest.raises(ValueError, match="must reference the alert it replaces"):
        _alert(msg_type="Update")
    with pytest.raises(ValueError, match="time zone"):
        _alert(effective=utc_now().replace(tzinfo=None))
    with pytest.raises(ValueError, match="at least one target region"):
        _alert(regions=())
    with pytest.raises(ValueError, match="text in at least one language"):
        _alert(texts={})
