"""
The public claims each outlet carried, kept by the write path: one row per outlet and claim
with what an outlet's list of claims sorts and counts by (the claim's first sighting, official
position and published rating), copied from the claim.

Derived data, like the columns of models/derived.py, and refreshed with them
(`derived.refresh`) inside the transaction that changed what readers see: a row exists while
the claim is public and has an approved, not withdrawn carriage in one of the outlet's
reports. Read from the chain, an outlet's claims newest first meant looking up each of its
~3,300 claims at 1M claims (75-120 ms a request); from here a page reads its own ~21 index
entries, and the track record one index range.
"""

from collections.abc import Iterable

from django.db import connection, models

from .claims import SPREADING_ROLES, Carriage, Claim, OfficialPosition, track_record_counts
from .sources import Outlet, Report


class OutletClaim(models.Model):
    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="+", db_index=False)
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="outlet_claims")
    first_seen_at = models.DateTimeField(null=True)
    # An origin or repeat carriage: the outlet spread the claim itself, not just mentioned it.
    spread = models.BooleanField(default=False)
    official_position = models.CharField(max_length=20, choices=OfficialPosition)
    published_rating = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["outlet", "claim"], name="outlet_claim_once"),
        ]

    def __str__(self) -> str:
        return f"{self.outlet_id} carried {self.claim_id}"


def _insert_sql(where: str) -> str:
    """INSERT ... SELECT of the rows the public chain gives, for the claims `where` picks."""
    carriage, report, claim = (m._meta.db_table for m in (Carriage, Report, Claim))
    spreading = ", ".join(f"'{role}'" for role in SPREADING_ROLES)
    return (
        f"INSERT INTO {OutletClaim._meta.db_table} (outlet_id, claim_id, first_seen_at, "  # noqa: S608
        "spread, official_position, published_rating) "
        "SELECT r.outlet_id, c.claim_id, cl.first_seen_at, "
        f"MAX(CASE WHEN c.role IN ({spreading}) THEN 1 ELSE 0 END) = 1, "
        "cl.official_position, cl.published_rating "
        f"FROM {carriage} c JOIN {report} r ON r.id = c.report_id "
        f"JOIN {claim} cl ON cl.id = c.claim_id "
        "WHERE c.approved_at IS NOT NULL AND c.withdrawn_at IS NULL "
        f"AND cl.approved_at IS NOT NULL AND cl.withdrawn_at IS NULL {where} "
        "GROUP BY r.outlet_id, c.claim_id, cl.first_seen_at, cl.official_position, "
        "cl.published_rating"
    )


def store(claim_ids: Iterable[int]) -> None:
    """Rewrite these claims' rows from their chains (after their derived columns)."""
    ids = sorted(set(claim_ids))
    if not ids:
        return
    OutletClaim.objects.filter(claim_id__in=ids).delete()
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            placeholders = ", ".join(["%s"] * len(batch))
            cursor.execute(_insert_sql(f"AND c.claim_id IN ({placeholders})"), batch)


def store_all(low: int | None = None, high: int | None = None) -> None:
    """Rewrite the rows of every claim, or of the claims with ids in [low, high)."""
    if low is None:
        OutletClaim.objects.all().delete()
        where, params = "", []
    else:
        OutletClaim.objects.filter(claim_id__gte=low, claim_id__lt=high).delete()
        where, params = "AND c.claim_id >= %s AND c.claim_id < %s", [low, high]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(where), params)


def track_record(outlet: Outlet) -> dict[str, int]:
    """As the outlet's page counts it (`Claim.objects.spread_by(outlet).track_record()`): the
    public claims it spread itself, not the ones it only mentioned while reporting a denial
    or a fact-check. One index range (the index covers `spread`)."""
    rows = OutletClaim.objects.filter(outlet=outlet, spread=True)
    return rows.aggregate(**track_record_counts())
