"""Every source archived: the write path queues a snapshot, the task worker fetches it with the
importer's SSRF-safe fetcher, and failures are recorded and retried with backoff."""

import hashlib
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from claims.archiving import archive_report, request_archive
from claims.models import ArchiveStatus, Report, SourceArchive, writing
from claims.models.archiving import max_attempts, retry_delay
from tests.factories import (
    create_carriage,
    create_claim,
    create_editor,
    create_outlet,
    create_report,
    create_reviewer,
    create_snapshot,
    create_user,
    create_verdict,
)
from tests.importer_helpers import Page, run_worker, serve

PAGE = b"<html><head><title>Umerov</title></head><body><p>It's fake.</p></body></html>"
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def server(settings):
    yield from serve(settings, loopback=True)


def log_report(url: str) -> Report:
    """A report saved through the write path, as the desk and the importer save them."""
    return writing.create(
        Report,
        by=create_editor(),
        values={"outlet": create_outlet(name="Interfax-Ukraine"), "url": url, "title": "Fake"},
    )


@pytest.mark.django_db(transaction=True)
def test_saving_a_report_archives_its_page_in_the_worker(server):
    server.pages["/article"] = Page(PAGE)
    report = log_report(server.url("/article"))
    archive = SourceArchive.objects.get(report=report)
    assert archive.status == ArchiveStatus.PENDING and archive.attempts == 0
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert not report.snapshots.exists(), "nothing is fetched in the request"

    run_worker()

    archive.refresh_from_db()
    assert archive.status == ArchiveStatus.ARCHIVED, archive.reason
    assert archive.attempts == 1 and archive.next_attempt_at is None
    snapshot = report.snapshots.get()
    assert archive.snapshot == snapshot
    assert snapshot.sha256 == hashlib.sha256(PAGE).hexdigest()
    assert bytes(snapshot.content) == PAGE
    assert [hit["path"] for hit in server.hits] == ["/article"]


@pytest.mark.django_db(transaction=True)
def test_a_failed_fetch_is_recorded_and_retried_after_the_backoff(server):
    server.pages["/gone"] = Page(b"gone", status=503, content_type="text/plain")
    report = log_report(server.url("/gone"))
    before = timezone.now()

    run_worker()

    archive = SourceArchive.objects.get(report=report)
    assert archive.status == ArchiveStatus.FAILED
    assert "503" in archive.reason
    assert archive.attempts == 1
    assert before + retry_delay(1) <= archive.next_attempt_at <= timezone.now() + retry_delay(1)
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == archive.next_attempt_at
    assert not report.snapshots.exists()


@pytest.mark.django_db(transaction=True)
def test_a_private_address_is_refused_and_not_retried(settings, server):
    settings.IMPORTER_ALLOW_LOOPBACK = False  # the SSRF rules as in production
    server.pages["/inside"] = Page(PAGE)
    report = log_report(server.url("/inside"))

    run_worker()

    archive = SourceArchive.objects.get(report=report)
    assert archive.status == ArchiveStatus.FAILED
    assert "not a public address" in archive.reason
    assert archive.next_attempt_at is None, "the rules will not change: no retry"
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert server.hits == [], "the private address was never contacted"


@pytest.mark.django_db(transaction=True)
def test_the_failure_reason_is_kept_untranslated_and_shown_in_the_editors_language(
    settings, server, client
):
    settings.IMPORTER_ALLOW_LOOPBACK = False
    # The worker runs in Ukrainian; an English-speaking editor still reads English.
    with translation.override("uk"):
        report = log_report(server.url("/inside"))
        run_worker()
    archive = SourceArchive.objects.get(report=report)
    assert archive.reason.endswith("is not a public address; it is not fetched.")
    client.force_login(create_editor())
    try:
        for language, words in (("uk", "не публічна адреса"), ("en", "is not a public address")):
            with translation.override(language):
                page = client.get(reverse("desk:report_edit", args=[report.pk]))
            assert words in page.content.decode()
    finally:
        translation.deactivate()


def test_the_backoff_doubles_and_the_tries_are_bounded(settings):
    settings.ARCHIVE_FIRST_RETRY = timedelta(minutes=5)
    settings.ARCHIVE_MAX_ATTEMPTS = 5
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [
        timedelta(minutes=5),
        timedelta(minutes=10),
        timedelta(minutes=20),
        timedelta(minutes=40),
    ]
    archive = SourceArchive.objects.create(report=create_report(url="https://example.com/a"))
    delays = []
    for _ in range(max_attempts()):
        start = timezone.now()
        archive.fail("The site answered 503.", retry=True)
        delays.append(archive.next_attempt_at and archive.next_attempt_at - start)
    assert archive.attempts == 5
    assert [round(d.total_seconds() / 60) if d else None for d in delays] == [5, 10, 20, 40, None]


def test_a_report_without_a_url_is_not_queued():
    report = log_report("")
    assert not SourceArchive.objects.filter(report=report).exists()


def test_an_edited_url_is_archived_again(django_capture_on_commit_callbacks):
    report = log_report("https://example.com/old")
    with django_capture_on_commit_callbacks() as callbacks:
        writing.save_edit(
            report,
            by=create_editor(),
            version=report.version,
            values={"url": "https://example.com/new"},
        )
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks() as callbacks:
        writing.save_edit(
            Report.objects.get(pk=report.pk),
            by=create_editor(),
            version=report.version + 1,
            values={"title": "Only the title"},
        )
    assert callbacks == [], "the same URL is not fetched again"


def test_a_page_the_importer_kept_is_not_fetched_again(settings):
    settings.TASKS = IMMEDIATE
    report = create_report(url="https://example.com/imported")
    snapshot = create_snapshot(report=report)
    request_archive(report)
    archive_report.call(report.pk)
    archive = SourceArchive.objects.get(report=report)
    assert archive.status == ArchiveStatus.ARCHIVED and archive.snapshot == snapshot


# The desk's "archive now" button


def test_archive_now_fetches_the_page_again(
    client, settings, server, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    server.pages["/article"] = Page(PAGE)
    report = create_report(url=server.url("/article"))
    SourceArchive.objects.create(report=report, status="failed", reason="timeout", attempts=5)
    client.force_login(create_editor())
    page = client.get(reverse("desk:report_edit", args=[report.pk]))
    assert b"Archive now" in page.content and b"timeout" in page.content

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("desk:report_archive", args=[report.pk]))

    assert answer.status_code == HTTPStatus.FOUND
    assert answer["Location"] == reverse("desk:report_edit", args=[report.pk])
    archive = SourceArchive.objects.get(report=report)
    assert archive.status == ArchiveStatus.ARCHIVED and archive.attempts == 1
    page = client.get(reverse("desk:report_edit", args=[report.pk]))
    assert archive.snapshot.sha256.encode() in page.content


def test_archive_now_needs_a_url(client):
    report = create_report(url="")
    client.force_login(create_editor())
    answer = client.post(reverse("desk:report_archive", args=[report.pk]), follow=True)
    assert b"no URL to archive" in answer.content
    assert not SourceArchive.objects.exists()


@pytest.mark.parametrize(
    ("visitor", "status"), [("anonymous", HTTPStatus.FOUND), ("no_role", HTTPStatus.FORBIDDEN)]
)
def test_archive_now_is_for_the_desk(client, visitor, status):
    report = create_report(url="https://example.com/a")
    if visitor == "no_role":
        client.force_login(create_user(username="reader"))
    answer = client.post(reverse("desk:report_archive", args=[report.pk]))
    assert answer.status_code == status
    if visitor == "anonymous":
        assert answer["Location"].startswith(reverse("login"))
    assert not SourceArchive.objects.exists()


def test_archive_now_refuses_get(client):
    client.force_login(create_editor())
    report = create_report(url="https://example.com/a")
    answer = client.get(reverse("desk:report_archive", args=[report.pk]))
    assert answer.status_code == HTTPStatus.METHOD_NOT_ALLOWED


# Flagged on the desk


def test_a_published_verdict_on_unarchived_sources_is_flagged(client):
    claim = create_claim(text="Umerov refused to return to Ukraine")
    archived = create_carriage(claim=claim, report=create_report(url="https://example.com/a"))
    create_snapshot(report=archived.report)
    bare = create_carriage(
        claim=claim, report=create_report(title="Clash Report post", url="https://x.com/1")
    )
    verdict = create_verdict(claim=claim, state="published")
    client.force_login(create_reviewer())

    page = client.get(reverse("desk:verdict_edit", args=[verdict.pk])).content.decode()
    assert "stands on sources that are not archived" in page
    assert "Clash Report post" in page
    assert reverse("desk:report_edit", args=[bare.report_id]) in page
    assert archived.report.title not in page.split("not archived")[1]
    queue = client.get(reverse("desk:review_queue")).content.decode()
    assert "Published verdicts on unarchived sources" in queue
    assert reverse("desk:verdict_edit", args=[verdict.pk]) in queue

    create_snapshot(report=bare.report)
    page = client.get(reverse("desk:verdict_edit", args=[verdict.pk])).content.decode()
    assert "not archived" not in page
    queue = client.get(reverse("desk:review_queue")).content.decode()
    assert "Published verdicts on unarchived sources" not in queue


def test_the_claim_page_shows_each_sources_snapshot(client):
    claim = create_claim(text="Umerov refused to return to Ukraine")
    carriage = create_carriage(claim=claim, report=create_report(url="https://example.com/a"))
    snapshot = create_snapshot(report=carriage.report)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert snapshot.sha256 in page
    assert f'<time datetime="{timezone.localtime(snapshot.fetched_at).isoformat()}">' in page


@pytest.mark.django_db(transaction=True)
def test_an_imported_article_is_archived_from_the_page_the_importer_read(server):
    from claims.importer.pipeline import Confirmation, confirm
    from claims.models import ImportJob

    job = ImportJob.objects.create(
        url=server.url("/never-fetched"),
        source=PAGE,
        fetched_url=server.url("/never-fetched"),
        content_type="text/html",
        fetched_at=timezone.now(),
    )
    created = confirm(
        Confirmation(outlet_name="Interfax-Ukraine", title="Fake", url=job.url),
        by=create_editor(),
        job=job,
    )
    run_worker()
    archive = SourceArchive.objects.get(report=created.report)
    assert archive.status == ArchiveStatus.ARCHIVED
    assert archive.snapshot == created.snapshot
    assert server.hits == [], "the importer's copy is the archived copy"


@pytest.mark.django_db(transaction=True)
def test_archive_sources_queues_every_unarchived_report():
    from io import StringIO

    from django.core.management import call_command

    bare = create_report(url="https://example.com/bare")
    kept = create_report(url="https://example.com/kept")
    create_snapshot(report=kept)
    create_report(url="")
    out = StringIO()
    call_command("archive_sources", stdout=out)
    assert list(SourceArchive.objects.values_list("report", flat=True)) == [bare.pk]
    assert DBTaskResult.objects.count() == 1
    assert "Queued 1 report" in out.getvalue()
