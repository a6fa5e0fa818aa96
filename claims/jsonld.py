"""
schema.org ClaimReview for a claim page (Google's required and recommended properties),
and a safe way to put JSON-LD into a <script> element.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString

from .models import ActorKind, Carriage, CarriageRole, Claim, Response, SaidOn, Verdict

# json_script's escapes: "<", ">" and "&" become \\u003C etc., so "</script>" cannot end the
# element early, and the JSON stays valid.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def ld_json_script(data: dict) -> SafeString:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', SafeString(text))


def fact_checker() -> dict:
    return {"@type": "Organization", "name": settings.SITE_NAME, "url": settings.SITE_URL + "/"}


def _creative_work(carriage: Carriage) -> dict:
    report = carriage.report
    work = {
        "@type": "CreativeWork",
        "headline": report.title,
        "author": {"@type": "Organization", "name": report.outlet.name},
    }
    if report.link:
        work["url"] = report.link
    if report.published_at:
        work["datePublished"] = report.published_iso()
    return work


def _actor(actor) -> dict:
    thing = {
        "@type": "Person" if actor.kind == ActorKind.PERSON else "Organization",
        "name": actor.name,
    }
    if actor.same_as:
        thing["sameAs"] = actor.same_as
    return thing


# Posts on a channel are social media postings; briefings and statements are plain works.
POSTINGS = {SaidOn.TELEGRAM.value, SaidOn.SOCIAL.value}


def _response(response: Response) -> dict:
    """An official response as a cited work: said by the responder on its channel (`url`,
    `genre`), relayed by the report it is the subject of (`subjectOf`)."""
    work = {
        "@type": "SocialMediaPosting" if response.channel_kind in POSTINGS else "CreativeWork",
        "author": _actor(response.responder),
        "datePublished": response.responded_at.isoformat(),
    }
    if response.quote:
        work["text"] = response.quote
        if response.language:
            work["inLanguage"] = response.language
    if response.channel_kind:
        work["genre"] = response.channel_kind
    if response.channel_url:
        work["url"] = response.channel_url
    if response.report_id:
        report = response.report
        relayed = {
            "@type": "CreativeWork",
            "headline": report.title,
            "publisher": {"@type": "Organization", "name": report.outlet.name},
        }
        if report.link:
            relayed["url"] = report.link
        work["subjectOf"] = relayed
    return work


def _claim_author(claim: Claim, first: Carriage | None) -> dict | None:
    if claim.claimant is not None:
        return _actor(claim.claimant)
    if first is not None:
        # No named claimant: the outlet that first carried it is who put it out.
        return {"@type": "Organization", "name": first.report.outlet.name}
    return None


def first_appearance(carriages: list[Carriage]) -> Carriage | None:
    """The origin carriage if there is one, else the earliest-published carriage."""
    if not carriages:
        return None
    origins = [c for c in carriages if c.role == CarriageRole.ORIGIN]
    pool = origins or carriages

    def when(carriage: Carriage):
        published = carriage.report.published_at
        return (published is None, published.timestamp() if published else 0, carriage.pk)

    return min(pool, key=when)


def claim_review(
    claim: Claim,
    verdict: Verdict,
    carriages: list[Carriage],
    *,
    page_url: str,
    responses: list[Response] = (),
) -> dict | None:
    """The ClaimReview for a published verdict; None for any other state. The official
    responses it stands on are its citations, each with the channel it was said on."""
    if verdict is None or verdict.state != "published" or not verdict.rating:
        return None
    first = first_appearance(carriages)
    # The texts as the page shows them (claims/translated.py): an approved, current
    # translation into the reader's language, or the original.
    claim_text = _shown(claim, "shown_text", claim.text, claim.language)
    summary = _shown(verdict, "shown_summary", verdict.summary, "")
    rating = verdict.rating_choice.claim_review_rating()
    rating["name"] = rating["alternateName"]
    if summary.text:
        rating["ratingExplanation"] = summary.text
    item = {"@type": "Claim", "appearance": [_creative_work(c) for c in carriages]}
    if claim.language:
        item["inLanguage"] = claim.language  # the claim as it was made
    author = _claim_author(claim, first)
    if author:
        item["author"] = author
    claimed_at = claim.first_seen_at or (first.report.published_at if first else None)
    if claimed_at:
        item["datePublished"] = claimed_at.isoformat()
    if first is not None:
        item["firstAppearance"] = _creative_work(first)
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": page_url,
        "claimReviewed": claim_text.text,
        "author": fact_checker(),
        "datePublished": verdict.published_at.isoformat(),
        "reviewRating": rating,
        "itemReviewed": item,
    }
    modified = verdict.date_modified
    if modified:
        review["dateModified"] = modified.isoformat()
    if summary.text:
        review["reviewBody"] = summary.text
    # The language the review is written in as given here: its summary's, else its claim's.
    language = (summary.language if summary.text else "") or claim_text.language
    if language:
        review["inLanguage"] = language
    if responses:
        review["citation"] = [_response(response) for response in responses]
    return review


def _shown(row, attribute: str, text: str, language: str):
    from .translated import Shown

    return getattr(row, attribute, None) or Shown(text, language, text, language)
