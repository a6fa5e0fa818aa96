"""The one-page chain: claim, reports and responses in one submit and one transaction, names
created on the same form, similar claims shown as the editor types, and a deliberate choice
before logging a claim very like one on file."""

from http import HTTPStatus
from unittest import mock

import pytest
from django.urls import reverse

from claims.models import (
    Actor,
    Carriage,
    Claim,
    HistoryEntry,
    Outlet,
    PendingChange,
    Report,
    Response,
    Tag,
)

from .factories import create_actor, create_claim, create_editor, create_outlet, create_report

CLAIM = "Umerov refused to return to Ukraine"
INTERFAX = "President’s Office denies reports that Umerov allegedly refuses to return to Ukraine"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor_client(client):
    client.force_login(create_editor(username="olena"))
    return client


def seed_chain(**overrides) -> dict:
    data = {
        "claim-text": CLAIM,
        "claim-language": "en",
        "claim-claimant": "Clash Report",
        "claim-subjects": "Rustem Umerov, Volodymyr Zelenskyy",
        "claim-tags": "presidents_office, umerov",
        "report-count": "2",
        "report-0-outlet": "Clash Report",
        "report-0-title": "Umerov refused to return to Ukraine and personally told Zelenskyy",
        "report-0-role": "origin",
        "report-0-wording": "Umerov allegedly refused to return to Ukraine.",
        "report-0-language": "en",
        "report-1-outlet": "Interfax-Ukraine",
        "report-1-url": "https://en.interfax.com.ua/news/general/1125431.html",
        "report-1-title": INTERFAX,
        "report-1-published_at": "2025-11-17T17:55",
        "report-1-language": "en",
        "report-1-role": "mention",
        "report-1-cites": "0",
        "report-1-wording": "The report that Umerov allegedly refused to return is untrue",
        "response-count": "1",
        "response-0-responder": "President's Office",
        "response-0-stance": "denies",
        "response-0-attribution": "anonymous_source",
        "response-0-quote": "It's fake",
        "response-0-reported_in": "1",
    }
    data.update(overrides)
    return data


ALL_NAMES = [
    "actors|Clash Report",
    "actors|Rustem Umerov",
    "actors|Volodymyr Zelenskyy",
    "tags|presidents_office",
    "tags|umerov",
    "outlets|Clash Report",
    "outlets|Interfax-Ukraine",
    "actors|President's Office",
]


def chain_rows() -> tuple:
    return tuple(
        model.objects.count()
        for model in (Claim, Carriage, Report, Response, Actor, Outlet, Tag, HistoryEntry)
    )


def test_the_page_renders_empty(editor_client):
    page = editor_client.get(reverse("desk:chain_new"))
    assert page.status_code == HTTPStatus.OK
    html = page.content.decode()
    assert 'name="report-1-outlet"' in html and 'name="response-0-quote"' in html
    assert 'hx-trigger="input changed delay:300ms"' in html


def test_names_not_on_file_are_listed_back_with_everything_typed_kept(editor_client):
    response = editor_client.post(reverse("desk:chain_new"), seed_chain())
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    html = response.content.decode()
    assert "Create these 8 names" in html
    for key in ALL_NAMES:
        assert f'value="{key}"'.replace("'", "&#x27;") in html, key
    assert f'value="{CLAIM}"' in html and "It&#x27;s fake" in html
    assert chain_rows() == (0, 0, 0, 0, 0, 0, 0, 0)


def test_the_chain_is_logged_with_its_new_names_in_one_submit(editor_client):
    data = seed_chain(create=ALL_NAMES)
    data["kind|actors|Clash Report"] = "organisation"
    data["kind|outlets|Clash Report"] = "social"
    data["kind|outlets|Interfax-Ukraine"] = "news_agency"
    response = editor_client.post(reverse("desk:chain_new"), data)
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]
    claim = Claim.objects.get()
    assert response["Location"] == reverse("desk:claim_edit", args=[claim.slug])
    assert claim.claimant.name == "Clash Report" and claim.claimant.kind == "organisation"
    assert {a.name for a in claim.subjects.all()} == {"Rustem Umerov", "Volodymyr Zelenskyy"}
    assert {a.kind for a in claim.subjects.all()} == {"person"}
    assert {t.name for t in claim.tags.all()} == {"presidents_office", "umerov"}
    origin, mention = claim.carriages.order_by("pk")
    assert (origin.role, mention.role, mention.cites) == ("origin", "mention", origin)
    assert origin.report.outlet.kind == "social" and mention.report.outlet.kind == "news_agency"
    # First seen: the earliest dated report.
    assert claim.first_seen_at == mention.report.published_at
    answer = Response.objects.get()
    assert (answer.responder.name, answer.stance, answer.attribution, answer.quote) == (
        "President's Office",
        "denies",
        "anonymous_source",
        "It's fake",
    )
    assert answer.report == mention.report
    assert answer.responded_at == mention.report.published_at  # as reported
    # All private, waiting for a second editor; the history has it all.
    assert claim.approved_at is None and not Carriage.objects.filter(approved_at__isnull=False)
    assert PendingChange.objects.filter(claim=claim, state="pending").count() == 4
    assert HistoryEntry.objects.filter(claim=claim).count() >= 6


def test_an_error_anywhere_saves_nothing_and_keeps_what_was_typed(editor_client):
    data = seed_chain(create=ALL_NAMES, **{"response-0-stance": ""})
    response = editor_client.post(reverse("desk:chain_new"), data)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    html = response.content.decode()
    assert "Choose one for the response." in html
    assert "Interfax-Ukraine" in html and 'value="2025-11-17T17:55"' in html
    assert chain_rows() == (0, 0, 0, 0, 0, 0, 0, 0)


def test_a_failure_while_saving_leaves_nothing_half_saved(editor_client):
    with (
        mock.patch.object(Response, "save", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        editor_client.post(reverse("desk:chain_new"), seed_chain(create=ALL_NAMES))
    assert chain_rows() == (0, 0, 0, 0, 0, 0, 0, 0)


def test_htmx_gets_the_form_fragment_back(editor_client):
    response = editor_client.post(
        reverse("desk:chain_new"), seed_chain(), headers={"HX-Request": "true"}
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    html = response.content.decode()
    assert "<html" not in html and 'id="chain-form"' in html
    done = editor_client.post(
        reverse("desk:chain_new"), seed_chain(create=ALL_NAMES), headers={"HX-Request": "true"}
    )
    assert done["HX-Redirect"] == reverse("desk:claim_edit", args=[Claim.objects.get().slug])


def test_another_report_adds_a_form_and_saves_nothing(editor_client):
    response = editor_client.post(reverse("desk:chain_new"), seed_chain(more="report"))
    assert response.status_code == HTTPStatus.OK
    assert 'name="report-2-outlet"' in response.content.decode()
    assert Claim.objects.count() == 0


def test_a_very_similar_claim_needs_a_deliberate_choice(editor_client):
    existing = create_claim(text="Umerov refuses to return to Ukraine")
    data = seed_chain(create=ALL_NAMES)
    response = editor_client.post(reverse("desk:chain_new"), data)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    html = response.content.decode()
    assert "Log as a new claim anyway" in html and existing.text in html
    assert f"?claim={existing.slug}" in html
    assert Claim.objects.count() == 1
    response = editor_client.post(reverse("desk:chain_new"), {**data, "claim-new_anyway": "on"})
    assert response.status_code == HTTPStatus.FOUND
    assert Claim.objects.count() == 2


def test_reports_and_responses_are_added_to_a_claim_on_file(editor_client):
    existing = create_claim(text="Umerov refuses to return to Ukraine")
    create_actor(name="President's Office")
    create_outlet(name="Interfax-Ukraine")
    page = editor_client.get(reverse("desk:chain_new"), {"claim": existing.slug})
    assert "Adding to the claim on file" in page.content.decode()
    data = {
        "claim-existing": existing.slug,
        "report-count": "1",
        "report-0-outlet": "Interfax-Ukraine",
        "report-0-title": INTERFAX,
        "report-0-role": "mention",
        "response-count": "1",
        "response-0-responder": "President's Office",
        "response-0-stance": "denies",
        "response-0-attribution": "anonymous_source",
        "response-0-quote": "It's fake",
        "response-0-reported_in": "0",
    }
    response = editor_client.post(reverse("desk:chain_new"), data)
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    assert Claim.objects.count() == 1
    assert existing.carriages.get().report.title == INTERFAX
    assert existing.responses.get().report == existing.carriages.get().report


def test_a_report_on_file_is_reused_by_its_url(editor_client):
    report = create_report(
        title="On file", url="https://en.interfax.com.ua/news/general/1125431.html"
    )
    editor_client.post(reverse("desk:chain_new"), seed_chain(create=ALL_NAMES))
    claim = Claim.objects.get()
    assert claim.carriages.filter(report=report).exists()
    assert Report.objects.count() == 2


def test_similar_claims_as_the_editor_types(editor_client):
    create_claim(text="Umerov refuses to return to Ukraine")
    create_claim(text="Bread prices rose in Lviv")
    url = reverse("desk:similar_claims")
    response = editor_client.get(
        url, {"field": "claim-text", "claim-text": CLAIM}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK and "<html" not in html
    assert "Umerov refuses to return to Ukraine" in html and "Bread" not in html
    assert "similarity " in html and "very similar" in html and "public" in html
    assert "This is the same claim" in html
    assert "No similar claim" in editor_client.get(url, {"text": "Zzyzx qwerty"}).content.decode()


def test_the_claim_form_also_needs_the_deliberate_choice(editor_client):
    create_claim(text="Umerov refuses to return to Ukraine")
    form = editor_client.get(reverse("desk:claim_create")).content.decode()
    assert reverse("desk:similar_claims") in form
    response = editor_client.post(reverse("desk:claim_create"), {"text": CLAIM})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert Claim.objects.count() == 1
    response = editor_client.post(reverse("desk:claim_create"), {"text": CLAIM, "new_anyway": "on"})
    assert response.status_code == HTTPStatus.FOUND
    assert Claim.objects.count() == 2
