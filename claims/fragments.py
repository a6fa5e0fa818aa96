"""
Pieces of reader pages rendered once and shared by every page that shows them: a claim's row
in the lists (the claim list and the actor, outlet, tag and narrative pages, whatever their
filters, sort or page number) and what a claim's page shows of its chain.

A piece is cached under the versions of the scopes it shows (claims/caching.py): its claim's
scope (a row: the claim's row scope) and the site's, and the interface language. The write
path moves a claim's scope on with every approved change to what its page shows, its row
scope only when what its row shows changed, and the site's when a name that claims show is
edited, so a piece is dropped exactly when what it shows changed, and a change to one claim
leaves every other claim's pieces in place. A list dropped because one of its rows changed
renders that row again and takes the others from the cache; a list nobody asked for before
(another filter, another page) finds most of its rows already rendered.

Pieces of one page (home's blocks, the verdicts feed's items) are kept under the version of
the scope they show, and what a page gathers (a list's matches, an outlet's track record, an
actor's statements) under the versions of every scope the page depends on (`for_page`): the
same page under another query string, page number or as an htmx fragment reuses them, and a
change that would drop the page drops them too.

They live in a cache of their own (the `fragments` alias in settings.CACHES): a list storing
its 25 rows must not evict whole pages from a per-process cache.

Only anonymous readers' pages use them (`cache_for_readers` read the site's version for
them); editors' pages render everything. `READER_FRAGMENTS = False` turns them off
(bench/pages.py compares both paths).
"""

import hashlib
from collections.abc import Callable, Iterable
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.db.models import IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Concat
from django.http import HttpRequest
from django.template.loader import get_template
from django.utils.translation import get_language

from claims.models import Claim
from claims.models.reader_versions import SITE, ReaderVersion

# Keys carry their versions: a changed claim's pieces are never asked for again and age out.
TIMEOUT = 3600
CLAIM_ROW = "claims/_claim_results.html#claim-row"
# A cache of their own (settings.CACHES), so that pieces never evict whole pages.
CACHE = "fragments"


def store():
    return caches[CACHE]


def enabled(request: HttpRequest) -> bool:
    return getattr(settings, "READER_FRAGMENTS", True) and hasattr(request, "reader_versions")


def claim_version(slug: str = "slug", kind: str = "claim") -> Coalesce:
    """A claim's scope version (0 until its first change) as a column of its row, or of a
    row that names its claim's `slug` (e.g. "claim__slug")."""
    versions = ReaderVersion.objects.filter(scope=Concat(Value(f"{kind}:"), OuterRef(slug)))
    return Coalesce(Subquery(versions.values("version")[:1]), Value(0), output_field=IntegerField())


def row_version() -> Coalesce:
    """The version of a claim's row in the lists (caching.row_scope): it moves on only when
    what the row shows changed, not with every change to the claim's page."""
    return claim_version(kind="claim-row")


def key(request: HttpRequest, piece: str, name, version: int, vary: str = "") -> str:
    site = request.reader_versions.get(SITE, 0)
    return f"reader-fragments:{piece}:{name}:{version}:{site}:{get_language()}:{vary}"


def cached(request: HttpRequest, piece: str, name: str, scope: str, *, vary: str = ""):
    """A piece of the page kept under `scope`'s version (one the page itself depends on, so
    the page cache read it), or None."""
    if not enabled(request):
        return None
    return store().get(key(request, piece, name, request.reader_versions[scope], vary))


def keep(request: HttpRequest, piece: str, name: str, scope: str, value, *, vary: str = ""):
    if enabled(request):
        store().set(key(request, piece, name, request.reader_versions[scope], vary), value, TIMEOUT)


def rendered[T](
    request: HttpRequest, piece: str, name: str, scope: str, render: Callable[[], T], *, vary=""
) -> T:
    """A piece of the page kept under `scope`'s version, rendered by `render()` if not kept."""
    found = cached(request, piece, name, scope, vary=vary)
    if found is None:
        found = render()
        keep(request, piece, name, scope, found, vary=vary)
    return found


def for_page[T](request: HttpRequest, piece: str, name: str, make: Callable[[], T]) -> T:
    """What a page gathers (its matches, an outlet's track record), kept under the versions
    of every scope the page depends on, as the page itself is: the same page under another
    query string (another page number, an htmx request, a tracking parameter) reuses it."""
    if not enabled(request):
        return make()
    versions = sorted(request.reader_versions.items())
    digest = hashlib.sha256(f"{name}|{versions}".encode()).hexdigest()[:32]
    page_key = key(request, piece, digest, 0)
    found = store().get(page_key)
    if found is None:
        found = make()
        store().set(page_key, found, TIMEOUT)
    return found


class ListedRow(NamedTuple):
    """A claim a list shows: as much as finding its cached row needs (and a search naming it,
    caching.shows_rows)."""

    pk: int
    slug: str
    reader_version: int  # its row scope's

    @classmethod
    def of(cls, ids: Iterable[int]) -> list["ListedRow"]:
        """The public claims among `ids` (one query, in no particular order)."""
        rows = Claim.objects.public().filter(pk__in=ids).annotate(reader_version=row_version())
        return [cls(*row) for row in rows.values_list("pk", "slug", "reader_version")]


def claim_rows(request: HttpRequest, listed: Iterable[ListedRow]) -> list[str]:
    """Each listed claim's rendered row for the lists. The claims themselves (their list
    columns, claimant and published verdicts) are fetched only for the rows not already
    cached: a list whose rows are all cached makes no query for them."""
    listed = list(listed)
    if not enabled(request):
        return render_rows([row.pk for row in listed])
    keys = {row.pk: key(request, "row", row.pk, row.reader_version) for row in listed}
    found = store().get_many(list(keys.values()))
    missing = [pk for pk, k in keys.items() if k not in found]
    if missing:
        # Kept under the version the page read (a row changed since is already newer).
        rendered = {keys[pk]: html for pk, html in zip(missing, render_rows(missing), strict=True)}
        store().set_many(rendered, TIMEOUT)
        found |= rendered
    return [found[keys[row.pk]] for row in listed]


def render_rows(ids: list[int]) -> list[str]:
    """The rows of these claims, in this order (a claim no longer public as an empty row)."""
    claims = Claim.objects.with_list_columns().in_bulk(ids)
    template = get_template(CLAIM_ROW)
    return [template.render({"claim": claims[pk]}) if pk in claims else "" for pk in ids]
