"""
Rows as the API shows them: plain dicts in the shapes of claims/api/schemas.py, built from
rows fetched in a fixed number of queries per page (never a query per item).

Only approved data is read: claims, carriages, responses, reports, corrections and
translations through their `public()` QuerySets, verdicts through `published()`.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db.models import F, Value
from django.urls import reverse

from claims.links import slug_path
from claims.models import (
    Actor,
    Attribution,
    Carriage,
    Claim,
    Correction,
    Outlet,
    Rating,
    Report,
    Response,
    Snapshot,
    Tag,
    TranslatedPart,
    Translation,
    Verdict,
    mark_channels,
)


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def actor_ref(actor: Actor) -> dict:
    return {
        "id": actor.pk,
        "slug": actor.slug,
        "name": actor.name,
        "url": absolute(slug_path("claims:actor_detail", actor.slug)),
    }


def actor(row: Actor) -> dict:
    return {
        **actor_ref(row),
        "kind": row.kind,
        "role": row.role,
        "description": row.description,
        "same_as": row.same_as,
        "parent": actor_ref(row.parent) if row.parent_id else None,
    }


def outlet_ref(outlet: Outlet) -> dict:
    return {
        "id": outlet.pk,
        "slug": outlet.slug,
        "name": outlet.name,
        "url": absolute(slug_path("claims:outlet_detail", outlet.slug)),
    }


def outlet(row: Outlet) -> dict:
    return {
        **outlet_ref(row),
        "kind": row.kind,
        "homepage": row.homepage,
        "country": row.country,
        "language": row.language,
        "description": row.description,
    }


def narrative(row) -> dict:
    return {
        "id": row.pk,
        "slug": row.slug,
        "title": row.title,
        "summary": row.summary,
        "language": row.language,
        "target_countries": list(row.target_countries),
        "audience_languages": list(row.audience_languages),
        "url": absolute(slug_path("claims:narrative_detail", row.slug)),
    }


def tag(row: Tag) -> dict:
    return {
        "id": row.pk,
        "slug": row.slug,
        "name": row.name,
        "url": absolute(slug_path("claims:tag_detail", row.slug)),
    }


def claim_ref(claim: Claim) -> dict:
    return {
        "id": claim.pk,
        "slug": claim.slug,
        "text": claim.text,
        "url": absolute(slug_path("claims:claim_detail", claim.slug)),
    }


def claims(rows: Iterable[Claim]) -> list[dict]:
    """Claims as list items; `rows` should have claimant selected (see claim_rows)."""
    rows = list(rows)
    tags = defaultdict(list)
    for claim_id, slug in (
        Claim.tags.through.objects.filter(claim_id__in=[c.pk for c in rows])
        .order_by("tag__slug")
        .values_list("claim_id", "tag__slug")
    ):
        tags[claim_id].append(slug)
    return claim_items(rows, tags)


def claim_items(rows: list[Claim], tags: dict[int, list[str]]) -> list[dict]:
    return [
        {
            **claim_ref(claim),
            "language": claim.language,
            "first_seen_at": claim.first_seen_at,
            "updated_at": claim.updated_at,
            "claimant": actor_ref(claim.claimant) if claim.claimant_id else None,
            "official_position": claim.official_position,
            "rating": claim.published_rating or None,
            "tags": tags.get(claim.pk, []),
        }
        for claim in rows
    ]


def reports(rows: Iterable[Report]) -> dict[int, dict]:
    """Reports by id (outlets selected), each with its archived snapshots."""
    rows = {report.pk: report for report in rows}
    snapshots = defaultdict(list)
    for report_id, pk, sha256, fetched_at in (
        Snapshot.objects.filter(report_id__in=list(rows))
        .order_by("fetched_at", "pk")
        .values_list("report_id", "pk", "sha256", "fetched_at")
    ):
        snapshots[report_id].append(
            {
                "sha256": sha256,
                "fetched_at": fetched_at,
                "url": absolute(reverse("claims:snapshot_detail", args=[pk])),
            }
        )
    return {
        pk: {
            "id": pk,
            "url": report.link,
            "title": report.title,
            "published_at": report.published_at,
            "byline": report.byline,
            "language": report.language,
            "outlet": outlet_ref(report.outlet),
            "snapshots": snapshots[pk],
        }
        for pk, report in rows.items()
    }


def said_on(response: Response) -> dict | None:
    """Where the response was said (set `channel_verified` with mark_channels first)."""
    if not response.channel_kind and not response.channel_url:
        return None
    return {
        "kind": response.channel_kind or None,
        "url": response.channel_url,
        "verified": response.channel_verified,
    }


def responses(rows: list[Response], reported: dict[int, dict]) -> list[dict]:
    mark_channels(rows)
    return [
        {
            "id": response.pk,
            "responder": actor_ref(response.responder),
            "stance": response.stance,
            "attribution": response.attribution,
            "attribution_strength": Attribution(response.attribution).strength,
            "speaker_name": response.speaker_name,
            "quote": response.quote,
            "responded_at": response.responded_at,
            "said_on": said_on(response),
            "report": reported.get(response.report_id),
        }
        for response in rows
    ]


def quote_translations(rows: list[Response]) -> dict[int, list[dict]]:
    """Each response's approved, current quote translations, by response id (one query)."""
    found = defaultdict(list)
    translations = (
        Translation.objects.public()
        .filter(part=TranslatedPart.QUOTE, response__in=[r.pk for r in rows])
        .select_related("translator")
        .order_by("language", "pk")
    )
    for item in translations:
        translator = item.translator
        found[item.response_id].append(
            {
                "language": item.language,
                "text": item.text,
                "translator_kind": item.translator_kind,
                "translator": (translator.get_full_name() or translator.get_username())
                if translator and not item.is_machine
                else None,
                "engine": item.engine,
                "translated_at": item.translated_at,
            }
        )
    return found


def denials(rows: list[Response]) -> list[dict]:
    """Denials as feed items (rows with claim, responder and report__outlet selected)."""
    reported = reports(response.report for response in rows if response.report_id)
    return [
        {**item, "claim": claim_ref(response.claim)}
        for item, response in zip(responses(rows, reported), rows, strict=True)
    ]


def verdicts(rows: list[Verdict]) -> list[dict]:
    corrections = defaultdict(list)
    for correction in Correction.objects.public().filter(verdict__in=[v.pk for v in rows]):
        corrections[correction.verdict_id].append(
            {"id": correction.pk, "text": correction.text, "published_at": correction.published_at}
        )
    items = []
    for verdict in rows:
        rating = Rating(verdict.rating)
        items.append(
            {
                "id": verdict.pk,
                "claim_id": verdict.claim_id,
                "rating": rating.value,
                "rating_value": rating.rating_value,
                "rating_label": str(rating.label),
                "summary": verdict.summary,
                "rationale": verdict.rationale,
                "published_at": verdict.published_at,
                "corrections": corrections[verdict.pk],
            }
        )
    return items


def names_of(claim: Claim) -> tuple[list[str], list[dict]]:
    """The claim's tag slugs (by slug) and subjects (by name), in one query: the two lists
    of names as one UNION, sorted by the database (its collation, as the reader's pages)."""
    tags = Claim.tags.through.objects.filter(claim=claim).annotate(
        is_tag=Value(True), sort_key=F("tag__slug"), name_id=F("tag_id")
    )
    subjects = Claim.subjects.through.objects.filter(claim=claim).annotate(
        is_tag=Value(False), sort_key=F("actor__name"), name_id=F("actor_id")
    )
    columns = ("is_tag", "sort_key", "name_id")
    rows = list(
        tags.values_list(*columns, "tag__slug", "tag__name")
        .union(subjects.values_list(*columns, "actor__slug", "actor__name"), all=True)
        .order_by(*columns)
    )
    return (
        [slug for is_tag, _, _, slug, _ in rows if is_tag],
        [
            actor_ref(Actor(pk=pk, slug=slug, name=name))
            for is_tag, _, pk, slug, name in rows
            if not is_tag
        ],
    )


def claim_detail(claim: Claim) -> dict:
    """The whole approved chain of one claim, in a query per kind of row: carriages,
    responses, the reports' snapshots, the names, and only when there are any the quotes'
    translations, the channels and the verdict with its corrections."""
    carriages = list(
        Carriage.objects.public()
        .filter(claim=claim)
        .select_related("report__outlet")
        .defer("report__body")
    )
    answers = list(
        Response.objects.public()
        .filter(claim=claim)
        .select_related("responder", "report__outlet")
        .defer("report__body")
        .order_by("responded_at", "pk")
    )
    reported = reports([c.report for c in carriages] + [r.report for r in answers if r.report_id])
    translated = quote_translations(answers) if answers else {}
    # A carriage cites one upstream, usually of this chain: only others need a look-up.
    public_cited = {c.pk for c in carriages}
    elsewhere = {c.cites_id for c in carriages if c.cites_id} - public_cited
    if elsewhere:
        public_cited |= set(
            Carriage.objects.public().filter(pk__in=elsewhere).values_list("pk", flat=True)
        )
    # The stored rating is the published verdict's (models/derived.py): none, no look-up.
    verdict = (
        Verdict.objects.published().filter(claim=claim).first() if claim.published_rating else None
    )
    tag_slugs, subjects = names_of(claim)
    return {
        **claim_items([claim], {claim.pk: tag_slugs})[0],
        "context": claim.context,
        "subjects": subjects,
        "carriages": [
            {
                "id": c.pk,
                "role": c.role,
                "wording": c.wording,
                "cites": c.cites_id if c.cites_id in public_cited else None,
                "report": reported[c.report_id],
            }
            for c in carriages
        ],
        "responses": [
            {**item, "language": answer.language, "translations": translated.get(answer.pk, [])}
            for item, answer in zip(responses(answers, reported), answers, strict=True)
        ],
        "verdict": verdicts([verdict])[0] if verdict else None,
    }
