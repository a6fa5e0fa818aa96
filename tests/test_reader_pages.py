"""Reader pages: home, claim list, claim page, actor/outlet/tag pages, methodology, archive."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from claims.models import VerdictState
from tests.factories import (
    create_actor,
    create_carriage,
    create_claim,
    create_correction,
    create_denied_chain,
    create_report,
    create_response,
    create_snapshot,
    create_verdict,
)


@pytest.fixture(autouse=True)
def _reader_settings(settings):
    # The filter selects are cached between requests; every test starts afresh.
    cache.clear()
    # Factories create users; the production hasher would make these tests slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def html_of(response) -> str:
    assert response.status_code == HTTPStatus.OK, response.status_code
    return response.content.decode()


@pytest.fixture
def chain():
    return create_denied_chain()


def test_home_shows_newest_denials_and_verdicts_with_feed_links(client, chain):
    html = html_of(client.get(reverse("claims:home")))
    assert "President&#x27;s Office denies: Umerov refused to return to Ukraine" in html
    assert "Rated: Unproven" in html
    assert "Denied" in html
    assert reverse("claims:denied_rss") in html
    assert reverse("claims:denied_atom") in html
    assert reverse("claims:verdicts_rss") in html


def test_home_hides_withdrawn_claims_responses_and_unpublished_verdicts(client, chain):
    hidden = create_claim(
        text="Withdrawn claim text", withdrawn_at=timezone.now(), withdrawn_reason="duplicate"
    )
    create_response(claim=hidden, quote="hidden quote")
    create_response(
        claim=chain["claim"],
        quote="withdrawn quote",
        withdrawn_at=timezone.now(),
        withdrawn_reason="wrong",
    )
    draft = create_claim(text="Claim with a draft verdict")
    create_verdict(claim=draft, rating="false", state=VerdictState.DRAFT)
    in_review = create_claim(text="Claim with a verdict in review")
    create_verdict(claim=in_review, rating="false", state=VerdictState.IN_REVIEW)
    html = html_of(client.get(reverse("claims:home")))
    assert "Withdrawn claim text" not in html
    assert "withdrawn quote" not in html
    assert "hidden quote" not in html
    assert "Claim with a draft verdict" not in html
    assert "Claim with a verdict in review" not in html


@pytest.mark.parametrize(
    "name,args",
    [
        ("claims:home", []),
        ("claims:claim_list", []),
        ("claims:methodology", []),
    ],
)
def test_every_page_has_feed_autodiscovery_and_canonical(client, chain, name, args):
    html = html_of(client.get(reverse(name, args=args)))
    assert re.search(
        r'<link rel="alternate" type="application/rss\+xml" title="[^"]+" '
        rf'href="{reverse("claims:denied_rss")}">',
        html,
    )
    assert 'type="application/atom+xml"' in html
    assert '<link rel="canonical" href="http://testserver' in html


def test_scoped_pages_add_their_own_feeds(client, chain):
    actor_html = html_of(client.get(chain["umerov"].get_absolute_url()))
    actor_feed = reverse("claims:actor_denied_rss", args=[chain["umerov"].slug])
    assert f'href="{actor_feed}"' in actor_html
    outlet_html = html_of(client.get(chain["agency"].get_absolute_url()))
    outlet_feed = reverse("claims:outlet_denied_atom", args=[chain["agency"].slug])
    assert f'href="{outlet_feed}"' in outlet_html
    tag_html = html_of(client.get(chain["tag"].get_absolute_url()))
    tag_feed = reverse("claims:tag_denied_rss", args=[chain["tag"].slug])
    assert f'href="{tag_feed}"' in tag_html


def test_claim_list_is_newest_first(client):
    now = timezone.now()
    create_claim(text="Older claim", first_seen_at=now - timedelta(days=5))
    create_claim(text="Newer claim", first_seen_at=now - timedelta(days=1))
    html = html_of(client.get(reverse("claims:claim_list")))
    assert html.index("Newer claim") < html.index("Older claim")
    assert "2 claims" in html


def test_claim_list_htmx_returns_only_the_results_fragment(client, chain):
    response = client.get(
        reverse("claims:claim_list"), {"position": "denied"}, headers={"HX-Request": "true"}
    )
    html = html_of(response)
    assert "<html" not in html
    assert '<form id="claim-filters"' not in html
    assert html.strip().startswith('<div id="claim-results"')
    assert "Umerov refused to return to Ukraine" in html
    assert "HX-Request" in response["Vary"]


def test_history_restore_request_gets_the_whole_page(client, chain):
    response = client.get(
        reverse("claims:claim_list"),
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in html_of(response)


def test_claim_list_form_works_without_javascript(client, chain):
    html = html_of(client.get(reverse("claims:claim_list")))
    form = re.search(r'<form id="claim-filters"[^>]*>', html).group(0)
    assert 'method="get"' in form
    assert f'action="{reverse("claims:claim_list")}"' in form
    assert f'hx-get="{reverse("claims:claim_list")}"' in form
    assert 'hx-push-url="true"' in form
    assert '<button type="submit">' in html


def test_claim_page_shows_the_whole_chain(client, chain):
    create_snapshot(report=chain["origin_report"], content=b"<p>origin page</p>")
    html = html_of(client.get(chain["claim"].get_absolute_url()))
    assert '<h1 lang="en">Umerov refused to return to Ukraine</h1>' in html
    assert "Claimed by" in html and "Clash Report" in html
    assert "Rustem Umerov" in html  # subject
    # Official position with its meaning.
    assert 'class="position position-denied">Denied' in html
    assert "A denial is evidence, not proof." in html
    # The response: stance, attribution and its strength, quote, where reported.
    assert "President&#x27;s Office</a> denies" in html
    assert "anonymous source inside the institution" in html
    assert 'aria-label="attribution strength 2 of 5"' in html
    assert "It&#x27;s fake" in html
    assert "reported by" in html
    # The verdict with its meaning, author and reviewer.
    assert 'class="rating rating-unproven">Unproven' in html
    assert "The evidence available does not show it is true or false" in html
    assert "Written by Olena Editor" in html
    assert "reviewed by Petro Reviewer" in html
    # Sources with their outlet and archived copy.
    assert "Origin" in html and "Mention" in html
    assert "https://interfax.example/news/1" in html
    snapshot = chain["origin_report"].snapshots.get()
    assert reverse("claims:snapshot_detail", args=[snapshot.pk]) in html
    assert "Not archived yet." in html  # the agency report has no snapshot
    # Timeline: SVG picture plus an ordered list, in order.
    assert '<svg class="timeline"' in html
    timeline = html[html.index('<ol class="timeline-list">') :]
    assert timeline.index("First seen") < timeline.index("Origin: Clash Report")
    assert timeline.index("Origin: Clash Report") < timeline.index("President&#x27;s Office denies")
    assert timeline.index("denies") < timeline.index("Rated Unproven")
    # OpenGraph and canonical.
    url = f"http://testserver{chain['claim'].get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Umerov refused to return to Ukraine">' in html


def test_claim_page_shows_corrections_in_the_timeline(client, chain):
    correction = create_correction(verdict=chain["verdict"], text="We fixed the date of the trip.")
    html = html_of(client.get(chain["claim"].get_absolute_url()))
    assert f'id="correction-{correction.pk}"' in html
    assert "We fixed the date of the trip." in html
    assert f'href="#correction-{correction.pk}">Correction' in html


def test_claim_page_hides_withdrawn_rows_and_unpublished_verdicts(client):
    claim = create_claim(text="A claim")
    create_carriage(
        claim=claim,
        report=create_report(title="Withdrawn source"),
        withdrawn_at=timezone.now(),
        withdrawn_reason="wrong report",
    )
    create_response(
        claim=claim,
        quote="withdrawn denial",
        withdrawn_at=timezone.now(),
        withdrawn_reason="misattributed",
    )
    create_verdict(claim=claim, rating="false", state=VerdictState.IN_REVIEW, summary="Secret")
    html = html_of(client.get(claim.get_absolute_url()))
    assert "Withdrawn source" not in html
    assert "withdrawn denial" not in html
    assert "Secret" not in html
    assert "Not rated yet." in html
    assert "No response" in html
    assert "application/ld+json" not in html


def test_withdrawn_claim_leaves_a_notice_and_an_unapproved_one_is_404(client):
    claim = create_claim(withdrawn_at=timezone.now(), withdrawn_reason="duplicate")
    response = client.get(claim.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    html = html_of(response)
    assert "We withdrew this claim" in html and "duplicate" in html
    assert "Official position" not in html
    private = create_claim(text="Not approved yet", approved=False)
    assert client.get(private.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_actor_page_lists_claims_and_statements(client, chain):
    html = html_of(client.get(chain["office"].get_absolute_url()))
    assert "What President&#x27;s Office said" in html
    assert "It&#x27;s fake" in html
    assert "Umerov refused to return to Ukraine" in html  # responded to it
    subject_html = html_of(client.get(chain["umerov"].get_absolute_url()))
    assert "Umerov refused to return to Ukraine" in subject_html
    unrelated = html_of(client.get(create_actor(name="Nobody").get_absolute_url()))
    assert "Umerov refused to return to Ukraine" not in unrelated
    assert "0 claims" in unrelated


def test_outlet_page_shows_track_record(client, chain):
    agency = chain["agency"]
    # A second claim the agency carried: rated false, never denied.
    false_claim = create_claim(text="Second claim")
    create_carriage(claim=false_claim, report=create_report(outlet=agency))
    create_verdict(claim=false_claim, rating="false", state=VerdictState.PUBLISHED)
    # A third claim: rated misleading but only in draft — does not count.
    draft_claim = create_claim(text="Third claim")
    create_carriage(claim=draft_claim, report=create_report(outlet=agency))
    create_verdict(claim=draft_claim, rating="misleading", state=VerdictState.DRAFT)
    # A withdrawn claim the agency carried: not counted.
    gone = create_claim(text="Gone", withdrawn_at=timezone.now(), withdrawn_reason="dup")
    create_carriage(claim=gone, report=create_report(outlet=agency))
    html = html_of(client.get(agency.get_absolute_url()))
    # The track record counts what the agency spread (repeats), not the Umerov claim it only
    # mentioned while reporting the denial; that claim is still listed on its page.
    assert '<dd id="record-claims">2</dd>' in html
    assert '<dd id="record-denied">0</dd>' in html
    assert '<dd id="record-false">1</dd>' in html
    assert "Second claim" in html and "Third claim" in html and "Gone" not in html
    assert "Umerov refused to return to Ukraine" in html
    origin = html_of(client.get(chain["origin_outlet"].get_absolute_url()))
    assert '<dd id="record-claims">1</dd>' in origin
    assert '<dd id="record-denied">1</dd>' in origin


def test_tag_page_lists_tagged_claims(client, chain):
    create_claim(text="Untagged claim")
    html = html_of(client.get(chain["tag"].get_absolute_url()))
    assert "Umerov refused to return to Ukraine" in html
    assert "Untagged claim" not in html


def test_scoped_page_htmx_pagination_returns_fragment(client, chain):
    response = client.get(chain["tag"].get_absolute_url(), headers={"HX-Request": "true"})
    html = html_of(response)
    assert "<html" not in html
    assert "Umerov refused to return to Ukraine" in html


def test_methodology_explains_ratings_positions_and_corrections(client):
    html = html_of(client.get(reverse("claims:methodology")))
    for label in ["True", "Mostly true", "Unproven", "Misleading", "Mostly false", "False"]:
        assert f">{label}</span>" in html
    assert "Not accurate: the evidence shows it did not happen or is wrong." in html
    assert "What “official position” means" in html
    assert "Named official on record (strength 5 of 5)" in html
    assert "Corrections" in html and "dateModified" in html


class TestArchivedCopy:
    HOSTILE = (
        b"<html><head><title>t</title><script>alert('x')</script>"
        b"<style>body{display:none}</style></head><body>"
        b'<h1 onclick="steal()">Denial story</h1>'
        b'<p hx-get="/admin/" data-hx-post="/x" hx-trigger="load">It&#39;s fake</p>'
        b'<a href="javascript:alert(1)">bad link</a><a href="https://ok.example/">good</a>'
        b'<img src="https://tracker.example/pixel.gif"><iframe src="https://evil"></iframe>'
        b'<form action="/x"><input name=a></form></body></html>'
    )

    def test_renders_the_stored_page_safely_with_its_facts(self, client, chain):
        snapshot = create_snapshot(report=chain["agency_report"], content=self.HOSTILE)
        html = html_of(client.get(reverse("claims:snapshot_detail", args=[snapshot.pk])))
        body = html[html.index('<div class="archived-page" hx-disable') :]
        assert "Denial story" in body
        assert "It's fake" in body or "It&#39;s fake" in body
        for forbidden in [
            "<script",
            "alert(",
            "<style",
            "onclick",
            "hx-get",
            "data-hx-post",
            "hx-trigger",
            "javascript:",
            "<img",
            "<iframe",
            "<form",
            "<input",
        ]:
            assert forbidden not in body, forbidden
        assert 'href="https://ok.example/"' in body
        assert snapshot.sha256 in html
        assert "200" in html
        assert "text/html; charset=utf-8" in html
        assert "noindex" in html

    def test_plain_text_snapshot_is_shown_as_text(self, client, chain):
        snapshot = create_snapshot(
            report=chain["agency_report"],
            content="Текст <b>not bold</b>".encode(),
            content_type="text/plain; charset=utf-8",
        )
        html = html_of(client.get(reverse("claims:snapshot_detail", args=[snapshot.pk])))
        assert "<pre>Текст &lt;b&gt;not bold&lt;/b&gt;</pre>" in html

    def test_snapshot_of_a_report_only_on_withdrawn_claims_is_404(self, client):
        claim = create_claim(withdrawn_at=timezone.now(), withdrawn_reason="duplicate")
        report = create_report()
        create_carriage(claim=claim, report=report)
        snapshot = create_snapshot(report=report)
        response = client.get(reverse("claims:snapshot_detail", args=[snapshot.pk]))
        assert response.status_code == HTTPStatus.NOT_FOUND

    def test_unknown_snapshot_is_404(self, client):
        response = client.get(reverse("claims:snapshot_detail", args=[999999]))
        assert response.status_code == HTTPStatus.NOT_FOUND


def test_htmx_fragment_announces_the_new_count_out_of_band(client, chain):
    page = client.get(reverse("claims:claim_list")).content.decode()
    assert '<p id="result-status" class="visually-hidden" aria-live="polite"></p>' in page
    fragment = client.get(
        reverse("claims:claim_list"), {"position": "denied"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert '<p id="result-status" hx-swap-oob="innerHTML">1 claim found</p>' in fragment
