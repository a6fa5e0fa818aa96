"""Background work for the API, run by `manage.py db_worker`: the nightly bulk data."""

from datetime import timedelta

from django.tasks import task
from django.utils import timezone


@task
def build_bulk_data(every_hours: int = 0) -> dict:
    """Regenerate the bulk downloads; with `every_hours`, schedule the next run too."""
    from .bulk import build

    package = build()
    if every_hours > 0:
        build_bulk_data.using(run_after=timezone.now() + timedelta(hours=every_hours)).enqueue(
            every_hours
        )
    return {r["name"]: r["description"] for r in package["resources"]}
