"""
Every desk URL and method, for every kind of visitor.

Anonymous visitors are sent to the login page and logged-in users without a desk role get 403;
neither sees a draft or changes anything. Editors may do everything but review; reviewers and
superusers may do everything.
"""

from dataclasses import dataclass, field
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.urls import get_resolver, reverse
from django.utils import timezone
from django.utils.text import slugify

from claims.models import (
    Actor,
    ActorChannel,
    Assignment,
    Carriage,
    Claim,
    FeedItem,
    HistoryEntry,
    Lead,
    Narrative,
    NarrativeClaim,
    Note,
    NotificationPreference,
    Outlet,
    OutletFeed,
    PendingChange,
    Rating,
    Report,
    Response,
    SimilarSuggestion,
    SourceArchive,
    Tag,
    Translation,
    TranslationStatus,
    Verdict,
    threads,
    writing,
)

from .factories import (
    create_actor,
    create_carriage,
    create_claim,
    create_editor,
    create_outlet,
    create_report,
    create_response,
    create_reviewer,
    create_user,
    create_verdict,
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Five kinds of visitor times every URL: skip the deliberate slowness of real hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


SECRET = "DRAFT-SUMMARY-NOBODY-OUTSIDE-THE-DESK-MAY-READ"


@dataclass
class World:
    claim: Claim
    carriage: Carriage
    response: Response
    draft: Verdict
    reviewing: Verdict
    published: Verdict
    spare_claim: Claim
    spare_report: Report
    actor: Actor
    pending: Claim
    returned: Claim
    narrative: Narrative
    membership: NarrativeClaim
    translation: Translation
    stale_translation: Translation
    lead: Lead
    assigned_lead: Lead
    names: dict = field(default_factory=dict)
    feed: OutletFeed | None = None


def logged_by(author, text: str) -> Claim:
    """A private chain another editor logged through the write path, waiting for review."""
    claim = writing.create(Claim, by=author, values={"text": text}, slug=slugify(text)[:50])
    writing.create(Carriage, by=author, values={"claim": claim, "report": create_report()})
    return claim


def merge_proposed_by_the_visitor(w: World) -> list:
    """The spare claim proposed for merging by the newest user: the visitor, when logged in."""
    visitor = get_user_model().objects.order_by("-pk").first()
    version = writing.desk_version(w.spare_claim)
    writing.propose_merge(w.spare_claim, into=w.claim, by=visitor, version=version)
    return [w.spare_claim.slug]


@pytest.fixture
def world() -> World:
    author = create_editor(username="author")
    pending = logged_by(author, f"Pending claim {SECRET}")
    returned = logged_by(author, "Returned claim")
    writing.return_work(returned, by=create_reviewer(username="other"), note="Source?")
    claim = create_claim(text="Umerov refused to return to Ukraine")
    carriage = create_carriage(claim=claim, role="origin")
    response = create_response(claim=claim, quote="Це фейк", language="uk")
    translation = writing.add_translation(response, by=author, language="en", text="It's fake")
    stale_translation = writing.add_translation(claim, by=author, language="uk", text="Умєров")
    # The claim's text changed since (as the write path marks it when an edit is applied).
    Translation.objects.filter(pk=stale_translation.pk).update(status=TranslationStatus.STALE)
    draft = create_verdict(claim=claim, author=author, summary=SECRET)
    reviewing = create_verdict(author=author, rating=Rating.UNPROVEN, summary=SECRET)
    create_carriage(claim=reviewing.claim)
    reviewing.submit(by=author)
    published = create_verdict(
        author=author, state="published", published_at=timezone.now(), rating=Rating.FALSE
    )
    narrative = writing.create(
        Narrative, by=author, values={"title": "Leaders flee abroad"}, slug="leaders-flee"
    )
    membership = writing.create(
        NarrativeClaim, by=author, values={"narrative": narrative, "claim": claim}
    )
    feed = OutletFeed.objects.create(outlet=create_outlet(), url="https://example.org/rss")
    leads = [
        Lead.objects.create(item=FeedItem.objects.create(feed=feed, url=f"https://example.org/{n}"))
        for n in range(2)
    ]
    threads.assign(claim, to=author, by=author)
    threads.assign(leads[1], to=author, by=author)
    threads.post_note(pending, by=author, text=f"Thread note {SECRET}")
    return World(
        claim=claim,
        carriage=carriage,
        response=response,
        draft=draft,
        reviewing=reviewing,
        published=published,
        spare_claim=create_claim(text="A claim with no verdict"),
        spare_report=create_report(title="Another report", url="https://example.com/another"),
        actor=create_actor(name="President's Office"),
        pending=pending,
        returned=returned,
        narrative=narrative,
        membership=membership,
        translation=translation,
        stale_translation=stale_translation,
        lead=leads[0],
        assigned_lead=leads[1],
        feed=OutletFeed.objects.create(
            outlet=carriage.report.outlet, url="https://feed.example/rss", active=True
        ),
    )


def claim_form(w: World, version=None) -> dict:
    data = {"text": "Edited text", "first_seen_at": "2025-11-17T17:55", "language": "en"}
    if version is not None:
        data["version"] = version
    return data


def response_form(w: World, version=None) -> dict:
    data = {
        "responder": w.actor.name,
        "stance": "denies",
        "attribution": "anonymous_source",
        "quote": "It's fake",
        "responded_at": "2025-11-17T17:55",
    }
    if version is not None:
        data["version"] = version
    return data


EDITOR, REVIEWER = "editor", "reviewer"

# (url name, method, args from the world, form data from the world, role needed)
CASES = [
    ("dashboard", "get", lambda w: [], None, EDITOR),
    ("claim_create", "get", lambda w: [], None, EDITOR),
    ("claim_create", "post", lambda w: [], lambda w: claim_form(w), EDITOR),
    ("claim_edit", "get", lambda w: [w.claim.slug], None, EDITOR),
    ("claim_edit", "post", lambda w: [w.claim.slug], lambda w: claim_form(w, 1), EDITOR),
    ("claim_history", "get", lambda w: [w.claim.slug], None, EDITOR),
    ("chain_new", "get", lambda w: [], None, EDITOR),
    (
        "chain_new",
        "post",
        lambda w: [],
        lambda w: {
            "claim-text": "Herons were seen over the Dnipro",
            "response-count": "1",
            "response-0-responder": w.actor.name,
            "response-0-stance": "denies",
            "response-0-attribution": "spokesperson",
        },
        EDITOR,
    ),
    ("similar_claims", "get", lambda w: [], None, EDITOR),
    ("merge_propose", "get", lambda w: [w.spare_claim.slug], None, EDITOR),
    (
        "merge_propose",
        "post",
        lambda w: [w.spare_claim.slug],
        lambda w: {"into": w.claim.slug, "version": writing.desk_version(w.spare_claim)},
        EDITOR,
    ),
    # Only its proposer (or an administrator) may withdraw a merge: the visitor proposed it.
    ("merge_withdraw", "post", lambda w: merge_proposed_by_the_visitor(w), lambda w: {}, EDITOR),
    ("carriage_create", "get", lambda w: [w.claim.slug], None, EDITOR),
    (
        "carriage_create",
        "post",
        lambda w: [w.claim.slug],
        lambda w: {"report": w.spare_report.pk, "role": "repeat"},
        EDITOR,
    ),
    ("response_create", "get", lambda w: [w.claim.slug], None, EDITOR),
    ("response_create", "post", lambda w: [w.claim.slug], response_form, EDITOR),
    ("verdict_create", "get", lambda w: [w.spare_claim.slug], None, EDITOR),
    (
        "verdict_create",
        "post",
        lambda w: [w.spare_claim.slug],
        lambda w: {"rating": "unproven", "summary": "s"},
        EDITOR,
    ),
    ("carriage_edit", "get", lambda w: [w.carriage.pk], None, EDITOR),
    (
        "carriage_edit",
        "post",
        lambda w: [w.carriage.pk],
        lambda w: {"report": w.carriage.report_id, "role": "origin", "wording": "w", "version": 1},
        EDITOR,
    ),
    ("response_edit", "get", lambda w: [w.response.pk], None, EDITOR),
    ("response_edit", "post", lambda w: [w.response.pk], lambda w: response_form(w, 1), EDITOR),
    ("report_edit", "get", lambda w: [w.carriage.report_id], None, EDITOR),
    (
        "report_edit",
        "post",
        lambda w: [w.carriage.report_id],
        lambda w: {
            "outlet": w.carriage.report.outlet.name,
            "title": "Edited title",
            "version": 1,
        },
        EDITOR,
    ),
    ("report_archive", "post", lambda w: [w.spare_report.pk], lambda w: {}, EDITOR),
    ("withdraw", "get", lambda w: ["claim", w.claim.pk], None, EDITOR),
    ("withdraw", "get", lambda w: ["carriage", w.carriage.pk], None, EDITOR),
    ("withdraw", "get", lambda w: ["response", w.response.pk], None, EDITOR),
    (
        "withdraw",
        "post",
        lambda w: ["claim", w.claim.pk],
        lambda w: {"reason": "Dup", "version": 1},
        EDITOR,
    ),
    (
        "withdraw",
        "post",
        lambda w: ["carriage", w.carriage.pk],
        lambda w: {"reason": "Wrong", "version": 1},
        EDITOR,
    ),
    (
        "withdraw",
        "post",
        lambda w: ["response", w.response.pk],
        lambda w: {"reason": "Wrong", "version": 1},
        EDITOR,
    ),
    ("withdraw", "get", lambda w: ["translation", w.translation.pk], None, EDITOR),
    (
        "withdraw",
        "post",
        lambda w: ["translation", w.translation.pk],
        lambda w: {"reason": "Wrong", "version": 1},
        EDITOR,
    ),
    (
        "translation_create",
        "post",
        lambda w: [w.claim.slug],
        lambda w: {
            "part": "quote",
            "source": w.response.pk,
            "language": "de",
            "text": "Das ist ein Fake",
            "translator_kind": "machine",
            "engine": "DeepL",
        },
        EDITOR,
    ),
    ("translation_edit", "get", lambda w: [w.translation.pk], None, EDITOR),
    (
        "translation_edit",
        "post",
        lambda w: [w.translation.pk],
        lambda w: {"text": "It is fake", "translator_kind": "editor", "version": 1},
        EDITOR,
    ),
    (
        "translation_confirm",
        "post",
        lambda w: [w.stale_translation.pk],
        lambda w: {"version": 1},
        EDITOR,
    ),
    ("verdict_edit", "get", lambda w: [w.draft.pk], None, EDITOR),
    ("verdict_edit", "get", lambda w: [w.reviewing.pk], None, EDITOR),
    (
        "verdict_edit",
        "post",
        lambda w: [w.draft.pk],
        lambda w: {"rating": "false", "summary": "s", "version": w.draft.version},
        EDITOR,
    ),
    ("verdict_submit", "post", lambda w: [w.draft.pk], lambda w: {}, EDITOR),
    ("verdict_publish", "post", lambda w: [w.reviewing.pk], lambda w: {}, REVIEWER),
    ("verdict_return", "post", lambda w: [w.reviewing.pk], lambda w: {"note": "Why?"}, REVIEWER),
    ("verdict_correct", "post", lambda w: [w.published.pk], lambda w: {"text": "Fix"}, EDITOR),
    (
        "verdict_withdraw",
        "post",
        lambda w: [w.published.pk],
        lambda w: {"reason": "Wrong"},
        REVIEWER,
    ),
    ("review_queue", "get", lambda w: [], None, REVIEWER),
    ("review_claim", "get", lambda w: [w.pending.slug], None, REVIEWER),
    (
        "review_approve",
        "post",
        lambda w: [w.pending.slug],
        lambda w: {"fingerprint": writing.claim_fingerprint(w.pending)},
        REVIEWER,
    ),
    (
        "review_return",
        "post",
        lambda w: [w.pending.slug],
        lambda w: {"fingerprint": writing.claim_fingerprint(w.pending), "note": "Source?"},
        REVIEWER,
    ),
    ("review_resubmit", "post", lambda w: [w.returned.slug], lambda w: {}, EDITOR),
    ("narrative_create", "get", lambda w: [], None, EDITOR),
    (
        "narrative_create",
        "post",
        lambda w: [],
        lambda w: {"title": "Officials hide abroad", "language": "en", "target_countries": "UA"},
        EDITOR,
    ),
    ("narrative_edit", "get", lambda w: [w.narrative.slug], None, EDITOR),
    (
        "narrative_edit",
        "post",
        lambda w: [w.narrative.slug],
        lambda w: {"title": "Leaders flee", "summary": "s", "version": 1},
        EDITOR,
    ),
    (
        "narrative_attach",
        "post",
        lambda w: [w.spare_claim.slug],
        lambda w: {"narrative": w.narrative.slug},
        EDITOR,
    ),
    ("narrative_suggestions", "get", lambda w: [w.claim.slug], None, EDITOR),
    ("withdraw", "get", lambda w: ["membership", w.membership.pk], None, EDITOR),
    (
        "withdraw",
        "post",
        lambda w: ["membership", w.membership.pk],
        lambda w: {"reason": "Not this storyline", "version": 1},
        EDITOR,
    ),
    ("autocomplete", "get", lambda w: ["actors"], None, EDITOR),
    ("autocomplete", "get", lambda w: ["outlets"], None, EDITOR),
    ("autocomplete", "get", lambda w: ["tags"], None, EDITOR),
    (
        "name_create",
        "post",
        lambda w: ["actors"],
        lambda w: {"new-actors-name": "NSDC", "new-actors-kind": "organisation"},
        EDITOR,
    ),
    (
        "name_create",
        "post",
        lambda w: ["outlets"],
        lambda w: {"new-outlets-name": "Clash Report", "new-outlets-kind": "social"},
        EDITOR,
    ),
    ("name_create", "post", lambda w: ["tags"], lambda w: {"new-tags-name": "umerov"}, EDITOR),
    ("actor_channels", "get", lambda w: [w.actor.slug], None, EDITOR),
    (
        "channel_add",
        "post",
        lambda w: [w.actor.slug],
        lambda w: {"kind": "telegram", "url": "https://t.me/op_official"},
        EDITOR,
    ),
    (
        "channel_verify",
        "post",
        lambda w: [office_channel(w).pk],
        lambda w: {"proof": "https://www.president.gov.ua/contacts"},
        REVIEWER,
    ),
    (
        "channel_unverify",
        "post",
        lambda w: [office_channel(w).pk],
        lambda w: {"reason": "The office moved to another channel"},
        REVIEWER,
    ),
    ("note_create", "post", lambda w: [w.pending.slug], lambda w: {"text": "@author look"}, EDITOR),
    (
        "claim_assign",
        "post",
        lambda w: [w.spare_claim.slug],
        lambda w: {"editor": "author"},
        EDITOR,
    ),
    ("claim_unassign", "post", lambda w: [w.claim.slug], lambda w: {}, EDITOR),
    ("lead_assign", "post", lambda w: [w.lead.pk], lambda w: {"editor": "author"}, EDITOR),
    ("lead_unassign", "post", lambda w: [w.assigned_lead.pk], lambda w: {}, EDITOR),
    ("notification_settings", "get", lambda w: [], None, EDITOR),
    (
        "notification_settings",
        "post",
        lambda w: [],
        lambda w: {"wanted": ["returned"], "language": ""},
        EDITOR,
    ),
    ("stats", "get", lambda w: [], None, EDITOR),
    ("feed_list", "get", lambda w: [], None, EDITOR),
    ("feed_create", "get", lambda w: [], None, EDITOR),
    (
        "feed_create",
        "post",
        lambda w: [],
        lambda w: {"outlet": w.feed.outlet.name, "url": "https://feed.example/new", "active": "on"},
        EDITOR,
    ),
    ("feed_edit", "get", lambda w: [w.feed.pk], None, EDITOR),
    (
        "feed_edit",
        "post",
        lambda w: [w.feed.pk],
        lambda w: {"outlet": w.feed.outlet.name, "url": w.feed.url},  # unticked: paused
        EDITOR,
    ),
    ("feed_toggle", "post", lambda w: [w.feed.pk], lambda w: {"active": "0"}, EDITOR),
    ("claim_similar", "get", lambda w: [w.claim.slug], None, EDITOR),
    ("typed_similar", "get", lambda w: [], None, EDITOR),
    (
        "similar_decide",
        "post",
        lambda w: [],
        lambda w: {"text": "Umerov", "suggested": w.claim.pk, "score": 0.9, "outcome": "linked"},
        EDITOR,
    ),
    ("similarity_report", "get", lambda w: [], None, EDITOR),
]


def office_channel(w: World) -> ActorChannel:
    return ActorChannel.objects.get_or_create(actor=w.actor, url="https://t.me/op_ua")[0]


VISITORS = ["anonymous", "no_role", "editor", "reviewer", "superuser"]


def log_in(client, visitor: str):
    users = {
        "anonymous": lambda: None,
        "no_role": lambda: create_user(username="reader"),
        "editor": lambda: create_editor(username="ed"),
        "reviewer": lambda: create_reviewer(username="rev"),
        "superuser": lambda: create_user(username="root", is_superuser=True, is_staff=True),
    }
    user = users[visitor]()
    if user is not None:
        client.force_login(user)
    return user


def snapshot() -> tuple:
    """Everything a desk write could change."""
    models = (
        Claim,
        Carriage,
        Response,
        Translation,
        Verdict,
        Report,
        Actor,
        Outlet,
        Tag,
        Narrative,
        NarrativeClaim,
        SourceArchive,
        SimilarSuggestion,
    )
    rows = tuple(
        tuple(model.objects.order_by("pk").values_list("pk", "version"))
        if hasattr(model, "version")
        else model.objects.count()
        for model in models
    )
    states = tuple(Verdict.objects.order_by("pk").values_list("state", flat=True))
    review = tuple(PendingChange.objects.order_by("pk").values_list("state", flat=True))
    desk = (
        Note.objects.count(),
        tuple(Assignment.objects.order_by("pk").values_list("pk", "editor")),
        tuple(NotificationPreference.objects.values_list("user", "muted")),
    )
    feeds = tuple(OutletFeed.objects.order_by("pk").values_list("pk", "url", "active"))
    return rows, states, review, desk, feeds, HistoryEntry.objects.count()


def allowed(visitor: str, role: str) -> bool:
    if visitor in {"reviewer", "superuser"}:
        return True
    return visitor == "editor" and role == EDITOR


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize(
    ("name", "method", "args", "data", "role"),
    CASES,
    ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)],
)
def test_desk_permissions(client, world, visitor, name, method, args, data, role):
    log_in(client, visitor)
    url = reverse(f"desk:{name}", args=args(world))
    before = snapshot()
    response = client.get(url) if method == "get" else client.post(url, data(world))
    html = response.content.decode()
    if allowed(visitor, role):
        assert response.status_code in {HTTPStatus.OK, HTTPStatus.FOUND}, html[:2000]
        if response.status_code == HTTPStatus.FOUND:
            assert not response["Location"].startswith(reverse("login"))
        if method == "post":
            assert snapshot() != before, "an allowed write changed nothing"
        return
    if visitor == "anonymous":
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == HTTPStatus.FORBIDDEN
    assert SECRET not in html
    assert snapshot() == before


@pytest.mark.parametrize("visitor", ["anonymous", "no_role"])
def test_htmx_requests_get_no_fragment_either(client, world, visitor):
    log_in(client, visitor)
    response = client.get(
        reverse("desk:verdict_edit", args=[world.draft.pk]), headers={"HX-Request": "true"}
    )
    assert SECRET not in response.content.decode()
    if visitor == "anonymous":
        assert response["HX-Redirect"].startswith(reverse("login"))
    else:
        assert response.status_code == HTTPStatus.FORBIDDEN


def names_in(resolver, namespace: str) -> set[str]:
    """The URL names of a namespace, wherever it is included (e.g. under the language prefix)."""
    names = set()
    for pattern in resolver.url_patterns:
        if getattr(pattern, "namespace", None) == namespace:
            names |= {included.name for included in pattern.url_patterns}
        elif hasattr(pattern, "url_patterns"):
            names |= names_in(pattern, namespace)
    return names


def test_the_matrix_covers_every_desk_url():
    desk_names = names_in(get_resolver(), "desk")
    # The API-key pages are for administrators, not a desk role: their access is tested in
    # tests/test_api_access.py.
    administrators_only = {"api_keys", "api_key_create", "api_key_revoke"}
    assert desk_names - administrators_only == {case[0] for case in CASES}


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("verdict_submit", lambda w: [w.draft.pk]),
        ("verdict_publish", lambda w: [w.reviewing.pk]),
        ("review_approve", lambda w: [w.pending.slug]),
        ("review_return", lambda w: [w.pending.slug]),
        ("name_create", lambda w: ["tags"]),
        ("translation_create", lambda w: [w.claim.slug]),
        ("translation_confirm", lambda w: [w.stale_translation.pk]),
        ("note_create", lambda w: [w.pending.slug]),
        ("claim_assign", lambda w: [w.claim.slug]),
        ("lead_unassign", lambda w: [w.assigned_lead.pk]),
    ],
)
def test_actions_refuse_get(client, world, name, args):
    client.force_login(create_reviewer())
    assert client.get(reverse(f"desk:{name}", args=args(world))).status_code == 405


def test_csrf_is_required(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(create_editor())
    response = client.post(reverse("desk:claim_create"), claim_form(world))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Claim.objects.filter(text="Edited text").exists()
