"""
A narrative over time: per month, how many of its public claims were first seen, how many
denials were given and how many verdicts published. Drawn server-side as a small SVG bar
chart; the same numbers go in a table beside it, which is the chart's text equivalent.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

WIDTH = 640
HEIGHT = 160
MARGIN = 24
MONTHS = 24  # the most recent months shown
SERIES = ("claims", "denials", "verdicts")


@dataclass
class Bar:
    series: str
    x: float
    y: float
    width: float
    height: float
    value: int


@dataclass
class Month:
    month: date
    claims: int = 0
    denials: int = 0
    verdicts: int = 0


def _by_month(queryset, field: str) -> dict[date, int]:
    rows = (
        queryset.exclude(**{f"{field}__isnull": True})
        .annotate(month=TruncMonth(field, tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
    )
    found = {}
    for row in rows:
        month = row["month"]
        month = month.date() if hasattr(month, "date") else month
        found[month.replace(day=1)] = row["n"]
    return found


def narrative_months(narrative) -> list[Month]:
    """The narrative's months with any activity, oldest first (at most MONTHS)."""
    from claims.models import Response, Verdict

    claims = narrative.public_claims()
    counts = {
        "claims": _by_month(claims, "first_seen_at"),
        "denials": _by_month(
            Response.objects.public().denials().filter(claim__in=claims.values("pk")),
            "responded_at",
        ),
        "verdicts": _by_month(
            Verdict.objects.published().filter(claim__in=claims.values("pk")), "published_at"
        ),
    }
    months = sorted(set().union(*counts.values()))[-MONTHS:]
    return [
        Month(month, **{series: counts[series].get(month, 0) for series in SERIES})
        for month in months
    ]


def bars(months: list[Month]) -> list[Bar]:
    """Three bars per month, scaled to the busiest month."""
    if not months:
        return []
    top = max(max(getattr(m, s) for s in SERIES) for m in months) or 1
    slot = (WIDTH - 2 * MARGIN) / len(months)
    width = slot / (len(SERIES) + 1)
    usable = HEIGHT - 2 * MARGIN
    found = []
    for i, month in enumerate(months):
        for j, series in enumerate(SERIES):
            value = getattr(month, series)
            height = usable * value / top
            found.append(
                Bar(
                    series=series,
                    x=round(MARGIN + i * slot + j * width, 1),
                    y=round(HEIGHT - MARGIN - height, 1),
                    width=round(width, 1),
                    height=round(height, 1),
                    value=value,
                )
            )
    return found
