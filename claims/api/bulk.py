"""
Bulk data: every approved row, regenerated nightly by the task worker (and by
`manage.py build_bulk_data`), downloaded from /api/v1/bulk/.

- `claimreview-datafeed.json`: a schema.org DataFeed of the ClaimReview of every published
  verdict (the shape Data Commons and Google's fact-check tools read);
- one CSV per entity (claims, carriages, responses, reports, verdicts, corrections, actors,
  outlets, tags), joined by their ids;
- `datapackage.json`: a Frictionless Data Package describing the CSVs (types, keys, foreign
  keys) and stating the licence.

Files are written to a fresh folder and moved into place one by one, the data package last,
so a download never reads a half-written file. As in the reader's exports, CSV cells that a
spreadsheet would run as a formula get a leading apostrophe.
"""

import csv
import json
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from claims.exports import neutralise
from claims.jsonld import claim_review
from claims.links import slug_path
from claims.models import (
    Carriage,
    Claim,
    Correction,
    Rating,
    Report,
    Response,
    Verdict,
)

from .names import listed_actors, listed_outlets, listed_tags
from .problems import problem

CHUNK = 2000
FEED_NAME = "claimreview-datafeed.json"
PACKAGE_NAME = "datapackage.json"
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


def bulk_dir() -> Path:
    return Path(getattr(settings, "BULK_DATA_DIR", settings.BASE_DIR / "bulk-data"))


def data_license() -> dict:
    return getattr(settings, "BULK_DATA_LICENSE", LICENSE)


# The tables


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Frictionless field type: integer, string, datetime
    value: Callable
    description: str = ""
    required: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    rows: Callable[[], QuerySet]
    columns: tuple[Column, ...]
    description: str
    foreign_keys: tuple[tuple[str, str], ...] = ()  # (column, table) referring to its id

    @property
    def path(self) -> str:
        return f"{self.name}.csv"


def _id(row) -> int:
    return row.pk


def _claim_url(claim) -> str:
    return settings.SITE_URL + slug_path("claims:claim_detail", claim.slug)


def public_reports() -> QuerySet:
    return Report.objects.public()


def public_carriages() -> QuerySet:
    return Carriage.objects.public()


def public_cites() -> set[int]:
    cited = Carriage.objects.public().filter(cited_by__isnull=False)
    return set(cited.values_list("pk", flat=True))


def published_verdicts() -> QuerySet:
    return Verdict.objects.published().filter(claim__in=Claim.objects.public())


ID = Column("id", "integer", _id, required=True)


def tables() -> list[Table]:
    cites = public_cites()
    return [
        Table(
            "claims",
            lambda: (
                Claim.objects.public()
                .defer("search_document", "context")
                .prefetch_related("tags")
                .order_by("pk")
            ),
            (
                ID,
                Column("slug", "string", lambda c: c.slug, required=True),
                Column("url", "string", _claim_url, "The claim's page."),
                Column("text", "string", lambda c: c.text, required=True),
                Column("language", "string", lambda c: c.language),
                Column("first_seen_at", "datetime", lambda c: c.first_seen_at),
                Column("claimant_id", "integer", lambda c: c.claimant_id, "Who made the claim."),
                Column(
                    "official_position",
                    "string",
                    lambda c: c.official_position,
                    "denied, confirmed, mixed or no_response (from the approved responses).",
                ),
                Column("rating", "string", lambda c: c.published_rating, "The verdict's rating."),
                Column("tags", "string", lambda c: " ".join(t.slug for t in c.tags.all())),
                Column("updated_at", "datetime", lambda c: c.updated_at),
            ),
            "Approved claims.",
            (("claimant_id", "actors"),),
        ),
        Table(
            "carriages",
            lambda: public_carriages().order_by("pk"),
            (
                ID,
                Column("claim_id", "integer", lambda c: c.claim_id, required=True),
                Column("report_id", "integer", lambda c: c.report_id, required=True),
                Column("role", "string", lambda c: c.role, "origin, repeat or mention."),
                Column("wording", "string", lambda c: c.wording),
                Column(
                    "cites_id",
                    "integer",
                    lambda c: c.cites_id if c.cites_id in cites else None,
                    "The upstream carriage the report cites.",
                ),
            ),
            "A claim appearing in a report.",
            (("claim_id", "claims"), ("report_id", "reports"), ("cites_id", "carriages")),
        ),
        Table(
            "responses",
            lambda: Response.objects.public().order_by("pk"),
            (
                ID,
                Column("claim_id", "integer", lambda r: r.claim_id, required=True),
                Column("responder_id", "integer", lambda r: r.responder_id, required=True),
                Column("stance", "string", lambda r: r.stance, required=True),
                Column("attribution", "string", lambda r: r.attribution, required=True),
                Column("speaker_name", "string", lambda r: r.speaker_name),
                Column("quote", "string", lambda r: r.quote),
                Column("responded_at", "datetime", lambda r: r.responded_at, required=True),
                Column("report_id", "integer", lambda r: r.report_id, "Where it was reported."),
            ),
            "Approved official responses (stance denies = a denial).",
            (("claim_id", "claims"), ("responder_id", "actors"), ("report_id", "reports")),
        ),
        Table(
            "reports",
            lambda: public_reports().defer("body").order_by("pk"),
            (
                ID,
                Column("outlet_id", "integer", lambda r: r.outlet_id, required=True),
                Column("url", "string", lambda r: r.link),
                Column("title", "string", lambda r: r.title, required=True),
                Column("published_at", "datetime", lambda r: r.published_at),
                Column("byline", "string", lambda r: r.byline),
                Column("language", "string", lambda r: r.language),
            ),
            "Published items that carry a claim or relay a response.",
            (("outlet_id", "outlets"),),
        ),
        Table(
            "verdicts",
            lambda: published_verdicts().order_by("pk"),
            (
                ID,
                Column("claim_id", "integer", lambda v: v.claim_id, required=True),
                Column("rating", "string", lambda v: v.rating, required=True),
                Column(
                    "rating_value",
                    "integer",
                    lambda v: Rating(v.rating).rating_value,
                    "ClaimReview ratingValue: 1 (false) to 6 (true).",
                ),
                Column("summary", "string", lambda v: v.summary),
                Column("rationale", "string", lambda v: v.rationale),
                Column("published_at", "datetime", lambda v: v.published_at, required=True),
            ),
            "Published verdicts.",
            (("claim_id", "claims"),),
        ),
        Table(
            "corrections",
            lambda: Correction.objects.public().order_by("pk"),
            (
                ID,
                Column("verdict_id", "integer", lambda c: c.verdict_id, required=True),
                Column("text", "string", lambda c: c.text, required=True),
                Column("published_at", "datetime", lambda c: c.published_at, required=True),
            ),
            "Corrections of published verdicts.",
            (("verdict_id", "verdicts"),),
        ),
        Table(
            "actors",
            lambda: listed_actors().order_by("pk"),
            (
                ID,
                Column("slug", "string", lambda a: a.slug, required=True),
                Column("name", "string", lambda a: a.name, required=True),
                Column("kind", "string", lambda a: a.kind),
                Column("role", "string", lambda a: a.role),
                Column("parent_id", "integer", lambda a: a.parent_id),
                Column("same_as", "string", lambda a: a.same_as),
            ),
            "People and organisations who make claims, are talked about, or respond.",
            (("parent_id", "actors"),),
        ),
        Table(
            "outlets",
            lambda: listed_outlets().order_by("pk"),
            (
                ID,
                Column("slug", "string", lambda o: o.slug, required=True),
                Column("name", "string", lambda o: o.name, required=True),
                Column("kind", "string", lambda o: o.kind),
                Column("homepage", "string", lambda o: o.homepage),
                Column("country", "string", lambda o: o.country),
                Column("language", "string", lambda o: o.language),
            ),
            "Anything that publishes.",
        ),
        Table(
            "tags",
            lambda: listed_tags().order_by("pk"),
            (
                ID,
                Column("slug", "string", lambda t: t.slug, required=True),
                Column("name", "string", lambda t: t.name, required=True),
            ),
            "Topics.",
        ),
    ]


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, int):
        return str(value)
    return neutralise(value)


def write_table(table: Table, folder: Path) -> int:
    count = 0
    with open(folder / table.path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([column.name for column in table.columns])
        for row in table.rows().iterator(chunk_size=CHUNK):
            writer.writerow([cell(column.value(row)) for column in table.columns])
            count += 1
    return count


def resource(table: Table, count: int) -> dict:
    fields = []
    for column in table.columns:
        field = {"name": column.name, "type": column.type}
        if column.type == "datetime":
            field["format"] = "%Y-%m-%dT%H:%M:%SZ"
        if column.description:
            field["description"] = column.description
        if column.required:
            field["constraints"] = {"required": True}
        fields.append(field)
    schema: dict = {"fields": fields, "primaryKey": ["id"], "missingValues": [""]}
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": [name],
                "reference": {"resource": "" if other == table.name else other, "fields": ["id"]},
            }
            for name, other in table.foreign_keys
        ]
    return {
        "name": table.name,
        "path": table.path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": f"{table.description} {count} rows.",
        "schema": schema,
    }


# The ClaimReview DataFeed


def feed_items() -> Iterator[dict]:
    """One DataFeedItem per published verdict, holding its ClaimReview."""
    verdicts = (
        published_verdicts()
        .select_related("claim__claimant")
        .defer("claim__search_document")
        .prefetch_related("corrections")
        .order_by("pk")
    )
    batch = []
    for verdict in verdicts.iterator(chunk_size=CHUNK):
        batch.append(verdict)
        if len(batch) == CHUNK:
            yield from _feed_batch(batch)
            batch = []
    yield from _feed_batch(batch)


def _feed_batch(verdicts: list[Verdict]) -> Iterator[dict]:
    """The items of a batch of verdicts, their claims' carriages and their official responses
    (the review's citations, as on the claim page) fetched in one query each."""
    claim_ids = [verdict.claim_id for verdict in verdicts]
    carriages = defaultdict(list)
    for carriage in (
        Carriage.objects.public()
        .filter(claim__in=claim_ids)
        .select_related("report__outlet")
        .defer("report__body")
    ):
        carriages[carriage.claim_id].append(carriage)
    responses = defaultdict(list)
    for response in (
        Response.objects.public()
        .filter(claim__in=claim_ids)
        .select_related("responder", "report__outlet")
        .defer("report__body")
        .order_by("responded_at", "pk")
    ):
        responses[response.claim_id].append(response)
    for verdict in verdicts:
        claim = verdict.claim
        review = claim_review(
            claim,
            verdict,
            carriages[claim.pk],
            page_url=_claim_url(claim),
            responses=responses[claim.pk],
        )
        if review is None:
            continue
        review.pop("@context")
        yield {
            "@type": "DataFeedItem",
            "dateCreated": verdict.published_at.isoformat(),
            "dateModified": (verdict.date_modified or verdict.published_at).isoformat(),
            "item": [review],
        }


def write_feed(folder: Path, generated_at: datetime) -> int:
    """The DataFeed, written an item at a time."""
    count = 0
    head = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": f"{settings.SITE_NAME}: ClaimReview of every published verdict",
        "url": settings.SITE_URL + reverse("bulk_download", args=[FEED_NAME]),
        "dateModified": generated_at.isoformat(),
        "license": data_license()["path"],
    }
    with open(folder / FEED_NAME, "w", encoding="utf-8") as out:
        out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "dataFeedElement": [')
        for item in feed_items():
            out.write(("," if count else "") + "\n")
            out.write(json.dumps(item, cls=DjangoJSONEncoder, ensure_ascii=False))
            count += 1
        out.write("\n]}\n")
    return count


# Google's required and recommended ClaimReview properties (developers.google.com/search/docs/
# appearance/structured-data/factcheck).
REQUIRED = {"ClaimReview": ("claimReviewed", "reviewRating", "url"), "Rating": ("alternateName",)}
RECOMMENDED = {
    "ClaimReview": ("author", "datePublished", "itemReviewed"),
    "Claim": ("appearance", "author", "datePublished", "firstAppearance"),
    "Rating": ("bestRating", "name", "ratingValue", "worstRating"),
}


def claim_review_problems(review: dict) -> list[str]:
    """What a ClaimReview lacks of Google's required and recommended properties."""
    problems = []
    parts = {
        "ClaimReview": review,
        "Rating": review.get("reviewRating") or {},
        "Claim": review.get("itemReviewed") or {},
    }
    if review.get("@type") != "ClaimReview":
        problems.append("@type is not ClaimReview")
    for kind, names in (*REQUIRED.items(), *RECOMMENDED.items()):
        problems.extend(
            f"{kind}.{name} is missing" for name in names if parts[kind].get(name) in (None, "", [])
        )
    rating = parts["Rating"]
    if rating.get("worstRating") is not None and rating["worstRating"] < 1:
        problems.append("Rating.worstRating must be at least 1")
    if rating.get("ratingValue") is not None and not (
        rating.get("worstRating", 1) <= rating["ratingValue"] <= rating.get("bestRating", 5)
    ):
        problems.append("Rating.ratingValue is outside worstRating..bestRating")
    if not str(review.get("url", "")).startswith(("http://", "https://")):
        problems.append("ClaimReview.url is not an absolute URL")
    return problems


# Building


@translation.override("en")
def build(folder: Path | None = None) -> dict:
    """Write every file into `folder` (the bulk folder by default); return the package.
    In English, as the API answers: labels and links the same whoever builds it."""
    target = folder or bulk_dir()
    target.mkdir(parents=True, exist_ok=True)
    generated_at = timezone.now()
    work = Path(tempfile.mkdtemp(prefix=".building-", dir=target))
    try:
        resources = [resource(table, write_table(table, work)) for table in tables()]
        reviews = write_feed(work, generated_at)
        package = {
            "profile": "tabular-data-package",
            "name": "factcheck-approved-data",
            "title": f"{settings.SITE_NAME}: approved claims, responses and verdicts",
            "description": (
                "Every approved claim with the reports that carried it, the official responses "
                f"to it and our verdicts. Also: {FEED_NAME}, a schema.org DataFeed of "
                f"ClaimReview ({reviews} reviews). Text cells beginning with = + - @ carry a "
                "leading apostrophe so that spreadsheets do not run them."
            ),
            "homepage": settings.SITE_URL + "/",
            "created": generated_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "licenses": [data_license()],
            "resources": resources,
        }
        (work / PACKAGE_NAME).write_text(json.dumps(package, indent=2, ensure_ascii=False))
        names = [r["path"] for r in resources] + [FEED_NAME, PACKAGE_NAME]
        for name in names:
            os.replace(work / name, target / name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return package


# Serving

CONTENT_TYPES = {".csv": "text/csv; charset=utf-8", ".json": "application/json"}


def published_files() -> list[str]:
    """The files of the last completed build, as its data package lists them."""
    try:
        package = json.loads((bulk_dir() / PACKAGE_NAME).read_text())
    except (OSError, ValueError):
        return []
    return [r["path"] for r in package.get("resources", [])] + [FEED_NAME, PACKAGE_NAME]


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    names = published_files()
    if not names:
        return problem(HTTPStatus.NOT_FOUND, "The bulk data has not been generated yet.")
    files = []
    for name in names:
        path = bulk_dir() / name
        if path.exists():
            stat = path.stat()
            files.append(
                {
                    "name": name,
                    "url": request.build_absolute_uri(reverse("bulk_download", args=[name])),
                    "bytes": stat.st_size,
                    "modified": datetime.fromtimestamp(stat.st_mtime, UTC).isoformat(),
                }
            )
    return JsonResponse({"license": data_license(), "files": files})


@require_GET
def download(request: HttpRequest, name: str) -> HttpResponse:
    # Only names the last build listed: nothing else in the folder, no paths.
    if name not in published_files():
        return problem(HTTPStatus.NOT_FOUND, "There is no bulk file by that name.")
    path = bulk_dir() / name
    try:
        handle = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
    except OSError:
        return problem(HTTPStatus.NOT_FOUND, "There is no bulk file by that name.")
    response = FileResponse(handle, content_type=CONTENT_TYPES[path.suffix])
    response["Last-Modified"] = http_date(path.stat().st_mtime)
    return response
