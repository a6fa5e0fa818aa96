"""
What readers see, as versions every process can read: one row per *scope* (the site, the
lists, one claim, one actor, outlet or tag), its version moved on whenever an approved change
alters what that scope's pages show.

A cached reader page's key carries the versions of the scopes it depends on (claims/caching.py),
so a change through any process (a web worker, the task worker, the admin, a management
command) is seen by every other process on its next request: no process has to be told. The
rows live in the database, written in the transaction that made the change, so a page can
never be cached under a version whose data is not yet committed.
"""

import secrets
from datetime import UTC, datetime

from django.db import connections, models, router
from django.utils import timezone

SITE = "site"  # everything: a change to a name many pages show
LISTS = "lists"  # moved by every change to a claim: exports, methodology's counts, the API
FIRST_PAGES = "lists:first-pages"  # the unfiltered list's pages, in every sort
DENIAL_FEED = "feed:denied"  # the site's denial feeds; home
VERDICT_FEED = "feed:verdicts"  # the site's verdict feeds; home


class ReaderVersion(models.Model):
    scope = models.CharField(max_length=120, primary_key=True)
    # A random number, not a counter: a new value needs no read of the old one.
    version = models.BigIntegerField()
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.scope} @ {self.changed_at:%Y-%m-%d %H:%M:%S}"


def new_version() -> int:
    return secrets.randbits(62) + 1


def bump(scopes) -> None:
    """Move these scopes on (in the current transaction)."""
    now = timezone.now()
    rows = [ReaderVersion(scope=scope, version=new_version(), changed_at=now) for scope in scopes]
    # Sorted: two transactions bumping overlapping scopes lock the rows in the same order.
    rows.sort(key=lambda row: row.scope)
    ReaderVersion.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["scope"],
        update_fields=["version", "changed_at"],
    )


def versions(scopes: list[str]) -> dict[str, tuple[int, datetime]]:
    """{scope: (version, changed_at)} for the scopes that have a row: one query, written out
    because every anonymous request makes it (the ORM's compiling took 0.25 ms of 0.4)."""
    connection = connections[router.db_for_read(ReaderVersion)]
    table = connection.ops.quote_name(ReaderVersion._meta.db_table)
    marks = ", ".join(["%s"] * len(scopes))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT scope, version, changed_at FROM {table} WHERE scope IN ({marks})",  # noqa: S608
            list(scopes),
        )
        rows = cursor.fetchall()
    found = {}
    for scope, version, changed_at in rows:
        if not isinstance(changed_at, datetime):  # text from some drivers
            changed_at = connection.ops.convert_datetimefield_value(changed_at, None, connection)
        if timezone.is_naive(changed_at):  # SQLite keeps UTC without the zone
            changed_at = changed_at.replace(tzinfo=UTC)
        found[scope] = (version, changed_at)
    return found
