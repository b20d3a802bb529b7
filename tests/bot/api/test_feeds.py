"""The public Atom feed of the alerts in force: one entry per alert, in the language asked for."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from lxml import etree

from bot.alerts.cap import MEDIA_TYPE
from bot.alerts.lifecycle import Lifecycle, Status
from bot.alerts.model import Alert, AlertText
from bot.alerts.record import AlertRecord
from bot.api.feeds import ATOM, atom_feed
from bot.catalogue.bundle import Catalogues

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)
NS = {"a": ATOM}


def _record(alert_id: str, sent: datetime, texts: dict[str, AlertText]) -> AlertRecord:
    alert = Alert(
        alert_id, "Severe", ("coast", "lakes"), sent, sent + timedelta(hours=6), texts, sender="meteo"
    )
    return AlertRecord(alert, "meteo", Lifecycle(Status.SENT), "k", sent, "meteo@x", alert_id, sent)


def test_one_entry_per_alert_linking_to_its_cap_message(catalogues: Catalogues) -> None:
    records = [
        _record(
            "al_1",
            NOW,
            {
                "en": AlertText("Flood", "River rising.", "Go uphill."),
                "fr": AlertText("Crue", "Le fleuve monte.", ""),
            },
        ),
        _record("al_2", NOW + timedelta(hours=1), {"en": AlertText("Storm", "Strong winds.", "")}),
    ]
    feed = etree.fromstring(atom_feed(records, catalogues, "https://baraza.example", "fr", NOW))
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert feed.findtext("a:updated", namespaces=NS) == (NOW + timedelta(hours=1)).isoformat()  # the newest
    entries = feed.findall("a:entry", NS)
    assert [e.findtext("a:title", namespaces=NS) for e in entries] == ["Crue", "Storm"]  # fr, else original
    first = entries[0]
    assert first.findtext("a:id", namespaces=NS) == "urn:baraza:alert:al_1"
    assert first.findtext("a:summary", namespaces=NS) == "Le fleuve monte."
    assert (
        first.findtext("a:author/a:name", namespaces=NS) == catalogues.locales["fr"].ministry_names["meteo"]
    )
    link = first.find("a:link", NS)
    assert link is not None
    assert (link.get("type"), link.get("href")) == (
        MEDIA_TYPE,
        "https://baraza.example/feeds/alerts/al_1.cap",
    )
    assert [(c.get("term"), c.get("label")) for c in first.findall("a:category", NS)] == [
        ("coast", catalogues.regions.name("coast", "fr")),
        ("lakes", catalogues.regions.name("lakes", "fr")),
    ]


def test_an_empty_feed_is_dated_now_and_links_to_itself(catalogues: Catalogues) -> None:
    feed = etree.fromstring(atom_feed([], catalogues, "http://localhost:8080", "en", NOW))
    assert feed.findall("a:entry", NS) == []
    assert feed.findtext("a:updated", namespaces=NS) == NOW.isoformat()
    assert feed.find("a:link", NS).get("href") == "http://localhost:8080/feeds/alerts.atom"  # type: ignore[union-attr]
