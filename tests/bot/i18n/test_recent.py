"""The language of recent conversations, kept in memory for when their tracker cannot be read."""

from __future__ import annotations

from bot.i18n.recent import RecentLanguages
from bot.services import Services
from bot.settings import load_settings


def test_the_last_language_of_each_conversation_is_recalled() -> None:
    recent = RecentLanguages()
    recent.remember("telegram:1", "fr")
    recent.remember("telegram:1", "sw")  # the citizen switched
    recent.remember("telegram:2", "")  # no language yet: nothing to remember
    assert recent.recall("telegram:1") == "sw"
    assert recent.recall("telegram:2") == recent.recall("never-seen") == ""


def test_it_stays_bounded_forgetting_the_least_recently_seen_first() -> None:
    recent = RecentLanguages(capacity=2)
    recent.remember("a", "fr")
    recent.remember("b", "ar")
    recent.remember("a", "fr")  # seen again: now the most recent
    recent.remember("c", "pt")
    assert (recent.recall("a"), recent.recall("b"), recent.recall("c")) == ("fr", "", "pt")
    assert len(recent) == 2


def test_a_conversations_language_without_its_tracker() -> None:
    services = Services(load_settings({}))
    default = services.catalogues().languages.default
    services.recent_languages.remember("ussd:+254700000001", "ar")
    assert services.conversation_language("ussd:+254700000001", "en") == "ar"  # what it was held in
    assert services.conversation_language("telegram:9", "pt-BR") == "pt"  # else the channel's hint
    assert services.conversation_language("telegram:9", "tlh") == default  # else the default
