"""GeoReport v2 documents in its two formats: schemaless XML (required) and JSON (Spark convention).

One structure renders to both: a list of records under a plural root, each record a mapping whose
lists nest under the plural name with singular items (``attributes`` → ``attribute``).
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree import ElementTree

FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
#: Plural element -> its items' element.
ITEM_OF = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
}


#: Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element: ElementTree.Element, record: dict[str, Any]) -> None:
    for name, value in record.items():
        child = ElementTree.SubElement(element, name)
        if isinstance(value, list):
            for item in value:
                _fill(ElementTree.SubElement(child, ITEM_OF[name]), item)
        elif isinstance(value, dict):
            _fill(child, value)
        else:
            child.text = _text(value)


def render(root: str, body: list[dict[str, Any]] | dict[str, Any], fmt: str) -> str:
    """``body`` as a document: a list goes under ``root`` (items named by :data:`ITEM_OF`), a mapping is
    the ``root`` element itself."""
    if fmt == "json":
        return json.dumps(body, ensure_ascii=False)
    element = ElementTree.Element(root)
    if isinstance(body, list):
        for record in body:
            _fill(ElementTree.SubElement(element, ITEM_OF[root]), record)
    else:
        _fill(element, body)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(element, encoding="unicode")


def errors(status: int, description: str, fmt: str) -> str:
    """The GeoReport error document."""
    return render("errors", [{"code": status, "description": description}], fmt)
