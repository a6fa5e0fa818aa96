"""Keyword-only factory functions for tests. Each makes a valid row with sensible defaults.

Chain rows (claims, carriages, responses, corrections) are created approved, as readers see
them, unless `approved=False`: then they are private, as an editor's unreviewed work is."""

import itertools
from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from claims.models import (
    Actor,
    Attribution,
    Carriage,
    CarriageRole,
    Claim,
    Outlet,
    Report,
    Response,
    Stance,
    Tag,
    Verdict,
    VerdictState,
    derived,
)
from claims.roles import EDITOR, REVIEWER, grant_role

_seq = itertools.count(1)


def create_user(
    *,
    username: str | None = None,
    role: str | None = None,
    password: str = "a-long-test-password",
    **fields,
):
    user = get_user_model().objects.create_user(
        username=username or f"user{next(_seq)}", password=password, **fields
    )
    if role:
        grant_role(user, role)
    return user


def create_editor(**fields):
    return create_user(role=EDITOR, **fields)


def create_reviewer(**fields):
    return create_user(role=REVIEWER, **fields)


def create_tag(*, name: str | None = None, slug: str | None = None) -> Tag:
    n = next(_seq)
    return Tag.objects.create(name=name or f"tag{n}", slug=slug or f"tag-{n}")


def create_actor(*, name: str | None = None, slug: str | None = None, **fields) -> Actor:
    n = next(_seq)
    return Actor.objects.create(name=name or f"Actor {n}", slug=slug or f"actor-{n}", **fields)


def create_outlet(*, name: str | None = None, slug: str | None = None, **fields) -> Outlet:
    n = next(_seq)
    return Outlet.objects.create(name=name or f"Outlet {n}", slug=slug or f"outlet-{n}", **fields)


def create_report(
    *,
    outlet: Outlet | None = None,
    title: str | None = None,
    published_at: datetime | None = None,
    **fields,
) -> Report:
    return Report.objects.create(
        outlet=outlet or create_outlet(),
        title=title or f"Report {next(_seq)}",
        published_at=published_at or timezone.now(),
        **fields,
    )


def _gate(fields: dict, approved: bool) -> dict:
    if approved:
        fields.setdefault("approved_at", timezone.now())
    return fields


def create_claim(
    *,
    text: str | None = None,
    slug: str | None = None,
    subjects=(),
    tags=(),
    approved: bool = True,
    **fields,
) -> Claim:
    n = next(_seq)
    fields.setdefault("first_seen_at", timezone.now())
    _gate(fields, approved)
    claim = Claim.objects.create(
        text=text or f"Claim number {n}", slug=slug or f"claim-{n}", **fields
    )
    claim.subjects.set(subjects)
    claim.tags.set(tags)
    derived.refresh_for(claim)
    return claim


def create_carriage(
    *,
    claim: Claim | None = None,
    report: Report | None = None,
    role: str = CarriageRole.REPEAT,
    approved: bool = True,
    **fields,
) -> Carriage:
    _gate(fields, approved)
    carriage = Carriage.objects.create(
        claim=claim or create_claim(), report=report or create_report(), role=role, **fields
    )
    derived.refresh_for(carriage)
    return carriage


def create_response(
    *,
    claim: Claim | None = None,
    responder: Actor | None = None,
    stance: str = Stance.DENIES,
    attribution: str = Attribution.SPOKESPERSON,
    approved: bool = True,
    **fields,
) -> Response:
    _gate(fields, approved)
    response = Response.objects.create(
        claim=claim or create_claim(),
        responder=responder or create_actor(),
        stance=stance,
        attribution=attribution,
        **fields,
    )
    # Factories write rows directly, as a bulk load would: refresh what is derived from them.
    derived.refresh_for(response)
    return response


def create_verdict(
    *,
    claim: Claim | None = None,
    author=None,
    rating: str = "unproven",
    state: str = VerdictState.DRAFT,
    **fields,
) -> Verdict:
    if state == VerdictState.PUBLISHED:
        fields.setdefault("reviewer", create_reviewer())
        fields.setdefault("published_at", timezone.now())
    verdict = Verdict.objects.create(
        claim=claim or create_claim(),
        author=author or create_editor(),
        rating=rating,
        state=state,
        **fields,
    )
    derived.refresh_for(verdict)
    return verdict


# Reader (issue 3) additions.


def create_snapshot(
    *,
    report: Report | None = None,
    content: bytes = b"<html><body><p>Archived</p></body></html>",
    **fields,
):
    from claims.models import Snapshot

    report = report or create_report()
    fields.setdefault("url", report.url or "https://example.com/report")
    fields.setdefault("status_code", 200)
    fields.setdefault("content_type", "text/html; charset=utf-8")
    return Snapshot.of(report, content=content, **fields)


def create_correction(
    *, verdict: Verdict, text: str = "We corrected a date.", approved: bool = True, **fields
):
    from claims.models import Correction

    if approved:
        fields.setdefault("published_at", timezone.now())
        fields.setdefault("approved_at", fields["published_at"])
    return Correction.objects.create(verdict=verdict, text=text, **fields)


def create_translation(
    *,
    source,
    language: str = "en",
    text: str = "A translation",
    translator=None,
    engine: str = "",
    approved: bool = True,
    **fields,
):
    """A translation of a claim's text, a quote or a verdict's summary, made from its text
    as it is now: by `translator` (an editor, made if needed), or by a machine `engine`."""
    from claims.models import Translation, TranslatorKind
    from claims.models.translations import SOURCE_FIELDS, part_of

    part = part_of(source)
    fk, field = SOURCE_FIELDS[part]
    if engine:
        fields |= {"translator_kind": TranslatorKind.MACHINE, "engine": engine}
    else:
        fields |= {
            "translator_kind": TranslatorKind.EDITOR,
            "translator": translator or create_editor(),
        }
    _gate(fields, approved)
    rows = {"claim": source if isinstance(source, Claim) else source.claim, fk: source}
    return Translation.objects.create(
        **rows,
        part=part,
        language=language,
        text=text,
        source_text=getattr(source, field),
        source_language=getattr(source, "language", ""),
        **fields,
    )


def create_denied_chain() -> dict:
    """The Umerov chain in miniature: a claim, its origin, a repeat, a denial and a verdict."""
    from datetime import timedelta

    from claims.models import CarriageRole

    now = timezone.now()
    claimant = create_actor(name="Clash Report", kind="organisation")
    office = create_actor(name="President's Office", kind="organisation")
    umerov = create_actor(name="Rustem Umerov")
    tag = create_tag(name="umerov")
    origin_outlet = create_outlet(name="Clash Report")
    agency = create_outlet(name="Interfax-Ukraine")
    claim = create_claim(
        text="Umerov refused to return to Ukraine",
        claimant=claimant,
        subjects=[umerov],
        tags=[tag],
        language="en",
        first_seen_at=now - timedelta(days=3),
    )
    origin_report = create_report(
        outlet=origin_outlet,
        title="Umerov refused to return",
        url="https://clash.example/post/1",
        published_at=now - timedelta(days=3),
    )
    agency_report = create_report(
        outlet=agency,
        title="President's Office denies reports about Umerov",
        url="https://interfax.example/news/1",
        published_at=now - timedelta(days=2),
    )
    origin = create_carriage(claim=claim, report=origin_report, role=CarriageRole.ORIGIN)
    repeat = create_carriage(claim=claim, report=agency_report, role=CarriageRole.MENTION)
    denial = create_response(
        claim=claim,
        responder=office,
        stance=Stance.DENIES,
        attribution="anonymous_source",
        quote="It's fake",
        report=agency_report,
        responded_at=now - timedelta(days=2),
    )
    author = create_user(username="olena", first_name="Olena", last_name="Editor")
    reviewer = create_user(username="petro", first_name="Petro", last_name="Reviewer")
    verdict = create_verdict(
        claim=claim,
        rating="unproven",
        state=VerdictState.PUBLISHED,
        author=author,
        reviewer=reviewer,
        summary="Denied anonymously; nothing shows it is true or false.",
        rationale="The only source is a post with no evidence.",
        published_at=now - timedelta(days=1),
    )
    return {
        "claim": claim,
        "claimant": claimant,
        "office": office,
        "umerov": umerov,
        "tag": tag,
        "agency": agency,
        "origin_outlet": origin_outlet,
        "origin": origin,
        "repeat": repeat,
        "denial": denial,
        "verdict": verdict,
        "agency_report": agency_report,
        "origin_report": origin_report,
    }
