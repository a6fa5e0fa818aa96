"""Other fact-checkers' work: a ClaimReview on an imported page, linked to the claim by an
editor, public with the chain once a second editor approves; and day-only publication dates."""

import json
import re
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.urls import reverse

from claims.jsonld import _creative_work
from claims.models import Claim, ExternalReview, HistoryEntry, Report, writing
from tests.factories import create_editor, create_reviewer
from tests.importer_helpers import FIXTURES

CHECKED = FIXTURES / "stopfake_claimreview.html"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    cache.clear()


def imported_job(client, capture, html: str):
    from claims.models import ImportJob

    with capture(execute=True):
        response = client.post(reverse("importer:import_start"), {"html": html})
    assert response.status_code == HTTPStatus.FOUND
    return ImportJob.objects.latest("pk")


def confirm_data(job, **overrides) -> dict:
    from claims.importer.forms import initial_from_result

    data = {k: v for k, v in initial_from_result(job.result).items() if v is not None}
    data.setdefault("carriage_role", "mention")
    data.setdefault("claim_text", "Umerov refused to return to Ukraine")
    data.update(overrides)
    return data


def test_the_draft_offers_the_pages_claimreview_and_the_editor_links_it(
    client, django_capture_on_commit_callbacks
):
    editor = create_editor()
    client.force_login(editor)
    job = imported_job(client, django_capture_on_commit_callbacks, CHECKED.read_text())
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Already checked by other fact-checkers" in page
    assert 'name="external_reviews" value="0"' in page and "StopFake" in page

    answer = client.post(
        reverse("importer:job_confirm", args=[job.pk]),
        confirm_data(job, external_reviews=["0"]),
    )
    assert answer.status_code == HTTPStatus.FOUND, answer.content.decode()[:2000]
    claim = Claim.objects.get()
    review = ExternalReview.objects.get()
    assert (review.claim, review.author, review.rating) == (claim, "StopFake", "False")
    assert review.claim_reviewed == "Rustem Umerov refused to return to Ukraine"
    assert review.url.startswith("https://www.stopfake.org/")
    assert review.report == Report.objects.get()
    assert review.approved_at is None  # waits for the second editor with the chain
    assert HistoryEntry.objects.filter(claim=claim, object_repr=str(review)).exists()


def test_unticked_reviews_are_not_linked(client, django_capture_on_commit_callbacks):
    client.force_login(create_editor())
    job = imported_job(client, django_capture_on_commit_callbacks, CHECKED.read_text())
    answer = client.post(reverse("importer:job_confirm", args=[job.pk]), confirm_data(job))
    assert answer.status_code == HTTPStatus.FOUND
    assert not ExternalReview.objects.exists()


def test_an_impossible_review_choice_is_a_form_error(client, django_capture_on_commit_callbacks):
    client.force_login(create_editor())
    job = imported_job(client, django_capture_on_commit_callbacks, CHECKED.read_text())
    answer = client.post(
        reverse("importer:job_confirm", args=[job.pk]), confirm_data(job, external_reviews=["7"])
    )
    assert answer.status_code == 422
    assert not Claim.objects.exists() and not ExternalReview.objects.exists()


def test_readers_see_external_reviews_only_after_approval(client):
    editor, reviewer = create_editor(), create_reviewer()
    claim = writing.create(
        Claim, by=editor, values={"text": "Umerov refused to return to Ukraine"}, slug="umerov"
    )
    writing.approve(claim, by=reviewer)
    from claims.importer.pipeline import link_external_reviews

    review = {
        "author": "StopFake",
        "rating": "False",
        "claim_reviewed": "Rustem Umerov refused to return to Ukraine",
        "url": "https://www.stopfake.org/en/fake-umerov/",
        "published": "2025-11-18",
    }
    [linked] = link_external_reviews(claim, [review], report=None, by=editor)
    # The same check linked again (a re-import) is recognised, not filed twice.
    assert link_external_reviews(claim, [review], report=None, by=editor) == []
    page = reverse("claims:claim_detail", args=[claim.slug])
    assert "StopFake" not in client.get(page).content.decode()
    with pytest.raises(writing.ReviewError):
        writing.approve(claim, by=editor)  # the editor who linked it cannot publish it
    writing.approve(claim, by=reviewer)
    cache.clear()
    html = client.get(page).content.decode()
    assert "Checked by other fact-checkers" in html
    assert "StopFake" in html and "rated “False”" in html and "18 November 2025" in html
    linked.refresh_from_db()
    assert linked.approved_by == reviewer


def test_a_withdrawn_external_review_leaves_the_page(client):
    editor, reviewer = create_editor(), create_reviewer()
    claim = writing.create(Claim, by=editor, values={"text": "A claim"}, slug="a-claim")
    review = writing.create(
        ExternalReview, by=editor, values={"claim": claim, "author": "VoxCheck", "rating": "Fake"}
    )
    writing.approve(claim, by=reviewer)
    client.force_login(editor)
    desk_page = client.get(reverse("desk:claim_edit", args=[claim.slug])).content.decode()
    url = reverse("desk:withdraw", args=["external-review", review.pk])
    assert "VoxCheck" in desk_page and url in desk_page
    assert client.get(url).status_code == HTTPStatus.OK
    answer = client.post(url, {"version": writing.desk_version(review), "reason": "Wrong claim"})
    assert answer.status_code in (HTTPStatus.FOUND, HTTPStatus.NO_CONTENT)
    writing.approve(claim, by=reviewer)
    client.logout()
    cache.clear()
    assert (
        "VoxCheck"
        not in client.get(reverse("claims:claim_detail", args=[claim.slug])).content.decode()
    )


def test_a_day_only_date_is_kept_as_a_day(client, django_capture_on_commit_callbacks):
    editor, reviewer = create_editor(), create_reviewer()
    client.force_login(editor)
    job = imported_job(client, django_capture_on_commit_callbacks, CHECKED.read_text())
    answer = client.post(
        reverse("importer:job_confirm", args=[job.pk]),
        confirm_data(job, published_at="2025-11-18"),
    )
    assert answer.status_code == HTTPStatus.FOUND
    report = Report.objects.get()
    assert report.published_precision == "day" and report.published_iso() == "2025-11-18"
    claim = Claim.objects.get()
    writing.approve(claim, by=reviewer)
    client.logout()
    cache.clear()
    html = client.get(reverse("claims:claim_detail", args=[claim.slug])).content.decode()
    [source] = re.findall(r'<li id="carriage-\d+">.*?</li>', html, re.S)
    assert "18 November 2025</time>" in source and "00:00" not in source
    # ClaimReview's appearance of the claim carries the day alone too.
    assert _creative_work(claim.carriages.get())["datePublished"] == "2025-11-18"


def test_a_full_time_stays_a_time(client, django_capture_on_commit_callbacks):
    client.force_login(create_editor())
    job = imported_job(client, django_capture_on_commit_callbacks, CHECKED.read_text())
    client.post(
        reverse("importer:job_confirm", args=[job.pk]),
        confirm_data(job, published_at="2025-11-18T10:42:00+02:00"),
    )
    report = Report.objects.get()
    assert report.published_precision == "time"
    assert json.dumps(report.published_iso()) == '"2025-11-18T08:42:00+00:00"'
