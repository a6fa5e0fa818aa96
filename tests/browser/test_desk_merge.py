"""
A duplicate claim merged in a real browser: one editor proposes it from the duplicate's desk
page, a second approves it from the review queue, and the duplicate's old address then leads
readers to the claim kept.
"""

from django.urls import reverse
from playwright.sync_api import Page, expect

from claims.models import Claim

from ..factories import create_carriage, create_claim, create_editor, create_reviewer
from .test_desk_chain import log_in

KEPT = "Umerov refused to return to Ukraine"
DUPLICATE = "Umerov refuses to return to Ukraine"


def test_a_merge_is_proposed_approved_and_the_old_address_followed(page: Page, live_server, seeded):
    base = live_server.url
    create_editor(username="olena")
    create_reviewer(username="maria")
    duplicate = create_claim(text=DUPLICATE, slug="umerov-refuses-to-return")
    create_carriage(claim=duplicate, role="repeat")
    old_url = base + duplicate.get_absolute_url()
    assert page.request.get(old_url).ok  # readers see the duplicate for now

    log_in(page, base, "olena")
    page.goto(base + reverse("desk:claim_edit", args=[duplicate.slug]))
    page.get_by_role("link", name="Merge into another claim").click()
    similar = page.locator(".desk-list li", has_text=KEPT)
    expect(similar).to_contain_text("similarity")
    similar.get_by_role("link", name="Merge into this one").click()
    expect(page.locator(".merge-plan")).to_contain_text("1 carriage moves")
    page.get_by_role("button", name="Propose the merge").click()
    expect(page.get_by_text("Merge proposed")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(KEPT)
    # The proposer cannot approve it: the queue tells them another editor reviews it.
    page.get_by_role("button", name="Log out olena").click()

    log_in(page, base, "maria")
    page.goto(base + reverse("desk:review_queue"))
    row = page.locator(".review-queue li", has_text=KEPT)
    row.get_by_role("link", name=KEPT).click()
    expect(page.locator(".merge-plan")).to_contain_text("1 carriage moves")
    page.get_by_role("button", name="Approve: make it public").click()
    expect(page.get_by_text("Approved: readers see it now.")).to_be_visible()

    # The old address answers 301 and the browser lands on the kept claim.
    answer = page.request.get(old_url, max_redirects=0)
    assert answer.status == 301
    page.goto(old_url)
    kept = Claim.objects.get(text=KEPT)
    assert page.url == base + kept.get_absolute_url()
    expect(page.get_by_role("heading", level=1)).to_have_text(KEPT)
    assert Claim.objects.get(pk=duplicate.pk).duplicate_of == kept
