"""
Typing the Ukrainian version of a logged English claim into the desk's claim form shows the
English claim as a suggestion, before anything is saved (the desk's as-you-type list,
templates/claims/desk/_similar_claims.html).
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
    suggestions = page.locator("#similar-claims")
    expect(suggestions).not_to_contain_text(ENGLISH)
    page.locator("#id_text").press_sequentially(UKRAINIAN, delay=10)
    expect(suggestions).to_contain_text(ENGLISH, timeout=15_000)
    same = suggestions.get_by_role("link", name="This is the same claim — add my report to it")
    expect(same).to_have_attribute(
        "href", reverse("desk:chain_new") + f"?claim={logged_english_claim.slug}"
    )
    assert Claim.objects.count() == 1  # nothing saved unseen
