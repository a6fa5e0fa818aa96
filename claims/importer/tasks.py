"""Background work for the importer, run by `manage.py db_worker` (django-tasks-db)."""

from datetime import timedelta
from functools import partial

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from claims.models import ImportJob


@task
def run_import_job(job_id: int) -> str:
    """Fetch, extract and suggest for one import job; the desk polls the job for progress."""
    from .pipeline import run_import

    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    return run_import(job).status


@task
def poll_feeds(every_minutes: int = 0) -> dict:
    """Poll every active outlet feed; with `every_minutes`, schedule the next poll too."""
    from .watch import poll_all

    summary = poll_all()
    if every_minutes > 0:
        poll_feeds.using(run_after=timezone.now() + timedelta(minutes=every_minutes)).enqueue(
            every_minutes
        )
    return summary


def enqueue_import(job: ImportJob) -> None:
    """Queue the job once the transaction that created it has committed."""
    transaction.on_commit(partial(run_import_job.enqueue, job.pk))
