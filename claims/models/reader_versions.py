"""
What readers see, as versions every process can read: one row per *scope* (the site, the
lists, one claim, one actor, outlet or tag), its version moved on whenever an approved change
alters what that scope's pages show.

A cached reader page's key carries the versions of the scopes it depends on (claims/caching.py),
so a change through any process (a web worker, the task worker, the admin, a management
command) is seen by every other process on its next request: no process has to be told. The
rows live in the database, written in the transaction that made the change, so a page can
never be cached under a version whose data is not yet committed.

With a cache every process shares (Redis), the versions are also held there, so a page served
from the cache needs no database at all (a claim's page read its versions in one query per
request, most of a hit's time under load: bench/hits.py). A version is put there once its
transaction has committed, as a value never used before, so a page stored under it was
rendered after that commit; a version read from the database is added only where none is held
(a newer one, put meanwhile, stays). Held versions expire after `HELD_FOR` seconds and are read
again: what a lost write (a process killed between its commit and the cache) can leave stale.
"""

import hashlib
import logging
import secrets
from datetime import UTC, datetime
from functools import partial

from django.core.cache import caches
from django.core.cache.backends.memcached import BaseMemcachedCache
from django.core.cache.backends.redis import RedisCache
from django.db import connections, models, router, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

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
    if (shared := shared_cache()) is not None:
        held = {held_key(row.scope): (row.version, row.changed_at) for row in rows}
        transaction.on_commit(partial(_hold, shared, held))


# Seconds a version is held in the shared cache before it is read from the database again.
HELD_FOR = 60
NO_ROW = "none"  # held for a scope that has no row (version 0)


def shared_cache():
    """The pages' cache if every process shares it, else None (locmem is per process)."""
    pages = caches["default"]
    return pages if isinstance(pages, RedisCache | BaseMemcachedCache) else None


def held_key(scope: str) -> str:
    # Hashed: a scope can be a search word, which a memcached key could not hold.
    return "reader-version:" + hashlib.sha256(scope.encode()).hexdigest()[:32]


def _hold(shared, held: dict) -> None:
    try:
        shared.set_many(held, HELD_FOR)
    except Exception:  # the cache is down: the versions it holds expire within HELD_FOR
        logger.exception("reader versions: could not hold %d new versions", len(held))


def versions(scopes: list[str]) -> dict[str, tuple[int, datetime]]:
    """{scope: (version, changed_at)} for the scopes that have a row: from the shared cache
    where it holds them (see the module docstring), the others in one query."""
    shared = shared_cache()
    if shared is None:
        return read(scopes)
    keys = {held_key(scope): scope for scope in scopes}
    held = shared.get_many(list(keys))
    found = {keys[key]: value for key, value in held.items() if value != NO_ROW}
    missing = [scope for key, scope in keys.items() if key not in held]
    if missing:
        rows = read(missing)
        # Added, not set: a version a change held meanwhile is newer than the one read here.
        held = {held_key(scope): rows.get(scope, NO_ROW) for scope in missing}
        if hasattr(shared, "add_many"):
            shared.add_many(held, HELD_FOR)
        else:
            for key, value in held.items():
                shared.add(key, value, HELD_FOR)
        found |= rows
    return found


def read(scopes: list[str]) -> dict[str, tuple[int, datetime]]:
    """The versions in the database: one query, written out because it runs so often (the
    ORM's compiling took 0.25 ms of 0.4)."""
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
