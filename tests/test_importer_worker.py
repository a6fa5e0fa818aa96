"""The real worker: jobs queued on commit are run by `manage.py db_worker` (django-tasks-db)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from claims.importer.tasks import enqueue_import, poll_feeds
from claims.models import ImportJob
from tests.importer_helpers import FIXTURES, run_worker


@pytest.mark.django_db(transaction=True)
def test_db_worker_runs_a_queued_import():
    with transaction.atomic():
        job = ImportJob.objects.create(source=(FIXTURES / "interfax_umerov.html").read_bytes())
        enqueue_import(job)
        assert DBTaskResult.objects.count() == 0, "queued only when the transaction commits"
    assert DBTaskResult.objects.count() == 1
    run_worker()
    job.refresh_from_db()
    assert job.status == "ready", job.error
    assert job.result["suggestion"]["stance"] == "denies"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_the_feed_poll_task_schedules_its_next_run():
    poll_feeds.enqueue(15)
    run_worker()
    results = DBTaskResult.objects.order_by("enqueued_at")
    assert [r.status for r in results] == ["SUCCESSFUL", "READY"]
    assert results[1].run_after is not None and results[1].run_after > results[0].enqueued_at


@pytest.mark.django_db(transaction=True)
def test_watch_feeds_every_queues_one_periodic_poll():
    out = StringIO()
    call_command("watch_feeds", "--every", "10", stdout=out)
    call_command("watch_feeds", "--every", "10", stdout=out)
    assert "already queued" in out.getvalue()
    assert DBTaskResult.objects.filter(status="READY").count() == 1
