"""Alerts through the real stack: citizens subscribe in chat, a ministry posts CAP, a worker delivers
through Rasa's trigger_intent on each citizen's socket.io channel, in their language."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import websockets
from lxml import etree

from bot.alerts.cap import MEDIA_TYPE
from bot.alerts.model import utc_now
from bot.auth.roles import Role
from bot.catalogue.bundle import Catalogues
from bot.runtime.stack import Stack
from bot.settings import PROJECT_ROOT
from tests.conftest import CAP_SAMPLES
from tests.e2e.conftest import WEB, Citizen, records
from tests.e2e.test_socketio import SOCKET_URL, SocketChat

SENDER = "alerts@meteo.kalima.example"


def _cap(
    identifier: str, msg_type: str = "Alert", references: str = "", headline_fr: str = "Alerte crue"
) -> bytes:
    refs = f"<references>{SENDER},{references},2026-11-28T08:00:00+03:00</references>" if references else ""
    info = """<info><language>{lang}</language><category>Met</category><event>Flood</event>
    <urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty>
    <expires>2099-01-01T00:00:00+03:00</expires><headline>{headline}</headline>
    <description>{description}</description><instruction>{instruction}</instruction>
    <area><areaDesc>Coast</areaDesc><geocode><valueName>KL-REGION</valueName><value>KL-02</value></geocode></area>
    </info>"""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>{identifier}</identifier><sender>{
        SENDER
    }</sender>
<sent>2026-11-28T08:00:00+03:00</sent><status>Actual</status><msgType>{
        msg_type
    }</msgType><scope>Public</scope>{refs}
{
        info.format(
            lang="en",
            headline="Flood warning",
            description="The Mto river burst its banks.",
            instruction="Move to high ground.",
        )
    }
{
        info.format(
            lang="fr",
            headline=headline_fr,
            description="Le fleuve Mto a débordé près de Bandari.",
            instruction="Montez sur les hauteurs.",
        )
    }
</alert>""".encode()


def _post(path: str, key: str, body: bytes, content_type: str = MEDIA_TYPE) -> tuple[int, Any]:
    request = urllib.request.Request(
        WEB + path,
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {key}", "Content-Type": content_type},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _get(path: str, key: str) -> Any:
    request = urllib.request.Request(WEB + path, headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=30) as reply:
        return json.loads(reply.read())


async def _next_bot_message(chat: SocketChat, seconds: float) -> dict[str, Any] | None:
    try:
        while True:
            name, message = await asyncio.wait_for(chat._event(), seconds)
            if name == "bot_uttered":
                return message  # type: ignore[no-any-return]
    except asyncio.TimeoutError:
        return None


async def _scenario(key: str, catalogues: Catalogues) -> None:
    async with websockets.connect(SOCKET_URL) as fr_socket, websockets.connect(SOCKET_URL) as sw_socket:
        french, swahili = SocketChat(fr_socket), SocketChat(sw_socket)
        await french.open()
        await swahili.open()
        question = await french.say(
            "je voudrais recevoir les alertes pour la région de la côte", {"language": "fr"}
        )
        assert "Région de la Côte" in question[0]["text"], question
        done = await french.say("oui", {})
        assert "STOP" in done[0]["text"], done
        question = await swahili.say("nataka kupokea tahadhari za Milima", {"language": "sw"})
        assert catalogues.regions.name("highlands", "sw") in question[0]["text"], question
        await swahili.say("ndiyo", {})

        status, record = await asyncio.to_thread(_post, "/api/v1/alerts", key, _cap("KL-E2E-1"))
        assert status == 201, record
        pushed = await _next_bot_message(french, 30)
        assert pushed is not None, "the French subscriber got nothing"
        assert "Alerte crue" in pushed["text"] and "Montez sur les hauteurs." in pushed["text"]
        assert catalogues.locales["fr"].ministry_names["meteo"] in pushed["text"]
        assert pushed["metadata"]["language"] == "fr"
        assert await _next_bot_message(swahili, 3) is None, "the Swahili subscriber (another region) got it"

        more = await french.say("plus", {})
        assert "Le fleuve Mto a débordé près de Bandari." in more[0]["text"], more
        # a flood on the coast: the open shelters there, by name (shelters.yml), the full ones not
        assert "École primaire de Bandari" in more[0]["text"], more
        assert "Salle communautaire de Bandari" not in more[0]["text"]

        for _ in range(50):
            progress = await asyncio.to_thread(_get, f"/api/v1/alerts/{record['id']}/progress", key)
            if progress["deliveries"]["complete"]:
                break
            await asyncio.sleep(0.2)
        assert (progress["status"], progress["deliveries"]["sent"], progress["deliveries"]["total"]) == (
            "sent",
            1,
            1,
        )

        # CAP Update: replaces the alert; subscribers get the new text, marked as an update.
        status, update = await asyncio.to_thread(
            _post, "/api/v1/alerts", key, _cap("KL-E2E-2", "Update", "KL-E2E-1", headline_fr="Crue aggravée")
        )
        assert status == 201, update
        pushed = await _next_bot_message(french, 30)
        assert pushed is not None and "Crue aggravée" in pushed["text"]
        assert catalogues.locales["fr"].text("alert_update_from", sender="").strip(" –:") in pushed["text"]
        # CAP Cancel: everyone who got the update is told it no longer applies.
        status, cancel = await asyncio.to_thread(
            _post, "/api/v1/alerts", key, _cap("KL-E2E-3", "Cancel", "KL-E2E-2")
        )
        assert status == 201 and cancel["status"] == "cancelled", cancel
        notice = await _next_bot_message(french, 30)
        assert notice is not None and "Crue aggravée" in notice["text"]
        assert await _next_bot_message(swahili, 2) is None

        # STOP ends everything at once; the next alert does not arrive.
        stopped = await french.say("STOP", {})
        assert stopped[0]["text"] == catalogues.locales["fr"].text("unsubscribed_all")
        status, _ = await asyncio.to_thread(_post, "/api/v1/alerts", key, _cap("KL-E2E-4"))
        assert status == 201
        assert await _next_bot_message(french, 5) is None


def test_subscribed_citizens_receive_alerts_in_their_language_once(
    stack: Stack, catalogues: Catalogues
) -> None:
    key, _ = records().api_keys.create("meteo", Role.ADMIN, "e2e", utc_now())
    asyncio.run(_scenario(key, catalogues))


async def subscribe_on_the_web(chat: SocketChat, ask: str, agree: str, language: str) -> str:
    """Open a web chat session and subscribe in it; the session (the conversation's id)."""
    await chat.open()
    await chat.say(ask, {"language": language})
    await chat.say(agree, {})
    return chat.session_id


async def _offline_scenario(key: str) -> None:
    async with websockets.connect(SOCKET_URL) as socket:
        session = await subscribe_on_the_web(
            SocketChat(socket), "subscribe me to alerts for the coast region", "yes", "en"
        )
    status, record = await asyncio.to_thread(_post, "/api/v1/alerts", key, _cap("KL-OFFLINE-1"))
    assert status == 201, record
    for _ in range(100):  # delivered (to a closed page)
        progress = await asyncio.to_thread(_get, f"/api/v1/alerts/{record['id']}/progress", key)
        if progress["deliveries"]["complete"]:
            break
        await asyncio.sleep(0.1)
    assert progress["deliveries"]["sent"] >= 1
    async with websockets.connect(SOCKET_URL) as socket:
        chat = SocketChat(socket)
        await chat.open(session)
        waiting = await _next_bot_message(chat, 10)
        assert waiting is not None and "Flood warning" in waiting["text"]
    async with websockets.connect(SOCKET_URL) as socket:  # shown once, not on every return
        chat = SocketChat(socket)
        await chat.open(session)
        assert await _next_bot_message(chat, 2) is None


def test_web_chat_user_who_was_away_finds_the_alert_on_return(stack: Stack) -> None:
    key, _ = records().api_keys.create("meteo", Role.AUTHOR, "offline", utc_now())
    asyncio.run(_offline_scenario(key))


def test_stop_in_every_language_over_rest(stack: Stack, catalogues: Catalogues) -> None:
    words = {"en": "STOP", "fr": "Arrêt", "es": "BAJA", "pt": "Parar", "sw": "sitisha", "ar": "توقف"}
    for language, word in words.items():
        citizen = Citizen({"language": language})
        answer = citizen.text(word)
        assert answer == catalogues.locales[language].text("not_subscribed"), (language, answer)


def test_command_line_sends_a_cap_file_and_shows_progress(stack: Stack, tmp_path: Path) -> None:
    key, _ = records().api_keys.create("meteo", Role.AUTHOR, "cli", utc_now())
    subscriptions = records().subscriptions
    for i in range(25):
        subscriptions.subscribe(f"null:cli-{i}", "coast", (), "en", utc_now())
    document = tmp_path / "flood.cap"
    document.write_bytes(_cap("KL-CLI-1"))
    env = {**os.environ, "BARAZA_API_KEY": key, "BARAZA_API_URL": WEB}
    run = subprocess.run(
        [sys.executable, "-m", "bot.alerts.send", str(document)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("alert al_") and lines[0].endswith(": sending")
    assert lines[-1].startswith("[" + "#" * 30 + "] 100%") and "failed 0" in lines[-1]
    refused = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.alerts.send",
            str(CAP_SAMPLES / "invalid.cap"),
        ],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode == 1
    assert "422" in refused.stderr and "Element 'info': This element is not expected" in refused.stderr


def _json_alert(region: str, headline: str) -> bytes:
    return json.dumps(
        {
            "severity": "Severe",
            "category": "Met",
            "regions": [region],
            "expires_in_hours": 3,
            "texts": {
                "en": {
                    "headline": headline,
                    "description": "Winds of 90 km/h.",
                    "instruction": "Stay indoors.",
                }
            },
        }
    ).encode()


def _delivered(key: str, alert_id: str) -> dict[str, Any]:
    for _ in range(150):
        progress = _get(f"/api/v1/alerts/{alert_id}/progress", key)
        if progress["deliveries"]["complete"]:
            return dict(progress["deliveries"])
        time.sleep(0.2)
    raise AssertionError(f"delivery of {alert_id} never completed: {progress}")


def test_a_delivery_no_channel_here_can_make_is_skipped_with_its_reason(stack: Stack) -> None:
    """An alert once counted "sent" for subscribers nothing could reach (Rasa collected the messages
    of a channel it has no output for, and answered 200): now skipped, with why, for the ministry."""
    key, _ = records().api_keys.create("meteo", Role.AUTHOR, "skipped", utc_now())
    on_rest = Citizen({"language": "en"})  # the REST channel answers requests; nothing can be pushed to it
    assert "Do you agree?" in on_rest.text("subscribe me to alerts for the Eastern Region")
    on_rest.text("yes")
    # subscribed on a channel this installation has no output for, as an SMS subscriber is when the
    # SMS gateway is not (or no longer) configured
    records().subscriptions.subscribe("viber:+254700555001", "east", (), "en", utc_now())
    status, record = _post(
        "/api/v1/alerts", key, _json_alert("east", "Storm warning – East"), "application/json"
    )
    assert status == 201, record
    deliveries = _delivered(key, record["id"])
    assert (deliveries["total"], deliveries["sent"], deliveries["skipped"], deliveries["failed"]) == (
        2,
        0,
        2,
        0,
    )
    assert deliveries["skipped_reasons"] == [
        {"reason": "cannot_push", "channel": "rest", "count": 1},
        {"reason": "not_configured", "channel": "viber", "count": 1},
    ]


def _feed_headlines(region: str) -> list[str]:
    with urllib.request.urlopen(f"{WEB}/feeds/alerts.atom?lang=en", timeout=30) as reply:
        feed = etree.fromstring(reply.read())
    atom = {"a": "http://www.w3.org/2005/Atom"}
    return sorted(
        str(entry.findtext("a:title", namespaces=atom))
        for entry in feed.findall("a:entry", atom)
        if region in [c.get("term") for c in entry.findall("a:category", atom)]
    )


def test_the_feed_and_the_chat_list_the_same_active_alerts(stack: Stack, catalogues: Catalogues) -> None:
    """The feed listed 1 alert while the chat listed 3: the samples were written straight into the
    citizens' store, with no alert record for the feeds. Now they are their ministries' alerts."""
    key, _ = records().api_keys.create("meteo", Role.AUTHOR, "feed", utc_now())
    status, record = _post(
        "/api/v1/alerts", key, _json_alert("lakes", "Strong winds – Lakes"), "application/json"
    )
    assert status == 201, record
    locale = catalogues.locales["en"]
    for region in ("coast", "lakes", "north"):
        in_feed = _feed_headlines(region)
        answer = Citizen({"language": "en"}).text(
            f"active alerts in the {catalogues.regions.name(region, 'en')}"
        )
        assert answer.startswith(locale.text("alerts_intro", region=catalogues.regions.name(region, "en"))), (
            answer
        )
        listed = [line.split(": ", 1)[1] for line in answer.split("\n")[1:]]  # "SEVERE: <headline>. ..."
        assert in_feed, region
        assert len(listed) == len(in_feed), (region, in_feed, listed)
        for headline in sorted(in_feed, key=len, reverse=True):  # each feed entry is one line of the chat
            line = next((item for item in listed if item.startswith(headline.rstrip(". ") + ".")), None)
            assert line is not None, (headline, listed)
            listed.remove(line)
