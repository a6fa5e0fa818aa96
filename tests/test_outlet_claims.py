"""Each outlet's list of public claims (models/outlet_claims.py): kept by the approval that
changes the chain, and what the API's outlet filters and track record read."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from claims.models import Carriage, Claim, OutletClaim, Report, derived, writing
from claims.models.outlet_claims import store_all, track_record

from .factories import create_editor, create_reviewer
from .test_review_gate import log_chain

API = "/api/v1"


@pytest.fixture(autouse=True)
def _commit_callbacks_run(monkeypatch):
    monkeypatch.setattr(transaction, "on_commit", lambda func, *args, **kwargs: func())


@pytest.fixture
def people():
    return {"author": create_editor(username="author"), "reviewer": create_reviewer()}


def listed(outlet) -> list[tuple]:
    rows = OutletClaim.objects.filter(outlet=outlet).order_by("claim_id")
    return list(rows.values_list("claim_id", "spread", "official_position"))


def test_approval_lists_the_claim_and_withdrawal_drops_it(people):
    author, reviewer = people["author"], people["reviewer"]
    chain = log_chain(author)
    claim, outlet = chain["claim"], chain["outlet"]
    assert listed(outlet) == []  # pending work is nobody's list
    writing.approve(claim, by=reviewer)
    assert listed(outlet) == [(claim.pk, True, "denied")]
    row = OutletClaim.objects.get(outlet=outlet)
    assert row.first_seen_at == Claim.objects.get(pk=claim.pk).first_seen_at

    # A mention in another outlet's report lists the claim there, not as spread.
    relay = writing.create(type(outlet), by=author, values={"name": "Relay"}, slug="relay")
    report = Report.objects.create(outlet=relay, title="Office denies it")
    mention = writing.create(
        Carriage, by=author, values={"claim": claim, "report": report, "role": "mention"}
    )
    assert listed(relay) == []
    writing.approve(claim, by=reviewer)
    assert listed(relay) == [(claim.pk, False, "denied")]

    # Withdrawing the carriage drops the claim from that outlet's list once approved.
    mention = Carriage.objects.get(pk=mention.pk)
    writing.withdraw(mention, by=author, version=writing.desk_version(mention), reason="Wrong")
    assert listed(relay) == [(claim.pk, False, "denied")]
    writing.approve(claim, by=reviewer)
    assert listed(relay) == []

    # Withdrawing the claim drops it from every list.
    claim = Claim.objects.get(pk=claim.pk)
    writing.withdraw(claim, by=author, version=writing.desk_version(claim), reason="Wrong")
    writing.approve(claim, by=reviewer)
    assert listed(outlet) == []


def test_the_list_follows_the_claim_first_sighting_and_rating(people):
    author, reviewer = people["author"], people["reviewer"]
    chain = log_chain(author)
    claim = chain["claim"]
    writing.approve(claim, by=reviewer)
    earlier = timezone.now() - timedelta(days=30)
    claim = Claim.objects.get(pk=claim.pk)
    writing.save_edit(
        claim, by=author, version=writing.desk_version(claim), values={"first_seen_at": earlier}
    )
    writing.approve(claim, by=reviewer)
    assert OutletClaim.objects.get(outlet=chain["outlet"]).first_seen_at == earlier
    assert track_record(chain["outlet"]) == {"claims": 1, "denied": 1, "false_or_misleading": 0}


def test_store_all_rebuilds_what_refresh_keeps(people):
    chain = log_chain(people["author"])
    writing.approve(chain["claim"], by=people["reviewer"])
    kept = sorted(OutletClaim.objects.values_list("outlet_id", "claim_id", "spread"))
    store_all()
    assert sorted(OutletClaim.objects.values_list("outlet_id", "claim_id", "spread")) == kept
    OutletClaim.objects.all().delete()
    derived.refresh_all()
    assert sorted(OutletClaim.objects.values_list("outlet_id", "claim_id", "spread")) == kept


def test_api_outlet_filters_page_through_the_list(people):
    """Three claims of one outlet, a page at a time newest first, then oldest first; the
    denials and the track record of the same outlet."""
    author, reviewer = people["author"], people["reviewer"]
    chain = log_chain(author)
    writing.approve(chain["claim"], by=reviewer)
    now = timezone.now()
    claims = [chain["claim"]]
    for days in (5, 1):
        claim = writing.create(
            Claim,
            by=author,
            values={"text": f"Claim seen {days} days ago", "first_seen_at": now - timedelta(days)},
            slug=f"seen-{days}",
        )
        writing.create(
            Carriage,
            by=author,
            values={"claim": claim, "report": chain["report"], "role": "repeat"},
        )
        writing.approve(claim, by=reviewer)
        claims.append(claim)
    newest = [claims[2].pk, claims[0].pk, claims[1].pk]  # 1, 2 and 5 days ago
    client = Client()
    for order, expected in (("newest", newest), ("oldest", newest[::-1])):
        seen, cursor = [], None
        while True:
            query = {"outlet": "wombat", "page_size": 1, "order": order}
            body = client.get(f"{API}/claims", {**query, **({"cursor": cursor} if cursor else {})})
            body = body.json()
            seen += [item["id"] for item in body["items"]]
            cursor = body["next_cursor"]
            if not cursor:
                break
        assert seen == expected, order
    denials = client.get(f"{API}/denials", {"outlet": "wombat"}).json()["items"]
    assert [d["id"] for d in denials] == [chain["denial"].pk]
    record = client.get(f"{API}/outlets/{chain['outlet'].pk}").json()["track_record"]
    assert record == {"claims": 3, "denied": 1, "false_or_misleading": 0}
