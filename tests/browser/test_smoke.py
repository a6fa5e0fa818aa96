"""The seeded home page renders in a real browser and links to the claim page."""

from django.urls import reverse
from playwright.sync_api import Page, expect


def test_home_links_to_the_claim_page(page: Page, live_server, seeded):
    page.goto(live_server.url + reverse("claims:home"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_role("link", name="Umerov refused to return to Ukraine").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Umerov refused to return to Ukraine")
    expect(page.get_by_text("It's fake").first).to_be_visible()
