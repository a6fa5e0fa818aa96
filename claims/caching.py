"""
Reader pages and feeds, cached for anonymous readers and dropped only where a change shows.

**Scopes and versions.** Every reader page depends on the whole site plus a few narrower
*scopes*: one object (a claim's page; an actor's, outlet's, tag's or narrative's page; its
denial feeds, under a scope of their own: `feed_scope`), a site-wide feed (home shows both),
the claim list's filters (`on_claim_list`: a search word's keys, an actor, outlet, tag,
rating, official position or language; the unfiltered list's first pages), or every claim
(exports, methodology's counts, the narratives' index). Each scope has a version in the
database (models/reader_versions.py), so every process sees it: web workers, the task
worker, the admin, management commands.

**Reading.** A page's versions are read in one query per request (for a page that gathers
many claims, once per `READER_LIST_MAX_AGE` seconds: see `cache_for_readers`); editors (who
always have a session cookie) are never served from or written to the cache. A page that is
current is served by `ReaderPagesMiddleware`, before the rest of the middleware and the view
run; the others go down to the view's `cache_for_readers`, which renders and marks them for
the middleware to store. The same
versions answer conditional GETs (`ETag`, `Last-Modified`, 304) and tell a CDN or reverse
proxy how long it may keep the page (`Cache-Control` with `s-maxage` and
`stale-while-revalidate`; `Surrogate-Key` lists the scopes, for purging by key).

**Writing.** The write path (models/writing.py) calls `changed()` with what a change touched,
in the transaction that made it:

- an approval, or a verdict's publication, correction or withdrawal, moves on the claim's
  scope, the scopes of every actor, outlet and tag linked to the claim (its claimant,
  subjects and responders, the outlets of its reports, its tags) and their feeds', of its
  official position, rating, language and search tokens, the unfiltered list's first pages
  and a site-wide feed only if the claim is on them, and LISTS; as they were before the
  change and are after, so the lists a claim leaves are dropped as well as those it joins;
  nothing else. When the claim's row and the lists holding it are as they were (`Scopes`,
  `listed_as`), the lists that show only rows (filtered lists, the claimant's, subjects',
  outlets' and tags' pages, the first pages) are left, and so are the searches but those for
  a word its search terms gained or lost (`searches_moved`; a ranked search also depends on
  the fields holding its words). When the row changed, the list of an official position
  alone is dropped only if the claim was or is among the rows it can show (`rows_scope`,
  `first_rows_moved`: six index walks, only for such a change), and the searches for its
  words only if they can find it or order it otherwise (`found_otherwise`): a search names
  the claims whose rows it shows (`shows_rows`), and depends on their scopes too;
- a new name (actor, outlet, tag) moves on only its own scope; an edited name that claims
  already show moves on the whole site (names appear on many pages; renames are rare).

A page's cache entry holds its latest rendering and the versions it was made at; a page
whose versions moved on is rendered again by the next reader, and while that rendering runs,
other readers of the page get the previous one (single flight, stale while revalidating).
When `READER_PURGE_URL` is set, the changed scopes are also sent there once the transaction
commits, so a proxy in front can drop its copies at once (docs/deploy.md).

**Fragments.** The versions a request read are left on it (`request.reader_versions`), so
pieces shared by many pages (a claim's row in the lists, a claim page's chain, a denial feed's
item) are cached under their claim's version and the site's (claims/fragments.py): a page
rendered anew takes the pieces whose claims did not change from the cache.

**CSP nonces.** A cached page is its body and headers without the Content-Security-Policy,
which the CSP middleware adds to every response, cached or not. A page whose body used the
request's CSP nonce is stored with that nonce noted, and each reader served from the cache gets
the body with a fresh nonce of their own in its place (a nonce that repeats is no nonce). The
swap costs 5-20 µs, a hit stays 1.0-1.1x a plain one; not caching such pages would cost the
whole rendering, 77-141x a hit (bench/csp_nonce.py).
"""

import hashlib
import logging
import time
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial, wraps
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.csp import CSP, generate_nonce
from django.utils.http import http_date, parse_http_date_safe

from claims import search_terms
from claims.models import reader_versions
from claims.models.reader_versions import DENIAL_FEED, FIRST_PAGES, LISTS, SITE, VERDICT_FEED
from claims.search_terms import FIELD_BREAK, KEY

logger = logging.getLogger(__name__)

# Keys carry their versions, so a long life is safe: a changed page is simply never asked for.
DEFAULT_TIMEOUT = 3600


def scope(kind: str, slug: str) -> str:
    """An object's scope, e.g. "claim:umerov-refused-to-return" or "actor:rustem-umerov"."""
    return f"{kind}:{slug}"


# Writing


def changed(
    *, claim_ids: Iterable = (), names: Iterable = (), before: "Before | None" = None
) -> None:
    """Readers may see something new: move on the scopes it shows in (see the module
    docstring). `names` are actors, outlets or tags edited or created themselves. Call it
    inside the transaction that made the change; with `before` (taken by `before_change` in
    the same transaction, before the change), the lists are moved on only if what they show
    of the claims changed."""
    by_kind = {"actor": set(), "outlet": set(), "tag": set(), "narrative": set()}
    for name in names:
        by_kind[name._meta.model_name].add(name.pk)
    claim_ids = set(claim_ids)
    listed = listed_as(claim_ids) if before is not None else {}
    if before is None:
        changing = Scopes.of(claim_ids=claim_ids, names=by_kind).every()
    elif before.claim_ids >= claim_ids and before.listed == listed:
        # Every list shows these claims as it did: only their pages, their responders' pages
        # (statements) and the feeds, and the searches whose matches or ranking a change of
        # their words can alter.
        scopes = Scopes.of(claim_ids=claim_ids, names=by_kind, lists=False)
        changing = scopes.always | before.scopes.always
        changing |= searches_moved(before.scopes.terms, scopes.terms)
    else:
        # Their rows changed: every search that finds them, before or after, shows it; a list
        # with one filter only where they were or are among the rows it can show.
        scopes = Scopes.of(claim_ids=claim_ids, names=by_kind)
        changing = scopes.always | scopes.listed | before.scopes.always | before.scopes.listed
        if found_otherwise(before.listed, listed):
            changing |= scopes.searches | before.scopes.searches
        changing |= searches_moved(before.scopes.terms, scopes.terms)
        changing |= first_rows_moved(before, scopes.rows, listed)
    if changing:
        reader_versions.bump(changing)
        if settings.READER_PURGE_URL:
            transaction.on_commit(partial(purge, sorted(changing)))


@dataclass(frozen=True)
class Before:
    """What readers were shown of some claims before a change (see `changed`)."""

    claim_ids: frozenset
    scopes: "Scopes"
    listed: dict


def before_change(claim_ids: Iterable) -> Before:
    claim_ids = frozenset(claim_ids)
    return Before(
        claim_ids=claim_ids,
        scopes=Scopes.of(claim_ids=set(claim_ids), names={}),
        listed=listed_as(claim_ids),
    )


def listed_as(claim_ids: Iterable) -> dict:
    """What a claim's row in the lists shows (claims/_claim_results.html#claim-row) and which
    lists hold it (public or not; its tags, subjects and carrying outlets with their roles;
    its position, rating and language are in the row), by claim id."""
    from claims.models import Carriage, Claim

    claim_ids = set(claim_ids)
    public = set(Claim.objects.public().filter(pk__in=claim_ids).values_list("pk", flat=True))
    columns = ("slug", "text", "language", "official_position", "published_rating")
    listed = {
        pk: [pk in public, *row, set(), set(), set()]
        for pk, *row in Claim.objects.filter(pk__in=claim_ids).values_list(
            "pk", *columns, "claimant_id", "first_seen_at"
        )
    }
    linked = [
        Claim.tags.through.objects.filter(claim__in=claim_ids).values_list("claim_id", "tag_id"),
        Claim.subjects.through.objects.filter(claim__in=claim_ids).values_list(
            "claim_id", "actor_id"
        ),
        # An outlet's track record counts the claims it spread (its carriages' roles).
        Carriage.objects.approved()
        .filter(claim__in=claim_ids)
        .values_list("claim_id", "report__outlet_id", "role"),
    ]
    for place, rows in enumerate(linked, start=-3):
        for claim_id, *linked_id in rows:
            listed[claim_id][place].add(tuple(linked_id))
    return listed


def found_otherwise(before: dict, after: dict) -> bool:
    """Whether a search can find the claims (`listed_as`, before and after) otherwise, or list
    them in another order: whether they are public, their text (an order) or when they were
    first seen (the date filters, an order) changed. The rest of a row (its position, rating,
    claimant...) reaches only the searches that show it, through the claim's row scope
    (`shows_rows`), and a search filtered by position, rating or language through the filter's
    list scope (`on_claim_list`)."""
    if before.keys() != after.keys():
        return True
    public, text, first_seen = 0, 2, 7  # places in a `listed_as` row
    places = (public, text, first_seen)
    return any(before[pk][place] != after[pk][place] for pk in after for place in places)


def content_changed() -> None:
    """Something every page may show changed: drop every cached reader page."""
    reader_versions.bump([SITE])
    if settings.READER_PURGE_URL:
        transaction.on_commit(partial(purge, [SITE]))


@dataclass(frozen=True)
class Scopes:
    """The scopes a change to some claims or names moves on, in four parts: `always` (the
    claims' pages, their responders' pages, every feed that can list them, the exports),
    `listed` (the lists that show the claims' rows: filtered lists, the actor, outlet and tag
    pages, the unfiltered list's first pages), `searches` (a scope per search word) and `rows`
    (the lists with one filter only, moved on when the claims are among their first rows)."""

    always: set
    listed: set
    searches: set
    terms: dict  # each claim's search terms, which the searches come from
    # The lists with one filter only that hold the claims (`rows_scope`), as (filter, value).
    rows: dict

    def every(self) -> set:
        every = self.always | self.listed | self.searches | set(self.rows)
        return every | searches_moved({}, self.terms)

    @classmethod
    def of(cls, *, claim_ids: set, names: dict[str, set], lists: bool = True) -> "Scopes":
        """`lists=False` leaves out the unfiltered list's first pages (three 1,000-row
        scans), for a change that leaves the lists as they were."""
        from claims.models import (
            Actor,
            Carriage,
            Claim,
            Narrative,
            NarrativeClaim,
            Outlet,
            Response,
            Tag,
        )

        models = {"actor": Actor, "outlet": Outlet, "tag": Tag, "narrative": Narrative}
        always, listed, searches = set(), set(), set()
        for kind, ids in names.items():
            if not ids:
                continue
            rows = models[kind].objects.filter(pk__in=ids)
            for slug in rows.values_list("slug", flat=True):
                always |= {scope(kind, slug), feed_scope(kind, slug)}
                if kind in ROWS_NAMES:  # a new name's list no longer ignores its filter
                    always.add(rows_scope(kind, slug))
            if kind == "narrative":
                always.add(LISTS)  # the narratives' index and the filter's choices
            if _shown_by_claims(kind, ids):
                always.add(SITE)
        if not claim_ids:
            return cls(always, listed, searches, {}, {})
        first_rows = {}
        always.add(LISTS)
        claims = Claim.objects.filter(pk__in=claim_ids)
        # A withdrawn duplicate's notice shows the claim it duplicated.
        duplicates = Claim.objects.filter(duplicate_of__in=claim_ids)
        columns = ("slug", "claimant__slug", "official_position", "published_rating", "language")
        for slug, claimant, position, rating, language in claims.values_list(*columns):
            always.add(scope("claim", slug))
            listed.add(row_scope(slug))
            if claimant:
                listed.add(scope("actor", claimant))
                always.add(feed_scope("actor", claimant))
                listed.add(rows_scope("actor", claimant))
            # The filtered lists the claim is in (called before and after a change: was or is).
            listed.add(scope("lists:position", position))
            if rating:
                listed.add(scope("lists:rating", rating))
            listed.add(scope("lists:language", language))
            # Lists of one filter: a position's is looked into (a quarter of the claims each:
            # a claim is seldom among its first rows); the others are moved on with every row
            # they hold (a rating's, actor's or outlet's few claims nearly always are among
            # them; a language's or tag's list costs a look for little: bench/reach.py).
            first_rows[rows_scope("position", position)] = ("position", position)
            if rating:
                listed.add(rows_scope("rating", rating))
            listed.add(rows_scope("language", language))
        terms = dict(claims.values_list("pk", "search_terms"))
        for text in terms.values():
            searches |= {search_scope(token) for token in _tokens(text)}
        always |= {scope("claim", slug) for slug in duplicates.values_list("slug", flat=True)}
        # (kind, rows, slug field, whether the name's page shows the link itself): a
        # responder's page lists its statements; the others' pages list only claims' rows.
        subjects = Claim.subjects.through.objects.filter(claim__in=claim_ids)
        tags = Claim.tags.through.objects.filter(claim__in=claim_ids)
        responses = Response.objects.filter(claim__in=claim_ids)
        carriages = Carriage.objects.filter(claim__in=claim_ids)
        narratives = NarrativeClaim.objects.filter(claim__in=claim_ids)
        linked = [
            ("actor", subjects, "actor__slug", False),
            ("tag", tags, "tag__slug", False),
            ("actor", responses, "responder__slug", True),
            ("outlet", responses, "report__outlet__slug", False),
            ("outlet", carriages, "report__outlet__slug", False),
            ("narrative", narratives, "narrative__slug", True),
        ]
        for kind, rows, field, shows_link in linked:
            slugs = rows.exclude(**{f"{field}__isnull": True}).values_list(field, flat=True)
            for slug in slugs.distinct():
                (always if shows_link else listed).add(scope(kind, slug))
                always.add(feed_scope(kind, slug))
                if kind not in ROWS_NAMES:
                    continue
                if shows_link:  # a responder's list holds the claims it answered
                    always.add(rows_scope(kind, slug))
                else:
                    listed.add(rows_scope(kind, slug))
        if lists and _on_first_pages(claim_ids):
            listed.add(FIRST_PAGES)
        if _in_denial_feed(claim_ids):
            always.add(DENIAL_FEED)
        if _in_verdict_feed(claim_ids):
            always.add(VERDICT_FEED)
        return cls(always, listed, searches, terms, first_rows)


def affected_scopes(*, claim_ids: set, names: dict[str, set]) -> set[str]:
    return Scopes.of(claim_ids=claim_ids, names=names).every()


def row_scope(slug: str) -> str:
    """A claim's row in the lists (claims/_claim_results.html#claim-row): moved on only when
    what the row shows changed (`listed_as`), where the claim's own scope moves on with every
    change to its page. The row's piece is kept under it (claims/fragments.py), and a search
    showing the row depends on it (`shows_rows`)."""
    return scope("claim-row", slug)


def feed_scope(kind: str, slug: str) -> str:
    """An actor's, outlet's, tag's or narrative's denial feed: moved on with every change to a
    claim it can list, also one that leaves the name's page as it was."""
    return scope(f"{kind}-feed", slug)


def search_scope(token: str) -> str:
    """A search token's scope: searches for a word depend on the scopes of its keys."""
    return scope("search", token[:100])  # a longer token only shares its scope


def phrase_scope(word: str) -> str:
    """A ranked search's scope (two words or more: the claims holding them as written, word
    for word, come first), by one of its words as written."""
    return scope("phrase", word[:100])


def searches_moved(before: dict, after: dict) -> set[str]:
    """The search scopes a change of claims' search terms (by claim id, before and after)
    moves on: a search finds a claim by the tokens it holds, so only the searches for a token
    added or removed can find it or lose it; a ranked search lifts the claims that hold its
    words as written in one field (a text, a quote, a title), so only a phrase in a field
    added or removed can rise or fall, and each of its words is in that field."""
    moved = set()
    for pk in before.keys() | after.keys():
        old, new = before.get(pk, ""), after.get(pk, "")
        if old == new:
            continue
        moved |= {search_scope(token) for token in _tokens(old) ^ _tokens(new)}
        for field in _fields(old) ^ _fields(new):
            moved |= {phrase_scope(word) for word in field}
    return moved


def _tokens(document: str) -> set[str]:
    return set(document.split()) - {FIELD_BREAK}


def _fields(document: str) -> set[tuple[str, ...]]:
    """A search document's fields, their words as written (the keys left out)."""
    fields, field = set(), []
    for token in document.split():
        if token == FIELD_BREAK:
            fields.add(tuple(field))
            field = []
        elif not token.startswith(KEY):
            field.append(token)
    fields.add(tuple(field))
    return fields


def rows_scope(name: str, value: str) -> str:
    """The claim list with one filter only (an official position, rating, language, actor,
    outlet or tag; any sort, any page): it shows its first COUNT_CAP claims in its sort, and
    their number up to COUNT_CAP + 1, so only a change to a claim among its first COUNT_CAP + 1
    in some sort, before or after, can change it (`first_rows_moved`; looked into for an
    official position only, moved on with every row for the others)."""
    return scope(f"rows:{name}", value)


ROWS_NAMES = ("actor", "outlet", "tag")


def first_rows_moved(before: Before, rows: dict, listed: dict) -> set[str]:
    """The lists with one filter only that a change to a claim's row reaches: those that held
    it or hold it among their first COUNT_CAP + 1 claims in some sort (its place before the
    change is found among the other claims as they are: only its own row changed). A change
    to several claims reaches every list that holds one of them."""
    lists = before.scopes.rows | rows
    if len(before.claim_ids) != 1 or set(listed) != set(before.claim_ids):
        return set(lists)
    (pk,) = before.claim_ids
    # (first seen, text) as the claim was and is, when public: the keys of every sort.
    places = {(row[7], row[2]) for row in (before.listed.get(pk), listed.get(pk)) if row and row[0]}
    return {
        name
        for name, (kind, value) in lists.items()
        if any(_among_first_rows(kind, value, pk, *place) for place in places)
    }


def _among_first_rows(kind: str, value: str, pk: int, first_seen, text: str) -> bool:
    from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

    from claims.models import Claim
    from claims.views import COUNT_CAP

    claims = Claim.objects.public().exclude(pk=pk).filter(**{FILTER_COLUMNS[kind]: value})
    # The claims before it A to Z, newest first, oldest first (filters.SORTS). Only their
    # number matters, up to COUNT_CAP + 1: each is one row comparison the database reads as
    # one range of an index (the list's own, newest first, for both date orders) and stops.
    ahead = [claims.filter(TupleLessThan(Tuple("text", "pk"), (text, pk))).order_by("text", "pk")]
    if first_seen is None:  # last in both date orders
        seen = Q(first_seen_at__isnull=False)
        ahead += [
            claims.filter(seen | Q(first_seen_at__isnull=True, pk__gt=pk)).newest(),
            claims.filter(seen | Q(first_seen_at__isnull=True, pk__lt=pk)).oldest(),
        ]
    else:  # a row comparison with a claim never seen is not true: they are last
        place = (first_seen, pk)
        ahead += [
            claims.filter(TupleGreaterThan(Tuple("first_seen_at", "pk"), place)).newest(),
            claims.filter(TupleLessThan(Tuple("first_seen_at", "pk"), place)).newest(),
        ]
    return any(
        len(before.values_list("pk", flat=True)[: COUNT_CAP + 1]) <= COUNT_CAP for before in ahead
    )


FILTER_COLUMNS = {"position": "official_position"}  # the lists looked into


def _on_first_pages(claim_ids: set) -> bool:
    """Whether a claim is among the rows the unfiltered list can show (its first COUNT_CAP, in
    any sort): a change to an older claim leaves those pages as they were."""
    from claims.models import Claim
    from claims.views import COUNT_CAP

    public = Claim.objects.public()
    for ordered in (public.newest(), public.oldest(), public.order_by("text", "pk")):
        if claim_ids & set(ordered.values_list("pk", flat=True)[:COUNT_CAP]):
            return True
    return False


def _in_denial_feed(claim_ids: set) -> bool:
    from claims.feeds import ITEMS
    from claims.models import Response

    denials = Response.objects.public().denials()
    if not denials.filter(claim__in=claim_ids).exists():
        return False
    newest = denials.newest().values_list("claim_id", flat=True)
    return bool(claim_ids & set(newest[:ITEMS]))


def _in_verdict_feed(claim_ids: set) -> bool:
    """Whether a claim has an item in the verdicts feed (newest verdicts, corrections and
    withdrawals; home shows the first of them). Each window is read only for a claim that
    has such an item at all: the withdrawals' are slow to read (0.2-0.6 s at 1M claims)."""
    from claims.feeds import ITEMS
    from claims.models import Claim, Correction, Verdict

    kinds = [
        (Verdict.objects.newest_published(), "claim_id"),
        (Correction.objects.public().order_by("-published_at", "-pk"), "verdict__claim_id"),
        (Verdict.objects.withdrawn_from_public().order_by("-withdrawn_at", "-pk"), "claim_id"),
        (Claim.objects.withdrawn_from_public().order_by("-withdrawn_at", "-pk"), "pk"),
    ]
    for items, claim_field in kinds:
        if not items.filter(**{f"{claim_field}__in": claim_ids}).exists():
            continue
        if claim_ids & set(items.values_list(claim_field, flat=True)[:ITEMS]):
            return True
    return False


def _shown_by_claims(kind: str, ids: set) -> bool:
    from claims.models import Actor, Carriage, Claim, NarrativeClaim, Response

    if kind == "narrative":
        return NarrativeClaim.objects.filter(narrative__in=ids).exists()
    if kind == "actor":
        return (
            Claim.objects.filter(claimant__in=ids).exists()
            or Claim.subjects.through.objects.filter(actor__in=ids).exists()
            or Response.objects.filter(responder__in=ids).exists()
            or Actor.objects.filter(parent__in=ids).exists()  # a member's page names its body
        )
    if kind == "outlet":
        return (
            Carriage.objects.filter(report__outlet__in=ids).exists()
            or Response.objects.filter(report__outlet__in=ids).exists()
        )
    return Claim.tags.through.objects.filter(tag__in=ids).exists()


def surrogate_keys(scopes: Iterable[str]) -> str:
    """Scopes as a `Surrogate-Key` header: space-separated, ASCII. A search word's scope
    ("search:обмін") is percent-encoded, as it would be in a URL; left as it is, Django would
    MIME-encode the whole header (=?utf-8?q?…?=, which no proxy splits into keys, in time
    quadratic in its length) and urllib refuse to send it."""
    return " ".join(quote(scope, safe=":-_.~") for scope in scopes)


def purge(scopes: list[str]) -> None:
    """Ask the proxy in front to drop the pages of these scopes (one PURGE request)."""
    request = urllib.request.Request(  # noqa: S310 (settings allow only http and https)
        settings.READER_PURGE_URL, method="PURGE", headers={"Surrogate-Key": surrogate_keys(scopes)}
    )
    try:
        with urllib.request.urlopen(request, timeout=2):  # noqa: S310 (a configured URL)
            pass
    except OSError as error:
        # The proxy's copies then live out their s-maxage; the app's own cache is right anyway.
        logger.warning("reader cache: purge at %s failed: %s", settings.READER_PURGE_URL, error)


# Reading


def is_anonymous_read(request: HttpRequest) -> bool:
    return request.method in {"GET", "HEAD"} and settings.SESSION_COOKIE_NAME not in request.COOKIES


def on_lists(**kwargs) -> list[str]:
    """Pages that show something of every claim (exports, methodology's counts)."""
    return [LISTS]


def on_feed(name: str) -> Callable[..., list[str]]:
    """A site-wide feed (DENIAL_FEED or VERDICT_FEED): moved on only when its items change."""

    def scopes(**kwargs) -> list[str]:
        return [name]

    return scopes


def on_home(**kwargs) -> list[str]:
    return [DENIAL_FEED, VERDICT_FEED]  # the newest denials and verdicts


def on_object(kind: str) -> Callable[..., list[str]]:
    """The scope of the object a URL names by its slug (a claim, actor, outlet or tag)."""

    def scopes(slug: str = "", **kwargs) -> list[str]:
        return [scope(kind, slug)]

    return scopes


def on_object_feed(kind: str) -> Callable[..., list[str]]:
    """The denial feed of the actor, outlet, tag or narrative a URL names by its slug (the
    scope `feed_scope` names)."""
    return on_object(f"{kind}-feed")


def on_claim_list(request: HttpRequest, **kwargs) -> list[str]:
    """The claim list's scopes, from its filters as the list applies them (an invalid value is
    ignored by the list, so here too), without a query but for a list of one name.

    A filtered list shows only claims that pass every filter, and a change to a claim's row
    moves on the scopes of every filter value it had before and has after (`changed`), so one
    filter's scope is enough: the first valid of rating, official position and language. A
    search depends on every word's scopes (moved on by a change that can make it find a claim
    or lose it, or list it in another place: `found_otherwise`, `searches_moved`), ranked on a
    phrase scope, on the list scope of its first filter as above, and on the row scopes of the
    claims it shows (`shows_rows`): a change to the rest of a claim's row reaches only the
    searches that show it. An actor,
    outlet, tag or narrative adds its own scope; as the list ignores an unknown one, the page
    depends on the other filters' scope as well. A list with no other filter than the dates
    depends on every claim (LISTS); the unfiltered list on its first pages only; a list with
    one filter only (a position, rating, language, actor, outlet or tag) on its first rows
    (`rows_scope`).
    """
    from claims.filters import ClaimFilterForm
    from claims.search import clean_query

    fields = ClaimFilterForm.base_fields
    params = {name: (request.GET.get(name) or "").replace("\x00", "") for name in fields}
    named = [scope(kind, params[kind].strip()) for kind in NAMED_FILTERS if params[kind].strip()]
    valid = {
        name: value
        for name in ("rating", "position", "language")
        if (value := _cleaned(fields[name], params[name]))
    }
    query = search_terms.query(clean_query(params["q"]))
    if query:
        searches = [search_scope(token) for options in query.needed for token in options]
        if len(query.alternatives) > 1:  # ranked (search.ranked): one word of the phrase will do
            searches.append(phrase_scope(max(query.phrase.split(), key=len)))
        # Which claims it finds also hangs on the filters beside it; the rows it shows are
        # named while it renders (`shows_rows`).
        filtered = [scope(f"lists:{name}", value) for name, value in list(valid.items())[:1]]
        request.reader_rows = {}
        return [*named, *filtered, *dict.fromkeys(searches)]
    dated = params["date_from"] or params["date_to"]
    kinds = [kind for kind in NAMED_FILTERS if params[kind].strip()]
    if not dated and not valid and len(kinds) == 1 and kinds[0] in ROWS_NAMES:
        # One name only (one query: whether it names anything); an unknown one is ignored,
        # so its page is the unfiltered list until the name comes (which moves its scope on).
        kind = kinds[0]
        try:
            fields[kind].clean(params[kind])
        except ValidationError:
            return [rows_scope(kind, params[kind].strip()), FIRST_PAGES]
        return [rows_scope(kind, params[kind].strip())]
    if not dated and not named and len(valid) == 1:
        return [rows_scope(*valid.popitem())]
    if valid:  # the first of rating, position, language
        name, value = next(iter(valid.items()))
        return [*named, scope(f"lists:{name}", value)]
    if dated:
        return [*named, LISTS]
    return [*named, FIRST_PAGES]


NAMED_FILTERS = ("actor", "outlet", "tag", "narrative")


def _cleaned(field, value: str):
    """The filter's value as the list applies it: an invalid one is ignored ("")."""
    try:
        return field.clean(value)
    except ValidationError:
        return ""


def page_name(request: HttpRequest, language: str | None = None) -> str:
    # The same URL is a different page as an htmx fragment or in another language.
    fragment = request.headers.get("HX-Request", "") + request.headers.get("HX-Target", "")
    language = translation.get_language() if language is None else language
    return f"{request.get_full_path()}|{fragment}|{language}"


def page_key(request: HttpRequest, page: str | None = None) -> str:
    page = page_name(request) if page is None else page
    return f"reader-pages:{hashlib.sha256(page.encode()).hexdigest()}"


def page_version(page: str, scopes: list[str], found: dict) -> str:
    """The version of a page made at these versions of its scopes (`reader_versions.versions`)."""
    versions = ",".join(f"{s}={version_in(found, s)}" for s in scopes)
    return hashlib.sha256(f"{page}|{versions}".encode()).hexdigest()[:32]


def version_in(found: dict, scope: str) -> int:
    """A scope's version in what `reader_versions.versions` found (0: the scope has no row)."""
    return found[scope][0] if scope in found else 0


class Validators:
    """A page's versions as its cache entry's version, the ETag and the Last-Modified."""

    def __init__(self, request: HttpRequest, scopes: list[str]) -> None:
        self.rendered_at = time.time()  # no older than the versions the page is made at
        self.read = reader_versions.versions(scopes)
        self.found = {s: version_in(self.read, s) for s in scopes}
        self.page = page_name(request)
        # One entry per page, holding its latest rendering and the versions it was made at.
        self.key = page_key(request, self.page)
        self.scopes = scopes
        self._settle()

    def _settle(self) -> None:
        self.version = page_version(self.page, self.scopes, self.read)
        self.etag = f'"{self.version}"'
        times = [changed_at for _, changed_at in self.read.values()]
        self.last_modified = int(max(times).timestamp()) if times else None

    def with_rows(self, rows: dict[str, int]) -> bool:
        """Add the scopes of the claims whose rows the page shows, at the versions it showed
        them (`shows_rows`); False if one has moved on since (the page is already out of date)."""
        read = reader_versions.versions(list(rows))
        if any(version_in(read, s) != version for s, version in rows.items()):
            return False
        self.scopes = list(dict.fromkeys([*self.scopes, *rows]))
        self.read = self.read | read
        self._settle()
        return True

    def is_version_of(self, entry: HttpResponse) -> bool:
        """Whether a cache entry was made at the versions the page's scopes have now (and,
        for a page that shows rows, its rows' scopes)."""
        rows = getattr(entry, "reader_rows", ())
        if not rows:
            return getattr(entry, "reader_version", None) == self.version
        read = self.read | reader_versions.versions(list(rows))
        return entry.reader_version == page_version(self.page, [*self.scopes, *rows], read)

    def apply(self, response: HttpResponse) -> HttpResponse:
        response.headers["ETag"] = self.etag
        if self.last_modified is not None:
            response.headers["Last-Modified"] = http_date(self.last_modified)
        response.headers["Surrogate-Key"] = surrogate_keys(self.scopes)
        # Browsers check back every time (a 304 is cheap); a shared cache keeps the page for
        # s-maxage and may serve it stale while it fetches a fresh copy.
        patch_cache_control(
            response,
            public=True,
            max_age=0,
            s_maxage=settings.READER_SHARED_MAX_AGE,
            stale_while_revalidate=settings.READER_STALE_WHILE_REVALIDATE,
        )
        return response


def cache_for_readers(
    depends_on: Callable[..., list[str]] = on_lists,
    timeout: int = DEFAULT_TIMEOUT,
    *,
    exact: bool = False,
    max_age: str = "READER_LIST_MAX_AGE",
) -> Callable:
    """Cache a view's successful responses for anonymous readers, keyed by the versions of
    the scopes `depends_on(request=…, **url_kwargs)` names (see the module docstring).

    A page whose scopes moved on is rendered anew by the first request that finds it out of
    date; requests for it that arrive while that one renders get the previous rendering
    (X-Cache: stale) instead of rendering it too, so a hot page costs one rendering per
    change, not one per concurrent reader.

    A page that gathers many claims (lists, searches, feeds, home, an actor's, outlet's or
    tag's page) is served as rendered for `READER_LIST_MAX_AGE` seconds after its rendering
    began, without reading its versions: in a busy newsroom such a page changes with nearly
    every approval, and rendering it again each time would cost readers more than the
    change is worth to them (`max_age` names the setting that says how long: a page of counts
    over every claim may wait longer). An `exact` page (a claim's own page) is never served
    once its versions moved on: the next reader after an approval sees it, in every process."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not is_anonymous_read(request):
                response = view(request, *args, **kwargs)
                patch_cache_control(response, private=True, no_store=True)
                return response
            setting = None if exact else max_age
            seconds = max_age_of(setting)
            cached = _entry(request, page_key(request))
            if seconds > 0 and is_recent(cached, seconds):
                # Conditional GETs are answered by ConditionalGetMiddleware (its ETag).
                cached.headers["X-Cache"] = "hit"
                return with_fresh_nonce(cached, get_nonce(request))
            validators = Validators(request, [SITE, *depends_on(request=request, **kwargs)])
            # Fragments shared between pages are keyed by the same versions (claims/fragments.py).
            request.reader_versions = validators.found
            if getattr(request, "reader_rows", None) is None:
                # (A page that shows rows has validators of its own: ConditionalGetMiddleware
                # answers it once it is known.)
                not_modified = get_conditional_response(
                    request, etag=validators.etag, last_modified=validators.last_modified
                )
                if not_modified is not None:
                    return validators.apply(not_modified)
            if cached is not None and validators.is_version_of(cached):
                if seconds > 0:
                    keep_current(validators.key, cached, validators.rendered_at)
                cached.headers["X-Cache"] = "hit"
                return with_fresh_nonce(cached, get_nonce(request))
            rendering = f"{validators.key}:rendering"
            if cached is not None and not cache.add(rendering, 1, RENDER_LOCK_TIMEOUT):
                cached.headers["X-Cache"] = "stale"
                return with_fresh_nonce(cached, get_nonce(request))
            try:
                response = render_and_store(
                    view, request, args, kwargs, validators, timeout, max_age=setting
                )
            finally:
                if cached is not None:
                    cache.delete(rendering)
            response.headers["X-Cache"] = "miss"  # for the benchmark's hit ratio, and proxies' logs
            return response

        wrapped.reader_depends_on = depends_on  # what a page depends on, for bench/reach.py
        return wrapped

    return decorator


# Seconds another request may hold a page's rendering before others render it too (a worker
# that died while rendering).
RENDER_LOCK_TIMEOUT = 10


def shows_rows(request: HttpRequest, claims: Iterable) -> None:
    """A search names the claims whose rows it shows (annotated with their `row_scope`'s
    version as `reader_version`, fragments.row_version()): their row scopes join its own, so a
    change to a row reaches the searches showing it, not every search that finds the claim
    further on (`found_otherwise`)."""
    if getattr(request, "reader_rows", None) is not None:
        request.reader_rows = {row_scope(claim.slug): claim.reader_version for claim in claims}


def _entry(request: HttpRequest, key: str) -> HttpResponse | None:
    """A page's cache entry: the one ReaderPagesMiddleware read for this request (no second
    read), else read now."""
    read = getattr(request, "reader_page", None)
    if read is not None and read[0] == key:
        return read[1]
    return cache.get(key)


def keep_current(key: str, entry: HttpResponse, rendered_at: float) -> None:
    """A page whose versions have not moved: served without reading them for max age again."""
    entry.reader_rendered_at = rendered_at
    cache.set(key, entry, getattr(entry, "reader_timeout", DEFAULT_TIMEOUT))


def max_age_of(setting: str | None) -> int:
    """Seconds a page is served as rendered (`cache_for_readers`): an exact page's (None) 0."""
    return getattr(settings, setting) if isinstance(setting, str) else 0


def is_recent(entry: HttpResponse | None, max_age: int) -> bool:
    made = getattr(entry, "reader_rendered_at", 0)
    return entry is not None and time.time() - made < max_age


def render_and_store(view, request, args, kwargs, validators, timeout, *, max_age) -> HttpResponse:
    response = view(request, *args, **kwargs)
    if hasattr(response, "render") and callable(response.render):
        response.render()
    if response.status_code != 200:
        return response
    rows = getattr(request, "reader_rows", None)
    if rows and not validators.with_rows(rows):
        # A row it shows changed while it rendered: sent as it is, kept nowhere.
        patch_cache_control(response, private=True, no_store=True)
        return response
    validators.apply(response)
    if not response.streaming:
        # One chunk: a feed is written in hundreds of small pieces, and a WSGI server
        # sends each as its own packet (at 1M claims under load, feeds ran at 8% of the
        # floor, stalled on TCP acknowledgements, instead of 100%+).
        response.content = response.content
        if not response.cookies:
            nonce = get_nonce(request)
            response.csp_nonce = str(nonce) if nonce else None  # if the page used it
            response.reader_version = validators.version
            response.reader_rendered_at = validators.rendered_at
            # What ReaderPagesMiddleware needs to tell, on its own, whether the entry is current.
            response.reader_scopes = validators.scopes
            response.reader_rows = list(rows or ())
            response.reader_max_age = max_age  # a setting's name, read when served: None, 0
            response.reader_timeout = timeout
            if getattr(request, "reader_page", ("",))[0] == validators.key:
                # Stored by the middleware once the middleware below it added its headers.
                response.reader_store = True
            else:
                cache.set(validators.key, response, timeout)
    return response


def with_fresh_nonce(response: HttpResponse, fresh) -> HttpResponse:
    """A cached page with a fresh CSP nonce in place of the one it was rendered with (the
    request's own, which the CSP middleware puts in the header, or one of the caller's)."""
    stale = getattr(response, "csp_nonce", None)
    if not stale or fresh is None:
        return response
    fresh = str(fresh)  # a request's nonce is generated now, so the middleware uses it too
    # A nonce is 22 random URL-safe characters: nothing else in a page matches it.
    response.content = response.content.replace(stale.encode(), fresh.encode())
    for header in (CSP.HEADER_ENFORCE, CSP.HEADER_REPORT_ONLY):
        if header in response:  # set by the view itself, or stored with the page
            response.headers[header] = response.headers[header].replace(stale, fresh)
    response.csp_nonce = fresh
    return response


class ReaderPagesMiddleware:
    """Anonymous readers' pages served from the cache before the rest of the middleware, the
    URL resolver and the view run: a page that is current costs one cache read (and, for a
    claim's page or a list past READER_LIST_MAX_AGE, one query for its versions), not the
    whole stack, which took most of a hit's time (bench/README.md). The entry tells on its own
    whether it is current (its scopes, versions and age); any other page goes down the stack,
    with the entry already read, to `cache_for_readers`. Pages it renders are stored here, once
    the middleware below has added its headers (CSP, X-Frame-Options, Vary,
    Content-Language), so a page served from here is the page the stack would send, with a
    CSP nonce of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Reader pages live under a language prefix; any other address is not cached here.
        language = request.path_info.split("/", 2)[1]
        if language not in self.languages or not is_anonymous_read(request):
            return self.get_response(request)
        page = page_name(request, language)
        key = page_key(request, page)
        entry = cache.get(key)
        if entry is not None and self.is_current(entry, page, key):
            entry.headers["X-Cache"] = "hit"
            served = with_fresh_nonce(entry, generate_nonce())
            not_modified = get_conditional_response(
                request,
                etag=served.get("ETag"),
                last_modified=parse_http_date_safe(served.get("Last-Modified", "")),
                response=served,
            )
            return not_modified or served
        request.reader_page = (key, entry)
        response = self.get_response(request)
        if getattr(response, "reader_store", False):
            del response.reader_store
            if response.status_code == 200 and not response.cookies:
                response.reader_finished = True
                cache.set(key, response, response.reader_timeout)
        return response

    @staticmethod
    def is_current(entry: HttpResponse, page: str, key: str) -> bool:
        if not getattr(entry, "reader_finished", False):  # stored without this middleware's
            return False  # headers, by the view's decorator alone
        scopes = entry.reader_scopes
        max_age = max_age_of(getattr(entry, "reader_max_age", None))
        if max_age > 0 and is_recent(entry, max_age):
            return True
        rendered_at = time.time()
        if page_version(page, scopes, reader_versions.versions(scopes)) != entry.reader_version:
            return False
        if max_age > 0:
            keep_current(key, entry, rendered_at)
        return True
