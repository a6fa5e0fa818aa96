"""Denial feeds (all, per actor, outlet, tag) and the verdicts-and-corrections feed."""

import calendar
import html
from datetime import timedelta
from http import HTTPStatus

import feedparser
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from claims.models import Stance, VerdictState
from tests.factories import (
    create_actor,
    create_carriage,
    create_claim,
    create_correction,
    create_outlet,
    create_report,
    create_response,
    create_tag,
    create_verdict,
)


@pytest.fixture(autouse=True)
def _reader_settings(settings):
    # The filter selects are cached between requests; every test starts afresh.
    cache.clear()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    etree.fromstring(response.content)  # strictly well-formed XML
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return response, feed


@pytest.fixture
def denials():
    now = timezone.now()
    office = create_actor(name="President's Office", slug="presidents-office")
    umerov = create_actor(name="Rustem Umerov", slug="rustem-umerov")
    agency = create_outlet(name="Interfax-Ukraine", slug="interfax")
    tag = create_tag(name="umerov", slug="umerov")
    claim = create_claim(text="Umerov refused to return to Ukraine", subjects=[umerov], tags=[tag])
    report = create_report(outlet=agency, title="President's Office denies reports")
    create_carriage(claim=claim, report=report)
    older = create_response(
        claim=claim,
        responder=office,
        stance=Stance.DENIES,
        attribution="anonymous_source",
        quote="It's fake",
        report=report,
        responded_at=now - timedelta(days=2),
    )
    other = create_claim(text="Umerov's work was shaped by influence")
    newer = create_response(
        claim=other,
        responder=umerov,
        stance=Stance.DENIES,
        attribution="named_official",
        speaker_name="Rustem Umerov",
        quote="Groundless",
        responded_at=now - timedelta(days=1),
    )
    # Not denials, or not public: none of these may appear.
    create_response(claim=claim, responder=office, stance=Stance.CONFIRMS, quote="confirmed!")
    create_response(
        claim=claim,
        responder=office,
        stance=Stance.DENIES,
        quote="withdrawn denial",
        withdrawn_at=now,
        withdrawn_reason="wrong",
    )
    hidden = create_claim(text="Hidden claim", withdrawn_at=now, withdrawn_reason="dup")
    create_response(claim=hidden, responder=office, stance=Stance.DENIES, quote="hidden denial")
    return {
        "older": older,
        "newer": newer,
        "office": office,
        "umerov": umerov,
        "agency": agency,
        "tag": tag,
        "claim": claim,
    }


@pytest.mark.parametrize(
    "name,version", [("claims:denied_rss", "rss20"), ("claims:denied_atom", "atom10")]
)
def test_denied_feed(client, denials, name, version):
    response, feed = parse(client, reverse(name))
    assert feed.version == version
    assert [e.title for e in feed.entries] == [
        "Rustem Umerov denies: Umerov's work was shaped by influence",
        "President's Office denies: Umerov refused to return to Ukraine",
    ]
    newer, older = feed.entries
    # Newest first, dated by the denial itself.
    assert calendar.timegm(newer.published_parsed) > calendar.timegm(older.published_parsed)
    assert calendar.timegm(older.published_parsed) == int(denials["older"].responded_at.timestamp())
    # Links to the claim page; a stable id that is not the link.
    assert older.link == (
        f"http://testserver{denials['claim'].get_absolute_url()}#response-{denials['older'].pk}"
    )
    assert older.id == f"tag:127.0.0.1,2025:response:{denials['older'].pk}"
    # Quote, attribution and where it was reported.
    summary = html.unescape(older.summary)
    assert "<p>“It's fake”</p>" in summary
    assert "anonymous source inside the institution" in summary
    assert "Reported by Interfax-Ukraine: President's Office denies reports" in summary
    assert "Groundless” — Rustem Umerov" in html.unescape(newer.summary)
    text = response.content.decode()
    for absent in ["confirmed!", "withdrawn denial", "hidden denial", "Hidden claim"]:
        assert absent not in text


def test_denied_feed_guid_survives_edits(client, denials):
    _, before = parse(client, reverse("claims:denied_rss"))
    claim = denials["claim"]
    claim.slug = "renamed-slug"
    claim.text = "Edited wording"
    claim.save()
    _, after = parse(client, reverse("claims:denied_rss"))
    assert {e.id for e in before.entries} == {e.id for e in after.entries}


def test_rss_guid_is_not_a_permalink(client, denials):
    text = client.get(reverse("claims:denied_rss")).content.decode()
    assert '<guid isPermaLink="false">tag:127.0.0.1,2025:response:' in text


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_per_actor_feed(client, denials, fmt):
    umerov = denials["umerov"]
    _, feed = parse(client, reverse(f"claims:actor_denied_{fmt}", args=[umerov.slug]))
    # Umerov denied one claim and is the subject of the other.
    assert len(feed.entries) == 2
    assert "Rustem Umerov" in feed.feed.title
    nobody = create_actor(name="Nobody", slug="nobody")
    _, empty = parse(client, reverse(f"claims:actor_denied_{fmt}", args=[nobody.slug]))
    assert empty.entries == []


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_per_outlet_feed(client, denials, fmt):
    _, feed = parse(client, reverse(f"claims:outlet_denied_{fmt}", args=["interfax"]))
    assert [e.title for e in feed.entries] == [
        "President's Office denies: Umerov refused to return to Ukraine"
    ]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_per_tag_feed(client, denials, fmt):
    _, feed = parse(client, reverse(f"claims:tag_denied_{fmt}", args=["umerov"]))
    assert [e.title for e in feed.entries] == [
        "President's Office denies: Umerov refused to return to Ukraine"
    ]


@pytest.mark.parametrize(
    "name,version", [("claims:verdicts_rss", "rss20"), ("claims:verdicts_atom", "atom10")]
)
def test_verdict_feed_has_published_verdicts_and_corrections_newest_first(client, name, version):
    now = timezone.now()
    first = create_verdict(
        claim=create_claim(text="First rated claim"),
        rating="false",
        state=VerdictState.PUBLISHED,
        summary="It did not happen.",
        published_at=now - timedelta(days=3),
    )
    create_verdict(
        claim=create_claim(text="Second rated claim"),
        rating="true",
        state=VerdictState.PUBLISHED,
        published_at=now - timedelta(days=2),
    )
    correction = create_correction(
        verdict=first, text="We corrected the date.", published_at=now - timedelta(days=1)
    )
    create_verdict(claim=create_claim(text="Draft claim"), rating="false")
    create_verdict(
        claim=create_claim(text="Review claim"), rating="false", state=VerdictState.IN_REVIEW
    )
    response, feed = parse(client, reverse(name))
    assert feed.version == version
    assert [e.title for e in feed.entries] == [
        "Correction: First rated claim",
        "Rated True: Second rated claim",
        "Rated False: First rated claim",
    ]
    assert feed.entries[0].id == f"tag:127.0.0.1,2025:correction:{correction.pk}"
    assert feed.entries[2].id == f"tag:127.0.0.1,2025:verdict:{first.pk}"
    assert "It did not happen." in feed.entries[2].summary
    assert "We corrected the date." in feed.entries[0].summary
    text = response.content.decode()
    assert "Draft claim" not in text and "Review claim" not in text


def test_feeds_escape_markup(client):
    claim = create_claim(text="<script>alert(1)</script> & more")
    create_response(claim=claim, quote="</description><evil/>")
    response, feed = parse(client, reverse("claims:denied_rss"))
    assert b"<script>" not in response.content
    assert b"<evil/>" not in response.content
    assert feed.entries[0].title.endswith("<script>alert(1)</script> & more")
