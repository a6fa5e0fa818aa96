"""The claim page's pictures: who copied whom (a server-side SVG graph with the same facts as a
list), the labelled timeline, and where each response was said."""

import json
import re
from datetime import timedelta
from http import HTTPStatus
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from claims.jsonld import claim_review
from claims.models import ActorChannel, Claim, Response
from claims.source_graph import source_graph
from tests.factories import (
    create_actor,
    create_carriage,
    create_claim,
    create_outlet,
    create_report,
    create_response,
    create_snapshot,
    create_verdict,
)


def section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


def test_the_seed_chain_shows_clash_report_as_origin_and_interfax_citing_it(client):
    call_command("seed", stdout=StringIO())
    claim = Claim.objects.get(text="Umerov refused to return to Ukraine")
    page = client.get(claim.get_absolute_url()).content.decode()
    graph = section(page, "source-graph-heading")

    nodes = re.findall(r'<g class="([^"]*)" data-outlet="([^"]*)"', graph)
    assert [name for _, name in nodes] == ["Clash Report", "Interfax-Ukraine"]
    assert "node-origin" in nodes[0][0]
    # The Clash Report post has no date and neither report is archived: the link says so.
    links = re.findall(
        r'<path d="[^"]*" class="([^"]*)"[^>]*data-cited="([^"]*)" data-citing="([^"]*)"', graph
    )
    assert links == [("link link-undated link-unarchived", "Clash Report", "Interfax-Ukraine")]
    assert "date unknown" in graph

    items = re.findall(r"<li>(.*?)</li>", graph.split('class="source-graph-list"')[1], re.S)
    text = [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in items]
    assert text[0].startswith("Clash Report: origin of the claim · date unknown · not archived")
    assert text[1].startswith("Interfax-Ukraine: cites Clash Report · 17 Nov 2025, 17:55")


def test_each_outlet_is_drawn_once_and_the_origin_first():
    claim = create_claim()
    agency, paper, channel = (create_outlet(name=name) for name in ("Agency", "Paper", "Channel"))
    start = timezone.now() - timedelta(days=3)
    copy = create_carriage(claim=claim, report=create_report(outlet=agency, published_at=start))
    origin = create_carriage(
        claim=claim,
        role="origin",
        report=create_report(outlet=channel, published_at=start + timedelta(hours=1)),
    )
    copy.cites = origin
    copy.save()
    second = create_carriage(
        claim=claim,
        cites=copy,
        report=create_report(outlet=paper, published_at=start + timedelta(hours=2)),
    )
    again = create_carriage(
        claim=claim,
        cites=origin,
        report=create_report(outlet=agency, published_at=start + timedelta(hours=3)),
    )
    for carriage in (copy, origin, second, again):
        carriage.report.archived_copies = [create_snapshot(report=carriage.report)]
    graph = source_graph([copy, origin, second, again])
    assert [(n.outlet.name, n.column) for n in graph.nodes] == [
        ("Channel", 0),
        ("Agency", 1),
        ("Paper", 2),
    ]
    assert [(link.cited.outlet.name, link.citing.outlet.name) for link in graph.links] == [
        ("Channel", "Agency"),
        ("Agency", "Paper"),
    ]
    assert not any(link.undated or link.unarchived for link in graph.links)


def test_a_citation_loop_does_not_hang():
    claim = create_claim()
    one = create_carriage(claim=claim, report=create_report(outlet=create_outlet(name="One")))
    two = create_carriage(
        claim=claim, cites=one, report=create_report(outlet=create_outlet(name="Two"))
    )
    one.cites = two
    graph = source_graph([one, two])
    assert len(graph.nodes) == 2 and len(graph.links) == 2


def test_the_timeline_has_a_legend(client):
    claim = create_claim()
    create_carriage(claim=claim)
    create_response(claim=claim)
    page = client.get(claim.get_absolute_url()).content.decode()
    timeline = section(page, "timeline-heading")
    assert 'aria-label="What each mark is"' in timeline
    for label in ("first seen", "a report carried the claim", "an official response"):
        assert label in timeline


# Where a response was said


def telegram_response(**fields) -> Response:
    claim = create_claim(text="Umerov refused to return to Ukraine")
    create_carriage(claim=claim)
    responder = create_actor(name="Ministry of Defence")
    agency = create_outlet(name="Interfax-Ukraine")
    return create_response(
        claim=claim,
        responder=responder,
        quote="It's fake",
        channel_kind="telegram",
        channel_url="https://t.me/ministry_of_defence/123",
        report=create_report(outlet=agency, title="Denial", url="https://interfax.example/1"),
        **fields,
    )


def test_the_claim_page_says_where_a_response_was_said(client):
    response = telegram_response()
    page = client.get(response.claim.get_absolute_url()).content.decode()
    block = page[page.index(f'id="response-{response.pk}"') :]
    said = " ".join(re.sub(r"<[^>]+>", "", block[: block.index("</div>")]).split())
    assert "said on Telegram: t.me/ministry_of_defence/123 · reported by Interfax-Ukraine" in said
    assert 'href="https://t.me/ministry_of_defence/123"' in block
    # No verified channel of the ministry on file: flagged.
    assert "not verified as Ministry of Defence" in block


def test_a_channel_verified_as_the_responders_is_not_flagged(client):
    response = telegram_response()
    ActorChannel.objects.create(
        actor=response.responder,
        url="https://t.me/ministry_of_defence",
        verified_at=timezone.now(),
        proof="https://mod.example/contacts",
    )
    page = client.get(response.claim.get_absolute_url()).content.decode()
    block = page[page.index(f'id="response-{response.pk}"') :]
    assert "Made on Ministry of Defence’s verified channel" in block[: block.index("</div>")]


def test_the_claim_review_cites_the_response_on_its_channel():
    response = telegram_response()
    verdict = create_verdict(claim=response.claim, state="published", rating="false")
    review = claim_review(
        response.claim,
        verdict,
        list(response.claim.carriages.all()),
        page_url="https://x/",
        responses=[response],
    )
    [cited] = review["citation"]
    assert cited["@type"] == "SocialMediaPosting"
    assert cited["url"] == "https://t.me/ministry_of_defence/123"
    assert cited["genre"] == "telegram"
    assert cited["text"] == "It's fake"
    assert cited["subjectOf"]["publisher"]["name"] == "Interfax-Ukraine"
    json.dumps(review)


def test_the_exports_carry_the_channel(client):
    response = telegram_response()
    answer = client.get(reverse("claims:claim_export_json"))
    data = json.loads(b"".join(answer.streaming_content))
    [row] = [c for c in data["claims"] if c["slug"] == response.claim.slug]
    [said] = row["responses"]
    assert said["said_on"] == "telegram"
    assert said["channel_url"] == "https://t.me/ministry_of_defence/123"
    assert said["reported_in"] == "Interfax-Ukraine"
    csv_text = b"".join(client.get(reverse("claims:claim_export_csv")).streaming_content).decode()
    assert (
        "Ministry of Defence denies · said on telegram https://t.me/ministry_of_defence/123 · "
        "reported in Interfax-Ukraine"
    ) in csv_text


def test_the_api_gives_where_a_response_was_said(client):
    response = telegram_response()
    answer = client.get(reverse("api-v1:claim_detail", kwargs={"id": response.claim.pk}))
    [said] = answer.json()["responses"]
    assert said["said_on"] == {
        "kind": "telegram",
        "url": "https://t.me/ministry_of_defence/123",
        "verified": False,
    }
    assert said["report"]["outlet"]["name"] == "Interfax-Ukraine"


def test_the_desk_response_form_edits_the_channel(client):
    from tests.factories import create_editor

    claim = create_claim(text="Umerov refused to return to Ukraine")
    create_actor(name="Ministry of Defence")
    client.force_login(create_editor())
    form = {
        "responder": "Ministry of Defence",
        "stance": "denies",
        "attribution": "official_statement",
        "quote": "It's fake",
        "responded_at": "2025-11-17T17:55",
        "channel_url": "https://t.me/ministry_of_defence/123",
    }
    url = reverse("desk:response_create", args=[claim.slug])
    refused = client.post(url, form)
    assert refused.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "Say what kind of channel" in refused.content.decode()
    assert not claim.responses.exists()

    assert client.post(url, {**form, "channel_kind": "telegram"}).status_code == HTTPStatus.FOUND
    response = claim.responses.get()
    assert (response.channel_kind, response.channel_url) == (
        "telegram",
        "https://t.me/ministry_of_defence/123",
    )
    page = client.get(reverse("desk:response_edit", args=[response.pk])).content.decode()
    assert 'value="https://t.me/ministry_of_defence/123"' in page
    assert '<option value="telegram" selected>Telegram</option>' in page
