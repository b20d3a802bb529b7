"""Turning a GeoReport POST form into a concern: consent, contact details, place and region."""

from __future__ import annotations

import pytest

from bot.catalogue.bundle import Catalogues
from bot.open311.document import render
from bot.open311.requests import Form, RequestRefused, new_concern


def _form(**fields: str) -> Form:
    base = {"service_code": "health", "description": "The clinic has no water.", "address_string": "Ziwani"}
    return Form({**base, **fields})


def test_contact_details_are_kept_only_with_consent(catalogues: Catalogues) -> None:
    given = new_concern(_form(email="a@b.org", first_name="Amina"), catalogues, lambda _: "en")
    assert given.contact_consent and given.contact == "Amina · a@b.org"
    refused = new_concern(
        _form(email="a@b.org", **{"attribute[contact_consent]": "no"}), catalogues, lambda _: "en"
    )
    assert not refused.contact_consent and refused.contact == ""
    anonymous = new_concern(_form(), catalogues, lambda _: "en")
    assert not anonymous.contact_consent and anonymous.subscriber == ""


def test_attached_media_is_kept_like_contact_details(catalogues: Catalogues) -> None:
    photo = "https://photos.example.org/ziwani/clinic.jpg"
    given = new_concern(_form(phone="0712345678", media_url=photo), catalogues, lambda _: "en")
    assert given.contact == f"0712345678 · media_url: {photo}"
    without_consent = new_concern(_form(media_url=photo), catalogues, lambda _: "en")
    assert without_consent.contact == ""  # a photo may show people: not kept without consent
    for bad in ("javascript:alert(1)", "ftp://x.org/a.jpg", "https://x.org/a b.jpg", "https://" + "a" * 2000):
        with pytest.raises(RequestRefused, match="media_url"):
            new_concern(_form(media_url=bad), catalogues, lambda _: "en")


def test_place_and_region_come_from_what_the_client_sent(catalogues: Catalogues) -> None:
    by_name = new_concern(_form(), catalogues, lambda _: "en")
    assert (by_name.place, by_name.region) == ("Ziwani", "lakes")
    chosen = new_concern(_form(**{"attribute[region]": "coast"}), catalogues, lambda _: "en")
    assert chosen.region == "coast"
    coordinates = new_concern(
        Form({"service_code": "roads_transport", "description": "Pothole", "lat": "-1.5", "long": "36.25"}),
        catalogues,
        lambda _: "en",
    )
    assert (coordinates.place, coordinates.region) == ("-1.50000, 36.25000", "")
    with pytest.raises(RequestRefused, match="must be one of"):
        new_concern(_form(**{"attribute[region]": "atlantis"}), catalogues, lambda _: "en")
    with pytest.raises(RequestRefused, match="sent together"):
        new_concern(
            Form({"service_code": "health", "description": "x", "lat": "1"}), catalogues, lambda _: "en"
        )


def test_control_characters_are_dropped_and_a_text_without_words_refused(catalogues: Catalogues) -> None:
    cleaned = new_concern(_form(description="No water \x01\x02since Monday\x00"), catalogues, lambda _: "en")
    assert cleaned.description == "No water since Monday"
    for empty in ("\ufffd\ufffd", "  \x01 ", "?!"):
        with pytest.raises(RequestRefused, match="description is required"):
            new_concern(_form(description=empty), catalogues, lambda _: "en")
    assert "\x01" not in render("service_requests", [{"description": "a\x01b"}], "xml")
