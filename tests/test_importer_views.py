"""The desk's import pages: who may use them, the background job, review, confirm, re-import."""

from http import HTTPStatus
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.models import (
    Carriage,
    Claim,
    HistoryAction,
    HistoryEntry,
    ImportJob,
    Report,
    Response,
    Snapshot,
)
from tests.factories import create_claim, create_editor, create_user
from tests.importer_helpers import FIXTURES, Page, serve

SEED = FIXTURES / "interfax_umerov.html"
SEED_URL = "https://en.interfax.com.ua/news/general/1125431.html"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Test users need no 1.5-million-round password hashes."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()  # the import rate limit counts per user id, which tests reuse


@pytest.fixture
def immediate_tasks(settings):
    """Run tasks at once; the database worker itself is exercised in test_importer_worker."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def editor_client(client):
    client.force_login(create_editor())
    return client


def start_import(client, capture, **data) -> ImportJob:
    with capture(execute=True):
        response = client.post(reverse("importer:import_start"), data)
    assert response.status_code == HTTPStatus.FOUND, response.content[:500]
    job = ImportJob.objects.latest("pk")
    assert response.url == job.get_absolute_url()
    job.refresh_from_db()
    return job


def confirm_data(job, **overrides) -> dict:
    from claims.importer.forms import initial_from_result

    data = {k: v for k, v in initial_from_result(job.result).items() if v is not None}
    data.setdefault("carriage_role", "mention")
    data.update(overrides)
    return data


@pytest.mark.parametrize("name", ["importer:import_start", "importer:inbox"])
def test_anonymous_users_are_sent_to_log_in(client, settings, name):
    settings.LOGIN_URL = "/admin/login/"
    response = client.get(reverse(name))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith("/admin/login/?next=")


@pytest.mark.parametrize("name", ["importer:import_start", "importer:inbox"])
def test_signed_in_non_editors_are_forbidden(client, name):
    client.force_login(create_user())
    assert client.get(reverse(name)).status_code == HTTPStatus.FORBIDDEN


def test_non_editors_cannot_post_either(client, django_capture_on_commit_callbacks):
    client.force_login(create_user())
    response = client.post(reverse("importer:import_start"), {"html": SEED.read_text()})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert ImportJob.objects.count() == 0


def test_the_import_page_works_without_javascript(editor_client):
    response = editor_client.get(reverse("importer:import_start"))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert 'method="post"' in html and 'enctype="multipart/form-data"' in html
    assert 'name="url"' in html and 'name="html"' in html and 'name="file"' in html


def test_an_empty_or_refused_form_is_422_and_saves_nothing(editor_client):
    response = editor_client.post(reverse("importer:import_start"), {})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "Give a URL" in response.content.decode()
    response = editor_client.post(
        reverse("importer:import_start"), {"url": "http://169.254.169.254/latest/"}
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "not a public address" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_pasted_html_is_extracted_in_the_background_and_shown_for_review(
    editor_client, immediate_tasks, django_capture_on_commit_callbacks
):
    job = start_import(
        editor_client, django_capture_on_commit_callbacks, html=SEED.read_text(), page_url=SEED_URL
    )
    assert job.status == "ready" and job.progress == 100
    assert Report.objects.count() == 0, "nothing is saved before the editor confirms"
    html = editor_client.get(job.get_absolute_url()).content.decode()
    assert "President’s Office denies reports" in html
    assert 'value="2025-11-17T17:55:00+02:00"' in html
    assert 'value="presidents_office, umerov"' in html
    assert 'value="Umerov refused to return to Ukraine"' in html
    assert 'value="Clash Report"' in html
    assert 'value="President&#x27;s Office"' in html
    assert '<option value="denies" selected>' in html
    assert '<option value="anonymous_source" selected>' in html
    assert "It&#x27;s fake" in html


def test_an_uploaded_file_is_imported(
    editor_client, immediate_tasks, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("page.html", SEED.read_bytes(), content_type="text/html")
    job = start_import(editor_client, django_capture_on_commit_callbacks, file=upload)
    assert job.status == "ready"
    assert job.result["article"]["canonical_url"] == SEED_URL


def test_a_url_is_fetched_by_the_task_not_the_request(
    editor_client, settings, immediate_tasks, django_capture_on_commit_callbacks
):
    server_gen = serve(settings, loopback=True)
    server = next(server_gen)
    try:
        server.pages["/story"] = Page(SEED.read_bytes())
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            editor_client.post(reverse("importer:import_start"), {"url": server.url("/story")})
        assert server.hits == [], "the web request does not fetch"
        job = ImportJob.objects.get()
        assert job.status == "queued"
        for callback in callbacks:
            callback()
        job.refresh_from_db()
        assert [hit["path"] for hit in server.hits] == ["/story"]
        assert job.status == "ready" and job.status_code == 200
        assert job.fetched_url == server.url("/story")
    finally:
        server_gen.close()


def test_progress_is_polled_with_htmx_and_has_a_refresh_link(editor_client):
    job = ImportJob.objects.create(url="https://example.com/a", status="fetching", progress=10)
    page = editor_client.get(job.get_absolute_url()).content.decode()
    assert "<html" in page and 'hx-trigger="every 1s"' in page
    assert f'href="{job.get_absolute_url()}"' in page  # the no-JS refresh link
    assert 'http-equiv="refresh"' in page
    fragment = editor_client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode()
    assert 'value="10"' in fragment.content.decode()


def test_a_failed_import_shows_the_error_and_saves_nothing(
    editor_client, immediate_tasks, django_capture_on_commit_callbacks
):
    job = start_import(editor_client, django_capture_on_commit_callbacks, html="just words")
    assert job.status == "failed"
    page = editor_client.get(job.get_absolute_url()).content.decode()
    assert "not an HTML page" in page and "Nothing was saved" in page
    assert Report.objects.count() == 0


def test_confirm_creates_the_whole_chain_in_one_go_with_history(
    editor_client, immediate_tasks, django_capture_on_commit_callbacks
):
    job = start_import(
        editor_client, django_capture_on_commit_callbacks, html=SEED.read_text(), page_url=SEED_URL
    )
    response = editor_client.post(reverse("importer:job_confirm", args=[job.pk]), confirm_data(job))
    assert response.status_code == HTTPStatus.FOUND
    report = Report.objects.get()
    assert report.canonical_url == SEED_URL and report.outlet.name == "Interfax-Ukraine"
    claim = Claim.objects.get()
    assert claim.text == "Umerov refused to return to Ukraine"
    assert claim.claimant.name == "Clash Report"
    carriage = Carriage.objects.get()
    assert (carriage.claim, carriage.report, carriage.role) == (claim, report, "mention")
    answer = Response.objects.get()
    assert (answer.responder.name, answer.stance, answer.attribution, answer.quote) == (
        "President's Office",
        "denies",
        "anonymous_source",
        "It's fake",
    )
    assert answer.report == report
    snapshot = Snapshot.objects.get()
    assert snapshot.report == report and len(snapshot.sha256) == 64
    assert bytes(snapshot.content) == SEED.read_bytes()
    actions = set(HistoryEntry.objects.values_list("object_repr", "action"))
    assert (str(claim), HistoryAction.CREATED) in actions
    assert (str(report), HistoryAction.IMPORTED) in actions
    assert HistoryEntry.objects.filter(claim=claim).count() >= 3  # claim, carriage, response
    # The desk's history page reads the importer's entries like its own ([old, new] pairs).
    history = editor_client.get(reverse("desk:claim_history", args=[claim.slug]))
    assert history.status_code == HTTPStatus.OK
    assert "It&#x27;s fake" in history.content.decode()
    job.refresh_from_db()
    assert job.status == "confirmed" and job.report == report
    assert (
        "Umerov refused to return to Ukraine"
        in editor_client.get(job.get_absolute_url()).content.decode()
    )


def test_confirm_is_all_or_nothing(
    editor_client, immediate_tasks, django_capture_on_commit_callbacks
):
    job = start_import(
        editor_client, django_capture_on_commit_callbacks, html=SEED.read_text(), page_url=SEED_URL
    )
    with (
        mock.patch.object(Response, "save", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        editor_client.post(reverse("importer:job_confirm", args=[job.pk]), confirm_data(job))
    assert Report.objects.count() == Claim.objects.count() == Carriage.objects.count() == 0
    assert Snapshot.objects.count() == HistoryEntry.objects.count() == 0
    job.refresh_from_db()
    assert job.status == "ready"


def test_an_invalid_confirmation_is_422_and_saves_nothing(
    editor_client, immediate_tasks, django_capture_on_commit_callbacks
):
    job = start_import(
        editor_client, django_capture_on_commit_callbacks, html=SEED.read_text(), page_url=SEED_URL
    )
    data = confirm_data(job, attribution="named_official", speaker_name="", claim_text="")
    response = editor_client.post(reverse("importer:job_confirm", args=[job.pk]), data)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    html = response.content.decode()
    assert "A named official needs a name." in html
    assert "A response needs a claim" in html
    assert Report.objects.count() == 0


def test_similar_claims_are_shown_and_can_be_chosen(
    editor_client, immediate_tasks, django_capture_on_commit_callbacks
):
    existing = create_claim(text="Umerov refuses to return to Ukraine")
    create_claim(text="Prices of bread rose in Lviv")
    job = start_import(
        editor_client, django_capture_on_commit_callbacks, html=SEED.read_text(), page_url=SEED_URL
    )
    html = editor_client.get(job.get_absolute_url()).content.decode()
    assert "Umerov refuses to return to Ukraine" in html
    assert "Prices of bread" not in html
    editor_client.post(
        reverse("importer:job_confirm", args=[job.pk]),
        confirm_data(job, existing_claim=existing.pk),
    )
    assert Claim.objects.count() == 2
    assert Response.objects.get().claim == existing
    assert Carriage.objects.get().claim == existing


def test_a_reimport_shows_what_changed_and_changes_only_what_the_editor_takes(
    editor_client, immediate_tasks, django_capture_on_commit_callbacks
):
    job = start_import(
        editor_client, django_capture_on_commit_callbacks, html=SEED.read_text(), page_url=SEED_URL
    )
    editor_client.post(
        reverse("importer:job_confirm", args=[job.pk]),
        confirm_data(job, claim_text="", responder="", stance="", attribution=""),
    )
    report = Report.objects.get()
    changed = (
        SEED.read_text()
        .replace("#umerov", "#umerov</a> <a href='/tags/nsdc'>#nsdc")
        .replace("said on Monday.", "said on Monday evening.")
    )
    again = start_import(
        editor_client, django_capture_on_commit_callbacks, html=changed, page_url=SEED_URL
    )
    assert again.result["existing_report"] == report.pk
    assert set(again.result["diff"]) == {"body", "tags"}
    html = editor_client.get(again.get_absolute_url()).content.decode()
    assert "Already on file" in html and "said on Monday evening" in html
    assert 'name="update_fields" value="body"' in html and 'value="tags"' in html
    # Confirming without ticking anything changes nothing.
    editor_client.post(
        reverse("importer:job_confirm", args=[again.pk]),
        confirm_data(again, claim_text="", responder="", stance="", attribution=""),
    )
    report.refresh_from_db()
    assert "evening" not in report.body and report.version == 1
    assert Report.objects.count() == 1
    # A third import where the editor takes only the tags.
    third = start_import(
        editor_client, django_capture_on_commit_callbacks, html=changed, page_url=SEED_URL
    )
    editor_client.post(
        reverse("importer:job_confirm", args=[third.pk]),
        confirm_data(
            third, claim_text="", responder="", stance="", attribution="", update_fields=["tags"]
        ),
    )
    report.refresh_from_db()
    assert sorted(report.tags.values_list("name", flat=True)) == [
        "nsdc",
        "presidents_office",
        "umerov",
    ]
    assert "evening" not in report.body and report.version == 2
    assert HistoryEntry.objects.filter(action=HistoryAction.CHANGED).count() == 1
    assert Snapshot.objects.filter(report=report).count() == 2  # each page version archived


def test_other_desk_urls_are_for_editors_only(client, django_capture_on_commit_callbacks):
    job = ImportJob.objects.create(url="https://example.com/a")
    client.force_login(create_user())
    assert client.get(job.get_absolute_url()).status_code == HTTPStatus.FORBIDDEN
    response = client.post(reverse("importer:job_confirm", args=[job.pk]), {"title": "x"})
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_imports_are_rate_limited_per_editor(editor_client, settings):
    settings.IMPORTER_RATE_LIMIT = 2
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    url = reverse("importer:import_start")
    statuses = [
        editor_client.post(url, {"url": f"https://news.example.com/{n}"}).status_code
        for n in range(3)
    ]
    assert statuses == [HTTPStatus.FOUND, HTTPStatus.FOUND, HTTPStatus.TOO_MANY_REQUESTS]
    assert ImportJob.objects.count() == 2


def test_a_job_is_confirmed_only_once(
    editor_client, immediate_tasks, django_capture_on_commit_callbacks
):
    job = start_import(
        editor_client, django_capture_on_commit_callbacks, html=SEED.read_text(), page_url=SEED_URL
    )
    url = reverse("importer:job_confirm", args=[job.pk])
    editor_client.post(url, confirm_data(job))
    response = editor_client.post(url, confirm_data(job), follow=True)
    assert "not ready to confirm" in response.content.decode()
    assert Claim.objects.count() == Response.objects.count() == 1


def test_a_stalled_import_can_be_retried(
    editor_client, immediate_tasks, django_capture_on_commit_callbacks
):
    """A worker killed mid-import leaves the job running forever; the desk offers a retry."""
    from datetime import timedelta

    from django.utils import timezone

    job = ImportJob.objects.create(source=SEED.read_bytes(), status="extracting", progress=60)
    assert "Try again" not in editor_client.get(job.get_absolute_url()).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(minutes=5))
    html = editor_client.get(job.get_absolute_url()).content.decode()
    assert "the background worker stopped" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("importer:job_retry", args=[job.pk]))
    assert response.status_code == HTTPStatus.FOUND
    job.refresh_from_db()
    assert job.status == "ready"
    assert Report.objects.count() == 0


def test_a_running_import_is_not_retried_twice(editor_client, django_capture_on_commit_callbacks):
    job = ImportJob.objects.create(source=b"<html></html>", status="fetching")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        editor_client.post(reverse("importer:job_retry", args=[job.pk]))
    assert callbacks == []
    job.refresh_from_db()
    assert job.status == "fetching"


def test_a_page_already_fact_checked_says_so_in_the_draft(
    editor_client, immediate_tasks, django_capture_on_commit_callbacks
):
    job = start_import(
        editor_client,
        django_capture_on_commit_callbacks,
        html=(FIXTURES / "stopfake_claimreview.html").read_text(),
        page_url="https://www.stopfake.org/en/fake-umerov-refused-to-return-to-ukraine/",
    )
    html = editor_client.get(job.get_absolute_url()).content.decode()
    assert "Already checked by other fact-checkers" in html
    assert "checked by StopFake, rated “False”" in html
    assert "Rustem Umerov refused to return to Ukraine" in html
