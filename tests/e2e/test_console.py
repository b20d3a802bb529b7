"""The ministry console in a real browser: sign in, compose, preview, submit, approve, watch delivery."""

from __future__ import annotations

import pytest
import redis

from bot.alerts.model import utc_now
from bot.auth.keys import ApiKeyStore
from bot.auth.roles import Role
from bot.catalogue.bundle import Catalogues
from bot.runtime.stack import Stack
from bot.subscriptions.store import SubscriptionStore
from tests.e2e.conftest import E2E_REDIS_URL, WEB
from tests.e2e.test_browser import AXE, _require, playwright_api

SUBSCRIBERS = 40


@pytest.fixture()
def health_keys(stack: Stack) -> dict[str, str]:
    client = redis.Redis.from_url(E2E_REDIS_URL)
    store = ApiKeyStore(client)
    keys = {
        role: store.create("health", Role(role), f"console {role}", utc_now())[0]
        for role in ("author", "approver")
    }
    subscriptions = SubscriptionStore(client)
    for i in range(SUBSCRIBERS):
        subscriptions.subscribe(f"null:console-{i}", "lakes", (), "en", utc_now())
    # on a channel this installation has no output for: not delivered, and the console says why
    subscriptions.subscribe("viber:+254700555002", "lakes", (), "en", utc_now())
    return keys


def _sign_in(page: playwright_api.Page, key: str) -> None:
    page.fill("#api-key", key)
    page.keyboard.press("Enter")
    page.locator("#workspace").wait_for(state="visible")


def test_compose_submit_approve_and_watch_delivery(
    browser: playwright_api.Browser, health_keys: dict[str, str], catalogues: Catalogues
) -> None:
    context = browser.new_context(locale="en-GB")  # the page's own CSP applies
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{WEB}/console?lang=en")
    page.fill("#api-key", "bz_wrong_key")
    page.keyboard.press("Enter")
    page.locator("#problem", has_text=catalogues.locales["en"].console["key_invalid"]).wait_for()

    _sign_in(page, health_keys["author"])
    assert "Ministry of Health" in page.inner_text("#who")
    page.select_option("#category", "Health")
    page.check("#region-lakes")
    page.fill("#headline-en", "Cholera cases in the lakes")
    page.fill("#description-en", "Cases rose in Ziwani this week.")
    page.fill("#instruction-en", "Boil drinking water.")
    page.fill("#headline-fr", "Choléra dans les lacs")
    page.fill("#description-fr", "Les cas augmentent à Ziwani.")
    page.click("#preview")
    previews = page.locator("#previews")
    previews.locator("p[lang=fr]", has_text="Choléra dans les lacs").wait_for()
    assert "Ministry of Health" in previews.locator("p[lang=en]").inner_text()
    assert (
        catalogues.locales["sw"].text("alerts_other_language") in previews.locator("p[lang=sw]").inner_text()
    )
    assert previews.locator("p[lang=ar]").get_attribute("dir") == "rtl"
    page.click("#compose button[type=submit]")
    page.locator("#notice", has_text=catalogues.locales["en"].console["submitted_pending"]).wait_for()
    row = page.locator("#alerts tbody tr", has_text="Cholera cases in the lakes")
    row.wait_for()
    assert catalogues.locales["en"].console["status_pending_approval"] in row.inner_text()
    assert row.locator("button", has_text="Approve").count() == 1  # shown; the API decides who may

    page.click("#sign-out")
    _sign_in(page, health_keys["approver"])
    page.locator("#alerts tbody tr", has_text="Cholera cases in the lakes").locator(
        "button", has_text="Approve"
    ).click()
    done = catalogues.locales["en"].console["progress_done"]
    page.locator("#progress-text", has_text=done).wait_for(timeout=60_000)
    assert page.locator("#progress-bar").evaluate("bar => bar.value") == 100
    text = page.inner_text("#progress-text")
    assert f"{SUBSCRIBERS} sent, 0 failed, 0 remaining, of {SUBSCRIBERS + 1}" in text
    texts = catalogues.locales["en"].console
    not_delivered = texts["progress_skipped"].format(skipped=1)
    why = texts["skip_not_configured"].format(count=1, channel="viber")
    assert f"{not_delivered} {why}." in text
    page.locator("#alerts tbody tr", has_text="Cholera cases in the lakes").filter(
        has_text=catalogues.locales["en"].console["status_sent"]
    ).wait_for()
    context.close()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_console_has_no_wcag_a_or_aa_violation(
    browser: playwright_api.Browser, health_keys: dict[str, str], language: str
) -> None:
    _require(AXE.exists(), "axe-core (npm)")
    context = browser.new_context(bypass_csp=True)  # to inject axe
    page = context.new_page()
    page.goto(f"{WEB}/console?lang={language}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    _sign_in(page, health_keys["author"])
    page.click("#compose button[type=submit]")  # empty form: errors are shown
    page.locator("#problem:not(:empty)").wait_for()
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
    assert violations == []
    context.close()
