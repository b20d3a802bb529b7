"""The JSON alert a ministry posts: checked against the schema, the catalogues and the clock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from bot.api.alert_schema import MAX_VALIDITY, AlertInputError, alert_from_body
from bot.catalogue.bundle import Catalogues

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)


def _body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "severity": "Severe",
        "category": "Health",
        "regions": ["coast"],
        "expires_in_hours": 6,
        "texts": {
            "en": {"headline": " Cholera ", "description": "Cases rising.", "instruction": "Boil water."}
        },
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def _alert(catalogues: Catalogues, body: dict[str, Any]) -> Any:
    return alert_from_body(body, catalogues, alert_id="al_1", ministry="health", now=NOW)


def test_a_valid_body_becomes_the_alert(catalogues: Catalogues) -> None:
    alert = _alert(catalogues, _body())
    assert (alert.alert_id, alert.sender, alert.regions) == ("al_1", "health", ("coast",))
    assert alert.effective == NOW and alert.expires == NOW + timedelta(hours=6)
    assert alert.texts["en"].headline == "Cholera"  # trimmed
    assert alert.topics == catalogues.alert_topics.for_categories(("Health",))  # from the category
    assert (alert.urgency, alert.certainty) == ("Unknown", "Unknown")


def test_explicit_times_need_a_zone_and_topics_may_be_named(catalogues: Catalogues) -> None:
    body = _body(
        expires_in_hours=None,
        effective="2026-11-29T10:00:00+03:00",
        expires="2026-11-30T07:00:00Z",
        topics=["weather"],
    )
    alert = _alert(catalogues, body)
    assert alert.effective == datetime(2026, 11, 29, 7, 0, tzinfo=timezone.utc)
    assert alert.expires == datetime(2026, 11, 30, 7, 0, tzinfo=timezone.utc)
    assert alert.topics == ("weather",)


@pytest.mark.parametrize(
    "body,problem",
    [
        (_body(severity="Catastrophic"), "^severity: 'Catastrophic' is not one of"),
        (
            _body(texts={"en": {"headline": "", "description": "d", "instruction": ""}}),
            "^texts.en.headline: ",
        ),
        (_body(extra=1), "^the body: Additional properties are not allowed"),
        (_body(regions=["atlantis"]), r"^regions: unknown \['atlantis'\]; known: \['capital'"),
        (
            _body(texts={"de": {"headline": "h", "description": "d", "instruction": ""}}),
            "unsupported languages",
        ),
        (_body(topics=["gossip"]), r"^topics: unknown \['gossip'\]"),
        (_body(expires_in_hours=None), "^expires: give expires"),
        (_body(expires_in_hours=None, expires="2026-11-29T07:00:00Z"), "would already be over"),
        (_body(expires_in_hours=None, expires="tomorrow"), "^expires: not an ISO 8601"),
        (_body(expires_in_hours=None, expires="2026-11-30T08:00:00"), "^expires: give a time zone"),
        (_body(web="javascript:alert(1)"), "^web: "),
    ],
)
def test_each_problem_is_named_with_its_field(
    catalogues: Catalogues, body: dict[str, Any], problem: str
) -> None:
    with pytest.raises(AlertInputError, match=problem):
        _alert(catalogues, body)


def test_an_alert_may_last_at_most_the_maximum_validity(catalogues: Catalogues) -> None:
    effective = NOW.isoformat()
    longest = (NOW + MAX_VALIDITY).isoformat()
    assert _alert(catalogues, _body(expires_in_hours=None, effective=effective, expires=longest))
    too_long = (NOW + MAX_VALIDITY + timedelta(seconds=1)).isoformat()
    with pytest.raises(AlertInputError, match="send an update instead"):
        _alert(catalogues, _body(expires_in_hours=None, effective=effective, expires=too_long))


def test_thousands_of_regions_are_refused_at_once_by_their_number(catalogues: Catalogues) -> None:
    """16,000 distinct objects as `regions` ran a quadratic uniqueness check (3 s on the event loop)."""
    import time

    started = time.perf_counter()
    with pytest.raises(AlertInputError, match="regions: at most 200 items, got 16000"):
        _alert(catalogues, _body(regions=[{"r": n} for n in range(16_000)]))
    assert time.perf_counter() - started < 2  # seconds, on a busy machine: a bound, not a benchmark


@pytest.mark.parametrize("field", ["regions", "topics"])
def test_a_region_or_topic_given_twice_is_named(catalogues: Catalogues, field: str) -> None:
    value = ["coast", "coast"] if field == "regions" else ["health", "health"]
    with pytest.raises(AlertInputError, match=f"{field}: '(coast|health)' is given twice"):
        _alert(catalogues, _body(**{field: value}))
