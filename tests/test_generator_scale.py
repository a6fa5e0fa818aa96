"""The generator's bulk path: ids reserved up front, history written, parallel loaders."""

from http import HTTPStatus
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.urls import reverse

from claims.models import (
    Carriage,
    Claim,
    Correction,
    HistoryEntry,
    Report,
    Response,
    Snapshot,
    Verdict,
    VerdictState,
)
from tests.factories import create_editor


def test_generator_writes_history_for_what_it_creates(client):
    call_command("generate_claims", claims=200, batch=70, seed=5, stdout=StringIO())
    claim_type = ContentType.objects.get_for_model(Claim)
    created = HistoryEntry.objects.filter(action="created", content_type=claim_type)
    assert created.count() == 200
    entry = created.first()
    assert entry.claim_id == int(entry.object_id)
    assert entry.changes["text"] == [None, entry.claim.text]
    assert entry.user_id == entry.claim.created_by_id
    response_type = ContentType.objects.get_for_model(Response)
    assert (
        HistoryEntry.objects.filter(action="created", content_type=response_type).count()
        == Response.objects.count()
    )
    published = Verdict.objects.filter(state=VerdictState.PUBLISHED)
    logged = HistoryEntry.objects.filter(action="published")
    assert logged.count() == published.count() + Verdict.objects.filter(state="withdrawn").count()
    assert {tuple(states) for states in logged.values_list("changes__state", flat=True)} == {
        ("in_review", "published")
    }
    assert set(Verdict.objects.values_list("state", flat=True)) == set(VerdictState.values)
    # Drafts were never submitted; published verdicts were reviewed by someone else.
    assert not Verdict.objects.filter(state="draft", submitted_at__isnull=False).exists()
    assert Snapshot.objects.exists() and Report.objects.count() == Carriage.objects.count()
    assert Correction.objects.count() <= published.count()
    # The desk's history page reads them.
    editor = create_editor()
    client.force_login(editor)
    claim = Verdict.objects.filter(state=VerdictState.WITHDRAWN).first().claim
    page = client.get(reverse("desk:claim_history", args=[claim.slug]))
    assert page.status_code == HTTPStatus.OK
    assert "Published in error" in page.content.decode()


def test_generator_options_leave_out_snapshots_and_history():
    call_command(
        "generate_claims", claims=40, no_snapshots=True, no_history=True, stdout=StringIO()
    )
    assert Claim.objects.count() == 40
    assert not Snapshot.objects.exists() and not HistoryEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_generator_parallel_loaders_reserve_distinct_ids():
    out = StringIO()
    call_command("generate_claims", claims=300, batch=50, jobs=2, seed=1, stdout=out)
    assert "Generated 300 claims" in out.getvalue()
    assert Claim.objects.count() == 300
    # Every claim got its origin, with ids from the table's own sequence: new rows still fit.
    assert not Claim.objects.annotate(n=Count("carriages")).filter(n=0).exists()
    call_command("generate_claims", claims=10, stdout=StringIO())
    assert Claim.objects.count() == 310
    if connection.vendor == "postgresql":
        # The trigram and search indexes, set aside while loading, are back.
        assert "claim_text_trgm_idx" in out.getvalue().split("rebuilt")[1]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_indexes WHERE indexname = ANY(%s)",
                [["claim_text_trgm_idx", "claim_search_idx"]],
            )
            assert cursor.fetchone()[0] == 2
