"""OASIS Common Alerting Protocol 1.2: read, check and write CAP documents.

Reading validates against the official schema (``CAP-v1.2.xsd``, OASIS) and then checks the rules the
schema cannot express (an Update or Cancel must reference earlier messages; <expires> after
<effective>). Every problem is a :class:`CapError` whose message names the element at fault, so a
ministry's integrator can fix the document without reading our code.

The parser refuses DTDs and entities (no XXE, no billion laughs) and never touches the network.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from lxml import etree

from bot.alerts.model import MAX_CAP_IDENTIFIER

NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"
MEDIA_TYPE = "application/cap+xml"
SCHEMA_PATH = Path(__file__).with_name("CAP-v1.2.xsd")
#: A CAP document larger than this is refused before parsing (the largest real alerts are ~100 KB).
MAX_DOCUMENT_BYTES = 1_000_000
_NS = {"cap": NAMESPACE}


class CapError(ValueError):
    """A CAP document that cannot be accepted; the message says why."""


@dataclass(frozen=True)
class CapReference:
    """One entry of <references>: ``sender,identifier,sent``."""

    sender: str
    identifier: str
    sent: str

    def __str__(self) -> str:
        return f"{self.sender},{self.identifier},{self.sent}"


@dataclass(frozen=True)
class CapArea:
    """One <area>: a description and any geocodes."""

    description: str
    geocodes: tuple[tuple[str, str], ...]  #: (valueName, value)
    polygons: int = 0
    circles: int = 0


@dataclass(frozen=True)
class CapInfo:
    """One <info> block: the alert in one language."""

    language: str
    categories: tuple[str, ...]
    event: str
    urgency: str
    severity: str
    certainty: str
    effective: datetime | None
    expires: datetime | None
    sender_name: str
    headline: str
    description: str
    instruction: str
    web: str
    areas: tuple[CapArea, ...]


@dataclass(frozen=True)
class CapMessage:
    """A CAP <alert> message, with the parts Baraza uses."""

    identifier: str
    sender: str
    sent: datetime
    status: str
    msg_type: str
    scope: str
    note: str
    references: tuple[CapReference, ...]
    infos: tuple[CapInfo, ...]


@functools.lru_cache(maxsize=1)
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )


def _text(element: etree._Element, path: str) -> str:
    found = element.find(path, _NS)
    return (found.text or "").strip() if found is not None else ""


def _time(value: str, where: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError as error:
        raise CapError(f"<{where}> is not a date and time with an offset: {value!r}") from error


def parse_references(value: str) -> tuple[CapReference, ...]:
    """Parse <references>: space-separated ``sender,identifier,sent`` triples."""
    references = []
    for entry in value.split():
        parts = entry.split(",")
        if len(parts) != 3 or not all(parts):
            raise CapError(f"<references> entry {entry!r} is not of the form sender,identifier,sent")
        references.append(CapReference(*parts))
    return tuple(references)


def parse_cap(document: bytes) -> CapMessage:
    """Validate a CAP 1.2 document and read it; :class:`CapError` names the first problem."""
    if not document.strip():
        raise CapError("the CAP document is empty")
    if len(document) > MAX_DOCUMENT_BYTES:
        raise CapError(f"the CAP document is larger than {MAX_DOCUMENT_BYTES} bytes")
    if document.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00", b"\x00\x00\xfe\xff")) or b"\x00" in document:
        # UTF-16/32 would hide a DOCTYPE from the check below (and CAP 1.2 documents are UTF-8).
        raise CapError("CAP documents must be encoded in UTF-8")
    if b"<!DOCTYPE" in document or b"<!ENTITY" in document:
        raise CapError("CAP documents may not contain a DOCTYPE or entity declarations")
    try:
        root = etree.fromstring(document, _parser())
    except etree.XMLSyntaxError as error:
        raise CapError(f"not well-formed XML: {str(error)[:300]}") from error
    except (etree.LxmlError, ValueError) as error:
        raise CapError(f"not a readable XML document: {str(error)[:300]}") from error
    if getattr(root.getroottree().docinfo, "doctype", ""):
        raise CapError("CAP documents may not contain a DOCTYPE or entity declarations")
    namespace = etree.QName(root).namespace
    if etree.QName(root).localname != "alert" or namespace != NAMESPACE:
        raise CapError(
            f"the root element is {{{namespace}}}{etree.QName(root).localname}; a CAP 1.2 document's root "
            f"is <alert> in the namespace {NAMESPACE}"
        )
    schema = _schema()
    try:
        valid = schema.validate(root)
    except etree.LxmlError as error:
        raise CapError(f"not valid CAP 1.2: {str(error)[:300]}") from error
    if not valid:
        first = schema.error_log[0]  # type: ignore[index]  # lxml-stubs lack _ListErrorLog indexing
        message = first.message.replace(f"{{{NAMESPACE}}}", "")
        raise CapError(f"not valid CAP 1.2 (line {first.line}): {message}")
    return _read(root)


def _read(root: etree._Element) -> CapMessage:
    msg_type = _text(root, "cap:msgType")
    references = parse_references(_text(root, "cap:references"))
    if msg_type in ("Update", "Cancel", "Ack", "Error") and not references:
        raise CapError(
            f"a message of <msgType> {msg_type} must list the messages it refers to in <references>"
        )
    sent = _time(_text(root, "cap:sent"), "sent")
    assert sent is not None  # required by the schema
    identifier = _text(root, "cap:identifier")
    if len(identifier) > MAX_CAP_IDENTIFIER:
        raise CapError(f"<identifier>: at most {MAX_CAP_IDENTIFIER} characters, got {len(identifier)}")
    infos = tuple(
        _read_info(info, index, sent) for index, info in enumerate(root.findall("cap:info", _NS), 1)
    )
    return CapMessage(
        identifier=identifier,
        sender=_text(root, "cap:sender"),
        sent=sent,
        status=_text(root, "cap:status"),
        msg_type=msg_type,
        scope=_text(root, "cap:scope"),
        note=_text(root, "cap:note"),
        references=references,
        infos=infos,
    )


def _read_info(info: etree._Element, index: int, sent: datetime) -> CapInfo:
    effective = _time(_text(info, "cap:effective"), "effective")
    expires = _time(_text(info, "cap:expires"), "expires")
    if expires and expires <= (effective or sent):
        start = "<effective>" if effective else "<sent> (no <effective> given)"
        raise CapError(f"<info> {index}: <expires> {expires.isoformat()} is not after {start}")
    areas = tuple(
        CapArea(
            description=_text(area, "cap:areaDesc"),
            geocodes=tuple(
                (_text(code, "cap:valueName"), _text(code, "cap:value"))
                for code in area.findall("cap:geocode", _NS)
            ),
            polygons=len(area.findall("cap:polygon", _NS)),
            circles=len(area.findall("cap:circle", _NS)),
        )
        for area in info.findall("cap:area", _NS)
    )
    return CapInfo(
        language=_text(info, "cap:language") or "en-US",  # the default CAP 1.2 gives
        categories=tuple((c.text or "").strip() for c in info.findall("cap:category", _NS)),
        event=_text(info, "cap:event"),
        urgency=_text(info, "cap:urgency"),
        severity=_text(info, "cap:severity"),
        certainty=_text(info, "cap:certainty"),
        effective=effective,
        expires=expires,
        sender_name=_text(info, "cap:senderName"),
        headline=_text(info, "cap:headline"),
        description=_text(info, "cap:description"),
        instruction=_text(info, "cap:instruction"),
        web=_text(info, "cap:web"),
        areas=areas,
    )


def cap_time(moment: datetime) -> str:
    """A time as CAP writes it: seconds precision and a numeric offset (``-00:00`` is not used)."""
    return moment.replace(microsecond=0).isoformat()


def write_cap(message: CapMessage) -> bytes:
    """Serialise a message as a CAP 1.2 document (elements in schema order)."""
    root = etree.Element(f"{{{NAMESPACE}}}alert", nsmap={None: NAMESPACE})  # type: ignore[dict-item]

    def add(parent: etree._Element, name: str, value: str | None) -> None:
        if value:
            etree.SubElement(parent, f"{{{NAMESPACE}}}{name}").text = value

    add(root, "identifier", message.identifier)
    add(root, "sender", message.sender)
    add(root, "sent", cap_time(message.sent))
    add(root, "status", message.status)
    add(root, "msgType", message.msg_type)
    add(root, "scope", message.scope)
    add(root, "note", message.note)
    add(root, "references", " ".join(str(r) for r in message.references))
    for info in message.infos:
        block = etree.SubElement(root, f"{{{NAMESPACE}}}info")
        add(block, "language", info.language)
        for category in info.categories:
            add(block, "category", category)
        add(block, "event", info.event)
        add(block, "urgency", info.urgency)
        add(block, "severity", info.severity)
        add(block, "certainty", info.certainty)
        add(block, "effective", cap_time(info.effective) if info.effective else None)
        add(block, "expires", cap_time(info.expires) if info.expires else None)
        add(block, "senderName", info.sender_name)
        add(block, "headline", info.headline)
        add(block, "description", info.description)
        add(block, "instruction", info.instruction)
        add(block, "web", info.web)
        for area in info.areas:
            area_element = etree.SubElement(block, f"{{{NAMESPACE}}}area")
            add(area_element, "areaDesc", area.description)
            for name, value in area.geocodes:
                geocode = etree.SubElement(area_element, f"{{{NAMESPACE}}}geocode")
                add(geocode, "valueName", name)
                add(geocode, "value", value)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
