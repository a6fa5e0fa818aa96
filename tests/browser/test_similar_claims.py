"""
Typing the Ukrainian version of a logged English claim into the desk's claim form shows the
English claim as a suggestion, before anything is saved. (This drives the minimal as-you-type
hook in templates/claims/desk/_similar_claims.html; the desk's own as-you-type UI takes it
over when the branches meet, and this test should then drive that.)
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from claims import vectors
from claims.models import Claim, writing

from ..factories import create_editor, create_reviewer
from .test_desk_chain import log_in

ENGLISH = "Umerov refused to return to Ukraine"
UKRAINIAN = "Умєров відмовився повертатися в Україну"


@pytest.fixture
def logged_english_claim(transactional_db):
    author, reviewer = create_editor(username="taras"), create_reviewer(username="maria")
    claim = writing.create(
        Claim, by=author, values={"text": ENGLISH, "language": "en", "slug": "umerov-refused"}
    )
    writing.approve(claim, by=reviewer)
    vectors.refresh([claim.pk])  # what the task worker does after the write
    create_editor(username="olena")
    return claim


def test_typing_the_ukrainian_claim_suggests_the_english_one(
    page: Page, live_server, logged_english_claim
):
    log_in(page, live_server.url, "olena")
    page.goto(live_server.url + reverse("desk:claim_create"))
    suggestions = page.locator("#similar-list")
    expect(suggestions).not_to_contain_text(ENGLISH)
    page.locator("#id_text").press_sequentially(UKRAINIAN, delay=10)
    link = suggestions.get_by_role("link", name=ENGLISH)
    expect(link).to_be_visible(timeout=15_000)
    expect(link).to_have_attribute(
        "href", reverse("desk:claim_edit", args=[logged_english_claim.slug])
    )
    assert Claim.objects.count() == 1  # nothing saved unseen
