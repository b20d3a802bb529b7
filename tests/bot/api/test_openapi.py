"""The OpenAPI document: every API route is in it, and it describes the bodies the API really checks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bot.api.alert_schema import ALERT_SCHEMA
from bot.api.concern_schema import STATUS_CHANGE_SCHEMA
from bot.api.openapi import openapi_document
from tests.bot.api.conftest import Api


def test_openapi_documents_every_api_route(api_server: Api) -> None:
    document = api_server.call("GET", "/openapi.json").json()
    from tests.bot.api.test_authorization import PUBLIC, _routes

    documented = {(m.upper(), p) for p, ops in document["paths"].items() for m in ops}
    for method, path in _routes():
        if path.startswith(("/api/", "/feeds/")):
            normalised = path.rstrip("/") if path != "/" else path
            for placeholder, name in (
                ("<alert_id:str>", "{alert_id}"),
                ("<filename:str>", "{alert_id}.cap"),
                ("<ticket:str>", "{ticket}"),
                ("<handoff_id:str>", "{handoff_id}"),
            ):
                normalised = normalised.replace(placeholder, name)
            assert (method, normalised) in documented, (method, path)
    assert PUBLIC.match("/feeds/alerts.atom")


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_every_reference_in_the_document_resolves() -> None:
    document = openapi_document()
    refs = set(_refs(document))
    assert refs, "the document uses no $ref"
    for ref in refs:
        assert ref.startswith("#/"), ref
        target: Any = document
        for part in ref[2:].split("/"):
            assert part in target, ref
            target = target[part]


def test_the_documented_bodies_are_the_schemas_the_api_validates_with(api_server: Api) -> None:
    document = openapi_document()
    assert document["components"]["schemas"]["AlertInput"] == ALERT_SCHEMA
    assert STATUS_CHANGE_SCHEMA in [
        body["content"]["application/json"]["schema"]
        for operations in document["paths"].values()
        for operation in operations.values()
        if (body := operation.get("requestBody"))
    ]
    assert api_server.call("GET", "/openapi.json").json() == document  # what the web app serves
