"""
The reader's claim-list filters: one Django form validates the query string, and
`filter_claims` turns the cleaned values into QuerySet method calls.

Bad input never raises: unknown values are dropped with an error the page shows, and the
list falls back to the unfiltered value for that field.

`choice_lists` supplies the selects' options (the most active actors and outlets, tags,
languages in use), cached and recomputed by one request at a time.
"""

import heapq
import logging
import time
import uuid
from collections import Counter
from dataclasses import dataclass

from django import forms
from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from .locale import thing
from .models import (
    Actor,
    Carriage,
    Claim,
    Narrative,
    OfficialPosition,
    Outlet,
    Rating,
    Report,
    Response,
    Tag,
    public_names,
)
from .search import MAX_QUERY_LENGTH, clean_query, ranked, search_claims

DEFAULT_SORT = "newest"
SORTS = {
    "newest": _("Newest first"),
    "oldest": _("Oldest first"),
    "text": _("Claim, A to Z"),
}


def strip_nul(value):
    """PostgreSQL rejects NUL in strings; no reader input needs one."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    return value


class SlugChoiceField(forms.CharField):
    """A slug that must name an existing row; looked up once, by the form."""

    def __init__(self, *, model, public=None, **kwargs):
        self.model = model
        self.public = public  # a QuerySet method name: only rows readers may see
        super().__init__(required=False, max_length=100, **kwargs)

    def to_python(self, value):
        return strip_nul(super().to_python(value)).strip()

    def clean(self, value):
        slug = super().clean(value)
        if not slug:
            return None
        rows = getattr(self.model.objects, self.public)() if self.public else self.model.objects
        found = rows.filter(slug=slug).first()
        if found is None:
            raise forms.ValidationError(
                _t("Nothing (%(thing)s) has that name.")
                % {"thing": thing(self.model._meta.model_name)},
                code="unknown",
            )
        return found


class ClaimFilterForm(forms.Form):
    q = forms.CharField(required=False, label=_("Search"), strip=True)
    rating = forms.ChoiceField(
        required=False, label=_("Rating"), choices=[("", _("Any rating")), *Rating.choices]
    )
    position = forms.ChoiceField(
        required=False,
        label=_("Official position"),
        choices=[("", _("Any position")), *OfficialPosition.choices],
    )
    actor = SlugChoiceField(model=Actor, label=_("Actor"))
    outlet = SlugChoiceField(model=Outlet, label=_("Outlet"))
    tag = SlugChoiceField(model=Tag, label=_("Tag"))
    narrative = SlugChoiceField(model=Narrative, public="public", label=_("Narrative"))
    language = forms.RegexField(
        required=False,
        label=_("Language"),
        regex=r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})?$",
        max_length=10,
    )
    date_from = forms.DateField(required=False, label=_("First seen from"))
    date_to = forms.DateField(required=False, label=_("First seen until"))
    sort = forms.ChoiceField(required=False, label=_("Sort"), choices=list(SORTS.items()))

    def __init__(self, data=None, **kwargs):
        if data is not None:
            # Keep only our fields, first value each, without NUL bytes.
            data = {
                name: strip_nul(data.get(name))
                for name in self.base_fields
                if data.get(name) not in (None, "")
            }
        super().__init__(data if data is not None else {}, **kwargs)

    def clean_q(self) -> str:
        query = clean_query(self.cleaned_data["q"])
        if len(" ".join(self.cleaned_data["q"].split())) > MAX_QUERY_LENGTH:
            # Searched all the same, cut: say so, without dropping the search as an error would.
            self.add_error(
                None,
                _t("Only the first %(limit)d characters were searched.")
                % {"limit": MAX_QUERY_LENGTH},
            )
        return query[:MAX_QUERY_LENGTH]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    @property
    def field_errors(self) -> dict:
        """The errors of single fields: those fields are ignored (a note for the whole form,
        such as a cut search, is not)."""
        return {name: errors for name, errors in self.errors.items() if name in self.fields}

    @property
    def values(self) -> "ClaimFilters":
        """The valid values; an invalid field counts as not given."""
        self.is_valid()
        cleaned = dict(getattr(self, "cleaned_data", {}))
        if cleaned.get("sort") == DEFAULT_SORT:
            cleaned["sort"] = None  # the default needs no query parameter
        return ClaimFilters(
            **{
                name: cleaned.get(name) if name not in self.errors else None
                for name in ClaimFilters.__dataclass_fields__
            }
        )


@dataclass(frozen=True)
class ClaimFilters:
    q: str | None = None
    rating: str | None = None
    position: str | None = None
    actor: Actor | None = None
    outlet: Outlet | None = None
    tag: Tag | None = None
    narrative: Narrative | None = None
    language: str | None = None
    date_from: object = None
    date_to: object = None
    sort: str | None = None

    def query_params(self) -> dict[str, str]:
        """The active filters as query-string values (for links, exports and feeds)."""
        params = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if value in (None, ""):
                continue
            params[name] = getattr(value, "slug", None) or str(value)
        return params

    @property
    def active(self) -> bool:
        return bool(set(self.query_params()) - {"sort"})


def filter_claims(
    claims: QuerySet, filters: ClaimFilters, *, rank: bool = True
) -> QuerySet | list[int]:
    """Apply the filters to public claims, sorted as asked. A search is ranked (exact phrase
    first, see search.ranked: bounded to what a page can show, and given as the ids in reading
    order) unless `rank` is off, as for exports, which list every match newest first."""
    claims = claims.public()
    ranking = bool(filters.q) and rank and filters.sort not in ("oldest", "text")
    if filters.q and not ranking:  # a ranked search searches as it ranks (search.ranked)
        claims = search_claims(claims, filters.q)
    if filters.rating:
        claims = claims.rated(filters.rating)
    if filters.position:
        claims = claims.positioned(filters.position)
    if filters.actor:
        claims = claims.involving(filters.actor)
    if filters.outlet:
        claims = claims.carried_by(filters.outlet)
    if filters.tag:
        claims = claims.tagged(filters.tag)
    if filters.narrative:
        claims = claims.in_narrative(filters.narrative)
    if filters.language:
        claims = claims.filter(language=filters.language)
    if filters.date_from or filters.date_to:
        claims = claims.first_seen_between(filters.date_from, filters.date_to)
    if filters.sort == "oldest":
        return claims.oldest()
    if filters.sort == "text":
        return claims.order_by("text", "pk")
    if ranking:
        return ranked(claims, filters.q)
    return claims.newest()


CHOICES_CACHE_KEY = "reader:filter-options"  # {"fresh_until": unix time, "choices": {...}}
CHOICES_LOCK_KEY = "reader:filter-options:lock"
CHOICES_TTL = 300  # seconds; a new actor or outlet shows up in the selects within 5 minutes
# How long a stale copy stays in the cache to be served while one request recomputes it.
CHOICES_KEPT_FOR = 24 * 60 * 60
LOCK_TIMEOUT = 60  # seconds; far above the computation (~1 s at 1M claims), frees a dead worker's
COLD_WAIT = 5.0  # seconds a request waits on an empty cache for another's computation
COLD_POLL = 0.05
MAX_CHOICES = 200  # the most active actors and outlets; every one has its own page too

logger = logging.getLogger(__name__)


def choice_lists() -> dict[str, list]:
    """Options for the filter form's selects, cached: they are costly at 1M claims (the
    languages in use, how active each actor and outlet is) and change rarely.

    Single flight, stale while revalidating: once the cached copy is older than CHOICES_TTL,
    the one request that takes the lock recomputes it while every other request keeps serving
    the stale copy. On an empty cache the others wait for that request's result. The page
    never fails for want of options: at worst the selects show only "Any ...".

    The recomputing happens in the request that won the lock, not in a background thread: a
    thread started from a gunicorn gthread worker outlives its request, so Django never closes
    its database connection, it doesn't inherit the request's replica routing (a contextvar),
    its errors go nowhere, and the worker can be recycled (max_requests) or killed under it. In
    the request, one reader per 5 minutes waits about a second and everything is cleaned up.
    """
    cached = cache.get(CHOICES_CACHE_KEY)
    if cached is not None and time.time() < cached["fresh_until"]:
        return cached["choices"]
    token = uuid.uuid4().hex
    if cache.add(CHOICES_LOCK_KEY, token, LOCK_TIMEOUT):
        return _refresh_choices(token, stale=cached)
    if cached is not None:
        return cached["choices"]  # another request is recomputing them
    return _wait_for_choices(token)


def _refresh_choices(token: str, *, stale: dict | None) -> dict[str, list]:
    """Holding the lock: recompute and store the options. If that fails, serve the stale copy
    (or none) and free the lock, so that the next request tries again."""
    try:
        cached = cache.get(CHOICES_CACHE_KEY)
        if cached is not None and time.time() < cached["fresh_until"]:
            return cached["choices"]  # another process stored them since we looked
        choices = _compute_and_store()
        if choices is None:
            return stale["choices"] if stale is not None else no_choices()
        return choices
    finally:
        if cache.get(CHOICES_LOCK_KEY) == token:  # not if it expired and someone else has it
            cache.delete(CHOICES_LOCK_KEY)


def _wait_for_choices(token: str) -> dict[str, list]:
    """An empty cache and another request computing: wait for its result (or take over the
    lock if it gave up), then compute them ourselves as a last resort."""
    deadline = time.monotonic() + COLD_WAIT
    while time.monotonic() < deadline:
        time.sleep(COLD_POLL)
        cached = cache.get(CHOICES_CACHE_KEY)
        if cached is not None:
            return cached["choices"]
        if cache.add(CHOICES_LOCK_KEY, token, LOCK_TIMEOUT):
            return _refresh_choices(token, stale=None)
    return _compute_and_store() or no_choices()


def no_choices() -> dict[str, list]:
    return {"actors": [], "outlets": [], "tags": [], "narratives": [], "languages": []}


def _compute_and_store() -> dict[str, list] | None:
    try:
        choices = _compute_choices()
    except Exception:
        logger.exception("Could not compute the claim list's filter options")
        return None
    cache.set(
        CHOICES_CACHE_KEY,
        {"fresh_until": time.time() + CHOICES_TTL, "choices": choices},
        CHOICES_KEPT_FOR,
    )
    return choices


def _compute_choices() -> dict[str, list]:
    # One grouped count per table by foreign key, without joining the names in (they are
    # looked up for the few hundred most active only): at 1M claims a count subquery per
    # actor took 14 s, grouping by slug and name ~1.7 s, this ~1.1 s.
    # Approved rows only: a name that only a chain still in review uses is not offered.
    actors = Counter(
        dict(
            Response.objects.filter(approved_at__isnull=False)
            .order_by()
            .values_list("responder_id")
            .annotate(n=Count("pk"))
        )
    )
    # Claimants and languages in one pass over the claims table (a second scan cost 230 ms),
    # ordered by language for the database's collation, as the selects have always been.
    languages: dict[str, None] = {}  # in order, without repeats
    for claimant_id, language, n in (
        Claim.objects.filter(approved_at__isnull=False)
        .order_by("language")
        .values_list("claimant_id", "language")
        .annotate(n=Count("pk"))
    ):
        if claimant_id is not None:
            actors[claimant_id] += n
        if language:
            languages[language] = None
    # Reports of chains in review are left out (they are few: id lists, not joins).
    in_review = Carriage.objects.filter(approved_at__isnull=True).values("report_id")
    answered_in_review = Response.objects.filter(
        approved_at__isnull=True, report__isnull=False
    ).values("report_id")
    outlets = Counter(
        dict(
            Report.objects.exclude(pk__in=in_review)
            .exclude(pk__in=answered_in_review)
            .order_by()
            .values_list("outlet_id")
            .annotate(n=Count("pk"))
        )
    )
    return {
        "actors": _most_active(Actor, actors),
        "outlets": _most_active(Outlet, outlets),
        "tags": list(public_names.listed(Tag).order_by("name").values_list("slug", "name")),
        "languages": list(languages),
    }


def _most_active(model, activity: Counter) -> list[tuple[str, str]]:
    """(slug, name) of the MAX_CHOICES rows with most `activity` (keyed by primary key; ties
    go to the first by name, then slug), sorted by name for the select."""
    if len(activity) > MAX_CHOICES:
        floor = heapq.nlargest(MAX_CHOICES, activity.values())[-1]
        activity = Counter({pk: n for pk, n in activity.items() if n >= floor})
    rows = model.objects.filter(pk__in=list(activity)).values_list("pk", "slug", "name")
    ranked = sorted(rows, key=lambda row: (-activity[row[0]], row[2], row[1]))
    return sorted(
        ((slug, name) for _pk, slug, name in ranked[:MAX_CHOICES]), key=lambda row: row[1].lower()
    )


def with_selected(choices: dict[str, list], filters: "ClaimFilters") -> dict[str, list]:
    """Make sure the chosen actor and outlet are among the options."""
    choices = dict(choices)
    for key, chosen in (("actors", filters.actor), ("outlets", filters.outlet)):
        if chosen is not None and all(slug != chosen.slug for slug, _ in choices[key]):
            choices[key] = [(chosen.slug, chosen.name), *choices[key]]
    return choices
