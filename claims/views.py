"""Reader pages: thin views over the Claim QuerySet methods and the reader modules."""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from math import ceil
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import get_template
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from . import archive, exports, fragments, narrative_chart, translated
from .caching import cache_for_readers, on_claim_list, on_home, on_object, scope, shows_rows
from .feeds import unshown
from .filters import SORTS, ClaimFilterForm, choice_lists, filter_claims, with_selected
from .jsonld import claim_review, ld_json_script
from .links import page_path, slug_path
from .models import (
    Actor,
    Attribution,
    Carriage,
    Claim,
    Correction,
    ExternalReview,
    Narrative,
    OfficialPosition,
    Outlet,
    Rating,
    Response,
    Snapshot,
    Stance,
    Tag,
    Verdict,
    VerdictState,
    mark_channels,
    timings,
)
from .models.public_names import public_name_or_404
from .models.reader_versions import DENIAL_FEED, VERDICT_FEED
from .timeline import WIDTH as TIMELINE_WIDTH
from .timeline import claim_events

PAGE_SIZE = 25
# Counting every match of a broad filter at 100k claims costs more than the page itself;
# beyond this many the page says "more than" and offers the first 40 pages (sort by oldest
# reaches the other end; filters narrow the rest).
COUNT_CAP = 1_000


@dataclass
class ClaimPage:
    items: list
    number: int
    num_pages: int
    count: int
    count_capped: bool
    page_range: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # the items' rendered rows
    query: str = ""  # the valid filters as a query string, for page and export links

    @property
    def query_prefix(self) -> str:
        return f"{self.query}&" if self.query else ""

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1


def paginate(claims: QuerySet | list[int], page: str | None) -> ClaimPage:
    """One page of claims; a bad or out-of-range page number gives the nearest real page.

    One ordered scan fetches the ids of up to COUNT_CAP + 1 matches: their number is the
    count, and the page is a slice of them. The page's rows then come by primary key, so the
    filters (search, position, rating…) run once per request, not once for the count and
    again for the page. A ranked search comes as its ids already (claims.search.ranked).
    """
    try:
        number = int(str(page or "1").strip()[:9])
    except ValueError:
        number = 1
    ids = matching_ids(claims)
    capped = len(ids) > COUNT_CAP
    ids = ids[:COUNT_CAP]
    num_pages = max(1, ceil(len(ids) / PAGE_SIZE))
    number = min(max(number, 1), num_pages)
    start = (number - 1) * PAGE_SIZE
    page_ids = ids[start : start + PAGE_SIZE]
    # Each row's id, slug and version: the rows themselves come only for those not already
    # rendered (fragments.claim_rows).
    rows = {row.pk: row for row in fragments.ListedRow.of(page_ids)}
    items = [rows[pk] for pk in page_ids if pk in rows]
    window = range(max(1, number - 2), min(num_pages, number + 2) + 1)
    return ClaimPage(items, number, num_pages, len(ids), capped, list(window))


def matching_ids(claims: QuerySet | list[int]) -> list[int]:
    """The ids of up to COUNT_CAP + 1 matches, in the list's order (see paginate)."""
    if isinstance(claims, list):
        return claims[: COUNT_CAP + 1]
    return list(claims.values_list("pk", flat=True)[: COUNT_CAP + 1])


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def site_feeds() -> list[dict]:
    return [
        {"title": _("Newest denials (RSS)"), "url": page_path("claims:denied_rss"), "type": "rss"},
        {"title": _("Newest denials (Atom)"), "url": page_path("claims:denied_atom"),
         "type": "atom"},
        {"title": _("New verdicts and corrections (RSS)"),
         "url": page_path("claims:verdicts_rss"), "type": "rss"},
    ]  # fmt: skip


def scoped_feeds(kind: str, obj) -> list[dict]:
    """A page's own denial feeds (per actor, outlet or tag), listed before the site's."""
    return [
        {
            "title": _("Denials — %(name)s (RSS)") % {"name": obj.name},
            "url": slug_path(f"claims:{kind}_denied_rss", obj.slug),
            "type": "rss",
        },
        {
            "title": _("Denials — %(name)s (Atom)") % {"name": obj.name},
            "url": slug_path(f"claims:{kind}_denied_atom", obj.slug),
            "type": "atom",
        },
    ]


def render_page(request: HttpRequest, template: str, context: dict, *, feeds=(), status=200):
    """Render a reader page with what base.html needs: canonical URL, site name, feeds."""
    context.setdefault("canonical_url", absolute(request, request.path))
    context["site_name"] = settings.SITE_NAME
    context["feeds"] = [*feeds, *site_feeds()]
    return render(request, template, context, status=status)


def wants_fragment(request: HttpRequest) -> bool:
    # A history-restore request (cache miss after Back) needs the whole page.
    return bool(request.htmx) and not request.htmx.history_restore_request


def list_page(
    request, template: str, claims: QuerySet, context: dict, *, feeds=(), filter_form=False
):
    """A filterable, paginated claim list; htmx requests get only the results partial.
    Only the claim list shows the filter form, whose options are costly at scale."""
    form = ClaimFilterForm(request.GET)
    filters = form.values
    query = urlencode(filters.query_params())
    # The search or scan runs once per version of the list: every page number shares it.
    matches = fragments.for_page(
        request, "matches", f"{request.path}?{query}",
        lambda: matching_ids(filter_claims(claims, filters)),
    )  # fmt: skip
    claims_page = paginate(matches, request.GET.get("page"))
    shows_rows(request, claims_page.items)
    claims_page.query = query
    claims_page.rows = fragments.claim_rows(request, claims_page.items)
    context |= {"form": form, "filters": filters, "page": claims_page}
    if wants_fragment(request):
        response = render(request, f"{template}#claim-table", context)
        # Push the clean URL (valid filters only, no empty fields) rather than the raw one.
        page_query = claims_page.query_prefix + (
            f"page={claims_page.number}" if claims_page.number > 1 else ""
        )
        response["HX-Push-Url"] = request.path + (
            f"?{page_query.rstrip('&')}" if page_query else ""
        )
        return response
    if filter_form:
        context |= {
            "choices": with_selected(choice_lists(), filters),
            "sorts": list(SORTS.items()),
        }
    return render_page(request, template, context, feeds=feeds)


@require_GET
@cache_for_readers(on_home)
def home(request: HttpRequest) -> HttpResponse:
    # Each block is kept under its feed's version: the home page depends on nothing else.
    def newest_denials() -> str:
        denials = Response.objects.for_feed().denials().defer(*unshown("claim", "report"))
        template = get_template("claims/home.html#newest-denials")
        return template.render({"denials": list(denials[:10])})

    def newest_verdicts() -> str:
        verdicts = Verdict.objects.newest_published().select_related("claim")
        template = get_template("claims/home.html#newest-verdicts")
        return template.render({"verdicts": list(verdicts.defer(*unshown("claim"))[:10])})

    blocks = {
        "newest_denials": fragments.rendered(
            request, "home", "denials", DENIAL_FEED, newest_denials
        ),
        "newest_verdicts": fragments.rendered(
            request, "home", "verdicts", VERDICT_FEED, newest_verdicts
        ),
    }
    return render_page(request, "claims/home.html", blocks)


@require_GET
@cache_for_readers(on_claim_list)
@vary_on_headers("HX-Request")
def claim_list(request: HttpRequest) -> HttpResponse:
    return list_page(request, "claims/claim_list.html", Claim.objects.all(), {}, filter_form=True)


def _export_filters(request: HttpRequest):
    filters = ClaimFilterForm(request.GET).values
    return filters, filter_claims(Claim.objects.all(), filters, rank=False)


@require_GET
@cache_for_readers()
def claim_export_csv(request: HttpRequest) -> StreamingHttpResponse:
    _filters, claims = _export_filters(request)
    rows = exports.export_rows(claims, base_url=absolute(request, "/").rstrip("/"))
    response = StreamingHttpResponse(
        exports.csv_lines(rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="claims.csv"'
    return response


@require_GET
@cache_for_readers()
def claim_export_json(request: HttpRequest) -> StreamingHttpResponse:
    filters, claims = _export_filters(request)
    rows = exports.export_rows(claims, base_url=absolute(request, "/").rstrip("/"))
    return StreamingHttpResponse(
        exports.json_chunks(rows, filters=filters.query_params()),
        content_type="application/json",
    )


def _attach_archived_copies(reports: list) -> None:
    """Set each report's `archived_copies`: its snapshots without their (large) content,
    newest first. One query for a claim's sources and its responses' reports together."""
    copies = defaultdict(list)
    if reports:
        snapshots = (
            Snapshot.objects.defer("content")
            .filter(report__in={report.pk for report in reports})
            .order_by("-fetched_at", "-pk")
        )
        for snapshot in snapshots:
            copies[snapshot.report_id].append(snapshot)
    for report in reports:
        report.archived_copies = copies[report.pk]


def _public_or_none(claim: Claim | None) -> Claim | None:
    return claim if claim is not None and claim.is_public else None


def _published_order(carriage: Carriage) -> tuple:
    """Oldest report first; reports without a time go last."""
    published = carriage.report.published_at
    return (published is None, published.timestamp() if published else 0, carriage.pk)


@require_GET
@cache_for_readers(on_object("claim"), exact=True)
def claim_detail(request: HttpRequest, slug: str) -> HttpResponse:
    canonical = absolute(request, slug_path("claims:claim_detail", slug))
    # What the page shows of the claim is kept under the claim's version, as the page is: a
    # reader after an unrelated change (or with another query string) needs no query for it.
    chain = fragments.cached(request, "claim-page", slug, scope("claim", slug), vary=canonical)
    if chain is None:
        # One query for the claim readers see, or saw: a withdrawn claim keeps a notice at its URL.
        claim = get_object_or_404(
            Claim.objects.public_or_withdrawn()
            .select_related("claimant")
            .defer("search_terms", "search_document"),
            slug=slug,
        )
        if claim.withdrawn_at is not None:
            # Nothing public disappears silently: the URL keeps a notice of what, when and why.
            return render_page(
                request,
                "claims/claim_withdrawn.html",
                {"claim": claim, "duplicate_of": _public_or_none(claim.duplicate_of)},
            )
        chain = claim_chain(claim, canonical)
        fragments.keep(request, "claim-page", slug, scope("claim", slug), chain, vary=canonical)
    feeds = [f for tag in chain["tags"] for f in scoped_feeds("tag", tag)]
    return render_page(
        request,
        "claims/claim_detail.html",
        {"chain": chain, "canonical_url": canonical},
        feeds=feeds,
    )


@dataclass(frozen=True)
class TagLink:
    """What a page's tag feeds need of a tag."""

    name: str
    slug: str


def claim_chain(claim: Claim, canonical: str) -> dict:
    """What a claim's page shows of the claim, rendered: its title, descriptions, head
    (ClaimReview JSON-LD) and content, and the tags whose feeds the page lists."""
    prefetch_related_objects(
        [claim],
        "subjects",
        "tags",
        Prefetch(
            "carriages",
            # Unordered: they are sorted below, undated reports last.
            queryset=Carriage.objects.approved()
            .select_related("report__outlet", "cites__report__outlet")
            .defer("report__body", "cites__report__body")  # a report's text is not shown
            .order_by(),
            to_attr="current_carriages",
        ),
        Prefetch(
            "responses",
            queryset=Response.objects.approved()
            .select_related("responder", "report__outlet")
            .defer("report__body"),
        ),
        # The published verdict and the withdrawn ones' notices in one query.
        Prefetch(
            "verdicts",
            queryset=Verdict.objects.for_readers()
            .select_related("author", "reviewer")
            .prefetch_related(
                Prefetch(
                    "corrections", queryset=Correction.objects.filter(approved_at__isnull=False)
                )
            ),
            to_attr="reader_verdicts",
        ),
        Prefetch(
            "external_reviews",
            queryset=ExternalReview.objects.approved(),
            to_attr="reader_external_reviews",
        ),
    )
    carriages = sorted(claim.current_carriages, key=_published_order)
    responses = list(claim.responses.all())
    mark_channels(responses)
    _attach_archived_copies(
        [carriage.report for carriage in carriages]
        + [response.report for response in responses if response.report_id]
    )
    published = [v for v in claim.reader_verdicts if v.state == VerdictState.PUBLISHED]
    verdict = min(published, key=lambda v: v.pk) if published else None
    corrections = list(verdict.corrections.all()) if verdict else []
    withdrawn_verdicts = sorted(
        (v for v in claim.reader_verdicts if v.state == VerdictState.WITHDRAWN),
        key=lambda v: (v.withdrawn_at, v.pk),
        reverse=True,
    )
    # The texts in the reader's language where an approved, current translation exists.
    translated.attach(claims=[claim], responses=responses, verdicts=[verdict])
    review = claim_review(claim, verdict, carriages, page_url=canonical, responses=responses)
    context = {
        "claim": claim,
        "carriages": carriages,
        "responses": responses,
        "verdict": verdict,
        "verdict_modified": verdict.date_modified if verdict else None,
        "corrections": corrections,
        "events": claim_events(claim, carriages, responses, verdict, corrections),
        "timeline_width": TIMELINE_WIDTH,
        "claim_review": ld_json_script(review) if review else "",
        "position": OfficialPosition(claim.official_position),
        "withdrawn_verdicts": withdrawn_verdicts,
        "external_reviews": claim.reader_external_reviews,
    }
    template = "claims/claim_detail.html#claim-{}"
    chain = {
        name.replace("-", "_"): get_template(template.format(name)).render(context)
        for name in ("title", "description", "og-description", "head", "content")
    }
    chain["tags"] = [TagLink(tag.name, tag.slug) for tag in claim.tags.all()]
    return chain


@require_GET
@cache_for_readers(on_object("actor"))
@vary_on_headers("HX-Request")
def actor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    actor = public_name_or_404(Actor.objects.select_related("parent"), slug=slug)

    def statements() -> str:
        responses = Response.objects.for_feed().filter(responder=actor)
        template = get_template("claims/actor_detail.html#statements")
        return template.render(
            {"actor": actor, "statements": responses.defer(*unshown("claim", "report"))[:20]}
        )

    # How fast it answers claims about it, from approved data (models/timings.py).
    record = None
    if not wants_fragment(request):
        record = fragments.for_page(
            request, "responsiveness", request.path, partial(timings.responsiveness, actor)
        )
    return list_page(
        request,
        "claims/actor_detail.html",
        Claim.objects.involving(actor),
        {
            "actor": actor,
            "statements": fragments.for_page(request, "statements", request.path, statements),
            "responsiveness": record,
        },
        feeds=scoped_feeds("actor", actor),
    )


@require_GET
@cache_for_readers(on_object("outlet"))
@vary_on_headers("HX-Request")
def outlet_detail(request: HttpRequest, slug: str) -> HttpResponse:
    outlet = public_name_or_404(Outlet.objects.all(), slug=slug)
    claims = Claim.objects.carried_by(outlet)
    # The track record counts what the outlet spread (origin, repeat), not its mentions.
    record = None
    if not wants_fragment(request):
        record = fragments.for_page(
            request, "track-record", request.path, Claim.objects.spread_by(outlet).track_record
        )
    return list_page(
        request,
        "claims/outlet_detail.html",
        claims,
        {"outlet": outlet, "record": record},
        feeds=scoped_feeds("outlet", outlet),
    )


@require_GET
@cache_for_readers(on_object("tag"))
@vary_on_headers("HX-Request")
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = public_name_or_404(Tag.objects.all(), slug=slug)
    return list_page(
        request,
        "claims/tag_detail.html",
        Claim.objects.tagged(tag),
        {"tag": tag},
        feeds=scoped_feeds("tag", tag),
    )


@require_GET
@cache_for_readers()
def narrative_list(request: HttpRequest) -> HttpResponse:
    narratives = Narrative.objects.public().annotate(
        claim_count=Count(
            "memberships",
            filter=Q(
                memberships__approved_at__isnull=False,
                memberships__withdrawn_at__isnull=True,
                memberships__claim__approved_at__isnull=False,
                memberships__claim__withdrawn_at__isnull=True,
            ),
        )
    )
    return render_page(request, "claims/narrative_list.html", {"narratives": narratives})


@require_GET
@cache_for_readers(on_object("narrative"))
@vary_on_headers("HX-Request")
def narrative_detail(request: HttpRequest, slug: str) -> HttpResponse:
    narrative = get_object_or_404(Narrative.objects.public(), slug=slug)
    months = narrative_chart.narrative_months(narrative)
    context = {
        "narrative": narrative,
        "appearances": narrative.appearances(),
        "months": months,
        "bars": narrative_chart.bars(months),
        "chart": {"width": narrative_chart.WIDTH, "height": narrative_chart.HEIGHT},
    }
    return list_page(
        request,
        "claims/narrative_detail.html",
        Claim.objects.in_narrative(narrative),
        context,
        feeds=scoped_feeds("narrative", narrative),
    )


@require_GET
# Counts over every claim: a scan of a million rows, kept for READER_COUNTS_MAX_AGE seconds.
@cache_for_readers(max_age="READER_COUNTS_MAX_AGE")
def methodology(request: HttpRequest) -> HttpResponse:
    return render_page(
        request,
        "claims/methodology.html",
        {
            "ratings": list(Rating),
            "positions": list(OfficialPosition),
            "attributions": list(Attribution),
            "stances": list(Stance),
            # What the published record holds today (public, approved claims only): a scan
            # of every claim, kept until a change moves the lists on.
            "record": fragments.for_page(
                request, "track-record", request.path, Claim.objects.all().track_record
            ),
        },
    )


@require_GET
def snapshot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An archived copy of a report's page, sanitised; only for reports on public claims."""
    carried = Carriage.objects.public().filter(report=OuterRef("report"))
    reported = Response.objects.public().filter(report=OuterRef("report"))
    snapshot = get_object_or_404(
        Snapshot.objects.select_related("report__outlet").filter(
            Exists(carried) | Exists(reported)
        ),
        pk=pk,
    )
    text = archive.decode(bytes(snapshot.content), snapshot.content_type)
    html = archive.is_html(snapshot.content_type, text)
    context = {
        "snapshot": snapshot,
        "report": snapshot.report,
        "body": archive.sanitised_html(text) if html else text,
        "is_html": html,
    }
    response = render_page(request, "claims/snapshot_detail.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
