"""ClaimReview JSON-LD on the claim page: Google's required and recommended properties."""

import json
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from claims.models import CarriageRole, VerdictState
from tests.factories import (
    create_carriage,
    create_claim,
    create_correction,
    create_denied_chain,
    create_report,
    create_verdict,
)


@pytest.fixture(autouse=True)
def _reader_settings(settings):
    # The filter selects are cached between requests; every test starts afresh.
    cache.clear()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def claim_reviews(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def review_of(client, claim) -> dict:
    html = client.get(claim.get_absolute_url()).content.decode()
    reviews = claim_reviews(html)
    assert len(reviews) == 1
    return reviews[0]


def test_claim_review_has_required_and_recommended_properties(client):
    chain = create_denied_chain()
    claim, verdict = chain["claim"], chain["verdict"]
    review = review_of(client, claim)
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "Umerov refused to return to Ukraine"
    assert review["url"] == f"http://testserver{claim.get_absolute_url()}"
    assert review["author"] == {
        "@type": "Organization",
        "name": "factcheck",
        "url": "http://127.0.0.1:8000/",
    }
    assert review["datePublished"] == verdict.published_at.isoformat()
    assert "dateModified" not in review
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating"
    assert rating["alternateName"] == "Unproven"
    assert rating["ratingValue"] == 4
    assert rating["bestRating"] == 6
    assert rating["worstRating"] == 1
    assert rating["worstRating"] >= 1
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Organization", "name": "Clash Report"}
    assert item["datePublished"] == claim.first_seen_at.isoformat()
    assert [a["url"] for a in item["appearance"]] == [
        "https://clash.example/post/1",
        "https://interfax.example/news/1",
    ]
    assert item["firstAppearance"]["url"] == "https://clash.example/post/1"
    assert item["firstAppearance"]["author"]["name"] == "Clash Report"


def test_person_claimant_with_same_as(client):
    chain = create_denied_chain()
    claimant = chain["claimant"]
    claimant.kind = "person"
    claimant.same_as = "https://en.wikipedia.org/wiki/Example"
    claimant.save()
    author = review_of(client, chain["claim"])["itemReviewed"]["author"]
    assert author["@type"] == "Person"
    assert author["sameAs"] == "https://en.wikipedia.org/wiki/Example"


def test_without_claimant_the_first_outlet_is_the_claim_author(client):
    claim = create_claim(text="Anonymous claim")
    early = create_report(title="Early", published_at=timezone.now() - timedelta(days=2))
    late = create_report(title="Late", published_at=timezone.now() - timedelta(days=1))
    create_carriage(claim=claim, report=late, role=CarriageRole.REPEAT)
    create_carriage(claim=claim, report=early, role=CarriageRole.REPEAT)
    create_verdict(claim=claim, rating="false", state=VerdictState.PUBLISHED)
    item = review_of(client, claim)["itemReviewed"]
    assert item["author"] == {"@type": "Organization", "name": early.outlet.name}
    assert item["firstAppearance"]["headline"] == "Early"


def test_date_modified_after_a_correction(client):
    chain = create_denied_chain()
    verdict = chain["verdict"]
    correction = create_correction(verdict=verdict, published_at=timezone.now())
    review = review_of(client, chain["claim"])
    assert review["dateModified"] == correction.published_at.isoformat()
    assert review["dateModified"] > review["datePublished"]


@pytest.mark.parametrize(
    "state", [VerdictState.DRAFT, VerdictState.IN_REVIEW, VerdictState.WITHDRAWN]
)
def test_no_claim_review_unless_published(client, state):
    claim = create_claim()
    create_carriage(claim=claim)
    fields = {"withdrawn_reason": "gone"} if state == VerdictState.WITHDRAWN else {}
    create_verdict(claim=claim, rating="false", state=state, **fields)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "application/ld+json" not in html
    assert "ClaimReview" not in html


def test_script_end_tag_in_data_cannot_break_out(client):
    claim = create_claim(text="</script><script>alert(1)</script> & <!-- x")
    create_carriage(claim=claim)
    create_verdict(
        claim=claim, rating="false", state=VerdictState.PUBLISHED, summary="</SCRIPT> summary"
    )
    html = client.get(claim.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block
    assert "<script>alert(1)" not in html
    review = json.loads(block)
    assert review["claimReviewed"] == "</script><script>alert(1)</script> & <!-- x"
    assert review["reviewRating"]["ratingExplanation"] == "</SCRIPT> summary"
