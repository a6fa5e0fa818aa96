"""
The import flow across models: run a job (fetch → extract → suggest), compare with a report
already on file, and confirm: create the report, snapshot, claim, carriage and response in one
transaction, each with a history entry.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_noop

from claims.duplicates import same_response
from claims.languages import detect_language
from claims.models import (
    Attribution,
    Carriage,
    CarriageRole,
    Claim,
    ExternalReview,
    HistoryAction,
    ImportJob,
    ImportJobStatus,
    LeadState,
    Outlet,
    OutletKind,
    PublishedPrecision,
    Report,
    Response,
    Snapshot,
    Tag,
    writing,
)
from claims.models.importing import Notice
from claims.models.sources import unique_slug

from . import telegram
from .extract import DEFAULT_TIME_ZONE, Article, ExtractError, extract, host_of
from .fetch import FetchError, fetch
from .suggest import is_institution, suggest

logger = logging.getLogger(__name__)

# The report fields a re-import compares, in the order the desk shows them.
REPORT_FIELDS = ["title", "published_at", "byline", "language", "body", "url", "tags"]


class ImportFailed(Exception):
    """An import that cannot go on; the message is meant for the editor."""


def telegram_homepage(url: str) -> str:
    """A Telegram channel's own address: every channel shares the host t.me."""
    channel = telegram.channel_of(url)
    return f"https://t.me/{channel}" if channel else ""


def find_outlet(article: Article) -> Outlet | None:
    """The outlet on file for this article: by homepage host (a Telegram channel by its own
    address), else by name."""
    channel_home = telegram_homepage(article.canonical_url or article.url)
    if channel_home:
        return Outlet.objects.filter(homepage__iexact=channel_home).first()
    host = host_of(article.canonical_url or article.url).removeprefix("www.")
    if host:
        for outlet in Outlet.objects.exclude(homepage=""):
            if host_of(outlet.homepage).removeprefix("www.") == host:
                return outlet
    if article.outlet:
        return Outlet.objects.filter(name__iexact=article.outlet).first()
    return None


def time_zone_for(url: str, outlet: Outlet | None) -> str:
    if outlet is not None:
        return outlet.time_zone
    if url:
        found = find_outlet(Article(url=url))
        if found is not None:
            return found.time_zone
    return DEFAULT_TIME_ZONE


def read_article(content: bytes, *, url: str = "", charset: str = "", outlet=None) -> Article:
    article = extract(content, url=url, charset=charset, time_zone=time_zone_for(url, outlet))
    return article


def report_values(report: Report) -> dict:
    return {
        "title": report.title,
        "published_at": report.published_at.isoformat() if report.published_at else None,
        "byline": report.byline,
        "language": report.language,
        "body": report.body,
        "url": report.url,
        "tags": sorted(report.tags.values_list("name", flat=True)),
    }


def article_values(article: Article) -> dict:
    return {
        "title": article.title,
        "published_at": article.published.isoformat() if article.published else None,
        "byline": article.byline,
        "language": article.language,
        "body": article.body,
        "url": article.url,
        "tags": sorted(article.tags),
    }


def same_time(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return a == b
    left, right = parse_datetime(a), parse_datetime(b)
    return left == right if left and right else a == b


def report_diff(report: Report, article: Article) -> dict:
    """{"field": [on file, in the page now]} for each field the page changed."""
    before, after = report_values(report), article_values(article)
    changes = {}
    for name in REPORT_FIELDS:
        if name == "published_at":
            if not same_time(before[name], after[name]):
                changes[name] = [before[name], after[name]]
        elif name == "tags":
            if {t.casefold() for t in before[name]} != {t.casefold() for t in after[name]}:
                changes[name] = [before[name], after[name]]
        elif (before[name] or "").strip() != (after[name] or "").strip():
            changes[name] = [before[name], after[name]]
    return changes


def existing_report(article: Article) -> Report | None:
    keys = {k for k in (article.canonical_url, article.url) if k}
    if not keys:
        return None
    return Report.objects.filter(canonical_url__in=keys).first()


def build_result(article: Article) -> dict:
    suggestion = suggest(title=article.title, body=article.body, outlet=article.outlet)
    if suggestion and article.source == "telegram" and not suggestion.responder:
        # A channel's post speaks in the channel's own name.
        suggestion.responder = article.outlet
        suggestion.attribution = (
            Attribution.OFFICIAL_STATEMENT
            if is_institution(article.outlet)
            else Attribution.NAMED_OFFICIAL
        ).value
        suggestion.notes.pop("responder", None)
    if suggestion and article.source == "telegram" and not suggestion.quote:
        # The post is the channel's own words: its denial sentence is the quote.
        suggestion.quote = suggestion.evidence
        suggestion.notes.pop("quote", None)
    report = existing_report(article)
    return {
        "article": article.as_json(),
        "suggestion": suggestion.as_json() if suggestion else None,
        "existing_report": report.pk if report else None,
        "diff": report_diff(report, article) if report else {},
    }


def run_import(job: ImportJob) -> ImportJob:
    """Fetch (unless the HTML came with the job), extract and suggest; never raises."""
    try:
        content, charset = bytes(job.source or b""), ""
        if not content:
            job.advance(ImportJobStatus.FETCHING, 10)
            fetched = fetch(job.url)
            content, charset = fetched.content, fetched.charset
            job.source = content
            job.fetched_url, job.status_code = fetched.url, fetched.status_code
            job.content_type, job.fetched_at = fetched.content_type, fetched.fetched_at
            job.save(
                update_fields=[
                    "source",
                    "fetched_url",
                    "status_code",
                    "content_type",
                    "fetched_at",
                    "updated_at",
                ]
            )
        job.advance(ImportJobStatus.EXTRACTING, 60)
        article = read_article(
            content, url=job.fetched_url or job.url, charset=charset, outlet=job.outlet
        )
        job.result = build_result(article)
        job.status, job.progress = ImportJobStatus.READY, 100
        job.error, job.error_notice = "", {}
        job.save(
            update_fields=["result", "status", "progress", "error", "error_notice", "updated_at"]
        )
    except (FetchError, ExtractError) as error:
        logger.info("import %s failed: %s", job.pk, error)
        job.fail(error.notice)
    except Exception:
        logger.exception("import %s crashed", job.pk)
        job.fail(Notice(gettext_noop("The import failed unexpectedly; the error has been logged.")))
    return job


# ---------------------------------------------------------------------------------------------
# Confirmation


@dataclass
class Confirmation:
    """What the editor confirmed on the desk (see forms.ConfirmForm)."""

    outlet_name: str
    title: str
    url: str = ""
    canonical_url: str = ""
    published_at: datetime | None = None
    byline: str = ""
    language: str = ""
    body: str = ""
    tags: list[str] = field(default_factory=list)
    # Report fields to take from the page when the report is already on file.
    update_fields: list[str] = field(default_factory=list)
    claim_text: str = ""
    existing_claim: Claim | None = None
    claimant: str = ""
    carriage_role: str = CarriageRole.MENTION
    wording: str = ""
    responder: str = ""
    stance: str = ""
    attribution: str = ""
    speaker_name: str = ""
    quote: str = ""
    published_precision: str = PublishedPrecision.TIME
    # Other fact-checkers' reviews on the page (ClaimReview markup) the editor linked.
    external_reviews: list[dict] = field(default_factory=list)


@dataclass
class Created:
    report: Report | None
    report_created: bool
    snapshot: Snapshot | None = None
    claim: Claim | None = None
    carriage: Carriage | None = None
    response: Response | None = None
    external_reviews: list = field(default_factory=list)
    updated_fields: list[str] = field(default_factory=list)
    # The claim and response were on file already (a second import of the same article).
    claim_on_file: bool = False
    response_on_file: bool = False
    # Actors, outlets and tags the confirmation filed for the first time.
    new_names: list = field(default_factory=list)


def save_report(data: Confirmation, *, by, created: "Created") -> Report:
    """Create the report, or update the fields the editor chose on the one on file: through
    the write path (models/writing.py), so a public report's update waits for review."""
    report = None
    if data.canonical_url:
        report = Report.objects.select_for_update().filter(canonical_url=data.canonical_url).first()
    values = {
        "title": data.title,
        "published_at": data.published_at,
        "published_precision": data.published_precision,
        "byline": data.byline[:300],
        "language": data.language[:10],
        "body": data.body,
        "url": data.url,
    }
    if report is None:
        homepage, kind = telegram_homepage(data.canonical_url or data.url), OutletKind.TELEGRAM
        if not homepage and (data.canonical_url or data.url):
            parts = urlsplit(data.canonical_url or data.url)
            homepage, kind = f"{parts.scheme}://{parts.netloc}/", OutletKind.ONLINE
        outlet, new = writing.resolve_outlet(
            data.outlet_name, by=by, create=True, homepage=homepage, kind=kind
        )
        if new:
            created.new_names.append(outlet)
        tags = _tags(data.tags, by=by, created=created)
        created.report_created = True
        return writing.create(
            Report,
            by=by,
            values={**values, "outlet": outlet, "tags": tags},
            canonical_url=data.canonical_url or None,
            action=HistoryAction.IMPORTED,
        )
    updated = [name for name in data.update_fields if name in values or name == "tags"]
    created.updated_fields = updated
    if updated:
        changed = {name: values[name] for name in updated if name in values}
        if "tags" in updated:
            changed["tags"] = _tags(data.tags, by=by, created=created)
        claims = list(Claim.objects.carried_in(report).order_by("pk"))
        writing.save_edit(
            report,
            by=by,
            version=writing.desk_version(report),
            values=changed,
            note="Re-imported; the editor took these fields from the page.",
            history_claims=claims,
        )
        report.refresh_from_db()
    return report


def _tags(names: list[str], *, by, created: "Created") -> list[Tag]:
    tags, new = writing.resolve_tags([name.strip()[:100] for name in names], by=by, create=True)
    created.new_names.extend(new)
    return tags


def _actor(name: str, *, by, created: "Created"):
    # The importer's rule for a name nobody has filed: create it, and say so on the page.
    actor, new = writing.resolve_actor(name, by=by, create=True)
    if new:
        created.new_names.append(actor)
    return actor


@transaction.atomic
def confirm(data: Confirmation, *, by, job: ImportJob | None = None) -> Created:
    """Create (or update as chosen) everything the editor confirmed, all or nothing, through
    the write path: the new claim, carriage and response wait for a second editor."""
    created = Created(report=None, report_created=False)
    report = save_report(data, by=by, created=created)
    created.report = report
    if job is not None and job.source:
        created.snapshot = Snapshot.of(
            report,
            url=job.fetched_url or job.url or data.canonical_url or data.url or "about:blank",
            content=bytes(job.source),
            fetched_at=job.fetched_at or job.created_at,
            status_code=job.status_code,
            content_type=job.content_type or "text/html",
        )
    claim = data.existing_claim
    if claim is None and data.claim_text.strip():
        # Importing the same article again: the claim it already carries is the same claim.
        claim = (
            Claim.objects.carried_in(report)
            .visible()
            .filter(text__iexact=data.claim_text.strip()[:500])
            .order_by("pk")
            .first()
        )
        created.claim_on_file = claim is not None
    if claim is None and data.claim_text.strip():
        claimant = _actor(data.claimant, by=by, created=created) if data.claimant.strip() else None
        text = data.claim_text.strip()[:500]
        claim = writing.create(
            Claim,
            by=by,
            values={
                "text": text,
                "claimant": claimant,
                "first_seen_at": data.published_at or timezone.now(),
                # The claim may be told in another language than the report's (a Russian claim
                # in an English article): its own words say which.
                "language": detect_language(text) or data.language[:10],
                "tags": _tags(data.tags, by=by, created=created),
            },
            slug=unique_slug(Claim, text, language=data.language),
        )
    created.claim = claim
    if claim is not None:
        carriage = Carriage.objects.filter(claim=claim, report=report).first()
        if carriage is None:
            carriage = writing.create(
                Carriage,
                by=by,
                values={
                    "claim": claim,
                    "report": report,
                    "wording": data.wording,
                    "language": report.language,
                    "role": data.carriage_role,
                },
            )
        created.carriage = carriage
        if data.responder.strip() and data.stance and data.attribution:
            responder = _actor(data.responder, by=by, created=created)
            created.response = same_response(
                claim=claim,
                responder=responder,
                stance=data.stance,
                quote=data.quote,
                report=report,
            )
            created.response_on_file = created.response is not None
        if created.response is None and data.responder.strip() and data.stance and data.attribution:
            created.response = writing.create(
                Response,
                by=by,
                values={
                    "claim": claim,
                    "responder": responder,
                    "stance": data.stance,
                    "attribution": data.attribution,
                    "speaker_name": data.speaker_name[:200],
                    "quote": data.quote,
                    "language": detect_language(data.quote) or report.language,
                    "report": report,
                    "responded_at": data.published_at or timezone.now(),
                },
            )
    if claim is not None:
        created.external_reviews = link_external_reviews(
            claim, data.external_reviews, report=report, by=by
        )
    if job is not None and job.pk:
        job.status, job.report = ImportJobStatus.CONFIRMED, report
        job.save(update_fields=["status", "report", "updated_at"])
        if job.lead_id:
            job.lead.decide(LeadState.IMPORTED, by=by)
    return created


def link_external_reviews(claim: Claim, reviews: list[dict], *, report, by) -> list:
    """File the chosen ClaimReviews under the claim (pending review, like the chain); a review
    already on file for the claim (same check URL, or same fact-checker and rating) is kept."""
    linked = []
    on_file = list(claim.external_reviews.filter(withdrawn_at__isnull=True))
    for review in reviews:
        author = (review.get("author") or "").strip()[:200]
        if not author:
            continue
        url, rating = (review.get("url") or "").strip()[:1000], (review.get("rating") or "")[:200]
        if any(
            (url and old.url == url) or (old.author == author and old.rating == rating)
            for old in on_file
        ):
            continue
        published = (
            parse_date((review.get("published") or "")[:10]) if review.get("published") else None
        )
        linked.append(
            writing.create(
                ExternalReview,
                by=by,
                values={
                    "claim": claim,
                    "report": report,
                    "author": author,
                    "rating": rating,
                    "claim_reviewed": (review.get("claim_reviewed") or "").strip(),
                    "url": url,
                    "published": published,
                },
            )
        )
        on_file.append(linked[-1])
    return linked


def confirmation_from_article(article: Article, *, outlet_name: str = "") -> Confirmation:
    """A report-only confirmation straight from the page (the CLI's save)."""
    return Confirmation(
        outlet_name=outlet_name or article.outlet or "Unknown outlet",
        title=article.title,
        url=article.url,
        canonical_url=article.canonical_url,
        published_at=article.published,
        published_precision=article.published_precision or PublishedPrecision.TIME,
        byline=article.byline,
        language=article.language,
        body=article.body,
        tags=article.tags,
    )
