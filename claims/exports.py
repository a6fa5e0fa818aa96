"""
The filtered claim list as CSV and JSON, streamed row by row so a large export never sits
in memory. Only public claims and published verdicts are exported (the callers filter with
filters.filter_claims, which starts from Claim.objects.public()).

CSV cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a
carriage return) get a leading apostrophe.
"""

import csv
import json
from collections.abc import Iterable, Iterator

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from .models import OfficialPosition, Rating, Response, Verdict

COLUMNS = [
    "url",
    "slug",
    "text",
    "claimant",
    "first_seen_at",
    "language",
    "official_position",
    "rating",
    "rating_value",
    "verdict_published_at",
    "tags",
    "responses",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000


def neutralise(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def response_row(response: Response) -> dict:
    """An approved response: who, how, where it was said and which report relayed it."""
    report = response.report
    return {
        "responder": response.responder.name,
        "stance": response.stance,
        "attribution": response.attribution,
        "quote": response.quote,
        "responded_at": response.responded_at,
        "said_on": response.channel_kind or None,
        "channel_url": response.channel_url or None,
        "reported_in": report.outlet.name if report else None,
        "reported_url": (report.link or None) if report else None,
    }


def response_cell(row: dict) -> str:
    """One response in a CSV cell: "President's Office denies · said on telegram
    https://t.me/… · reported in Interfax-Ukraine"."""
    parts = [f"{row['responder']} {row['stance']}"]
    if row["said_on"] or row["channel_url"]:
        parts.append(" ".join(filter(None, ["said on", row["said_on"], row["channel_url"]])))
    if row["reported_in"]:
        parts.append(f"reported in {row['reported_in']}")
    return " · ".join(parts)


def export_rows(claims: QuerySet, *, base_url: str) -> Iterator[dict]:
    """One dict per claim, in COLUMNS order."""
    published = Verdict.objects.published().filter(claim=OuterRef("pk"))
    rows = (
        claims.select_related("claimant")
        .prefetch_related(
            "tags",
            Prefetch(
                "responses",
                queryset=Response.objects.approved()
                .select_related("responder", "report__outlet")
                .defer("report__body")
                .order_by("responded_at", "pk"),
                to_attr="approved_responses",
            ),
        )
        .annotate(
            verdict_rating=Subquery(published.values("rating")[:1]),
            verdict_published_at=Subquery(published.values("published_at")[:1]),
        )
    )
    for claim in rows.iterator(chunk_size=CHUNK):
        rating = Rating(claim.verdict_rating) if claim.verdict_rating else None
        yield {
            "url": base_url + claim.get_absolute_url(),
            "slug": claim.slug,
            "text": claim.text,
            "claimant": claim.claimant.name if claim.claimant else None,
            "first_seen_at": claim.first_seen_at,
            "language": claim.language,
            "official_position": OfficialPosition(claim.official_position).value,
            "rating": rating.value if rating else None,
            "rating_value": rating.rating_value if rating else None,
            "verdict_published_at": claim.verdict_published_at,
            "tags": [tag.slug for tag in claim.tags.all()],
            "responses": [response_row(r) for r in claim.approved_responses],
        }


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[dict]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for row in rows:
        cells = []
        for name in COLUMNS:
            value = row[name]
            if name == "responses":
                value = " | ".join(response_cell(response) for response in value)
            elif isinstance(value, list):
                value = " ".join(value)
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            cells.append(neutralise(value))
        yield writer.writerow(cells)


def json_chunks(rows: Iterable[dict], *, filters: dict) -> Iterator[str]:
    """{"filters": {...}, "claims": [...]} written a claim at a time."""
    yield '{"filters": ' + json.dumps(filters) + ', "claims": ['
    for n, row in enumerate(rows):
        yield ("," if n else "") + "\n" + json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False)
    yield "\n]}\n"
