"""The ministry console in a real browser: sign in, compose, preview, submit, approve, watch delivery."""

from __future__ import annotations

import re

import pytest

from bot.alerts.model import utc_now
from bot.auth.roles import Role
from bot.catalogue.bundle import Catalogues
from bot.runtime.stack import Stack
from tests.e2e.conftest import WEB, records
from tests.e2e.test_browser import AXE, _require, playwright_api

SUBSCRIBERS = 40


@pytest.fixture()
def health_keys(stack: Stack) -> dict[str, str]:
    store = records().api_keys
    keys = {
        role: store.create("health", Role(role), f"console {role}", utc_now())[0]
        for role in ("author", "approver")
    }
    subscriptions = records().subscriptions
    for i in range(SUBSCRIBERS):
        subscriptions.subscribe(f"null:console-{i}", "lakes", (), "en", utc_now())
    # on a channel this installation has no output for: not delivered, and the console says why
    subscriptions.subscribe("viber:+254700555002", "lakes", (), "en", utc_now())
    return keys


def _sign_in(page: playwright_api.Page, key: str) -> None:
    page.fill("#api-key", key)
    page.keyboard.press("Enter")
    page.locator("#workspace").wait_for(state="visible")


def _review(page: playwright_api.Page, headline: str) -> playwright_api.Locator:
    row = page.locator("#alerts tbody tr", has_text=headline)
    row.get_by_role("button", name=f"Review: {headline}").click()
    review = page.locator("#review")
    review.locator("#review-heading", has_text=headline).wait_for()
    return review


def test_the_approver_reads_every_text_and_the_preview_before_approving(
    browser: playwright_api.Browser, health_keys: dict[str, str], catalogues: Catalogues
) -> None:
    console = catalogues.locales["en"].console
    context = browser.new_context(locale="en-GB")  # the page's own CSP applies
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{WEB}/console?lang=en")
    page.fill("#api-key", "bz_wrong_key")
    page.keyboard.press("Enter")
    # the refusal is next to the key field, read with it, and goes once a key is accepted
    page.locator("#key-error", has_text=console["key_invalid"]).wait_for()
    assert "key-error" in (page.get_attribute("#api-key", "aria-describedby") or "")
    assert page.get_attribute("#api-key", "aria-invalid") == "true"

    _sign_in(page, health_keys["author"])
    assert page.inner_text("#key-error") == "" and page.inner_text("#problem") == ""
    assert "Ministry of Health" in page.inner_text("#who")

    # required fields left empty: a written error under each, cleared when the field is filled
    page.click("#compose button[type=submit]")
    page.locator("#compose-error", has_text=console["fix_errors"]).wait_for()
    assert page.inner_text("#headline-en-error") == console["field_required"]
    assert page.inner_text("#regions-error") == console["choose_region"]
    assert page.evaluate("document.activeElement.id") == "headline-en"
    page.fill("#headline-en", "Cholera cases in the lakes")
    assert page.inner_text("#headline-en-error") == ""
    assert page.get_attribute("#headline-en", "aria-invalid") == "false"

    page.select_option("#category", "Health")
    page.check("#region-lakes")
    page.fill("#description-en", "Cases rose in Ziwani this week.")
    page.fill("#instruction-en", "Boil drinking water.")
    page.fill("#headline-fr", "Choléra dans les lacs")
    page.fill("#description-fr", "Les cas augmentent à Ziwani.")
    page.fill("#instruction-fr", "Faites bouillir l'eau.")
    page.click("#preview")
    previews = page.locator("#previews")
    previews.locator("p[lang=fr]", has_text="Choléra dans les lacs").wait_for()
    assert (
        catalogues.locales["sw"].text("alerts_other_language") in previews.locator("p[lang=sw]").inner_text()
    )
    assert previews.locator("p[lang=ar]").get_attribute("dir") == "rtl"

    # saved as a draft, then submitted from its review (an author has no Approve, before or after)
    page.click("#save-draft")
    page.locator("#compose-status", has_text=console["saved_draft"]).wait_for()
    review = _review(page, "Cholera cases in the lakes")
    assert review.locator("#review-facts").inner_text().count(console["status_draft"]) == 1
    assert review.get_by_role("button", name=console["approve"]).count() == 0
    review.get_by_role("button", name=console["submit"], exact=True).click()
    review.locator("#review-status", has_text=console["submitted_pending"]).wait_for()
    review.locator("#review-facts", has_text=console["status_pending_approval"]).wait_for()
    assert review.get_by_role("button", name=console["approve"]).count() == 0
    assert review.get_by_role("button", name=console["cancel_alert"]).count() == 1
    assert console["waiting_other_approver"] in review.locator("#review-hint").inner_text()
    row = page.locator("#alerts tbody tr", has_text="Cholera cases in the lakes")
    assert row.get_by_role("button", name=console["approve"]).count() == 0  # never in the list

    page.click("#sign-out")
    _sign_in(page, health_keys["approver"])
    review = _review(page, "Cholera cases in the lakes")
    # everything the approver needs is on the page when Approve is offered
    texts = review.locator("#review-texts")
    assert "Cases rose in Ziwani this week." in texts.locator("div[lang=en]").inner_text()
    assert "Faites bouillir l'eau." in texts.locator("div[lang=fr]").inner_text()
    facts = review.locator("#review-facts").inner_text()
    assert catalogues.regions.name("lakes", "en") in facts
    assert re.search(r"\d\d/\d\d/\d{4}, \d\d:\d\d to \d\d/\d\d/\d{4}, \d\d:\d\d", facts)  # en-GB
    citizen = review.locator("#review-previews")
    assert "Ministry of Health" in citizen.locator("p[lang=en]").inner_text()
    assert "Choléra dans les lacs" in citizen.locator("p[lang=fr]").inner_text()
    approve = review.get_by_role("button", name=console["approve"])
    assert approve.is_visible() and approve.is_enabled()
    approve.click()
    review.locator("#review-status", has_text=console["approved"]).wait_for()
    done = console["progress_done"]
    page.locator("#progress-text", has_text=done).wait_for(timeout=60_000)
    assert page.locator("#progress-bar").evaluate("bar => bar.value") == 100
    text = page.inner_text("#progress-text")
    assert f"{SUBSCRIBERS} sent, 0 failed, 0 remaining, of {SUBSCRIBERS + 1}" in text
    texts = catalogues.locales["en"].console
    not_delivered = texts["progress_skipped"].format(skipped=1)
    why = texts["skip_not_configured"].format(count=1, channel="viber")
    assert f"{not_delivered} {why}." in text
    page.locator("#alerts tbody tr", has_text="Cholera cases in the lakes").filter(
        has_text=console["status_sent"]
    ).wait_for()
    review.locator("#review-facts", has_text=console["status_sent"]).wait_for()
    assert review.get_by_role("button", name=console["approve"]).count() == 0
    # who did what, read from the alert's history (the keys were issued without a person: keys named)
    steps = review.locator("#review-history li").all_inner_texts()
    author, approver = (health_keys[role].split("_")[1] for role in ("author", "approver"))
    assert [step.split(" \u2014 ", 1)[1] for step in steps] == [
        console["history_submit"].format(who=console["history_key"].format(key=author)),
        console["history_approve"].format(who=console["history_key"].format(key=approver)),
        console["history_finish"],
    ]
    assert re.match(r"\d\d/\d\d/\d{4}, \d\d:\d\d", steps[0])  # when, in the page's locale
    context.close()


def test_an_approver_sees_no_approve_on_their_own_alert_and_errors_stay_next_to_the_move(
    browser: playwright_api.Browser, health_keys: dict[str, str], catalogues: Catalogues
) -> None:
    console = catalogues.locales["en"].console
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(f"{WEB}/console?lang=en")
    _sign_in(page, health_keys["approver"])
    page.check("#region-coast")
    page.fill("#headline-en", "Measles vaccination days")
    page.fill("#description-en", "Free vaccination at every clinic.")
    page.click("#compose button[type=submit]")
    page.locator("#compose-status", has_text=console["submitted_pending"]).wait_for()
    review = _review(page, "Measles vaccination days")
    assert review.get_by_role("button", name=console["approve"]).count() == 0  # a second person must
    assert review.get_by_role("button", name=console["cancel_alert"]).count() == 1

    # a move the server refuses (here: cancelled meanwhile elsewhere) is reported beside the buttons
    page.on("dialog", lambda dialog: dialog.accept())
    row = page.locator("#alerts tbody tr", has_text="Measles vaccination days")
    alert_id = row.locator("button[data-alert]").get_attribute("data-alert")
    page.evaluate(
        """async ([id, key]) => { await fetch('/api/v1/alerts/' + id + '/cancel', {method: 'POST', body: '{}',
            headers: {'Authorization': 'Bearer ' + key, 'Content-Type': 'application/json'}}); }""",
        [alert_id, health_keys["approver"]],
    )
    review.get_by_role("button", name=console["cancel_alert"]).click()
    error = review.locator("#review-error")
    error.filter(has_text="cannot cancel an alert that is cancelled").wait_for()
    assert error.get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.getAttribute('aria-describedby')") == "review-error"
    assert page.inner_text("#problem") == ""
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
    headline = f"Axe check {language}"
    page.check("#region-coast")
    page.fill("#headline-en", headline)
    page.fill("#description-en", "Checked for accessibility.")
    page.click("#save-draft")
    page.locator("#compose-status:not(:empty)").wait_for()
    page.locator("#alerts tbody tr", has_text=headline).locator("button[data-alert]").click()
    page.locator("#review-heading", has_text=headline).wait_for()  # the review panel is open
    page.click("#compose button[type=submit]")  # empty form: errors are shown
    page.locator("#compose-error:not(:empty)").wait_for()
    page.locator("#headline-en-error:not(:empty)").wait_for()
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
    assert violations == []
    context.close()
