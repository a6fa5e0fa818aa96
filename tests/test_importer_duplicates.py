"""The importer and duplicates: it links to a very similar claim by default, and importing
the same article again updates its report but never doubles its carriage or its response."""

from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.urls import reverse

from claims.duplicates import VERY_SIMILAR, normalise_quote
from claims.models import (
    Carriage,
    Claim,
    HistoryEntry,
    PendingChange,
    Report,
    Response,
    Snapshot,
)
from tests.factories import create_claim, create_editor
from tests.test_importer_views import SEED, SEED_URL, confirm_data, start_import


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    cache.clear()


@pytest.fixture
def editor_client(client):
    client.force_login(create_editor())
    return client


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Report, Claim, Carriage, Response, Snapshot, HistoryEntry, PendingChange)
    }


def import_seed(client, capture, html=None):
    job = start_import(client, capture, html=html or SEED.read_text(), page_url=SEED_URL)
    # What the confirm page offers, as the editor would submit it untouched.
    page = client.get(job.get_absolute_url())
    form = page.context["form"]
    data = confirm_data(job)
    for name in ("existing_claim", "update_fields", "outlet_name"):
        value = form.initial.get(name)
        if value:
            data[name] = value
    response = client.post(reverse("importer:job_confirm", args=[job.pk]), data)
    assert response.status_code == HTTPStatus.FOUND, response.content[:800]
    return job


def test_the_confirm_step_links_to_a_very_similar_claim_by_default(
    editor_client, django_capture_on_commit_callbacks
):
    existing = create_claim(text="Umerov refuses to return to Ukraine")
    job = start_import(
        editor_client, django_capture_on_commit_callbacks, html=SEED.read_text(), page_url=SEED_URL
    )
    page = editor_client.get(job.get_absolute_url())
    assert page.context["form"].initial["existing_claim"] == existing.pk
    html = page.content.decode()
    assert f'value="{existing.pk}" checked' in html or (
        f'value="{existing.pk}"' in html and "checked" in html
    )
    import_seed(editor_client, django_capture_on_commit_callbacks)
    assert Claim.objects.count() == 1
    assert Carriage.objects.get().claim == existing


def test_a_claim_only_loosely_alike_is_not_the_default(
    editor_client, django_capture_on_commit_callbacks
):
    create_claim(text="Umerov was seen in Istanbul talking about prisoner exchanges")
    job = start_import(
        editor_client, django_capture_on_commit_callbacks, html=SEED.read_text(), page_url=SEED_URL
    )
    page = editor_client.get(job.get_absolute_url())
    similar = page.context["similar"]
    assert all(claim.similarity < VERY_SIMILAR for claim in similar)
    assert not page.context["form"].initial.get("existing_claim")


def test_reimporting_the_same_article_changes_nothing_the_second_time(
    editor_client, django_capture_on_commit_callbacks
):
    import_seed(editor_client, django_capture_on_commit_callbacks)
    first = counts()
    assert first["Response"] == first["Carriage"] == first["Claim"] == 1
    import_seed(editor_client, django_capture_on_commit_callbacks)
    assert counts() == first
    report = Report.objects.get()
    assert report.version == 1


def test_reimporting_a_changed_page_updates_the_report_only(
    editor_client, django_capture_on_commit_callbacks
):
    import_seed(editor_client, django_capture_on_commit_callbacks)
    before = counts()
    changed = SEED.read_text().replace("said on Monday.", "said on Monday evening.")
    job = import_seed(editor_client, django_capture_on_commit_callbacks, html=changed)
    report = Report.objects.get()
    assert "Monday evening" in report.body and report.version == 2
    after = counts()
    for name in ("Report", "Claim", "Carriage", "Response"):
        assert after[name] == before[name], name
    assert after["Snapshot"] == before["Snapshot"] + 1  # the new page version is archived
    entry = HistoryEntry.objects.filter(object_id=str(report.pk), action="changed").get()
    assert "body" in entry.changes
    assert job.result["diff"].keys() == {"body"}


def test_a_second_import_of_the_same_response_is_recognised(
    editor_client, django_capture_on_commit_callbacks
):
    import_seed(editor_client, django_capture_on_commit_callbacks)
    job = start_import(
        editor_client, django_capture_on_commit_callbacks, html=SEED.read_text(), page_url=SEED_URL
    )
    claim = Claim.objects.get()
    # Typed a little differently: a typographic apostrophe, other spacing and case.
    data = confirm_data(job, existing_claim=claim.pk, quote="  it’s   FAKE. ")
    response = editor_client.post(reverse("importer:job_confirm", args=[job.pk]), data, follow=True)
    assert Response.objects.count() == 1
    assert "was on file already" in response.content.decode()


def test_quotes_are_compared_normalised():
    assert normalise_quote("«Це фейк»") == normalise_quote("це  фейк!")
    assert normalise_quote("It’s fake") == "it's fake"
    assert normalise_quote("It's fake") != normalise_quote("It's not fake")
