"""
Editors talk in the tool, in a real browser: editor A posts a note mentioning editor B on a
claim's desk page (htmx swaps the thread in place); B is emailed and sees it on the dashboard.
The new desk pages pass axe-core's WCAG A/AA rules and do not scroll sideways at 390 px.
"""

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from claims.models import FeedItem, Lead, Note, OutletFeed

from ..factories import create_denied_chain, create_editor, create_outlet, create_reviewer
from .test_desk_chain import log_in
from .test_reader_browser import axe_violations


@pytest.fixture
def world(transactional_db, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    create_editor(username="anna", email="anna@example.org")
    create_reviewer(username="maria", email="maria@example.org")
    chain = create_denied_chain()
    feed = OutletFeed.objects.create(outlet=create_outlet(), url="https://example.org/rss")
    item = FeedItem.objects.create(feed=feed, url="https://example.org/1", title="Office denies")
    Lead.objects.create(item=item, score=80)
    return chain["claim"]


def test_a_mention_reaches_the_other_editors_dashboard_and_mailbox(
    page: Page, browser: Browser, live_server, world
):
    base = live_server.url
    mail.outbox.clear()
    log_in(page, base, "anna")
    page.goto(base + reverse("desk:claim_edit", args=[world.slug]))
    thread = page.locator("#thread")
    thread.get_by_label("Note", exact=True).fill("@maria is the quote on the ministry's channel?")
    thread.get_by_role("button", name="Add note").click()
    # htmx put the new note in the thread, without a page load.
    expect(page.locator("#thread .note-text")).to_contain_text("is the quote on the ministry")
    expect(page.locator("#thread .mention")).to_have_text("@maria")
    assert Note.objects.get().mentions.get().username == "maria"
    assert [m.to for m in mail.outbox] == [["maria@example.org"]]
    assert "anna mentioned you" in mail.outbox[0].subject

    other = browser.new_context()
    try:
        maria = other.new_page()
        log_in(maria, base, "maria")
        mentions = maria.locator("section", has=maria.locator("#mentions-heading"))
        expect(mentions).to_contain_text("is the quote on the ministry")
        mentions.get_by_role("link", name=world.text).click()
        expect(maria.locator("#thread")).to_contain_text("anna")
    finally:
        other.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_new_desk_pages_are_accessible_and_fit_a_phone(browser: Browser, live_server, world, width):
    base = live_server.url
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 844})
    page = context.new_page()
    try:
        log_in(page, base, "maria")
        pages = [
            reverse("desk:dashboard"),
            reverse("desk:stats"),
            reverse("desk:notification_settings"),
            reverse("desk:claim_edit", args=[world.slug]),
        ]
        for path in pages:
            page.goto(base + path)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            if path == pages[-1]:
                # The thread is this page's new part (the rest is tested with the chain).
                page.add_script_tag(path=str(axe_path()))
                found = page.evaluate(
                    "axe.run('#thread', {runOnly: {type: 'tag', "
                    "values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
                    ".then(r => r.violations.map(v => v.id))"
                )
                assert found == [], (path, found)
            else:
                assert axe_violations(page) == [], path
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, (path, width, overflow)
    finally:
        context.close()


def axe_path():
    from .test_reader_browser import AXE

    return AXE
