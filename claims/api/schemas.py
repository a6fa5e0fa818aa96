"""
The shapes the API answers with (and documents in its OpenAPI schema).

Every object has a stable numeric `id` and, where readers have a page for it, the page's
absolute `url`. Choices (stance, attribution, position, rating…) are the same values the
reader site's filters use.
"""

from datetime import datetime

from ninja import Schema
from pydantic import Field

from claims.models import (
    ActorKind,
    Attribution,
    CarriageRole,
    OfficialPosition,
    OutletKind,
    Rating,
    SaidOn,
    Stance,
    TranslatorKind,
    WebhookEvent,
)


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[dict] | None = None


class ActorRef(Schema):
    id: int
    slug: str
    name: str
    url: str


class OutletRef(Schema):
    id: int
    slug: str
    name: str
    url: str


class TagOut(Schema):
    id: int
    slug: str
    name: str
    url: str


class Actor(ActorRef):
    kind: ActorKind
    role: str
    description: str
    same_as: str = Field(description="Homepage or Wikipedia page.")
    parent: ActorRef | None


class TrackRecord(Schema):
    claims: int = Field(
        description="Public claims it spread (an origin or repeat report; not a mention)."
    )
    denied: int = Field(description="Of those, how many officials denied (or denied in part).")
    false_or_misleading: int = Field(
        description="Of those, rated false, mostly false or misleading."
    )


class Outlet(OutletRef):
    kind: OutletKind
    homepage: str
    country: str
    language: str
    description: str


class OutletDetail(Outlet):
    track_record: TrackRecord


class Snapshot(Schema):
    sha256: str
    fetched_at: datetime
    url: str = Field(description="The archived copy on this site.")


class Report(Schema):
    id: int
    url: str = Field(description="The report's own address (canonical when known).")
    title: str
    published_at: datetime | None
    byline: str
    language: str
    outlet: OutletRef
    snapshots: list[Snapshot]


class Carriage(Schema):
    id: int
    role: CarriageRole
    wording: str
    cites: int | None = Field(description="The id of the upstream carriage this report cites.")
    report: Report


class QuoteTranslation(Schema):
    """An approved translation of a quote, made from the quote as it is now."""

    language: str
    text: str
    translator_kind: TranslatorKind = Field(description="An editor, or a machine.")
    translator: str | None = Field(description="The editor's name (editor translations).")
    engine: str = Field(description="The machine translation engine (machine translations).")
    translated_at: datetime


class SaidOnChannel(Schema):
    kind: SaidOn | None = Field(description="Telegram, briefing, website, interview, social…")
    url: str = Field(description="The post, statement or channel itself; empty if none.")
    verified: bool | None = Field(
        description="Whether the responder verified this channel as theirs; null when it is "
        "not a channel with an address."
    )


class Response(Schema):
    id: int
    responder: ActorRef
    stance: Stance
    attribution: Attribution
    attribution_strength: int = Field(description="5 (named official) down to 1 (unattributed).")
    speaker_name: str
    quote: str
    responded_at: datetime
    said_on: SaidOnChannel | None = Field(
        description="Where the response was said, as opposed to the report that relayed it."
    )
    report: Report | None = Field(description="Where the response was reported.")


class ClaimResponse(Response):
    language: str = Field(description="The quote's language, as said.")
    translations: list[QuoteTranslation] = Field(
        description="The quote's approved, current translations; the quote stays the original."
    )


class Correction(Schema):
    id: int
    text: str
    published_at: datetime


class Verdict(Schema):
    id: int
    claim_id: int
    rating: Rating
    rating_value: int = Field(description="ClaimReview ratingValue: 1 (false) to 6 (true).")
    rating_label: str
    summary: str
    rationale: str
    published_at: datetime
    corrections: list[Correction]


class ClaimRef(Schema):
    id: int
    slug: str
    text: str
    url: str


class Claim(ClaimRef):
    language: str
    first_seen_at: datetime | None
    updated_at: datetime
    claimant: ActorRef | None
    official_position: OfficialPosition
    rating: Rating | None = Field(description="The published verdict's rating, if any.")
    tags: list[str] = Field(description="Tag slugs.")


class ClaimDetail(Claim):
    context: str
    subjects: list[ActorRef]
    carriages: list[Carriage]
    responses: list[ClaimResponse]
    verdict: Verdict | None


class Denial(Schema):
    """One approved denial: the feed's item."""

    id: int
    claim: ClaimRef
    responder: ActorRef
    stance: Stance
    attribution: Attribution
    speaker_name: str
    quote: str
    responded_at: datetime
    report: Report | None


class VerdictItem(Verdict):
    claim: ClaimRef


def page_of(item: type[Schema], name: str) -> type[Schema]:
    """A list page: the items and the cursor of the next page (null on the last)."""
    return type(
        name,
        (Schema,),
        {
            "__annotations__": {"items": list[item], "next_cursor": str | None},
            "next_cursor": Field(
                description="Pass as `cursor` for the next page; null on the last page."
            ),
        },
    )


class NarrativeOut(Schema):
    id: int
    slug: str
    title: str
    summary: str
    language: str
    target_countries: list[str]
    audience_languages: list[str]
    url: str


class NarrativeDetail(NarrativeOut):
    claim_ids: list[int] = Field(description="Its public claims, newest first seen first.")
    first_appearance: datetime | None
    latest_appearance: datetime | None


ClaimPage = page_of(Claim, "ClaimPage")
ActorPage = page_of(Actor, "ActorPage")
OutletPage = page_of(Outlet, "OutletPage")
TagPage = page_of(TagOut, "TagPage")
NarrativePage = page_of(NarrativeOut, "NarrativePage")
DenialPage = page_of(Denial, "DenialPage")
VerdictPage = page_of(VerdictItem, "VerdictPage")


class WebhookIn(Schema):
    url: str = Field(max_length=1000, description="A public https or http address.")
    events: list[WebhookEvent] = Field(min_length=1)


class WebhookOut(Schema):
    id: int
    url: str
    events: list[WebhookEvent]
    active: bool
    created_at: datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(description="Signs every delivery; shown only now.")


class Delivery(Schema):
    id: int
    event: WebhookEvent
    state: str
    attempts: int
    last_status_code: int | None
    last_error: str
    created_at: datetime
    delivered_at: datetime | None
