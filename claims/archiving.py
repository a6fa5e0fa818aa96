"""
Every source archived: saving a report with a URL (from the desk or the importer, through the
write path) queues `archive_report` in the task worker, which fetches the page with the
importer's SSRF-safe fetcher (claims/importer/fetch.py, rules unchanged) and keeps it as a
Snapshot. A failed try is recorded with its reason and retried with exponential backoff, a
bounded number of times (models/archiving.py); an address the fetcher refuses on principle
(a private address, a port, a scheme) is not retried: the rules will not change.
"""

from functools import partial

from django.db import transaction
from django.tasks import task

from claims.importer.fetch import HTML_TYPES, FetchError, FetchRefused, fetch
from claims.models import ArchiveStatus, Report, Snapshot, SourceArchive

# What we keep as an archived copy: web pages, PDFs and plain text.
ARCHIVE_TYPES = HTML_TYPES | {"application/pdf", "text/plain"}


def request_archive(report: Report, *, by=None, fresh: bool = False) -> SourceArchive | None:
    """Queue the archiving of the report's page once the transaction commits. `fresh`
    fetches again even when a snapshot exists (a new URL, or an editor's "archive now")."""
    if not report.link:
        return None
    archive, _ = SourceArchive.objects.get_or_create(report=report)
    archive.start_over(by=by)
    transaction.on_commit(partial(archive_report.enqueue, report.pk, fresh))
    return archive


@task
def archive_report(report_id: int, fresh: bool = False, retry: bool = False) -> str:
    """Fetch and keep the report's page; record the outcome and schedule a retry if due.
    A retry finds nothing to do once the page is archived or an editor has asked again."""
    archive = SourceArchive.objects.select_related("report").filter(report_id=report_id).first()
    if archive is None or not archive.report.link:
        return "missing"
    if retry and archive.status != ArchiveStatus.FAILED:
        return archive.status  # archived meanwhile, or an editor asked again
    if archive.status == ArchiveStatus.ARCHIVED and not fresh:
        return archive.status
    report = archive.report
    existing = None if fresh else report.latest_snapshot()
    if existing is not None:
        # The importer keeps the page it read; no need to fetch it again.
        archive.succeed(existing)
        return archive.status
    try:
        page = fetch(report.link, accept=ARCHIVE_TYPES)
    except FetchRefused as error:
        archive.fail(error.notice, retry=False)
    except FetchError as error:
        archive.fail(error.notice, retry=True)
        schedule_retry(archive)
    else:
        snapshot = Snapshot.of(
            report,
            url=page.url,
            content=page.content,
            fetched_at=page.fetched_at,
            status_code=page.status_code,
            content_type=page.content_type,
        )
        archive.succeed(snapshot)
    return archive.status


def schedule_retry(archive: SourceArchive) -> None:
    """Queue the next try for when the backoff ends (a backend that cannot defer tasks, such
    as the immediate one, leaves it to the next "archive now")."""
    if archive.next_attempt_at is None or not archive_report.get_backend().supports_defer:
        return
    archive_report.using(run_after=archive.next_attempt_at).enqueue(archive.report_id, True, True)
