"""
Every payload through every input, then every page that shows it, parsed: nothing that could
run script comes out (see checker.py for what counts). Runs on SQLite and PostgreSQL.
"""

import os
from http import HTTPStatus
from urllib.parse import urlencode

import lxml.html
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from claims.models import Claim, writing
from tests.factories import create_claim, create_denied_chain, create_editor, create_reviewer

from .checker import hx_attributes, script_hazards
from .payloads import PAYLOADS
from .world import HARMLESS, through_desk, through_importer

# HOSTILE_FULL=1 renders every page of every payload; by default the actor, outlet and tag
# pages of every third payload and the edit forms of every fifth (each payload's names and
# values are on its claim page and desk pages either way).
FULL = os.environ.get("HOSTILE_FULL") == "1"
FILTERS = [
    "q", "rating", "position", "actor", "outlet", "tag", "language", "date_from", "date_to",
    "sort", "page",
]  # fmt: skip


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.IMPORTER_RATE_LIMIT = 10_000
    cache.clear()


@pytest.fixture
def editor_client():
    client = Client()
    client.force_login(create_editor(username="hostile-editor"))
    return client


@pytest.fixture
def reviewer_client():
    client = Client()
    client.force_login(create_reviewer(username="hostile-reviewer"))
    return client


def reader_pages(entry, *, names: bool = True) -> list[str]:
    pages = [
        entry.claim.get_absolute_url(),
        reverse("claims:snapshot_detail", args=[entry.snapshot_pk]),
    ]
    if names:  # the names show on the claim and desk pages too
        pages += [
            entry.actor.get_absolute_url(),
            entry.outlet.get_absolute_url(),
            entry.tag.get_absolute_url(),
            entry.narrative.get_absolute_url(),
        ]
    return pages


def desk_pages(entry, *, forms: bool = True) -> list[str]:
    pages = [
        reverse("desk:claim_edit", args=[entry.claim.slug]),
        reverse("desk:claim_history", args=[entry.claim.slug]),
        # The merge page lists claims like it, and shows what a merge into one would move.
        reverse("desk:merge_propose", args=[entry.claim.slug]),
        reverse("desk:merge_propose", args=[entry.withdrawn_claim.slug])
        + f"?into={entry.claim.slug}",
        # The one-page chain adding to this claim, and claims like its text as one types.
        reverse("desk:chain_new") + f"?claim={entry.claim.slug}",
        reverse("desk:similar_claims") + "?" + urlencode({"text": entry.claim.text}),
        reverse("desk:claim_edit", args=[entry.withdrawn_claim.slug]),
        reverse("desk:verdict_edit", args=[entry.verdict.pk]),
        reverse("desk:report_edit", args=[entry.report.pk]),
        reverse("desk:narrative_edit", args=[entry.narrative.slug]),
        reverse("desk:feed_edit", args=[entry.feed.pk]),
    ]
    if forms:  # the same values as the pages above, in edit forms' value attributes
        pages += [
            reverse("desk:carriage_edit", args=[entry.claim.carriages.first().pk]),
            reverse("desk:response_edit", args=[entry.claim.responses.first().pk]),
            reverse("desk:translation_edit", args=[entry.claim.translations.first().pk]),
            reverse("desk:claim_history", args=[entry.withdrawn_claim.slug]),
        ]
    return pages


def site_pages() -> list[str]:
    pages = [
        reverse("claims:home"),
        reverse("claims:methodology"),
        reverse("claims:narrative_list"),
        reverse("desk:dashboard"),
        reverse("desk:stats"),
        reverse("desk:notification_settings"),
        reverse("importer:inbox"),
        reverse("importer:import_start"),
        reverse("desk:feed_list"),
    ]
    count = Claim.objects.public().count()
    pages += [f"{reverse('claims:claim_list')}?page={n}" for n in range(1, count // 25 + 2)]
    return pages


def fetch(client, url: str, **headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == HTTPStatus.OK, (url, response.status_code)
    return response.content.decode()


def text_of(html: str) -> str:
    return lxml.html.document_fromstring(html).text_content()


# The payloads in consecutive parts, each typed and checked in a test of its own so that
# xdist spreads them over its workers (one test of them all was the suite's longest by far).
# Neighbours stay together: payloads alike (a vector with xss and with alert) list each other
# as similar claims on the desk.
PARTS = 8


def payload_part(part: int, parts: int = PARTS) -> range:
    """Positions in PAYLOADS of one part of `parts`."""
    size = -(-len(PAYLOADS) // parts)
    return range(part * size, min((part + 1) * size, len(PAYLOADS)))


def test_parts_cover_every_payload():
    covered = [n for part in range(PARTS) for n in payload_part(part)]
    assert covered == list(range(len(PAYLOADS)))


@pytest.mark.parametrize("part", range(PARTS))
def test_every_desk_input_renders_inert_everywhere(editor_client, reviewer_client, part):
    only = payload_part(part)
    # The app's own htmx attributes: every page rendered while it holds harmless text only.
    (harmless,) = through_desk(editor_client, reviewer_client, [HARMLESS])
    for n in range(30):  # enough for the list's page links
        create_claim(text=f"{HARMLESS} {n}")
    reader = Client()
    allowed = set()
    for url in site_pages():
        allowed |= hx_attributes(fetch(editor_client if "/desk/" in url else reader, url))
        if "/claims/" in url:  # the list's htmx fragment carries its own out-of-band status
            allowed |= hx_attributes(fetch(reader, url, HX_Request="true"))
    for url in reader_pages(harmless):
        allowed |= hx_attributes(fetch(reader, url))
    for url in desk_pages(harmless):
        allowed |= hx_attributes(fetch(editor_client, url))
    for _, html in harmless.seen:
        allowed |= hx_attributes(html)
    hostile = through_desk(
        editor_client,
        reviewer_client,
        PAYLOADS,
        start=1,
        errors=lambda n: FULL or n % 5 == 1,
        only=only,
    )
    assert len(hostile) == len(only)
    problems, pages = [], 0

    def check(label: str, html: str) -> None:
        nonlocal pages
        pages += 1
        problems.extend(
            f"{label}: {problem}" for problem in script_hazards(html, allowed_hx=allowed)
        )

    for url in site_pages():
        check(url, fetch(editor_client if "/desk/" in url else reader, url))
        check(f"{url} (htmx)", fetch(reader, url, HX_Request="true")) if "/claims/" in url else None
    for n, entry in enumerate(hostile, start=only.start):
        for url in reader_pages(entry, names=FULL or n % 3 == 0):
            html = fetch(reader, url)
            check(f"{entry.payload!r} {url}", html)
            if url == entry.claim.get_absolute_url():
                assert entry.claim.text in text_of(html), "the payload reached the claim page"
        for url in desk_pages(entry, forms=FULL or n % 5 == 0):
            check(f"{entry.payload!r} {url}", fetch(editor_client, url))
        for label, html in entry.seen:
            check(f"{entry.payload!r} {label}", html)
    assert not problems, "\n".join(problems[:50])
    assert pages > 10 * len(only)


@pytest.mark.parametrize("part", range(4))
def test_reflected_search_and_filters_stay_inert(editor_client, part):
    chain = create_denied_chain()
    reader = Client()
    list_url = reverse("claims:claim_list")

    def requests(value: str) -> list:
        every = dict.fromkeys(FILTERS, value)
        names = {"field": value, value: value, "q": value, "multiple": "1"}
        return [
            (reader, list_url, {"q": value}, {}),
            (reader, list_url, every, {}),
            (reader, list_url, every, {"HX-Request": "true"}),
            (reader, chain["umerov"].get_absolute_url(), every, {}),
            *[
                (editor_client, reverse("desk:autocomplete", args=[kind]), names, {})
                for kind in ("actors", "outlets", "tags")
            ],
            (editor_client, reverse("desk:dashboard"), every, {}),
            (editor_client, reverse("desk:claim_create"), every, {}),
            (editor_client, reverse("desk:chain_new"), every, {}),
            (editor_client, reverse("desk:similar_claims"), {"field": "q", "q": value}, {}),
            (editor_client, reverse("importer:inbox"), {"state": value}, {}),
        ]

    def render(client, url, params, headers) -> str:
        response = client.get(url, params, headers=headers)
        assert response.status_code == HTTPStatus.OK, (url, params, response.status_code)
        return response.content.decode()

    allowed = set()
    for request in requests(HARMLESS):
        allowed |= hx_attributes(render(*request))
    problems = []
    for n in payload_part(part, 4):
        payload = PAYLOADS[n]
        for request in requests(payload):
            problems += [
                f"{payload!r} {request[1]} {sorted(request[2])}: {problem}"
                for problem in script_hazards(render(*request), allowed_hx=allowed)
            ]
    assert not problems, "\n".join(problems[:50])


def test_imported_html_renders_inert(editor_client, django_capture_on_commit_callbacks):
    jobs = through_importer(
        editor_client, django_capture_on_commit_callbacks, [HARMLESS, *PAYLOADS]
    )
    reader = Client()
    reviewer_user = create_reviewer(username="import-reviewer")
    reviewer = Client()
    reviewer.force_login(reviewer_user)

    def pages_of(job) -> list[tuple[str, str]]:
        """The review and confirm pages, then what the confirmed import shows."""
        job.refresh_from_db()
        pages = [("review", job.review_html), ("confirm", job.confirm_html)]
        if job.report_id:
            for claim in Claim.objects.carried_in(job.report):
                review = reverse("desk:review_claim", args=[claim.slug])
                pages.append(("review queue", fetch(reviewer, review)))
                # A second editor approves the imported chain: then readers see it.
                if writing.pending_authors(claim):
                    writing.approve(claim, by=reviewer_user)
                pages.append(("claim", fetch(reader, claim.get_absolute_url())))
                url = reverse("desk:claim_edit", args=[claim.slug])
                pages.append(("desk claim", fetch(editor_client, url)))
            url = reverse("desk:report_edit", args=[job.report_id])
            pages.append(("desk report", fetch(editor_client, url)))
            for snapshot in job.report.snapshots.all():
                url = reverse("claims:snapshot_detail", args=[snapshot.pk])
                pages.append(("archive", fetch(reader, url)))
        return pages

    allowed = set()
    for _, html in pages_of(jobs[0]):
        allowed |= hx_attributes(html)
    problems = []
    for job in jobs[1:]:
        for label, html in pages_of(job):
            problems += [
                f"{job.result.get('article', {}).get('title')!r} {label}: {problem}"
                for problem in script_hazards(html, allowed_hx=allowed)
            ]
    # The extractor carried the payloads into the fields the editor reviews.
    carried = sum(
        all(payload.strip() in str(job.result["article"].get(name)) for name in ("title", "byline"))
        for job, payload in zip(jobs[1:], PAYLOADS, strict=True)
        if job.status != "failed"
    )
    assert carried >= len(PAYLOADS) * 0.9, f"only {carried} imports carried their payload"
    confirmed = sum(1 for job in jobs if job.report_id)
    assert confirmed >= len(PAYLOADS) * 0.9, f"only {confirmed} imports were confirmed"
    assert not problems, "\n".join(problems[:50])
