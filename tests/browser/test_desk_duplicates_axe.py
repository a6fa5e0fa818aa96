"""axe-core on the new desk pages for duplicates: the one-page chain (empty, with names to
create and similar claims listed) and the merge pages."""

from django.urls import reverse
from playwright.sync_api import Browser, expect

from ..factories import create_claim, create_editor
from .test_desk_chain import log_in
from .test_reader_browser import axe_violations


def test_no_wcag_a_or_aa_violations_on_the_new_desk_pages(browser: Browser, live_server, seeded):
    create_editor(username="olena")
    duplicate = create_claim(text="Umerov refuses to return to Ukraine", slug="umerov-refuses")
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    try:
        base = live_server.url
        log_in(page, base, "olena")
        page.goto(base + reverse("desk:chain_new"))
        assert axe_violations(page) == []
        claim_text = page.locator("#chain-claim").get_by_label("Claim", exact=True)
        claim_text.press_sequentially("Umerov refuses to return", delay=30)
        expect(page.locator("#similar-claims li").first).to_be_visible()
        page.locator("#chain-response-1").get_by_label("Responder").fill("Nobody on file")
        page.get_by_role("button", name="Log the chain").click()
        expect(page.locator("#new-names")).to_be_visible()
        assert axe_violations(page) == []
        page.goto(base + reverse("desk:merge_propose", args=[duplicate.slug]))
        assert axe_violations(page) == []
        page.get_by_role("link", name="Merge into this one").first.click()
        expect(page.locator(".merge-plan")).to_be_visible()
        assert axe_violations(page) == []
    finally:
        context.close()
