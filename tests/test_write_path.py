"""
One write path: the desk and the importer log the same chain the same way (history, versions,
pending work, derived columns), and the unknown-name rule is decided once.
"""

from datetime import datetime
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from claims.importer.pipeline import Confirmation, confirm
from claims.models import Claim, HistoryEntry, PendingChange, writing

from .factories import create_actor, create_editor, create_outlet, create_reviewer, create_tag

KYIV = ZoneInfo("Europe/Kyiv")
WHEN = datetime(2025, 11, 17, 17, 55, tzinfo=KYIV)
TEXT = "Umerov refused to return to Ukraine"
WORDING = "The report that Rustem Umerov allegedly refused to return to Ukraine is untrue"
TITLE = "President's Office denies reports that Umerov allegedly refuses to return to Ukraine"


@pytest.fixture
def names():
    create_actor(name="Clash Report", kind="organisation", slug="clash-report")
    create_actor(name="President's Office", kind="organisation", slug="presidents-office")
    create_outlet(name="Interfax-Ukraine", slug="interfax-ukraine")
    create_tag(name="umerov", slug="umerov")


def through_desk(client) -> Claim:
    assert (
        client.post(
            reverse("desk:claim_create"),
            {
                "text": TEXT,
                "claimant": "clash-report",
                "first_seen_at": "2025-11-17T17:55",
                "language": "en",
                "tags": "umerov",
            },
        ).status_code
        == HTTPStatus.FOUND
    )
    claim = Claim.objects.latest("pk")
    assert (
        client.post(
            reverse("desk:carriage_create", args=[claim.slug]),
            {
                "report": "",
                "new_report_outlet": "interfax-ukraine",
                "new_report_url": "https://interfax.example/desk",
                "new_report_title": TITLE,
                "new_report_published_at": "2025-11-17T17:55",
                "role": "mention",
                "wording": WORDING,
            },
        ).status_code
        == HTTPStatus.FOUND
    )
    report = claim.carriages.get().report
    assert (
        client.post(
            reverse("desk:response_create", args=[claim.slug]),
            {
                "responder": "presidents-office",
                "stance": "denies",
                "attribution": "anonymous_source",
                "quote": "It's fake",
                "report": report.pk,
                "responded_at": "2025-11-17T17:55",
            },
        ).status_code
        == HTTPStatus.FOUND
    )
    return claim


def through_importer(editor) -> Claim:
    created = confirm(
        Confirmation(
            outlet_name="Interfax-Ukraine",
            title=TITLE,
            url="https://interfax.example/import",
            canonical_url="https://interfax.example/import",
            published_at=WHEN,
            language="en",
            tags=["umerov"],
            claim_text=TEXT,
            claimant="Clash Report",
            carriage_role="mention",
            wording=WORDING,
            responder="President's Office",
            stance="denies",
            attribution="anonymous_source",
            quote="It's fake",
        ),
        by=editor,
    )
    assert created.new_names == []  # every name was on file
    return created.claim


# Ids and slugs differ between the two chains by construction.
DIFFERENT = {"claim", "report", "slug", "id", "created_by"}


def chain_record(claim: Claim) -> dict:
    """What a write leaves behind, without the ids that differ between the two chains."""
    claim = Claim.objects.get(pk=claim.pk)
    entries = [
        (
            entry.content_type.model,
            entry.action,
            {k: v for k, v in entry.changes.items() if k not in DIFFERENT},
            entry.user_id,
        )
        for entry in HistoryEntry.objects.filter(claim=claim)
        .exclude(content_type__model="report")
        .order_by("pk")
    ]
    changes = [
        (c.content_type.model, c.kind, c.applied, c.author_id, c.state)
        for c in PendingChange.objects.filter(claim=claim).order_by("pk")
    ]
    return {
        "history": entries,
        "pending": changes,
        "versions": (
            claim.version,
            [c.version for c in claim.carriages.all()],
            [r.version for r in claim.responses.all()],
        ),
        "derived": (
            claim.official_position,
            claim.published_rating,
            claim.search_terms,
            str(claim.search_document),
        ),
        "public": (
            claim.approved_at is not None,
            [c.approved_at is not None for c in claim.carriages.all()],
            [r.approved_at is not None for r in claim.responses.all()],
        ),
        "report_versions": [c.report.version for c in claim.carriages.all()],
    }


def test_the_desk_and_the_importer_log_the_same_chain_the_same_way(client, names):
    editor = create_editor(username="olena")
    reviewer = create_reviewer(username="petro")
    client.force_login(editor)
    by_desk = through_desk(client)
    by_importer = through_importer(editor)
    assert chain_record(by_desk) == chain_record(by_importer)
    desk_record = chain_record(by_desk)
    assert desk_record["public"] == (False, [False], [False])
    assert [entry[1] for entry in desk_record["history"]] == ["created", "created", "created"]

    for claim in (by_desk, by_importer):
        writing.approve(claim, by=reviewer)
    after_desk, after_importer = chain_record(by_desk), chain_record(by_importer)
    assert after_desk == after_importer
    assert after_desk["derived"][:2] == ("denied", "")
    assert "fake" in after_desk["derived"][2]  # the approved quote is searchable
    assert after_desk["public"] == (True, [True], [True])
    assert after_desk["history"][-1][1] == "approved"


def test_a_re_import_of_a_public_report_waits_for_review(names):
    editor = create_editor(username="olena")
    claim = through_importer(editor)
    writing.approve(claim, by=create_reviewer(username="petro"))
    report = claim.carriages.get().report
    confirm(
        Confirmation(
            outlet_name="Interfax-Ukraine",
            title="A new title from the page",
            canonical_url="https://interfax.example/import",
            update_fields=["title"],
        ),
        by=create_editor(username="mykola"),
    )
    report.refresh_from_db()
    assert report.title == TITLE  # readers keep the approved title
    assert writing.with_pending(report).title == "A new title from the page"
    assert Claim.objects.awaiting_review().filter(pk=claim.pk).exists()


def test_the_importer_creates_unknown_names_and_says_so():
    editor = create_editor(username="olena")
    created = confirm(
        Confirmation(
            outlet_name="Brand New Outlet",
            title="A report",
            claim_text="A claim",
            claimant="A New Claimant",
            tags=["new-tag"],
        ),
        by=editor,
    )
    assert sorted(str(name) for name in created.new_names) == [
        "A New Claimant",
        "Brand New Outlet",
        "new-tag",
    ]
    assert HistoryEntry.objects.filter(action="imported", object_repr="A New Claimant").exists()


def test_the_desk_refuses_an_unknown_name(client):
    client.force_login(create_editor())
    response = client.post(
        reverse("desk:claim_create"), {"text": "A claim", "claimant": "Nobody on file"}
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert not Claim.objects.exists()


def test_the_migration_treats_existing_chains_as_approved():
    """Chains logged before the gate were public: the data migration keeps them public and
    says so in each claim's history."""
    import importlib

    from django.apps import apps
    from django.db import connection

    from claims.models import Carriage, Response

    from .factories import create_carriage, create_claim, create_response

    claim = create_claim(text="Logged before the gate", approved=False)
    create_carriage(claim=claim, approved=False)
    create_response(claim=claim, approved=False)
    migration = importlib.import_module("claims.migrations.0010_existing_chains_approved")
    migration.approve_existing(apps, connection.schema_editor())
    assert Claim.objects.public().filter(pk=claim.pk).exists()
    assert Carriage.objects.public().filter(claim=claim).count() == 1
    assert Response.objects.public().filter(claim=claim).count() == 1
    entry = HistoryEntry.objects.get(claim=claim, action="approved")
    assert entry.user is None and "public already" in entry.note


def test_the_desk_and_the_importer_read_a_typed_name_by_one_rule(client, names):
    """Slug or any-case name, spaces squeezed, a shared name refused as ambiguous: the same
    in the write path, on the desk and in the importer."""
    editor = create_editor(username="olena")
    found, created = writing.resolve_actor("presidents-office", by=editor, create=True)
    assert found.name == "President's Office" and not created  # by slug, not a new actor
    found, created = writing.resolve_actor("  president's   OFFICE ", by=editor)
    assert found.slug == "presidents-office" and not created
    create_actor(name="Press Service", slug="press-service-mod")
    create_actor(name="press service", slug="press-service-mvs")
    with pytest.raises(writing.AmbiguousName, match="type the slug"):
        writing.resolve_actor("Press Service", by=editor, create=True)

    client.force_login(editor)
    response = client.post(
        reverse("desk:claim_create"), {"text": "A claim", "claimant": "Press Service"}
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "type the slug" in response.content.decode()
    with pytest.raises(writing.UnknownName) as refused:
        writing.resolve_actor("Nobody on file", by=editor)
    response = client.post(
        reverse("desk:claim_create"), {"text": "A claim", "claimant": "Nobody on file"}
    )
    page = response.content.decode().replace("&ldquo;", "“").replace("&rdquo;", "”")
    assert str(refused.value) in page.replace("&#x27;", "'")
    response = client.post(
        reverse("desk:claim_create"), {"text": "A claim", "claimant": " president's   office"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Claim.objects.get().claimant.slug == "presidents-office"

    before = Claim.objects.count()
    with pytest.raises(writing.AmbiguousName):
        confirm(
            Confirmation(
                outlet_name="Interfax-Ukraine",
                title="A report",
                claim_text="Another claim",
                claimant="Press Service",
            ),
            by=editor,
        )
    assert Claim.objects.count() == before  # nothing half-saved


def test_the_seed_files_its_names_and_reports_through_the_write_path():
    """No chain table is written around writing.py: every seeded name and report has its
    creation in the history, as the desk's and the importer's have."""
    from io import StringIO

    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command

    from claims.models import Actor, Outlet, Report, Tag

    call_command("seed", stdout=StringIO())
    for model in (Actor, Outlet, Tag, Report):
        kind = ContentType.objects.get_for_model(model)
        filed = set(
            HistoryEntry.objects.filter(content_type=kind, action="imported").values_list(
                "object_id", flat=True
            )
        )
        assert {str(pk) for pk in model.objects.values_list("pk", flat=True)} <= filed, model
        assert model.objects.exists()
