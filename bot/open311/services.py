"""The GeoReport service list and service definitions: one service per concern category.

Service codes are the category ids, so they stay stable when names are translated or edited. Each
service has two optional attributes: the region (for routing, when the address does not name one) and
the citizen's consent to be contacted with the details they give.
"""

from __future__ import annotations

from typing import Any

from bot.catalogue.bundle import Catalogues
from bot.catalogue.concern_routing import CATEGORIES, TRIAGE

REGION = "region"
CONSENT = "contact_consent"
YES, NO = "yes", "no"


def service_list(catalogues: Catalogues, language: str) -> list[dict[str, Any]]:
    """``GET services``: every category, named in ``language``, with its names in all languages as
    keywords so a client can search in any of them."""
    locale = catalogues.locales[language]
    services = []
    for category in CATEGORIES:
        ministry = catalogues.concern_routing.ministry_for(category, "")
        keywords = dict.fromkeys(
            other.concern_category_names[category] for other in catalogues.locales.locales.values()
        )
        services.append(
            {
                "service_code": category,
                "service_name": locale.concern_category_names[category],
                "description": locale.text(
                    "open311_service_description", category=locale.concern_category_names[category]
                ),
                "metadata": True,
                "type": "realtime",
                "keywords": ", ".join(keywords),
                "group": "" if ministry == TRIAGE else locale.ministry_names.get(ministry, ministry),
            }
        )
    return services


def service_definition(catalogues: Catalogues, language: str, category: str) -> dict[str, Any]:
    """``GET services/<code>``: the optional region and consent attributes."""
    locale = catalogues.locales[language]
    regions = [
        {"key": region_id, "name": catalogues.regions.name(region_id, language)}
        for region_id in catalogues.regions.ids
    ]
    return {
        "service_code": category,
        "attributes": [
            {
                "variable": True,
                "code": REGION,
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": None,
                "order": 1,
                "description": locale.text("open311_region_description"),
                "values": regions,
            },
            {
                "variable": True,
                "code": CONSENT,
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": None,
                "order": 2,
                "description": locale.text("open311_consent_description"),
                "values": [
                    {"key": YES, "name": locale.text("answer_yes")},
                    {"key": NO, "name": locale.text("answer_no")},
                ],
            },
        ],
    }
