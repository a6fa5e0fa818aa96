"""
Regenerate the bulk downloads (/api/v1/bulk/): the ClaimReview DataFeed, a CSV per entity
and the Frictionless datapackage.json.

    manage.py build_bulk_data               build now, into BULK_DATA_DIR
    manage.py build_bulk_data --every 24    queue a task that rebuilds every 24 hours (db_worker)
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from claims.api.bulk import build, bulk_dir
from claims.api.tasks import build_bulk_data


class Command(BaseCommand):
    help = "Write every approved row as bulk data files (DataFeed, CSV, datapackage.json)."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, metavar="HOURS")
        parser.add_argument("--into", type=Path, help="a folder other than BULK_DATA_DIR")

    def handle(self, *args, every=0, into=None, **options):
        if every:
            if every < 1:
                raise CommandError("--every needs a number of hours of at least 1.")
            pending = DBTaskResult.objects.filter(
                task_path=build_bulk_data.module_path, status=TaskResultStatus.READY
            )
            if pending.exists():
                self.stdout.write("A bulk data build is already queued; not queueing another.")
                return
            build_bulk_data.enqueue(every)
            self.stdout.write(f"Queued a bulk data build every {every} hours (db_worker).")
            return
        package = build(into)
        for item in package["resources"]:
            self.stdout.write(f"{item['path']}: {item['description']}")
        self.stdout.write(f"Written to {into or bulk_dir()}.")
