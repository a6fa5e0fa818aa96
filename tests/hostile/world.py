"""
Put hostile text into the database the way users and pages do.

`through_desk` drives the editor desk with Django's test client (an editor and a reviewer):
every payload becomes an actor (name, role), an outlet, a tag, a claim (text, context), a report
(title, byline) carrying it (wording), a named official's response (speaker, quote) with a
machine translation of its quote (text, engine), a withdrawn response (reason), a verdict
(summary, rationale) returned with a review note, published and corrected (every fifth then
withdrawn, with a reason), and a second claim withdrawn with its carriage (reasons). What the
desk cannot type (descriptions, archived pages, feed leads) comes from factories.

`through_importer` pastes payload-laden article HTML into the importer, lets the pipeline
extract it, renders the review page and confirms what it found.

`packed` is the fast world for the browser: every payload in one place per field, on a few
pages.
"""

from dataclasses import dataclass, field
from html import escape
from http import HTTPStatus
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone

from claims.models import (
    Actor,
    Carriage,
    Claim,
    FeedItem,
    ImportJob,
    Lead,
    Narrative,
    Outlet,
    OutletFeed,
    Report,
    Response,
    SourceArchive,
    Tag,
    Verdict,
    writing,
)
from tests import factories

HARMLESS = "Harmless words"
WHEN = "2025-11-17T17:55"


@dataclass
class Entry:
    """What one payload became, for the pages that show it."""

    payload: str
    actor: Actor
    outlet: Outlet
    tag: Tag
    claim: Claim
    report: Report
    verdict: Verdict
    withdrawn_claim: Claim
    snapshot_pk: int
    narrative: Narrative
    # Pages only seen in passing (the verdict while returned, flash messages).
    seen: list[tuple[str, str]] = field(default_factory=list)
    feed: OutletFeed | None = None


def names(payloads: list[str], *, limit: int) -> list[str]:
    """A name per payload, unique ignoring case and surrounding whitespace (the desk's rule)."""
    taken, result = set(), []
    for n, payload in enumerate(payloads):
        name = payload.strip()[:limit] or f"blank {n}"
        if name.lower() in taken:
            name = f"{name[: limit - 8]} #{n}"
        taken.add(name.lower())
        result.append(name)
    return result


def _post(client, url: str, data: dict):
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND, (url, data, response.content[:2000])
    return response


def archived_page(payload: str) -> bytes:
    """An archived copy whose markup and text both carry the payload."""
    return (
        f"<html><head><title>{payload}</title></head><body>"
        f"<p>{escape(payload)}</p><div>{payload}</div>"
        f'<a href="{escape(payload)}">link</a></body></html>'
    ).encode()


def through_desk(
    editor_client,
    reviewer_client,
    payloads: list[str],
    *,
    start=0,
    errors=lambda n: True,
    only: range | None = None,
) -> list[Entry]:
    """`start` numbers this batch's URLs after an earlier batch's; `errors(n)` says whether
    payload n also goes through the desk's 422 and 409 pages. `only` (positions in
    `payloads`) takes part of the batch through, each payload named and numbered as in the
    whole batch, so the parts together type exactly what the whole batch would."""
    actor_names = names(payloads, limit=200)
    outlet_names = names(payloads, limit=200)
    tag_names = names(payloads, limit=100)
    entries = []
    for n, payload in enumerate(payloads, start=start):
        if only is not None and n - start not in only:
            continue
        seen = []
        for kind, name, extra in [
            ("actors", actor_names[n - start], {"kind": "person", "role": payload[:200]}),
            ("outlets", outlet_names[n - start], {"kind": "online", "homepage": ""}),
            ("tags", tag_names[n - start], {}),
        ]:
            data = {f"new-{kind}-{k}": v for k, v in {"name": name, **extra}.items()}
            # Over htmx the desk answers with the "Added <name>" fragment.
            page = editor_client.post(
                reverse("desk:name_create", args=[kind]), data, headers={"HX-Request": "true"}
            )
            assert page.status_code == HTTPStatus.OK, (kind, name, page.content[:2000])
            seen.append((f"{kind} added", page.content.decode()))
        actor = Actor.objects.get(name__iexact=actor_names[n - start])
        outlet = Outlet.objects.get(name__iexact=outlet_names[n - start])
        tag = Tag.objects.get(name__iexact=tag_names[n - start])
        Actor.objects.filter(pk=actor.pk).update(description=payload)
        Outlet.objects.filter(pk=outlet.pk).update(description=payload)

        _post(
            editor_client,
            reverse("desk:claim_create"),
            {
                "text": payload,
                "subjects": actor.slug,
                "claimant": actor.slug,
                "first_seen_at": WHEN,
                "tags": tag.slug,
                "language": "en",
                "context": payload,
                # Payloads look alike: each is logged deliberately next to the others.
                "new_anyway": "on",
            },
        )
        claim = Claim.objects.latest("pk")
        if errors(n):
            # The 422 (an unknown name, echoed in the error) and 409 (a stale edit, showing
            # both versions) pages carry the payload too.
            data = {"text": payload, "claimant": f"{payload} (new)", "first_seen_at": WHEN}
            page = editor_client.post(reverse("desk:claim_create"), data)
            assert page.status_code == HTTPStatus.UNPROCESSABLE_ENTITY, page.status_code
            seen.append(("unknown name", page.content.decode()))
            edit = reverse("desk:claim_edit", args=[claim.slug])
            data = {"text": payload, "first_seen_at": WHEN, "context": f"{payload}!", "version": 1}
            _post(editor_client, edit, data)
            page = editor_client.post(edit, {**data, "context": payload})
            assert page.status_code == HTTPStatus.CONFLICT, page.status_code
            seen.append(("edit conflict", page.content.decode()))
        _post(
            editor_client,
            reverse("desk:carriage_create", args=[claim.slug]),
            {
                "report": "",
                "new_report_outlet": outlet.slug,
                "new_report_url": f"https://news.example/{n}",
                "new_report_title": payload,
                "new_report_published_at": WHEN,
                "role": "origin",
                "wording": payload,
            },
        )
        report = Report.objects.latest("pk")
        _post(
            editor_client,
            reverse("desk:report_edit", args=[report.pk]),
            {
                "outlet": outlet.slug,
                "url": f"https://news.example/{n}",
                "title": payload,
                "published_at": WHEN,
                "byline": payload[:300],
                "language": "en",
                "tags": tag.slug,
                "version": report.version,
            },
        )
        response_url = reverse("desk:response_create", args=[claim.slug])
        denial = {
            "responder": actor.slug,
            "stance": "denies",
            "attribution": "named_official",
            "speaker_name": payload[:200],
            "quote": payload,
            "report": report.pk,
            "responded_at": WHEN,
            # Where it was said: shown on the claim page, the API, exports and JSON-LD.
            "channel_kind": "telegram",
            "channel_url": f"https://t.me/hostile/{n}?said={quote(payload[:300])}",
        }
        _post(editor_client, response_url, {**denial, "language": "uk"})
        _post(
            editor_client,
            reverse("desk:translation_create", args=[claim.slug]),
            {
                "part": "quote",
                "source": Response.objects.latest("pk").pk,
                "language": "en",
                "text": payload,
                "translator_kind": "machine",
                "engine": payload[:100] or "engine",
            },
        )
        _post(editor_client, response_url, {**denial, "stance": "clarifies"})
        clarification = Response.objects.latest("pk")
        _post(
            editor_client,
            reverse("desk:withdraw", args=["response", clarification.pk]),
            {"reason": payload, "version": clarification.version},
        )
        # A narrative titled and summarised with the payload, the claim put in it (approved
        # with the rest of the chain below).
        _post(
            editor_client,
            reverse("desk:narrative_create"),
            {"title": payload.strip()[:300] or f"blank {n}", "summary": payload, "language": "en"},
        )
        narrative = Narrative.objects.latest("pk")
        _post(
            editor_client,
            reverse("desk:narrative_attach", args=[claim.slug]),
            {"narrative": narrative.slug},
        )
        review(editor_client, reviewer_client, claim, payload, seen)
        # The editors' thread and ownership: a note mentioning the reviewer, an assignment.
        note = f"{payload} @hostile-reviewer"[:5000]
        _post(editor_client, reverse("desk:note_create", args=[claim.slug]), {"text": note})
        page = editor_client.post(
            reverse("desk:note_create", args=[claim.slug]),
            {"text": payload},
            headers={"HX-Request": "true"},
        )
        assert page.status_code == HTTPStatus.OK, page.status_code
        seen.append(("thread fragment", page.content.decode()))
        _post(
            editor_client,
            reverse("desk:claim_assign", args=[claim.slug]),
            {"editor": "hostile-reviewer"},
        )
        seen.append(
            (
                "mentions and assignments",
                reviewer_client.get(reverse("desk:dashboard")).content.decode(),
            )
        )

        _post(
            editor_client,
            reverse("desk:verdict_create", args=[claim.slug]),
            {"rating": "false", "summary": payload[:500], "rationale": payload},
        )
        verdict = Verdict.objects.latest("pk")
        _post(editor_client, reverse("desk:verdict_submit", args=[verdict.pk]), {})
        _post(reviewer_client, reverse("desk:verdict_return", args=[verdict.pk]), {"note": payload})
        page = editor_client.get(reverse("desk:verdict_edit", args=[verdict.pk]))
        seen.append(("returned verdict", page.content.decode()))
        _post(editor_client, reverse("desk:verdict_submit", args=[verdict.pk]), {})
        _post(reviewer_client, reverse("desk:verdict_publish", args=[verdict.pk]), {})
        _post(editor_client, reverse("desk:verdict_correct", args=[verdict.pk]), {"text": payload})
        if n % 5 == 2:  # a sample: a withdrawn verdict leaves the reader pages
            url = reverse("desk:verdict_withdraw", args=[verdict.pk])
            _post(reviewer_client, url, {"reason": payload})

        withdrawn = factories.create_claim(text=f"To be withdrawn {n}")
        carriage = factories.create_carriage(claim=withdrawn, report=report)
        _post(
            editor_client,
            reverse("desk:withdraw", args=["carriage", carriage.pk]),
            {"reason": payload, "version": 1},
        )
        _post(
            editor_client,
            reverse("desk:withdraw", args=["claim", withdrawn.pk]),
            {"reason": payload, "version": 1},
        )
        snapshot = factories.create_snapshot(report=report, content=archived_page(payload))
        # A failed archiving's reason on the report's page, and an unarchived source the
        # published verdict is flagged for (its outlet and title).
        SourceArchive.objects.update_or_create(
            report=report, defaults={"status": "failed", "reason": payload, "attempts": 1}
        )
        factories.create_carriage(
            claim=claim,
            report=factories.create_report(
                outlet=outlet, title=payload, url=f"https://news.example/unarchived/{n}"
            ),
        )
        # An outlet feed added on the desk, with the watcher's last error and a lead.
        feed_url = f"https://feed.example/{start}/{n}/rss"
        _post(
            editor_client,
            reverse("desk:feed_create"),
            {"outlet": outlet.slug, "url": feed_url, "active": "on"},
        )
        outlet_feed = OutletFeed.objects.get(url=feed_url)
        OutletFeed.objects.filter(pk=outlet_feed.pk).update(last_error=payload)
        if errors(n):
            page = editor_client.post(
                reverse("desk:feed_create"), {"outlet": payload, "url": payload}
            )
            assert page.status_code == HTTPStatus.UNPROCESSABLE_ENTITY, page.status_code
            seen.append(("feed form errors", page.content.decode()))
        item = FeedItem.objects.create(
            feed=outlet_feed,
            url=f"https://feed.example/{start}/{n}",
            title=payload,
            summary=payload,
        )
        Lead.objects.create(item=item, score=50, reasons=[payload])
        entries.append(
            Entry(
                payload=payload,
                actor=actor,
                outlet=outlet,
                tag=tag,
                claim=claim,
                report=report,
                verdict=verdict,
                withdrawn_claim=withdrawn,
                snapshot_pk=snapshot.pk,
                narrative=narrative,
                seen=seen,
                feed=outlet_feed,
            )
        )
    return entries


def review(editor_client, reviewer_client, claim, payload: str, seen: list) -> None:
    """The second editor's side: the queue and review pages, a return with the payload as its
    note (the author's dashboard shows it), approval; then a pending edit of the public
    claim, whose diff the review page shows, approved in turn."""

    def page(client, url: str) -> str:
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, (url, response.status_code)
        return response.content.decode()

    review_url = reverse("desk:review_claim", args=[claim.slug])
    desk_page = reverse("desk:claim_edit", args=[claim.slug])
    seen.append(("review page", page(reviewer_client, review_url)))
    seen.append(("review queue", page(reviewer_client, reverse("desk:review_queue"))))
    _post(
        reviewer_client,
        reverse("desk:review_return", args=[claim.slug]),
        {"note": payload, "fingerprint": writing.claim_fingerprint(claim)},
    )
    seen.append(("returned work", page(editor_client, reverse("desk:dashboard"))))
    seen.append(("returned claim", page(editor_client, desk_page)))
    _post(editor_client, reverse("desk:review_resubmit", args=[claim.slug]), {})
    approve = reverse("desk:review_approve", args=[claim.slug])
    _post(reviewer_client, approve, {"fingerprint": writing.claim_fingerprint(claim)})
    claim.refresh_from_db()
    _post(
        editor_client,
        desk_page,
        {
            "text": claim.text,
            "first_seen_at": WHEN,
            "context": f"{payload} (pending)",
            "version": writing.desk_version(claim),
        },
    )
    seen.append(("pending diff", page(reviewer_client, review_url)))
    seen.append(("pending side by side", page(editor_client, desk_page)))
    _post(reviewer_client, approve, {"fingerprint": writing.claim_fingerprint(claim)})


def article_html(payload: str, n: int) -> str:
    """A news article whose title, byline, tags, quote and body carry the payload as text, with
    the raw payload as markup besides."""
    text = escape(payload)
    return f"""<!doctype html><html lang="en"><head>
<meta charset="utf-8"><title>{text}</title>
<meta property="og:title" content="{text}">
<meta property="og:site_name" content="{text}">
<meta name="author" content="{text}">
<meta name="keywords" content="{text}, denial">
<meta property="article:published_time" content="2025-11-17T17:55:00+02:00">
<link rel="canonical" href="https://wire.example/news/{n}">
</head><body><article>
<h1>Ministry denies {text}</h1>
<p class="byline">By {text}</p>
<p>The ministry denied reports that {text}. “{text},” spokesperson {text} said.</p>
<p>The President's Office called the claim fake: “It's fake.” {payload}</p>
<p>{text} {text} The report was shared widely on social media on Monday evening.</p>
</article></body></html>"""


def through_importer(editor_client, capture, payloads: list[str]) -> list[ImportJob]:
    """Paste each article, review what the extractor found, and confirm it."""
    from claims.importer.forms import initial_from_result

    jobs = []
    for n, payload in enumerate(payloads):
        with capture(execute=True):
            _post(
                editor_client,
                reverse("importer:import_start"),
                {"html": article_html(payload, n), "page_url": f"https://wire.example/news/{n}"},
            )
        job = ImportJob.objects.latest("pk")
        job.review_html = editor_client.get(job.get_absolute_url()).content.decode()
        job.confirm_html = ""
        jobs.append(job)
        if job.status == "failed":  # e.g. control characters read as a garbled page
            continue
        assert job.status == "ready", (payload, job.status, job.error)
        initial = initial_from_result(job.result, outlet_name=f"Wire {n}")
        data = {k: v for k, v in initial.items() if v is not None}
        # Whatever the extractor missed, the editor types in.
        data.update(
            {
                "claim_text": data.get("claim_text") or payload,
                "claimant": data.get("claimant") or payload,
                "responder": data.get("responder") or f"Ministry {n}",
                "stance": "denies",
                "attribution": "named_official",
                "speaker_name": data.get("speaker_name") or payload,
                "quote": data.get("quote") or payload,
                "carriage_role": "mention",
                "title": data.get("title") or payload,
            }
        )
        response = editor_client.post(reverse("importer:job_confirm", args=[job.pk]), data)
        assert response.status_code in {HTTPStatus.FOUND, HTTPStatus.UNPROCESSABLE_ENTITY}, (
            payload,
            response.status_code,
        )
        job.confirm_html = response.content.decode()
    return jobs


def packed(payloads: list[str], *, claims: int = 3) -> dict:
    """Every payload in every field, on few pages: `claims` claims, each with a carriage, a
    named-official denial and a published verdict per payload's report and actor."""
    now = timezone.now()
    editor = factories.create_editor()
    reviewer = factories.create_reviewer()
    actors = [
        factories.create_actor(name=name, role=p[:200], description=p)
        for name, p in zip(names(payloads, limit=200), payloads, strict=True)
    ]
    outlets = [
        factories.create_outlet(name=name, description=p)
        for name, p in zip(names(payloads, limit=200), payloads, strict=True)
    ]
    tags = [factories.create_tag(name=name) for name in names(payloads, limit=100)]
    reports = [
        factories.create_report(
            outlet=outlet, title=p, byline=p[:300], body=p, url=f"https://news.example/{n}"
        )
        for n, (outlet, p) in enumerate(zip(outlets, payloads, strict=True))
    ]
    made = []
    for k in range(claims):
        share = payloads[k::claims]
        claim = factories.create_claim(
            text=share[0][:500],
            context="\n".join(share),
            claimant=actors[k],
            subjects=actors,
            tags=tags,
            first_seen_at=now,
        )
        for n, payload in enumerate(payloads):
            factories.create_carriage(claim=claim, report=reports[n], wording=payload)
            response = factories.create_response(
                claim=claim,
                responder=actors[n],
                attribution="named_official",
                speaker_name=payload[:200],
                quote=payload,
                language="uk",
                report=reports[n],
            )
            factories.create_translation(source=response, text=payload, engine=payload[:100])
        verdict = factories.create_verdict(
            claim=claim,
            author=editor,
            reviewer=reviewer,
            state="published",
            rating="false",
            summary=" ".join(share)[:500],
            rationale="\n\n".join(payloads),
        )
        for payload in share:
            factories.create_correction(verdict=verdict, text=payload)
        # Translated into the readers' language (the claim and summary are marked Ukrainian).
        Claim.objects.filter(pk=claim.pk).update(language="uk")
        claim.language = "uk"
        factories.create_translation(source=claim, text=share[-1][:500], translator=editor)
        factories.create_translation(source=verdict, text=share[-1], engine=share[0][:100])
        made.append(claim)
    # One claim per payload so each claim text shows in the lists.
    for n, payload in enumerate(payloads):
        claim = factories.create_claim(
            text=payload[:500] or f"blank {n}", first_seen_at=now, claimant=actors[n]
        )
        factories.create_carriage(claim=claim, report=reports[n], wording=payload)
        factories.create_response(claim=claim, responder=actors[n], quote=payload)
        factories.create_verdict(
            claim=claim,
            author=editor,
            reviewer=reviewer,
            state="published",
            rating="false",
            summary=payload[:500],
            rationale=payload,
        )
    snapshot = factories.create_snapshot(
        report=reports[0], content=b"".join(archived_page(p) for p in payloads)
    )
    feed = OutletFeed.objects.create(outlet=outlets[0], url="https://feed.example/")
    for n, payload in enumerate(payloads):
        item = FeedItem.objects.create(
            feed=feed, url=f"https://feed.example/{n}", title=payload, summary=payload
        )
        Lead.objects.create(item=item, score=50, reasons=[payload])
    return {
        "claims": made,
        "actors": actors,
        "outlets": outlets,
        "tags": tags,
        "reports": reports,
        "snapshot": snapshot,
        "editor": editor,
        "reviewer": reviewer,
        "carriages": Carriage.objects.filter(claim=made[0]),
    }
