"""
Narratives: storylines many claims serve. A claim's place in a narrative goes through the
review gate like any change to its chain; the narrative's reader page, index, feed, filter
and API show approved memberships of public claims only.
"""

from datetime import datetime, timedelta
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from claims.desk.narratives import suggest_narratives
from claims.models import (
    Carriage,
    Claim,
    HistoryEntry,
    Narrative,
    NarrativeClaim,
    PendingChange,
    Report,
    Response,
    Verdict,
    writing,
)
from claims.models.sources import unique_slug

from .factories import create_actor, create_editor, create_outlet, create_reviewer

KYIV = ZoneInfo("Europe/Kyiv")


@pytest.fixture(autouse=True)
def _commit_callbacks_run(monkeypatch):
    monkeypatch.setattr(transaction, "on_commit", lambda func, *args, **kwargs: func())


@pytest.fixture
def people():
    return {"author": create_editor(username="author"), "reviewer": create_reviewer(username="rev")}


def public_claim(people, text: str, *, when: datetime, denied: bool = True) -> Claim:
    """A claim with a carriage (and a denial), approved by a second editor."""
    author = people["author"]
    claim = writing.create(
        Claim,
        by=author,
        values={"text": text, "first_seen_at": when, "language": "en"},
        slug=unique_slug(Claim, text),
    )
    report = writing.create(
        Report,
        by=author,
        values={"outlet": create_outlet(name=f"Outlet {claim.pk}"), "title": text},
        published_at=when,
    )
    writing.create(Carriage, by=author, values={"claim": claim, "report": report, "role": "origin"})
    if denied:
        writing.create(
            Response,
            by=author,
            values={
                "claim": claim,
                "responder": create_actor(name=f"Office {claim.pk}"),
                "stance": "denies",
                "attribution": "spokesperson",
                "quote": f"Nonsense about {text}",
                "responded_at": when + timedelta(days=1),
            },
        )
    writing.approve(claim, by=people["reviewer"])
    return Claim.objects.get(pk=claim.pk)


def read(url: str) -> tuple[int, str]:
    response = Client().get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body.decode()


@pytest.fixture
def story(people):
    author = people["author"]
    narrative = writing.create(
        Narrative,
        by=author,
        values={
            "title": "Leaders flee abroad",
            "summary": "Officials are said to escape the country.",
            "language": "en",
            "target_countries": ["UA"],
            "audience_languages": ["uk", "ru"],
        },
        slug="leaders-flee-abroad",
    )
    march = public_claim(
        people, "Governor fled to Vienna", when=datetime(2025, 3, 10, 12, tzinfo=KYIV)
    )
    may = public_claim(
        people, "Minister fled to Warsaw", when=datetime(2025, 5, 2, 12, tzinfo=KYIV)
    )
    return {"narrative": narrative, "march": march, "may": may}


def attach(claim: Claim, narrative: Narrative, *, by) -> NarrativeClaim:
    return writing.create(NarrativeClaim, by=by, values={"narrative": narrative, "claim": claim})


def urls(narrative: Narrative) -> dict[str, str]:
    return {
        "page": reverse("claims:narrative_detail", args=[narrative.slug]),
        "rss": reverse("claims:narrative_denied_rss", args=[narrative.slug]),
        "atom": reverse("claims:narrative_denied_atom", args=[narrative.slug]),
        "api": f"/api/v1/narratives/{narrative.pk}",
    }


def test_a_claim_joins_a_narrative_only_when_a_second_editor_approves(people, story):
    author, reviewer = people["author"], people["reviewer"]
    narrative, march = story["narrative"], story["march"]
    attach(march, narrative, by=author)

    # Waiting: the narrative is on no reader surface, and nothing filters by it.
    for name, url in urls(narrative).items():
        assert read(url)[0] == HTTPStatus.NOT_FOUND, name
    assert "Leaders flee" not in read(reverse("claims:narrative_list"))[1]
    assert "Leaders flee" not in read(reverse("claims:claim_list"))[1]
    filtered = read(reverse("claims:claim_list") + "?narrative=leaders-flee-abroad")[1]
    assert "Governor fled" in filtered and "Minister fled" in filtered  # an unknown filter
    api = Client().get("/api/v1/narratives").json()
    assert api["items"] == []
    assert Client().get("/api/v1/claims?narrative=leaders-flee-abroad").status_code == 400
    assert Claim.objects.awaiting_review().filter(pk=march.pk).exists()
    with pytest.raises(writing.ReviewRefused):
        writing.approve(march, by=author)

    writing.approve(march, by=reviewer)

    status, page = read(urls(narrative)["page"])
    assert status == HTTPStatus.OK
    assert "Governor fled to Vienna" in page and "Minister fled" not in page
    assert "Officials are said to escape" in page
    for feed in ("rss", "atom"):
        body = read(urls(narrative)[feed])[1]
        assert "Nonsense about Governor" in body and "Minister" not in body
    assert "Leaders flee abroad" in read(reverse("claims:narrative_list"))[1]
    filtered = read(reverse("claims:claim_list") + "?narrative=leaders-flee-abroad")[1]
    assert "Governor fled" in filtered and "Minister fled" not in filtered
    items = Client().get("/api/v1/narratives").json()["items"]
    assert [item["slug"] for item in items] == ["leaders-flee-abroad"]
    assert items[0]["target_countries"] == ["UA"]
    detail = Client().get(urls(narrative)["api"]).json()
    assert detail["claim_ids"] == [march.pk]
    claims = Client().get("/api/v1/claims?narrative=leaders-flee-abroad").json()["items"]
    assert [item["id"] for item in claims] == [march.pk]


def test_a_later_membership_and_a_detachment_wait_for_review(people, story):
    author, reviewer = people["author"], people["reviewer"]
    narrative, march, may = story["narrative"], story["march"], story["may"]
    membership = attach(march, narrative, by=author)
    writing.approve(march, by=reviewer)
    attach(may, narrative, by=author)
    page = urls(narrative)["page"]
    assert "Minister fled" not in read(page)[1]  # pending
    writing.approve(may, by=reviewer)
    assert "Minister fled" in read(page)[1]

    writing.withdraw(
        membership,
        by=author,
        version=writing.desk_version(membership),
        reason="Another storyline",
    )
    assert "Governor fled" in read(page)[1]  # readers keep the approved state
    writing.approve(march, by=reviewer)
    body = read(page)[1]
    assert "Governor fled" not in body and "Minister fled" in body
    # Detached, it can be attached again (once).
    attach(march, narrative, by=author)
    with pytest.raises(IntegrityError), transaction.atomic():
        attach(march, narrative, by=author)


def test_the_page_shows_appearances_and_a_chart_with_its_text_equivalent(people, story):
    author, reviewer = people["author"], people["reviewer"]
    narrative, march, may = story["narrative"], story["march"], story["may"]
    for claim in (march, may):
        attach(claim, narrative, by=author)
        writing.approve(claim, by=reviewer)
    # A carriage still in review does not move the latest appearance.
    late = writing.create(
        Report,
        by=author,
        values={"outlet": create_outlet(name="Late outlet"), "title": "Late"},
        published_at=datetime(2025, 9, 1, 12, tzinfo=KYIV),
    )
    writing.create(Carriage, by=author, values={"claim": may, "report": late})
    verdict = writing.create(
        Verdict, by=author, values={"claim": may, "author": author, "rating": "false"}
    )
    verdict.submit(by=author)
    verdict.publish(by=reviewer)

    assert narrative.appearances() == {
        "first": datetime(2025, 3, 10, 12, tzinfo=KYIV),
        "latest": datetime(2025, 5, 2, 12, tzinfo=KYIV),
    }
    page = read(urls(narrative)["page"])[1]
    assert '<dd id="narrative-first">10 Mar 2025</dd>' in page
    assert '<dd id="narrative-latest">2 May 2025</dd>' in page
    assert '<svg class="narrative-chart"' in page and 'aria-hidden="true"' in page
    assert page.count('class="bar-claims"') == page.count('class="bar-denials"') >= 2
    table = page[page.index('<table class="narrative-months">') :]
    table = table[: table.index("</table>")]
    assert '<th scope="row">March 2025</th><td>1</td><td>1</td><td>0</td>' in table
    verdict_month = verdict.published_at.astimezone(KYIV).strftime("%B %Y")
    assert f'<th scope="row">{verdict_month}</th>' in table
    assert "UA" in page and "uk, ru" in page


def test_editors_attach_on_the_desk_and_the_queue_shows_it(client, people, story):
    author, reviewer = people["author"], people["reviewer"]
    narrative, march = story["narrative"], story["march"]
    client.force_login(author)
    edit = reverse("desk:claim_edit", args=[march.slug])
    assert "Suggest narratives" in client.get(edit).content.decode()
    url = reverse("desk:narrative_attach", args=[march.slug])
    response = client.post(url, {"narrative": narrative.slug})
    assert response.status_code == HTTPStatus.FOUND
    assert "waiting for review" in client.get(edit).content.decode()
    again = client.post(url, {"narrative": narrative.slug})
    assert again.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "in this narrative already" in again.content.decode()
    assert client.post(url, {"narrative": "nothing"}).status_code == 422
    assert NarrativeClaim.objects.filter(claim=march).count() == 1
    change = PendingChange.objects.of(NarrativeClaim.objects.get(claim=march)).get()
    assert change.author == author and change.claim == march

    client.force_login(reviewer)
    queue = client.get(reverse("desk:review_claim", args=[march.slug])).content.decode()
    assert "Leaders flee abroad" in queue
    response = client.post(
        reverse("desk:review_approve", args=[march.slug]),
        {"fingerprint": writing.claim_fingerprint(march)},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert "Governor fled" in read(urls(narrative)["page"])[1]


def test_narratives_are_added_and_edited_through_the_write_path(client, people):
    client.force_login(people["author"])
    response = client.post(
        reverse("desk:narrative_create"),
        {
            "title": "Втеча керівництва",
            "language": "uk",
            "target_countries": "ua, de",
            "audience_languages": "uk, RU",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    narrative = Narrative.objects.get()
    assert narrative.slug.isascii() and narrative.slug.startswith("vtecha")
    assert narrative.target_countries == ["UA", "DE"]
    assert narrative.audience_languages == ["uk", "ru"]
    assert HistoryEntry.objects.filter(object_id=str(narrative.pk), action="created").exists()
    url = reverse("desk:narrative_edit", args=[narrative.slug])
    bad = client.post(url, {"title": "X", "target_countries": "Ukraine", "version": 1})
    assert bad.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "Not a code: UKRAINE" in bad.content.decode()
    ok = client.post(url, {"title": "Leaders flee", "language": "en", "version": 1})
    assert ok.status_code == HTTPStatus.FOUND
    stale = client.post(url, {"title": "Other", "language": "en", "version": 1})
    assert stale.status_code == HTTPStatus.CONFLICT
    assert Narrative.objects.get().title == "Leaders flee"


def test_narratives_are_suggested_from_similar_claims(people, story):
    narrative, march = story["narrative"], story["march"]
    attach(march, narrative, by=people["author"])
    other = writing.create(
        Narrative, by=people["author"], values={"title": "Unrelated"}, slug="unrelated"
    )
    claim = public_claim(
        people, "Governor fled to Vienna with family", when=datetime(2025, 6, 1, tzinfo=KYIV)
    )
    suggested = suggest_narratives(claim)
    assert [n.slug for n in suggested] == [narrative.slug]
    assert suggested[0].because == march and suggested[0].similarity > 0.25
    assert other not in suggested
    attach(claim, narrative, by=people["author"])
    assert suggest_narratives(claim) == []  # not a narrative it is in already


def test_carriages_record_target_country_and_audience_language(client, people, story):
    march = story["march"]
    carriage = march.carriages.get()
    client.force_login(people["author"])
    url = reverse("desk:carriage_edit", args=[carriage.pk])
    assert 'name="target_country"' in client.get(url).content.decode()
    data = {
        "report": carriage.report_id,
        "role": "origin",
        "target_country": "DE",
        "audience_language": "ru",
        "version": writing.desk_version(carriage),
    }
    assert client.post(url, data).status_code == HTTPStatus.FOUND
    pending = writing.with_pending(Carriage.objects.get(pk=carriage.pk))
    assert (pending.target_country, pending.audience_language) == ("DE", "ru")
    assert Carriage.objects.get(pk=carriage.pk).target_country == ""  # public row waits
    bad = client.post(url, {**data, "target_country": "de", "version": pending.version})
    assert bad.status_code == HTTPStatus.UNPROCESSABLE_ENTITY


def test_the_narrative_api_answers_match_the_schema(people, story):
    from .test_api_reads import API, validate

    narrative, march = story["narrative"], story["march"]
    attach(march, narrative, by=people["author"])
    writing.approve(march, by=people["reviewer"])
    client = Client()
    openapi = client.get(f"{API}/openapi.json").json()
    listed = validate(openapi, "/narratives", client.get(f"{API}/narratives"))
    assert [item["id"] for item in listed["items"]] == [narrative.pk]
    detail = validate(openapi, "/narratives/{id}", client.get(f"{API}/narratives/{narrative.pk}"))
    assert detail["first_appearance"].startswith("2025-03-10")
    missing = client.get(f"{API}/narratives/{narrative.pk + 1000}")
    assert missing.status_code == HTTPStatus.NOT_FOUND
    validate(openapi, "/narratives/{id}", missing)
