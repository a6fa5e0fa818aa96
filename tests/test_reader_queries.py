"""The number of queries per reader page does not grow with claims, carriages or responses."""

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import search
from claims.models import Stance, VerdictState
from tests.factories import (
    create_actor,
    create_carriage,
    create_claim,
    create_correction,
    create_outlet,
    create_report,
    create_response,
    create_snapshot,
    create_tag,
    create_user,
    create_verdict,
)


@pytest.fixture(autouse=True)
def _reader_settings(settings):
    # The filter selects are cached between requests; every test starts afresh.
    cache.clear()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world():
    return {
        "actor": create_actor(slug="actor"),
        "outlet": create_outlet(slug="outlet"),
        "tag": create_tag(slug="tag"),
        "author": create_user(),
        "reviewer": create_user(),
    }


def add_claims(world, n: int, *, per_claim: int) -> list:
    """`n` claims, each with `per_claim` carriages, responses and snapshots, and a verdict."""
    claims = []
    for _ in range(n):
        claim = create_claim(
            claimant=world["actor"], subjects=[world["actor"]], tags=[world["tag"]]
        )
        for _ in range(per_claim):
            report = create_report(outlet=world["outlet"], url="https://example.com/r")
            create_snapshot(report=report)
            create_carriage(claim=claim, report=report)
            create_response(
                claim=claim,
                responder=world["actor"],
                stance=Stance.DENIES,
                report=report,
                quote="no",
            )
        verdict = create_verdict(
            claim=claim,
            rating="false",
            state=VerdictState.PUBLISHED,
            author=world["author"],
            reviewer=world["reviewer"],
        )
        for _ in range(per_claim):
            create_correction(verdict=verdict)
        claims.append(claim)
    return claims


def count_queries(client, url, **kwargs) -> int:
    # Count what rendering the page costs, not a cached copy, nor the statistics a search
    # reads once per process for ten minutes.
    cache.clear()
    caches["fragments"].clear()
    search._statistics.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(queries)


def urls(world, claim) -> list[tuple[str, dict]]:
    slug = {"actor": world["actor"].slug, "outlet": world["outlet"].slug, "tag": world["tag"].slug}
    return [
        (reverse("claims:home"), {}),
        (reverse("claims:claim_list"), {}),
        (reverse("claims:claim_list") + "?position=denied&rating=false&q=claim", {}),
        (reverse("claims:claim_list") + f"?actor={slug['actor']}&tag={slug['tag']}", {}),
        (reverse("claims:claim_list"), {"headers": {"HX-Request": "true"}}),
        (claim.get_absolute_url(), {}),
        (reverse("claims:actor_detail", args=[slug["actor"]]), {}),
        (reverse("claims:outlet_detail", args=[slug["outlet"]]), {}),
        (reverse("claims:tag_detail", args=[slug["tag"]]), {}),
        (reverse("claims:denied_rss"), {}),
        (reverse("claims:denied_atom"), {}),
        (reverse("claims:actor_denied_rss", args=[slug["actor"]]), {}),
        (reverse("claims:outlet_denied_rss", args=[slug["outlet"]]), {}),
        (reverse("claims:tag_denied_atom", args=[slug["tag"]]), {}),
        (reverse("claims:verdicts_rss"), {}),
        (reverse("claims:claim_export_json"), {}),
    ]


def test_query_counts_do_not_grow(client, world):
    first = add_claims(world, 1, per_claim=1)[0]
    before = {url: count_queries(client, url, **kw) for url, kw in urls(world, first)}
    add_claims(world, 6, per_claim=4)
    # The first claim gains more carriages, responses, snapshots and corrections too.
    for _ in range(4):
        report = create_report(outlet=world["outlet"])
        create_snapshot(report=report)
        create_carriage(claim=first, report=report)
        create_response(claim=first, responder=world["actor"], report=report)
    create_correction(verdict=first.verdicts.get())
    after = {url: count_queries(client, url, **kw) for url, kw in urls(world, first)}
    assert after == before


def test_claim_page_and_list_stay_small(client, world):
    claim = add_claims(world, 3, per_claim=3)[0]
    assert count_queries(client, claim.get_absolute_url()) <= 12
    # Ten for the list and its filter options, plus the reader-cache versions every process
    # reads once per anonymous request (claims/caching.py).
    assert count_queries(client, reverse("claims:claim_list")) <= 11
    # The versions, the newest denials' ids and their claims' versions, the denials not
    # already rendered (claims/fragments.py), their translations.
    assert count_queries(client, reverse("claims:denied_rss")) <= 4
