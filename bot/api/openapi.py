"""The OpenAPI 3.1 document of the ministry API and the public feeds (served at ``/openapi.json``)."""

from __future__ import annotations

from typing import Any

from bot.alerts.cap import MEDIA_TYPE
from bot.api.alert_schema import ALERT_SCHEMA, CANCEL_SCHEMA
from bot.api.concern_schema import STATUS_CHANGE_SCHEMA
from bot.api.handoff_schema import END_SCHEMA, REPLY_SCHEMA, TRANSFER_SCHEMA

_ERROR = {
    "description": "Error",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}
_ALERT_OUT = {
    "description": "The alert record (JSON), or its CAP 1.2 message when Accept is application/cap+xml",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AlertRecord"}}, MEDIA_TYPE: {}},
}


#: Every API and Open311 route may refuse a caller who sends too much (bot/limits, config/limits.yml).
_TOO_MANY = {
    "description": "Too many requests from this address or key, or too many wrong keys (locked out); "
    "the Retry-After header says in how many seconds to try again",
    "headers": {"Retry-After": {"schema": {"type": "integer"}}},
}


def _errors(*codes: int) -> dict[str, Any]:
    return {**{str(code): _ERROR for code in codes}, "429": _TOO_MANY}


_DAYS = {"name": "days", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 92}}

_OPEN311_SPEC = "Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2); {format} is xml or json"
_FORMAT = {"name": "format", "in": "path", "required": True, "schema": {"enum": ["xml", "json"]}}
_LOCALE = {"name": "locale", "in": "query", "schema": {"type": "string"}}


def _open311_paths() -> dict[str, Any]:
    """The GeoReport v2 routes, for discovery; their documents follow the Open311 specification."""

    def operation(summary: str, *codes: int, public: bool = True, **extra: Any) -> dict[str, Any]:
        responses = {
            "200": {"description": _OPEN311_SPEC},
            **{str(c): {"description": "Open311 errors"} for c in codes},
            "429": _TOO_MANY,
        }
        return {"summary": summary, **({"security": []} if public else {}), "responses": responses, **extra}

    request_id = {"name": "service_request_id", "in": "path", "required": True, "schema": {"type": "string"}}
    code = {"name": "service_code", "in": "path", "required": True, "schema": {"type": "string"}}
    return {
        "/open311/v2/services.{format}": {
            "get": operation(
                "Open311 service list: one service per concern category", 404, parameters=[_FORMAT, _LOCALE]
            )
        },
        "/open311/v2/services/{service_code}.{format}": {
            "get": operation(
                "Open311 service definition (region, contact consent)",
                404,
                parameters=[code, _FORMAT, _LOCALE],
            )
        },
        "/open311/v2/requests.{format}": {
            "get": operation(
                "Open311 requests (public fields; texts with a ministry key)", 400, 403, parameters=[_FORMAT]
            ),
            "post": operation(
                "File a concern (form fields; api_key of a reporter or admin key)",
                400,
                403,
                404,
                public=False,
                parameters=[_FORMAT],
            ),
        },
        "/open311/v2/requests/{service_request_id}.{format}": {
            "get": operation("One Open311 request", 403, 404, parameters=[request_id, _FORMAT])
        },
    }


def _move(summary: str, description: str, body: bool = False) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": summary,
        "description": description,
        "parameters": [{"$ref": "#/components/parameters/AlertId"}],
        "responses": {"200": _ALERT_OUT, **_errors(401, 403, 404, 409, *((422,) if body else ()))},
    }
    if body:
        operation["requestBody"] = {
            "required": False,
            "content": {"application/json": {"schema": CANCEL_SCHEMA}},
        }
    return {"post": operation}


def _handoff_paths() -> dict[str, Any]:
    """The agents' inbox: only agent keys, only their desks' handoffs (403 for anything else)."""
    handoff_id = {"name": "handoff_id", "in": "path", "required": True, "schema": {"type": "string"}}

    def act(summary: str, description: str, schema: dict[str, Any] | None, *codes: int) -> dict[str, Any]:
        body = {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}
        return {
            "post": {
                "summary": summary,
                "description": description,
                "parameters": [handoff_id],
                **(body if schema else {}),
                "responses": {"200": {"description": "The handoff"}, **_errors(401, 403, 404, *codes)},
            }
        }

    return {
        "/api/v1/handoffs": {
            "get": {
                "summary": "The agent's queues",
                "description": "Agent keys. `waiting` (first in line first, urgent first), `mine`, and "
                "`held` (by anyone of the key's desks), each with `waited_seconds`.",
                "parameters": [{"name": "desk", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "The queues"}, **_errors(401, 403)},
            }
        },
        "/api/v1/handoffs/me": {
            "get": {
                "summary": "The agent key's holder and desks",
                "responses": {"200": {"description": "Holder, desks, every desk"}, **_errors(401, 403)},
            }
        },
        "/api/v1/handoffs/canned": {
            "get": {
                "summary": "Canned answers in every language",
                "responses": {"200": {"description": "Language -> answers"}, **_errors(401, 403)},
            }
        },
        "/api/v1/handoffs/events": {
            "get": {
                "summary": "Live events of the agent's desks (Server-Sent Events)",
                "description": "`event: <kind>` (citizen_message, queued, claimed, agent_reply, transferred, "
                'ended) with `data: {"kind", "handoff_id"}`; a comment line every 15 s.',
                "responses": {
                    "200": {"description": "The stream", "content": {"text/event-stream": {}}},
                    **_errors(401, 403),
                },
            }
        },
        "/api/v1/handoffs/{handoff_id}": {
            "get": {
                "summary": "One handoff of the agent's desks",
                "parameters": [handoff_id],
                "responses": {"200": {"description": "The handoff"}, **_errors(401, 403, 404)},
            }
        },
        "/api/v1/handoffs/{handoff_id}/conversation": {
            "get": {
                "summary": "The conversation so far",
                "description": "User and assistant messages from the conversation; personal data redacted "
                "unless the key's holder holds the handoff.",
                "parameters": [handoff_id],
                "responses": {"200": {"description": "The messages"}, **_errors(401, 403, 404, 503)},
            }
        },
        "/api/v1/handoffs/{handoff_id}/claim": act(
            "Claim a waiting conversation", "One person at a time: 409 when taken.", None, 409
        ),
        "/api/v1/handoffs/{handoff_id}/reply": act(
            "Write to the citizen",
            "Only the holder. Filed in the conversation's outbox; `delivered` says whether it was said now.",
            REPLY_SCHEMA,
            400,
            413,
            422,
        ),
        "/api/v1/handoffs/{handoff_id}/transfer": act(
            "Transfer to another desk with a note",
            "The holder, or anyone of the desk while it waits; the citizen keeps their place by time.",
            TRANSFER_SCHEMA,
            400,
            409,
            413,
            422,
        ),
        "/api/v1/handoffs/{handoff_id}/end": act(
            "End with a reason code",
            "Only the holder; the assistant is back.",
            END_SCHEMA,
            400,
            409,
            413,
            422,
        ),
    }


def openapi_document() -> dict[str, Any]:
    """The document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Baraza ministry API",
            "version": "1",
            "description": (
                "Alerts for citizens, as JSON or OASIS CAP 1.2. Keys per ministry carry a role: "
                "author (write, "
                "submit, cancel), approver (also approve), admin (all), analyst (read every ministry, write "
                "nothing), agent (only the handoff inbox of its desks, `/api/v1/handoffs`). "
                "Keys are issued with `python -m bot.auth create`. "
                "Every error is a JSON object whose "
                "`error` names the problem."
            ),
        },
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/alerts": {
                "get": {
                    "summary": "List alerts",
                    "description": "Your ministry's alerts (analysts: all), newest first.",
                    "parameters": [
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 200},
                        },
                        {
                            "name": "before",
                            "in": "query",
                            "schema": {"type": "number"},
                            "description": "next_before of the previous page",
                        },
                        {"name": "status", "in": "query", "schema": {"$ref": "#/components/schemas/Status"}},
                    ],
                    "responses": {"200": {"description": "A page of alerts"}, **_errors(401, 403, 422)},
                },
                "post": {
                    "summary": "Create an alert",
                    "description": (
                        "Creates and submits an alert (pending approval, or sending when the ministry "
                        "needs no second approval). `?draft=true` keeps it as a draft. A CAP 1.2 "
                        "document is validated against the OASIS schema; its <sender> must be the "
                        "ministry's; <area> elements name regions by geocode or "
                        "name; msgType Update/Cancel must reference alerts received here."
                    ),
                    "parameters": [{"name": "draft", "in": "query", "schema": {"type": "boolean"}}],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/AlertInput"}},
                            MEDIA_TYPE: {
                                "schema": {"type": "string", "description": "A CAP 1.2 <alert> document"}
                            },
                        },
                    },
                    "responses": {"201": _ALERT_OUT, **_errors(400, 401, 403, 404, 409, 413, 415, 422)},
                },
            },
            "/api/v1/alerts/preview": {
                "post": {
                    "summary": "Preview an alert",
                    "description": "The message each citizen would receive, per language. Nothing is stored.",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/AlertInput"}}
                        },
                    },
                    "responses": {
                        "200": {"description": "language -> message"},
                        **_errors(400, 401, 415, 422),
                    },
                }
            },
            "/api/v1/me": {
                "get": {
                    "summary": "The key's holder",
                    "description": "Ministry, role and name of the key used.",
                    "responses": {"200": {"description": "The key's holder"}, **_errors(401)},
                }
            },
            "/api/v1/alerts/{alert_id}": {
                "get": {
                    "summary": "Read an alert",
                    "parameters": [{"$ref": "#/components/parameters/AlertId"}],
                    "responses": {"200": _ALERT_OUT, **_errors(401, 403, 404)},
                }
            },
            "/api/v1/alerts/{alert_id}/review": {
                "get": {
                    "summary": "Review an alert before acting on it",
                    "description": (
                        "The alert, the message each citizen would receive per language, and the moves "
                        "(submit, approve, cancel) this key may make now, from the lifecycle's tables."
                    ),
                    "parameters": [{"$ref": "#/components/parameters/AlertId"}],
                    "responses": {
                        "200": {"description": "alert, messages, moves, live"},
                        **_errors(401, 403, 404),
                    },
                }
            },
            "/api/v1/alerts/{alert_id}/progress": {
                "get": {
                    "summary": "Delivery progress",
                    "description": (
                        "Counts of deliveries: total, sent, failed, skipped, remaining; and skipped_reasons, "
                        "the skipped ones by reason (not_configured, cannot_push, unsubscribed, withdrawn) "
                        "and channel."
                    ),
                    "parameters": [{"$ref": "#/components/parameters/AlertId"}],
                    "responses": {"200": {"description": "Counters"}, **_errors(401, 403, 404)},
                }
            },
            "/api/v1/alerts/{alert_id}/submit": _move(
                "Submit a draft", "Sends it for approval (or out, without a second-approval rule)."
            ),
            "/api/v1/alerts/{alert_id}/approve": _move(
                "Approve",
                "Approvers and admins; not the submitter where the ministry requires a second person.",
            ),
            "/api/v1/alerts/{alert_id}/cancel": _move(
                "Cancel",
                "Withdraws the alert; citizens who received it are told it no longer applies.",
                body=True,
            ),
            "/api/v1/alerts/{alert_id}/update": {
                "post": {
                    "summary": "Update a live alert",
                    "description": "Creates an Update that replaces the alert once it goes out.",
                    "parameters": [{"$ref": "#/components/parameters/AlertId"}],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/AlertInput"}}
                        },
                    },
                    "responses": {"201": _ALERT_OUT, **_errors(400, 401, 403, 404, 409, 415, 422)},
                }
            },
            "/api/v1/concerns": {
                "get": {
                    "summary": "List concerns",
                    "description": (
                        "Your ministry's concerns (analysts: every ministry's, redacted), newest first. "
                        "Filters: "
                        "ministry (analysts), category, region, status, language, since, until (ISO 8601), "
                        "q (text)."
                    ),
                    "parameters": [
                        {"name": name, "in": "query", "schema": {"type": "string"}}
                        for name in (
                            "ministry",
                            "category",
                            "region",
                            "status",
                            "language",
                            "since",
                            "until",
                            "q",
                        )
                    ]
                    + [
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 200}},
                        {"name": "offset", "in": "query", "schema": {"type": "integer"}},
                    ],
                    "responses": {
                        "200": {"description": "A page of concerns and the total"},
                        **_errors(401, 403, 422),
                    },
                }
            },
            "/api/v1/concerns/stats": {
                "get": {
                    "summary": "Counts of concerns over time",
                    "description": "Per day or week (period), by category, region and status; "
                    "the list's filters. breakdown: the leading categories and regions, each with its "
                    "count in the last 7 days and in the 7 before.",
                    "parameters": [{"name": "period", "in": "query", "schema": {"enum": ["day", "week"]}}],
                    "responses": {"200": {"description": "A series"}, **_errors(401, 403, 422)},
                }
            },
            "/api/v1/concerns/rising": {
                "get": {
                    "summary": "Rising terms",
                    "description": (
                        "Terms in more reports in the last 7 days than in the 7 days before, and in at "
                        "least min_count of them; stop-words of every language (config/stopwords/) left out."
                    ),
                    "responses": {
                        "200": {"description": "Terms with counts and ratio"},
                        **_errors(401, 403, 422),
                    },
                }
            },
            "/api/v1/concerns/export.csv": {
                "get": {
                    "summary": "Export as CSV",
                    "description": "The list's filters; redacted texts; "
                    "cells starting with = + - @ are quoted.",
                    "responses": {
                        "200": {"description": "CSV", "content": {"text/csv": {}}},
                        **_errors(401, 403, 422),
                    },
                }
            },
            "/api/v1/insights/unanswered": {
                "get": {
                    "summary": "Questions Baraza could not answer",
                    "description": "Analysts only. The last `days` days (1-92, default 30), redacted, "
                    "grouped by similar wording with counts, languages and reasons; optional `language`.",
                    "parameters": [
                        {
                            "name": "days",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 92},
                        },
                        {"name": "language", "in": "query", "schema": {"type": "string"}},
                    ],
                    "responses": {"200": {"description": "Groups and the total"}, **_errors(401, 403, 422)},
                }
            },
            "/api/v1/insights/unanswered.csv": {
                "get": {
                    "summary": "Unanswered questions as CSV",
                    "description": "The same groups; cells starting with = + - @ are quoted.",
                    "responses": {
                        "200": {"description": "CSV", "content": {"text/csv": {}}},
                        **_errors(401, 403, 422),
                    },
                }
            },
            "/api/v1/insights/understood": {
                "get": {
                    "summary": "Share of turns understood, per language per day",
                    "description": "Analysts only. Turns, turns not answered and the share understood.",
                    "responses": {
                        "200": {"description": "One row per day and language"},
                        **_errors(401, 403, 422),
                    },
                }
            },
            "/api/v1/insights/handoffs": {
                "get": {
                    "summary": "Handoffs to a person: figures per language, channel and desk",
                    "description": "Analysts only. The handoffs asked for in the last `days` days "
                    "(1-92, default 30), in all and per language, channel and desk: how many, waiting "
                    "time (first request to first claim) and handling time (first claim to end) as "
                    "count, median and p90 in seconds, abandoned before a person came (count and share "
                    "of those queued), asked while the desk was closed, transferred, ratings (count, "
                    "mean, 1-5 distribution) and triggers (asked, not_understood, distress).",
                    "parameters": [_DAYS],
                    "responses": {
                        "200": {"description": "overall, by_language, by_channel, by_desk"},
                        **_errors(401, 403, 422),
                    },
                }
            },
            "/api/v1/insights/handoffs.csv": {
                "get": {
                    "summary": "Handoffs to a person as CSV, one row per handoff",
                    "description": "Analysts only. Handoff id, desk, language, channel, trigger, times, "
                    "waiting and handling seconds, transfers, status, end reason, rating and the "
                    "rating's comment (stored redacted); no conversation id, address or message. Cells "
                    "starting with = + - @ are quoted.",
                    "parameters": [_DAYS],
                    "responses": {
                        "200": {"description": "CSV", "content": {"text/csv": {}}},
                        **_errors(401, 403, 422),
                    },
                }
            },
            "/api/v1/concerns/{ticket}": {
                "get": {
                    "summary": "Read a concern",
                    "description": "With its history. The original text only for the owning ministry, "
                    "with consent.",
                    "parameters": [
                        {"name": "ticket", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {"200": {"description": "The concern"}, **_errors(401, 403, 404)},
                }
            },
            "/api/v1/concerns/{ticket}/status": {
                "post": {
                    "summary": "Change a concern's status",
                    "description": "Owning ministry, writing roles. Recorded with who and when; "
                    "the citizen is told.",
                    "parameters": [
                        {"name": "ticket", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": STATUS_CHANGE_SCHEMA}},
                    },
                    "responses": {
                        "200": {"description": "The concern"},
                        **_errors(400, 401, 403, 404, 409, 422),
                    },
                }
            },
            "/feeds/alerts.atom": {
                "get": {
                    "summary": "Atom feed of alerts in force (public)",
                    "security": [],
                    "parameters": [{"name": "lang", "in": "query", "schema": {"type": "string"}}],
                    "responses": {
                        "200": {"description": "Atom feed", "content": {"application/atom+xml": {}}},
                        **_errors(400),
                    },
                }
            },
            "/feeds/alerts/{alert_id}.cap": {
                "get": {
                    "summary": "One alert in force as CAP 1.2 (public)",
                    "security": [],
                    "parameters": [{"$ref": "#/components/parameters/AlertId"}],
                    "responses": {
                        "200": {"description": "CAP 1.2", "content": {MEDIA_TYPE: {}}},
                        **_errors(404),
                    },
                }
            },
            **_handoff_paths(),
            **_open311_paths(),
        },
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "A ministry API key"}
            },
            "parameters": {
                "AlertId": {"name": "alert_id", "in": "path", "required": True, "schema": {"type": "string"}}
            },
            "schemas": {
                "AlertInput": ALERT_SCHEMA,
                "Status": {
                    "enum": [
                        "draft",
                        "pending_approval",
                        "sending",
                        "sent",
                        "cancelled",
                        "superseded",
                        "expired",
                    ]
                },
                "AlertRecord": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "ministry": {"type": "string"},
                        "status": {"$ref": "#/components/schemas/Status"},
                        "alert": {"type": "object"},
                        "history": {"type": "array", "items": {"type": "object"}},
                    },
                },
                "Error": {
                    "type": "object",
                    "required": ["error", "status"],
                    "properties": {"error": {"type": "string"}, "status": {"type": "integer"}},
                },
            },
        },
    }
