"""GeoReport v2 documents: one structure, rendered as XML or JSON."""

from __future__ import annotations

import json

from lxml import etree

from bot.open311.document import FORMATS, errors, render


def test_documents_render_lists_under_singular_items() -> None:
    body = {"service_code": "x", "attributes": [{"code": "a", "values": [{"key": 1, "name": "One"}]}]}
    assert render("service_definition", body, "xml").endswith(
        "<service_definition><service_code>x</service_code><attributes><attribute><code>a</code>"
        "<values><value><key>1</key><name>One</name></value></values></attribute></attributes>"
        "</service_definition>"
    )
    assert errors(400, "bad <input>", "xml").endswith(
        "<errors><error><code>400</code><description>bad &lt;input&gt;</description></error></errors>"
    )
    assert errors(404, "gone", "json") == '[{"code": 404, "description": "gone"}]'


def test_lists_go_under_the_plural_root_and_values_become_text() -> None:
    records = [
        {"service_code": "health", "metadata": True, "group": None},
        {"service_code": "water", "metadata": False},
    ]
    root = etree.fromstring(render("services", records, "xml").encode())
    assert [s.findtext("service_code") for s in root.findall("service")] == ["health", "water"]
    assert root.find("service/metadata").text == "true"  # type: ignore[union-attr]
    assert root.find("service[2]/metadata").text == "false"  # type: ignore[union-attr]
    assert root.find("service/group").text is None  # type: ignore[union-attr]
    assert json.loads(render("services", records, "json")) == records
    assert set(FORMATS) == {"xml", "json"}


def test_text_xml_cannot_carry_is_dropped_and_other_scripts_kept() -> None:
    document = render("service_requests", [{"description": "ماء\x0b مقطوع \ufffe"}], "xml")
    assert etree.fromstring(document.encode()).findtext("request/description") == "ماء مقطوع "
    assert errors(400, "ü", "json") == '[{"code": 400, "description": "ü"}]'  # JSON keeps it readable
