"""CAP 1.2 reading on the real alerts of ../shared/benchmarks/cap/, and writing."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.alerts.cap import SCHEMA_PATH, CapError, parse_cap
from tests.conftest import CAP_SAMPLES, SHARED_BENCHMARKS

VALID = ("canada.cap", "mexico.xml", "iceland_met_office.cap", "australia_bom.cap")
INVALID = ("invalid.cap", "sweden.cap", "invalid_xmlns.cap")


def _read(name: str) -> bytes:
    return (CAP_SAMPLES / name).read_bytes()


def test_every_sample_is_tested_and_the_copy_matches_the_shared_data() -> None:
    copied = {p.name for p in CAP_SAMPLES.iterdir() if p.suffix in (".cap", ".xml")}
    assert copied == set(VALID) | set(INVALID)
    shared = SHARED_BENCHMARKS / "cap"
    if shared.is_dir():
        originals = {p.name: p.read_bytes() for p in shared.iterdir() if p.suffix in (".cap", ".xml")}
        assert originals == {name: _read(name) for name in copied}
        assert (shared / "CAP-v1.2.xsd").read_bytes() == SCHEMA_PATH.read_bytes()


@pytest.mark.parametrize("name", VALID)
def test_valid_samples_are_accepted(name: str) -> None:
    message = parse_cap(_read(name))
    assert message.identifier and message.infos and all(info.areas for info in message.infos)


def test_canada_update_with_english_and_french() -> None:
    message = parse_cap(_read("canada.cap"))
    assert message.identifier == "2.49.0.1.124.6bddbc91.2012"
    assert message.sender == "cap@ec.gc.ca"
    assert message.msg_type == "Update"
    assert [(r.sender, r.identifier) for r in message.references] == [
        ("cap@ec.gc.ca", "2.49.0.1.124.a3f342a4.2012"),
        ("cap@ec.gc.ca", "2.49.0.1.124.60f31a3a.2012"),
    ]
    assert [info.language for info in message.infos] == ["en-CA", "fr-CA"]
    english = message.infos[0]
    assert (english.categories, english.urgency, english.severity) == (("Met",), "Past", "Minor")
    assert english.headline == "severe thunderstorm watch"
    assert english.expires == datetime(2012, 5, 3, 0, 20, tzinfo=timezone.utc)
    assert english.areas[0].description == "Windsor - Leamington - Essex County"
    assert ("layer:EC-MSC-SMC:1.0:CLC", "041420") in english.areas[0].geocodes
    assert english.areas[0].polygons == 1


def test_mexico_spanish_update_references_the_earlier_alert() -> None:
    message = parse_cap(_read("mexico.xml"))
    assert message.msg_type == "Update"
    assert (
        str(message.references[0]) == "smn.cna.gob.mx,avisossmn-ciclontropical-4061,2018-10-20T04:15:00-05:00"
    )
    assert message.infos[0].language == "es-419"
    assert message.infos[0].effective == datetime(2018, 10, 20, 7, 15, tzinfo=timezone(timedelta(hours=-5)))


def test_iceland_two_languages_and_australia_prefixed_namespace() -> None:
    iceland = parse_cap(_read("iceland_met_office.cap"))
    assert [i.language for i in iceland.infos] == ["is-IS", "en-US"]
    assert iceland.infos[1].areas[0].description == "Reykjavik - Capital Region"
    australia = parse_cap(_read("australia_bom.cap"))
    assert australia.identifier == "AusBoM-IDN21033-2019-01-16T03:15:58+00:00"
    assert australia.infos[0].language == "en-AU"
    assert australia.infos[0].areas[0].description.startswith("New South Wales")


@pytest.mark.parametrize(
    ("name", "named"),
    [
        ("invalid.cap", "Element 'info': This element is not expected. Expected is one of ( source, scope )"),
        ("sweden.cap", "Element 'senderName': This element is not expected"),
        ("invalid_xmlns.cap", "urn:oasis:names:tc:emergency:alerts:1.2"),
    ],
)
def test_invalid_documents_are_rejected_naming_the_problem(name: str, named: str) -> None:
    with pytest.raises(CapError) as caught:
        parse_cap(_read(name))
    assert named in str(caught.value)


def test_rules_beyond_the_schema() -> None:
    valid = _read("iceland_met_office.cap")
    as_update = valid.replace(b"<msgType>Alert</msgType>", b"<msgType>Update</msgType>")
    with pytest.raises(CapError, match="must list the messages it refers to in <references>"):
        parse_cap(as_update)
    with pytest.raises(CapError, match="not of the form sender,identifier,sent"):
        parse_cap(as_update.replace(b"<info>", b"<references>just-an-id</references><info>", 1))
    backwards = valid.replace(
        b"<expires>2021-09-13T10:00:00-00:00</expires>", b"<expires>2000-01-01T00:00:00-00:00</expires>"
    )
    with pytest.raises(CapError, match="<expires> 2000-01-01T00:00:00\\+00:00 is not after <sent>"):
        parse_cap(backwards)


@pytest.mark.parametrize(
    ("document", "named"),
    [
        (b"", "empty"),
        (b"<alert", "not well-formed XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><alert>&x;</alert>',
            "DOCTYPE",
        ),
        (b"x" * 1_000_001, "larger than"),
        (
            (
                '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE alert [<!ENTITY x "y">]><alert>&x;</alert>'
            ).encode("utf-16"),
            "UTF-8",
        ),
        ('<?xml version="1.0" encoding="UTF-16"?><alert/>'.encode("utf-16-le"), "UTF-8"),
    ],
)
def test_hostile_or_broken_input_is_refused(document: bytes, named: str) -> None:
    with pytest.raises(CapError, match=named):
        parse_cap(document)
