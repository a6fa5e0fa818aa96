"""Two editors save the same claim in real browsers: the second sees a 409 in place, not a loss."""

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from claims.models import Claim, HistoryEntry

from ..factories import create_claim, create_editor

PASSWORD = "a-long-test-password"


@pytest.fixture
def claim(transactional_db) -> Claim:
    create_editor(username="olena")
    create_editor(username="taras")
    return create_claim(text="Umerov refused to return", language="en", approved=False)


@pytest.fixture
def new_page(browser: Browser, live_server):
    """Pages in separate browser contexts (two editors), closed before the live server stops."""
    contexts = []

    def make() -> Page:
        contexts.append(browser.new_context())
        return contexts[-1].new_page()

    yield make
    for context in contexts:
        context.close()


def editor_page(new_page, base: str, username: str, path: str) -> Page:
    page = new_page()
    page.goto(base + reverse("login") + f"?next={path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Save claim")).to_be_visible()
    return page


def test_second_save_gets_the_conflict_and_can_reapply(new_page, live_server, claim):
    path = reverse("desk:claim_edit", args=[claim.slug])
    olena = editor_page(new_page, live_server.url, "olena", path)
    taras = editor_page(new_page, live_server.url, "taras", path)

    olena.get_by_label("Text", exact=True).fill("Umerov refused to return to Ukraine")
    olena.get_by_role("button", name="Save claim").click()
    expect(olena.get_by_text("Claim saved.")).to_be_visible()

    taras.get_by_label("Context").fill("Umerov was on a working trip to Turkey.")
    taras.get_by_role("button", name="Save claim").click()
    conflict = taras.locator(".conflict")
    expect(conflict).to_contain_text("Someone else saved this")
    # His page was not replaced: the form came back in place, with his context still in it.
    expect(taras.get_by_label("Context")).to_have_value("Umerov was on a working trip to Turkey.")
    text_row = conflict.locator("tr").filter(
        has=taras.get_by_role("rowheader", name="Text", exact=True)
    )
    expect(text_row.locator(".yours")).to_have_text("Umerov refused to return")
    expect(text_row.locator(".theirs")).to_have_text("Umerov refused to return to Ukraine")
    claim.refresh_from_db()
    assert claim.context == "" and claim.version == 2

    # Re-applying his change keeps hers: the form now carries the saved text and version.
    expect(taras.get_by_label("Text", exact=True)).to_have_value("Umerov refused to return")
    taras.get_by_label("Text", exact=True).fill("Umerov refused to return to Ukraine")
    taras.get_by_role("button", name="Save claim").click()
    expect(taras.get_by_text("Claim saved.")).to_be_visible()
    claim.refresh_from_db()
    assert claim.text == "Umerov refused to return to Ukraine"
    assert claim.context == "Umerov was on a working trip to Turkey."
    assert claim.version == 3
    assert list(
        HistoryEntry.objects.filter(claim=claim)
        .order_by("pk")
        .values_list("user__username", flat=True)
    ) == ["olena", "taras"]
