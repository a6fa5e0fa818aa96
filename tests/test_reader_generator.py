"""`manage.py generate_claims` builds valid, realistic chains the reader pages can show."""

from http import HTTPStatus
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from claims.models import Carriage, CarriageRole, Claim, Response, Verdict, VerdictState, derived
from claims.search import search_claims


def test_generate_claims_makes_whole_chains(client):
    call_command("generate_claims", claims=120, batch=50, seed=3, stdout=StringIO())
    call_command("generate_claims", claims=30, seed=3, stdout=StringIO())  # runs never collide
    assert Claim.objects.count() == 150
    # Every claim has an origin carriage; most have responses; verdicts come in every state.
    assert not Claim.objects.exclude(carriages__role=CarriageRole.ORIGIN).exists()
    assert Carriage.objects.count() > 150
    assert Response.objects.values("claim").distinct().count() > 40
    states = set(Verdict.objects.values_list("state", flat=True))
    assert VerdictState.PUBLISHED in states and states & {VerdictState.DRAFT, "in_review"}
    assert Claim.objects.filter(withdrawn_at__isnull=False).exists()
    assert set(Claim.objects.values_list("language", flat=True)) == {"en", "uk"}
    # The stored position, rating and search document agree with what was generated.
    assert not derived.stale().exists()
    if connection.vendor == "postgresql":
        assert not Claim.objects.filter(search_document__isnull=True).exists()
        # Search reads approved rows only: an approved claim's approved quote.
        claim = Claim.objects.public().filter(responses__approved_at__isnull=False).first()
        quote_word = claim.responses.filter(approved_at__isnull=False).first().quote.split()[0]
        assert search_claims(Claim.objects.filter(pk=claim.pk), quote_word).exists()
    # The reader pages show the generated data.
    list_page = client.get(reverse("claims:claim_list"), {"position": "denied"})
    assert list_page.status_code == HTTPStatus.OK
    assert list_page.context["page"].items
    claim = Claim.objects.visible().published().first()
    assert "application/ld+json" in client.get(claim.get_absolute_url()).content.decode()
    assert client.get(reverse("claims:denied_rss")).status_code == HTTPStatus.OK
