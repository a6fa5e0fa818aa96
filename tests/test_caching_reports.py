"""A report belongs to no one claim: an approved edit to it reaches every claim whose chain
shows it, also the claims it only hosts official responses for (no carriage)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from claims.models import Actor, Claim, Outlet, Report, Response, writing

from .factories import create_editor, create_reviewer


@pytest.fixture(autouse=True)
def _commit_callbacks_run(monkeypatch):
    # A test's transaction never commits: run the cache's on-commit work at once.
    monkeypatch.setattr(transaction, "on_commit", lambda func, *args, **kwargs: func())


def page(claim: Claim) -> str:
    return Client().get(reverse("claims:claim_detail", args=[claim.slug])).content.decode()


def test_an_approved_edit_to_a_report_that_hosts_denials_reaches_each_claim_it_hosts():
    author, reviewer = create_editor(username="author"), create_reviewer(username="reviewer")
    office = writing.create(Actor, by=author, values={"name": "Quokka Office"}, slug="quokka")
    wire = writing.create(Outlet, by=author, values={"name": "Denial Wire"}, slug="wire")
    now = timezone.now()
    claims = [
        writing.create(
            Claim,
            by=author,
            values={"text": text, "first_seen_at": now - timedelta(days=2), "language": "en"},
            slug=slug,
        )
        for text, slug in (
            ("Zebrafish governor fled the country", "zebrafish"),
            ("Okapi minister resigned", "okapi"),
        )
    ]
    # One wire story carried the office's denials of both claims, and carried neither claim.
    report = writing.create(
        Report,
        by=author,
        values={"outlet": wire, "title": "Office denies two stories", "published_at": now},
        history_claim=claims[0],
    )
    for claim in claims:
        writing.create(
            Response,
            by=author,
            values={
                "claim": claim,
                "responder": office,
                "stance": "denies",
                "attribution": "spokesperson",
                "quote": "Fake",
                "report": report,
            },
        )
        writing.approve(claim, by=reviewer)
    assert all("Office denies two stories" in page(claim) for claim in claims)  # now cached

    writing.save_edit(
        report,
        by=author,
        version=writing.desk_version(report),
        values={"title": "Office denies the governor and minister stories"},
        history_claims=[claims[0]],
    )
    writing.approve(claims[0], by=reviewer)

    for claim in claims:
        assert "Office denies the governor and minister stories" in page(claim), claim.slug
