"""Which pages may open the web chat (the handshake itself is tested on the running stack in
tests/security/test_attacks.py)."""

from __future__ import annotations

from bot.channels.socketio import allowed_origin

ALLOWED = ("https://chat.example.gov", "https://ministry.example.go.ke")


def test_only_the_web_app_s_and_widget_sites_origins_are_allowed() -> None:
    assert allowed_origin("https://chat.example.gov", ALLOWED)
    assert allowed_origin("https://Ministry.example.go.ke/", ALLOWED)  # origins compare without case
    for other in (
        "https://evil.example",
        "null",
        "",
        "http://chat.example.gov",
        "https://chat.example.gov.evil",
    ):
        assert not allowed_origin(other, ALLOWED), other


def test_a_request_without_origin_is_not_a_page_s_and_passes() -> None:
    assert allowed_origin(None, ALLOWED)
