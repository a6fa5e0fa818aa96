"""Translations in a real browser: the reader's translated quote beside its original passes
axe-core; an editor adds a translation with the keyboard only and JavaScript off."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import Browser, expect

from claims.models import Translation
from tests.factories import (
    create_actor,
    create_carriage,
    create_claim,
    create_editor,
    create_response,
    create_translation,
)

from .test_reader_browser import axe_violations

PASSWORD = "a-long-test-password"


@pytest.fixture
def chain(transactional_db):
    cache.clear()
    claim = create_claim(text="Умєров відмовився повертатися в Україну", language="uk")
    create_carriage(claim=claim, role="origin")
    denial = create_response(
        claim=claim, responder=create_actor(name="Офіс президента"), quote="Це фейк", language="uk"
    )
    return {"claim": claim, "denial": denial}


def test_translated_quote_beside_its_original_passes_axe(browser: Browser, live_server, chain):
    create_translation(source=chain["denial"], text="It's fake", engine="DeepL")
    create_translation(source=chain["claim"], text="Umerov refused to return to Ukraine")
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(live_server.url + chain["claim"].get_absolute_url())
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Umerov refused to return to Ukraine"
        )
        quote = page.locator("figure.translated-quote")
        expect(quote.locator('blockquote[lang="en"]')).to_have_text("“It's fake”")
        expect(quote.locator('blockquote[lang="uk"]')).to_have_text("“Це фейк”")
        expect(quote).to_contain_text("Translated by machine: DeepL")
        # The claim's original text is one click away.
        original = page.locator("details.original").first
        expect(original.locator('p[lang="uk"]')).to_be_hidden()
        original.locator("summary").click()
        expect(original.locator('p[lang="uk"]')).to_be_visible()
        assert axe_violations(page) == []
    finally:
        context.close()


def test_an_editor_adds_a_translation_by_keyboard_without_javascript(
    browser: Browser, live_server, chain
):
    create_editor(username="olena")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + reverse("login"))
        page.get_by_label("Username").fill("olena")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_label("Password").press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Desk")
        page.goto(live_server.url + reverse("desk:claim_edit", args=[chain["claim"].slug]))
        box = page.locator(f"#translations-quote-{chain['denial'].pk}")
        box.locator("summary").focus()
        page.keyboard.press("Enter")  # opens the <details>
        box.get_by_label("Language").focus()
        page.keyboard.type("en")
        page.keyboard.press("Tab")
        page.keyboard.type("It's fake")
        box.get_by_label("machine").check()
        box.get_by_label("Engine").fill("DeepL")
        box.get_by_role("button", name="Add translation").press("Enter")
        expect(page.get_by_text("Translation added")).to_be_visible()
        made = Translation.objects.get()
        assert (made.text, made.engine, made.approved_at) == ("It's fake", "DeepL", None)
        box = page.locator(f"#translations-quote-{chain['denial'].pk}")
        expect(box).to_contain_text("machine: DeepL")
        expect(box).to_contain_text("pending")
    finally:
        context.close()
