"""
Poll outlets' feeds for new items and denial leads.

    manage.py watch_feeds                 poll every active feed now
    manage.py watch_feeds --feed 3        poll one feed
    manage.py watch_feeds --every 15      queue a task that polls every 15 minutes (db_worker)
    manage.py watch_feeds --add SLUG URL  give an outlet a feed
"""

from django.core.management.base import BaseCommand, CommandError
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from claims.importer.fetch import FetchRefused, check_url
from claims.importer.tasks import poll_feeds
from claims.importer.watch import poll_all
from claims.models import Outlet, OutletFeed


class Command(BaseCommand):
    help = "Poll outlets' RSS/Atom/JSON feeds and put likely denials in the desk inbox."

    def add_arguments(self, parser):
        parser.add_argument("--feed", type=int, action="append", help="poll only this feed id")
        parser.add_argument("--every", type=int, default=0, metavar="MINUTES")
        parser.add_argument("--add", nargs=2, metavar=("OUTLET_SLUG", "URL"))

    def handle(self, *args, feed=None, every=0, add=None, **options):
        if add:
            slug, url = add
            outlet = Outlet.objects.filter(slug=slug).first()
            if outlet is None:
                raise CommandError(f"No outlet with slug {slug!r}.")
            try:
                check_url(url)
            except FetchRefused as error:
                raise CommandError(str(error)) from None
            created = OutletFeed.objects.get_or_create(outlet=outlet, url=url)[1]
            self.stdout.write(f"{'Added' if created else 'Already had'} {url} for {outlet}.")
            return
        if every:
            if every < 1:
                raise CommandError("--every needs a number of minutes of at least 1.")
            pending = DBTaskResult.objects.filter(
                task_path=poll_feeds.module_path, status=TaskResultStatus.READY
            )
            if pending.exists():
                self.stdout.write("A feed poll is already queued; not queueing another.")
                return
            poll_feeds.enqueue(every)
            self.stdout.write(
                f"Queued a feed poll every {every} minutes (run manage.py db_worker)."
            )
            return
        feeds = OutletFeed.objects.filter(active=True)
        if feed:
            feeds = OutletFeed.objects.filter(pk__in=feed)
            if not feeds.exists():
                raise CommandError("No such feed.")
        summary = poll_all(feeds)
        self.stdout.write(
            f"Polled {summary['feeds']} feeds: {summary['new_items']} new items, "
            f"{summary['leads']} new leads."
        )
        for url, error in summary["errors"].items():
            self.stderr.write(f"{url}: {error}")
