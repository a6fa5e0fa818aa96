"""
The public read API, version 1, under /api/v1/ (django-ninja): claims with their approved
chains, denials, verdicts, actors, outlets and tags, plus partners' webhooks.

Filter names follow Google's Fact Check Tools API where they mean the same (`query`,
`language`, `max_age_days`, `page_size`, and the publisher site as `outlet`). Lists are
paged by cursor (claims/api/cursor.py). Everything shown is approved data (the review gate's
`public()` QuerySets). Successful reads of claims, denials and verdicts are cached under the
reader cache's scope versions (the lists, or the claim's own scope), so an approval drops them
as it drops the reader's pages; they are served after the key and the rate limit are checked.
Names (actors, outlets, tags) are one query and are not cached. ConditionalGetMiddleware
adds the ETag and answers If-None-Match with 304.
"""

import hashlib
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from functools import wraps
from http import HTTPStatus
from typing import Literal

from django.core.cache import cache
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from claims import caching
from claims.importer.fetch import FetchError, check_url
from claims.models import (
    Actor,
    ActorKind,
    ApiKey,
    Attribution,
    Carriage,
    Claim,
    Correction,
    Narrative,
    OfficialPosition,
    Outlet,
    OutletClaim,
    OutletKind,
    Rating,
    Response,
    Stance,
    Tag,
    Verdict,
    Webhook,
    outlet_claims,
    reader_versions,
)
from claims.models.public_names import public_name_or_404
from claims.models.reader_versions import LISTS, SITE
from claims.models.responses import involvement
from claims.search import search_claims

from . import access, cursor, names, problems, represent, schemas
from .cursor import BadCursor, Ordering

MAX_ID = 2**63 - 1
MAX_PAGE_SIZE = 100
MAX_HOOKS_PER_KEY = 10
SLUG = r"^[-a-zA-Z0-9_]+$"
LANGUAGE = r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})?$"


class VersionOne(NinjaAPI):
    def get(self, path: str, **kwargs) -> Callable:
        """A read: GET, and HEAD wherever GET works (HTTP asks it; ninja registers GET only, so
        HEAD was a 405). The server leaves out a HEAD answer's body (gunicorn, runserver)."""
        return self.api_operation(["GET", "HEAD"], path, **kwargs)

    def get_openapi_schema(self, **kwargs) -> dict:
        """Ninja's schema, telling what it cannot know: errors are problem+json, a 429 says
        when to retry, and reads work without a key. HEAD is left implicit, as usual."""
        schema = super().get_openapi_schema(**kwargs)
        for methods in schema["paths"].values():
            methods.pop("head", None)
            for operation in methods.values():
                for status, answer in operation["responses"].items():
                    if int(status) >= 400 and "content" in answer:
                        answer["content"] = {problems.PROBLEM_TYPE: answer["content"].popitem()[1]}
                    if status == "429":
                        answer["headers"] = {
                            "Retry-After": {
                                "description": "Seconds to wait.",
                                "schema": {"type": "integer"},
                            }
                        }
                if operation.get("security") and "webhooks" not in operation.get("tags", []):
                    operation["security"] = [*operation["security"], {}]
        return schema


api = VersionOne(
    title="factcheck API",
    version="1",
    description=(
        "Approved claims, their chains of reports and official responses, denials and "
        "verdicts. Anonymous reads are limited per address; an API key (X-API-Key) lifts the "
        "limit. Errors are RFC 9457 problem details. See /api/v1/docs/ and docs/api.md."
    ),
    urls_namespace="api-v1",
    docs_url=None,  # our own page (claims/api/urls.py): static files from this site, CSP-safe
    auth=access.optional_key,
    throttle=[access.PerMinute()],
)
problems.install(api)

ERRORS = {
    400: schemas.Problem,
    401: schemas.Problem,
    404: schemas.Problem,
    422: schemas.Problem,
    429: schemas.Problem,
}
ID = Path(..., ge=1, le=MAX_ID, description="The numeric id.")
# Large columns no answer shows: a claim's search document, a report's full text.
LIST_DEFERRED = ("search_document", "context")
DENIAL_RELATED = ("claim", "responder", "report__outlet")
DENIAL_DEFERRED = ("claim__search_document", "claim__context", "report__body")
VERDICT_DEFERRED = ("claim__search_document", "claim__context")


# Reads: cached for everyone, after authentication and throttling have run.


def cached_read(
    schema: type[Schema], depends_on: Callable[..., list[str]] = caching.on_lists
) -> Callable:
    """Serve the JSON of `schema` from the reader cache, keyed by the versions of the reader
    scopes the answer shows in (claims/caching.py): the site, plus the lists or one object.
    An approval moves those versions on, so partners see it on their next request."""

    def decorator(operation: Callable) -> Callable:
        @wraps(operation)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            scopes = [SITE, *depends_on(**kwargs)]
            found = reader_versions.versions(scopes)
            versions = ",".join(f"{s}={found[s][0] if s in found else 0}" for s in scopes)
            variant = f"{request.get_full_path()}|{versions}"
            key = f"api-v1:{hashlib.sha256(variant.encode()).hexdigest()}"
            body = cache.get(key)
            if body is None:
                result = operation(request, *args, **kwargs)
                body = schema.model_validate(result).model_dump_json()
                cache.set(key, body, caching.DEFAULT_TIMEOUT)
            return HttpResponse(body, content_type="application/json")

        return wrapped

    return decorator


def on_claim(id: int, **kwargs) -> list[str]:
    """A claim's answer shows in the claim's own scope (one indexed look-up of its slug)."""
    slug = Claim.objects.filter(pk=id).values_list("slug", flat=True).first()
    return [caching.scope("claim", slug)] if slug else [LISTS]


def on_outlet(id: int, **kwargs) -> list[str]:
    slug = Outlet.objects.filter(pk=id).values_list("slug", flat=True).first()
    return [caching.scope("outlet", slug)] if slug else [LISTS]


def page_of(queryset, ordering: Ordering, params, *, rows_by_id=None) -> tuple[list, str | None]:
    try:
        return cursor.page(
            queryset, ordering, cursor=params.cursor, size=params.page_size, rows_by_id=rows_by_id
        )
    except BadCursor as error:
        raise HttpError(HTTPStatus.BAD_REQUEST, str(error)) from None


def by_slug(model, slug: str):
    """The row with this slug; `model` may be a QuerySet of the rows readers may see."""
    rows = model if isinstance(model, QuerySet) else model.objects
    found = rows.filter(slug=slug).first()
    if found is None:
        raise HttpError(HTTPStatus.BAD_REQUEST, f"No {rows.model._meta.verbose_name} “{slug}”.")
    return found


def outlets_named(value: str) -> list[Outlet]:
    """An outlet by slug, or (as Google's publisher site) the outlets at a domain."""
    if "." not in value:
        return [by_slug(Outlet, value)]
    domain = value.lower().removeprefix("www.")
    found = list(
        Outlet.objects.filter(
            Q(homepage__icontains=f"//{domain}") | Q(homepage__icontains=f".{domain}")
        )
    )
    if not found:
        raise HttpError(HTTPStatus.BAD_REQUEST, f"No outlet at “{value}”.")
    return found


class Paging(Schema):
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description="Items per page (≤ 100).")
    cursor: str | None = Field(None, max_length=500, description="From `next_cursor`.")
    order: Literal["newest", "oldest"] = "newest"


class Since(Schema):
    max_age_days: int | None = Field(None, ge=1, le=36500, description="At most this old.")
    updated_since: datetime | None = Field(None, description="Changed at or after (ISO 8601).")


def newest_or_oldest(name: str, field: str, order: str, *, nullable: bool = False) -> Ordering:
    return Ordering(f"{name}-{order}", field, descending=order == "newest", nullable=nullable)


def days_ago(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


# Claims


class ClaimFilters(Paging, Since):
    query: str | None = Field(None, max_length=200, description="Words in the claim's chain.")
    language: str | None = Field(None, pattern=LANGUAGE, max_length=10)
    outlet: str | None = Field(
        None, max_length=200, description="An outlet's slug, or a publisher site's domain."
    )
    actor: str | None = Field(None, pattern=SLUG, max_length=100)
    tag: str | None = Field(None, pattern=SLUG, max_length=100)
    narrative: str | None = Field(None, pattern=SLUG, max_length=100, description="Its slug.")
    stance: Stance | None = Field(None, description="Has an approved response with this stance.")
    attribution: Attribution | None = None
    position: OfficialPosition | None = Field(None, description="The official position.")
    rating: Rating | None = Field(None, description="The published verdict's rating.")


def changed_since(claims, since: datetime):
    """Claims edited, or whose chain gained or changed a public row, since `since`."""
    return claims.filter(
        Q(updated_at__gte=since)
        | Q(pk__in=Response.objects.public().filter(updated_at__gte=since).values("claim_id"))
        | Q(pk__in=Carriage.objects.public().filter(updated_at__gte=since).values("claim_id"))
        | Q(pk__in=Verdict.objects.published().filter(updated_at__gte=since).values("claim_id"))
        | Q(
            pk__in=Correction.objects.public()
            .filter(published_at__gte=since)
            .values("verdict__claim_id")
        )
    )


def filter_claims(filters: ClaimFilters):
    claims = Claim.objects.public()
    if filters.query:
        claims = search_claims(claims, filters.query)
    if filters.language:
        claims = claims.filter(language=filters.language)
    if filters.max_age_days:
        claims = claims.filter(first_seen_at__gte=days_ago(filters.max_age_days))
    if filters.outlet:
        outlets = outlets_named(filters.outlet)
        if len(outlets) == 1:
            # Joined to the outlet's list, sorted by its copy of the first sighting: a page
            # reads its own rows of the list's index, not every claim the outlet carried.
            claims = claims.filter(outlet_claims__outlet=outlets[0]).alias(
                outlet_seen=F("outlet_claims__first_seen_at")
            )
        else:
            carried = OutletClaim.objects.filter(outlet__in=outlets)
            claims = claims.filter(pk__in=carried.values("claim_id"))
    if filters.actor:
        claims = claims.involving(by_slug(Actor, filters.actor))
    if filters.tag:
        claims = claims.tagged(by_slug(Tag, filters.tag))
    if filters.narrative:
        claims = claims.in_narrative(by_slug(Narrative.objects.public(), filters.narrative))
    if filters.stance or filters.attribution:
        answers = Response.objects.public()
        if filters.stance:
            answers = answers.filter(stance=filters.stance)
        if filters.attribution:
            answers = answers.filter(attribution=filters.attribution)
        claims = claims.filter(pk__in=answers.values("claim_id"))
    if filters.position:
        claims = claims.positioned(filters.position)
    if filters.rating:
        claims = claims.rated(filters.rating)
    if filters.updated_since:
        claims = changed_since(claims, filters.updated_since)
    return claims


@api.get("/claims", response={200: schemas.ClaimPage, **ERRORS}, tags=["claims"])
@cached_read(schemas.ClaimPage)
def claim_list(request: HttpRequest, filters: Query[ClaimFilters]):
    """Approved claims, newest first seen first (or oldest with `order=oldest`)."""
    claims = filter_claims(filters)
    ordering = newest_or_oldest("claims", "first_seen_at", filters.order, nullable=True)
    if "outlet_seen" in claims.query.annotations:
        ordering = replace(ordering, column="outlet_seen")
    shown = Claim.objects.select_related("claimant").defer(*LIST_DEFERRED)
    rows, next_cursor = page_of(claims, ordering, filters, rows_by_id=shown)
    return {"items": represent.claims(rows), "next_cursor": next_cursor}


@api.get("/claims/{id}", response={200: schemas.ClaimDetail, **ERRORS}, tags=["claims"])
@cached_read(schemas.ClaimDetail, depends_on=on_claim)
def claim_detail(request: HttpRequest, id: int = ID):
    """One claim with its whole approved chain: carriages, responses, verdict, corrections."""
    claim = get_object_or_404(
        Claim.objects.public().select_related("claimant").defer("search_document"), pk=id
    )
    return represent.claim_detail(claim)


# Denials


class DenialFilters(Paging, Since):
    actor: str | None = Field(
        None, pattern=SLUG, max_length=100, description="Who denied, or whom the claim involves."
    )
    outlet: str | None = Field(None, max_length=200, description="Carried or reported by.")
    tag: str | None = Field(None, pattern=SLUG, max_length=100)
    language: str | None = Field(None, pattern=LANGUAGE, max_length=10)
    attribution: Attribution | None = None


def filter_denials(filters: DenialFilters):
    denials = Response.objects.public().denials()
    if filters.actor:
        # The actor with its size, which tells `involving` how to look its denials up.
        actor = by_slug(Actor.objects.annotate(involvement=involvement()), filters.actor)
        denials = denials.involving(actor).on_denied_claims()
    if filters.outlet:
        denials = denials.about_outlets(outlets_named(filters.outlet))
    if filters.tag:
        tagged = Claim.tags.through.objects.filter(tag=by_slug(Tag, filters.tag))
        denials = denials.filter(claim__in=tagged.values("claim_id"))
    if filters.language:
        denials = denials.filter(claim__language=filters.language)
    if filters.attribution:
        denials = denials.filter(attribution=filters.attribution)
    if filters.max_age_days:
        denials = denials.filter(responded_at__gte=days_ago(filters.max_age_days))
    if filters.updated_since:
        denials = denials.filter(updated_at__gte=filters.updated_since)
    return denials


@api.get("/denials", response={200: schemas.DenialPage, **ERRORS}, tags=["denials"])
@cached_read(schemas.DenialPage)
def denial_list(request: HttpRequest, filters: Query[DenialFilters]):
    """Approved denials, one item per denying response, as the denial feeds list them."""
    ordering = newest_or_oldest("denials", "responded_at", filters.order)
    shown = Response.objects.select_related(*DENIAL_RELATED).defer(*DENIAL_DEFERRED)
    rows, next_cursor = page_of(filter_denials(filters), ordering, filters, rows_by_id=shown)
    return {"items": represent.denials(rows), "next_cursor": next_cursor}


@api.get("/denials/{id}", response={200: schemas.Denial, **ERRORS}, tags=["denials"])
@cached_read(schemas.Denial)
def denial_detail(request: HttpRequest, id: int = ID):
    denial = get_object_or_404(
        Response.objects.public().denials().select_related(*DENIAL_RELATED).defer(*DENIAL_DEFERRED),
        pk=id,
    )
    return represent.denials([denial])[0]


# Verdicts


class VerdictFilters(Paging, Since):
    rating: Rating | None = None
    tag: str | None = Field(None, pattern=SLUG, max_length=100)
    language: str | None = Field(None, pattern=LANGUAGE, max_length=10)


def published_verdicts():
    return Verdict.objects.published().filter(claim__in=Claim.objects.public())


@api.get("/verdicts", response={200: schemas.VerdictPage, **ERRORS}, tags=["verdicts"])
@cached_read(schemas.VerdictPage)
def verdict_list(request: HttpRequest, filters: Query[VerdictFilters]):
    """Published verdicts with their corrections, newest published first."""
    verdicts = published_verdicts()
    if filters.rating:
        verdicts = verdicts.filter(rating=filters.rating)
    if filters.tag:
        tagged = Claim.tags.through.objects.filter(tag=by_slug(Tag, filters.tag))
        verdicts = verdicts.filter(claim__in=tagged.values("claim_id"))
    if filters.language:
        verdicts = verdicts.filter(claim__language=filters.language)
    if filters.max_age_days:
        verdicts = verdicts.filter(published_at__gte=days_ago(filters.max_age_days))
    if filters.updated_since:
        corrected = Correction.objects.public().filter(published_at__gte=filters.updated_since)
        verdicts = verdicts.filter(
            Q(updated_at__gte=filters.updated_since) | Q(pk__in=corrected.values("verdict_id"))
        )
    ordering = newest_or_oldest("verdicts", "published_at", filters.order)
    verdicts = verdicts.select_related("claim").defer(*VERDICT_DEFERRED)
    rows, next_cursor = page_of(verdicts, ordering, filters)
    items = [
        {**item, "claim": represent.claim_ref(verdict.claim)}
        for item, verdict in zip(represent.verdicts(rows), rows, strict=True)
    ]
    return {"items": items, "next_cursor": next_cursor}


@api.get("/verdicts/{id}", response={200: schemas.VerdictItem, **ERRORS}, tags=["verdicts"])
@cached_read(schemas.VerdictItem)
def verdict_detail(request: HttpRequest, id: int = ID):
    verdict = get_object_or_404(
        published_verdicts().select_related("claim").defer(*VERDICT_DEFERRED), pk=id
    )
    return {**represent.verdicts([verdict])[0], "claim": represent.claim_ref(verdict.claim)}


# Actors, outlets, tags


class NameFilters(Schema):
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)
    cursor: str | None = Field(None, max_length=500)
    query: str | None = Field(None, max_length=200, description="Part of the name.")


BY_ID = Ordering("by-id", "id", descending=False, timed=False)


def named(queryset, filters: NameFilters):
    if filters.query:
        queryset = queryset.filter(name__icontains=filters.query.replace("\x00", ""))
    return queryset


class ActorFilters(NameFilters):
    kind: ActorKind | None = None


@api.get("/actors", response={200: schemas.ActorPage, **ERRORS}, tags=["actors"])
def actor_list(request: HttpRequest, filters: Query[ActorFilters]):
    actors = named(names.listed_actors().select_related("parent"), filters)
    if filters.kind:
        actors = actors.filter(kind=filters.kind)
    rows, next_cursor = page_of(actors, BY_ID, filters)
    return {"items": [represent.actor(a) for a in rows], "next_cursor": next_cursor}


@api.get("/actors/{id}", response={200: schemas.Actor, **ERRORS}, tags=["actors"])
def actor_detail(request: HttpRequest, id: int = ID):
    return represent.actor(public_name_or_404(Actor.objects.select_related("parent"), pk=id))


class OutletFilters(NameFilters):
    kind: OutletKind | None = None
    country: str | None = Field(None, pattern=r"^[A-Z]{2}$")


@api.get("/outlets", response={200: schemas.OutletPage, **ERRORS}, tags=["outlets"])
def outlet_list(request: HttpRequest, filters: Query[OutletFilters]):
    outlets = named(names.listed_outlets(), filters)
    if filters.kind:
        outlets = outlets.filter(kind=filters.kind)
    if filters.country:
        outlets = outlets.filter(country=filters.country)
    rows, next_cursor = page_of(outlets, BY_ID, filters)
    return {"items": [represent.outlet(o) for o in rows], "next_cursor": next_cursor}


@api.get("/outlets/{id}", response={200: schemas.OutletDetail, **ERRORS}, tags=["outlets"])
@cached_read(schemas.OutletDetail, depends_on=on_outlet)
def outlet_detail(request: HttpRequest, id: int = ID):
    """One outlet with its track record over the public claims it spread (as its page)."""
    outlet = public_name_or_404(Outlet.objects.all(), pk=id)
    record = outlet_claims.track_record(outlet)
    return {**represent.outlet(outlet), "track_record": record}


@api.get("/tags", response={200: schemas.TagPage, **ERRORS}, tags=["tags"])
def tag_list(request: HttpRequest, filters: Query[NameFilters]):
    rows, next_cursor = page_of(named(names.listed_tags(), filters), BY_ID, filters)
    return {"items": [represent.tag(t) for t in rows], "next_cursor": next_cursor}


@api.get("/tags/{id}", response={200: schemas.TagOut, **ERRORS}, tags=["tags"])
def tag_detail(request: HttpRequest, id: int = ID):
    return represent.tag(public_name_or_404(Tag.objects.all(), pk=id))


@api.get("/narratives", response={200: schemas.NarrativePage, **ERRORS}, tags=["narratives"])
def narrative_list(request: HttpRequest, filters: Query[NameFilters]):
    """Narratives with at least one public claim."""
    narratives = Narrative.objects.public()
    if filters.query:
        narratives = narratives.filter(title__icontains=filters.query.replace("\x00", ""))
    rows, next_cursor = page_of(narratives, BY_ID, filters)
    return {"items": [represent.narrative(n) for n in rows], "next_cursor": next_cursor}


@api.get("/narratives/{id}", response={200: schemas.NarrativeDetail, **ERRORS}, tags=["narratives"])
def narrative_detail(request: HttpRequest, id: int = ID):
    narrative = get_object_or_404(Narrative.objects.public(), pk=id)
    appearances = narrative.appearances()
    claim_ids = list(narrative.public_claims().newest().values_list("pk", flat=True)[:1000])
    return {
        **represent.narrative(narrative),
        "claim_ids": claim_ids,
        "first_appearance": appearances["first"],
        "latest_appearance": appearances["latest"],
    }


# Webhooks (a key is required; nothing here is cached)


def webhook_out(hook: Webhook) -> dict:
    return {
        "id": hook.pk,
        "url": hook.url,
        "events": hook.events,
        "active": hook.active,
        "created_at": hook.created_at,
    }


def own_hook(request: HttpRequest, pk: int) -> Webhook:
    key: ApiKey = request.auth
    return get_object_or_404(key.webhooks.filter(active=True), pk=pk)


@api.get(
    "/webhooks",
    response={200: list[schemas.WebhookOut], **ERRORS},
    auth=access.required_key,
    tags=["webhooks"],
)
def webhook_list(request: HttpRequest):
    """Your key's active webhooks."""
    return [webhook_out(hook) for hook in request.auth.webhooks.filter(active=True)]


@api.post(
    "/webhooks",
    response={201: schemas.WebhookCreated, **ERRORS},
    auth=access.required_key,
    tags=["webhooks"],
)
def webhook_create(request: HttpRequest, hook: schemas.WebhookIn):
    """Register a URL for events; the answer holds the signing secret, shown only once."""
    key: ApiKey = request.auth
    try:
        check_url(hook.url)
    except FetchError as error:
        raise HttpError(HTTPStatus.BAD_REQUEST, f"This URL is refused: {error}") from None
    if key.webhooks.filter(active=True).count() >= MAX_HOOKS_PER_KEY:
        raise HttpError(HTTPStatus.BAD_REQUEST, f"A key may have {MAX_HOOKS_PER_KEY} webhooks.")
    created = Webhook.objects.create(
        api_key=key,
        url=hook.url,
        events=sorted({event.value for event in hook.events}),
        secret=Webhook.new_secret(),
    )
    return Status(HTTPStatus.CREATED, {**webhook_out(created), "secret": created.secret})


@api.delete(
    "/webhooks/{id}", response={204: None, **ERRORS}, auth=access.required_key, tags=["webhooks"]
)
def webhook_delete(request: HttpRequest, id: int = ID):
    hook = own_hook(request, id)
    hook.active = False
    hook.save(update_fields=["active"])
    return Status(HTTPStatus.NO_CONTENT, None)


@api.get(
    "/webhooks/{id}/deliveries",
    response={200: list[schemas.Delivery], **ERRORS},
    auth=access.required_key,
    tags=["webhooks"],
)
def webhook_deliveries(request: HttpRequest, id: int = ID):
    """The 50 latest deliveries to this webhook and how each went."""
    return list(own_hook(request, id).deliveries.all()[:50])
