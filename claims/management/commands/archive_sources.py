"""
Queue the archiving of reports that have a URL and no archived copy (those saved before every
source was archived on saving, or whose tries ran out). The task worker (db_worker) fetches
them.

    manage.py archive_sources              every unarchived report
    manage.py archive_sources --limit 500  the newest 500 of them
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from claims.archiving import request_archive
from claims.models import Report


class Command(BaseCommand):
    help = "Queue the archiving of every report with a URL and no archived copy."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=0, help="at most this many, newest first")

    def handle(self, *args, limit: int = 0, **options):
        reports = Report.objects.unarchived().order_by("-pk").only("pk", "url", "canonical_url")
        if limit > 0:
            reports = reports[:limit]
        count = 0
        for report in reports.iterator(chunk_size=500):
            with transaction.atomic():
                request_archive(report)
            count += 1
        self.stdout.write(f"Queued {count} report{'s' if count != 1 else ''} for archiving.")
