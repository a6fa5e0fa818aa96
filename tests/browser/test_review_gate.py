"""
The review gate in a real browser: an editor logs a denial on the desk; readers and the
denials feed do not see it; a reviewer approves it from the queue in one click; both show it.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from ..factories import create_actor, create_carriage, create_editor, create_reviewer
from .test_desk_chain import log_in

CLAIM = "Zebrafish governor fled the country"


@pytest.fixture
def world(transactional_db):
    create_editor(username="olena")
    create_reviewer(username="maria")
    create_actor(name="President's Office", kind="organisation", slug="presidents-office")
    # A public claim with its source, approved earlier: the denial is the new work.
    carriage = create_carriage(claim=None, role="origin")
    carriage.claim.text = CLAIM
    carriage.claim.save()
    return carriage.claim


def test_a_denial_is_public_only_after_a_reviewer_approves_it_from_the_queue(
    page: Page, live_server, world
):
    base = live_server.url
    claim_url = base + reverse("claims:claim_detail", args=[world.slug])
    feed_url = base + reverse("claims:denied_rss")

    log_in(page, base, "olena")
    page.goto(base + reverse("desk:response_create", args=[world.slug]))
    page.get_by_label("Responder").fill("President's Office")
    page.get_by_label("Stance").select_option(label="denies")
    page.get_by_label("Attribution").select_option(label="spokesperson")
    page.get_by_label("Quote").fill("Pangolin nonsense")
    page.get_by_label("Responded (Kyiv time)").fill("2025-11-17T17:55")
    page.get_by_role("button", name="Add response").click()
    expect(page.get_by_text("Response added.")).to_be_visible()
    expect(page.get_by_text("pending", exact=True)).to_be_visible()

    # Readers and subscribers see nothing of it.
    reader = page.context.browser.new_context()
    try:
        reader_page = reader.new_page()
        reader_page.goto(claim_url)
        expect(reader_page.get_by_role("heading", level=1)).to_have_text(CLAIM)
        expect(reader_page.get_by_text("Pangolin nonsense")).to_have_count(0)
        expect(reader_page.get_by_text("No official response yet.")).to_be_visible()
        assert "Pangolin" not in reader_page.request.get(feed_url).text()

        # The author's desk page shows the denial waiting for a second editor.
        page.goto(base + reverse("desk:claim_edit", args=[world.slug]))
        expect(page.locator("#pending-heading")).to_have_text("Waiting for review")

        # A second editor approves it in one click.
        page.get_by_role("button", name="Log out olena").click()
        log_in(page, base, "maria")
        page.goto(base + reverse("desk:review_queue"))
        page.locator(".review-queue li", has_text=CLAIM).get_by_role(
            "button", name="Approve"
        ).click()
        expect(page.get_by_text("Approved: readers see it now.")).to_be_visible()
        expect(page.locator(".review-queue")).not_to_contain_text(CLAIM)

        reader_page.goto(claim_url)
        expect(reader_page.get_by_text("“Pangolin nonsense”")).to_be_visible()
        expect(reader_page.get_by_text("Officially denied · not yet rated")).to_be_visible()
        feed = reader_page.request.get(feed_url).text()
        assert f"President's Office denies: {CLAIM}" in feed
    finally:
        reader.close()
