"""
Response time, measured: how long each step of a claim's life took, from approved data only.

For each claim (ClaimTiming):
- response: from its first carriage (the earliest publication time of a report in an approved
  carriage) to its first approved official response;
- approval: from logging (the claim's creation on the desk) to its approval;
- verdict: from approval to the publication of its verdict.
For each claim and each actor who responded to it (ResponderTiming): from the first carriage to
that actor's first approved response, and whether the claim is about the actor (one of its
subjects), for "how fast does it respond to claims about it".

These are derived rows, like the stored position (models/derived.py): `store(claim_ids)` is
called by `derived.refresh` inside the transaction that changed what readers see, so the
statistics need no date arithmetic per request (which SQLite and PostgreSQL spell differently)
and a median is one window-function query per grouping, on both databases (`medians`).
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Min, Window
from django.db.models.functions import RowNumber
from django.utils import timezone


class ClaimTiming(models.Model):
    claim = models.OneToOneField(
        "Claim", on_delete=models.CASCADE, primary_key=True, related_name="timing"
    )
    # Copied from the claim, so the statistics group without joining a million claims.
    public = models.BooleanField(default=False)
    logged_month = models.DateField(help_text="The first day of the month it was logged.")
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_carried_at = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    verdict_published_at = models.DateTimeField(null=True, blank=True)
    # Durations in whole seconds; empty when a step has not happened (or has no time).
    response_seconds = models.BigIntegerField(null=True, blank=True)
    approval_seconds = models.BigIntegerField(null=True, blank=True)
    verdict_seconds = models.BigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["logged_month"], name="timing_month_idx"),
            models.Index(fields=["logged_by"], name="timing_editor_idx"),
        ]

    def __str__(self) -> str:
        return f"Timing of claim {self.claim_id}"


class ResponderTiming(models.Model):
    claim = models.ForeignKey("Claim", on_delete=models.CASCADE, related_name="responder_timings")
    responder = models.ForeignKey("Actor", on_delete=models.CASCADE, related_name="+")
    public = models.BooleanField(default=False)
    about_responder = models.BooleanField(default=False)
    first_response_at = models.DateTimeField()
    seconds = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["claim", "responder"], name="responder_timing_once")
        ]
        indexes = [
            # The actor page: its answers to public claims about it, in order of time.
            models.Index(
                fields=["responder", "seconds"],
                condition=models.Q(public=True, about_responder=True),
                name="responder_timing_idx",
            )
        ]

    def __str__(self) -> str:
        return f"Actor {self.responder_id} on claim {self.claim_id}"


def _seconds(start: datetime | None, end: datetime | None) -> int | None:
    """Whole seconds from start to end; a step recorded before its start counts as 0."""
    if start is None or end is None:
        return None
    return max(0, int((end - start).total_seconds()))


def store(claim_ids: Iterable[int]) -> None:
    """Recompute the timings of these claims from their approved rows (a few queries per
    batch, whatever its size)."""
    from .claims import Carriage, Claim
    from .responses import Response
    from .verdicts import Verdict

    ids = sorted(set(claim_ids))
    if not ids:
        return
    claims = Claim.objects.filter(pk__in=ids).values(
        "pk", "created_at", "created_by", "approved_at", "withdrawn_at"
    )
    carried = dict(
        Carriage.objects.approved()
        .filter(claim_id__in=ids, report__published_at__isnull=False)
        .values("claim_id")
        .annotate(first=Min("report__published_at"))
        .values_list("claim_id", "first")
    )
    verdicts = dict(
        Verdict.objects.filter(claim_id__in=ids, state="published")
        .values("claim_id")
        .annotate(first=Min("published_at"))
        .values_list("claim_id", "first")
    )
    first_by_responder = (
        Response.objects.approved()
        .filter(claim_id__in=ids)
        .values("claim_id", "responder_id")
        .annotate(first=Min("responded_at"))
        .values_list("claim_id", "responder_id", "first")
    )
    subjects = defaultdict(set)
    for claim_id, actor_id in Claim.subjects.through.objects.filter(claim_id__in=ids).values_list(
        "claim_id", "actor_id"
    ):
        subjects[claim_id].add(actor_id)
    responses = defaultdict(list)
    for claim_id, responder_id, first in first_by_responder:
        responses[claim_id].append((responder_id, first))

    timings, responder_rows = [], []
    for claim in claims:
        pk = claim["pk"]
        public = claim["approved_at"] is not None and claim["withdrawn_at"] is None
        first_carried = carried.get(pk)
        first_response = min((first for _, first in responses[pk]), default=None)
        published = verdicts.get(pk)
        logged = timezone.localtime(claim["created_at"])
        timings.append(
            ClaimTiming(
                claim_id=pk,
                public=public,
                logged_month=logged.date().replace(day=1),
                logged_by_id=claim["created_by"],
                first_carried_at=first_carried,
                first_response_at=first_response,
                verdict_published_at=published,
                response_seconds=_seconds(first_carried, first_response),
                approval_seconds=_seconds(claim["created_at"], claim["approved_at"]),
                verdict_seconds=_seconds(claim["approved_at"], published),
            )
        )
        for responder_id, first in responses[pk]:
            responder_rows.append(
                ResponderTiming(
                    claim_id=pk,
                    responder_id=responder_id,
                    public=public,
                    about_responder=responder_id in subjects[pk],
                    first_response_at=first,
                    seconds=_seconds(first_carried, first),
                )
            )
    ClaimTiming.objects.filter(claim_id__in=ids).delete()
    ResponderTiming.objects.filter(claim_id__in=ids).delete()
    ClaimTiming.objects.bulk_create(timings, batch_size=2000)
    ResponderTiming.objects.bulk_create(responder_rows, batch_size=2000)


# Medians, portably: percentile_cont exists only on PostgreSQL. Each group's rows are numbered
# in order of the value; the median is the middle row (odd count) or the mean of the two middle
# rows (even count), picked in SQL, so at most two rows per group leave the database.


def medians(rows: models.QuerySet, *, group: str, value: str) -> dict:
    """{group value: (median seconds, count)} over the rows whose `value` is known. One query."""
    ranked = (
        rows.filter(**{f"{value}__isnull": False})
        .annotate(
            position=Window(RowNumber(), partition_by=[F(group)], order_by=[F(value).asc()]),
            size=Window(Count("*"), partition_by=[F(group)]),
        )
        .alias(twice=F("position") * 2)
        .filter(twice__gte=F("size"), twice__lte=F("size") + 2)
        .values_list(group, value, "size")
    )
    middles = defaultdict(list)
    sizes = {}
    for key, seconds, size in ranked:
        middles[key].append(seconds)
        sizes[key] = size
    return {key: (sum(values) / len(values), sizes[key]) for key, values in middles.items()}


def median_of(rows: models.QuerySet, *, value: str) -> tuple[float | None, int]:
    """(median, count) of one group's `value`: a count, then the middle one or two rows by
    index (two queries, each served by an index on the value)."""
    known = rows.filter(**{f"{value}__isnull": False})
    size = known.count()
    if not size:
        return None, 0
    start, count = (size - 1) // 2, 2 - size % 2
    middle = list(known.order_by(value).values_list(value, flat=True)[start : start + count])
    return sum(middle) / len(middle), size


def responsiveness(actor) -> dict:
    """How the actor answers public claims about it (it is one of their subjects): how many
    there are, how many it answered with an approved response, and its median time from a
    claim's first carriage to its first response. Four queries."""
    from .claims import Claim

    about = Claim.objects.public().filter(subjects=actor).count()
    answered = ResponderTiming.objects.filter(public=True, responder=actor, about_responder=True)
    answered_count = answered.count()
    median, timed = median_of(answered, value="seconds")
    return {
        "claims_about": about,
        "answered": answered_count,
        "unanswered": about - answered_count,
        "unanswered_percent": round(100 * (about - answered_count) / about) if about else None,
        "median_seconds": median,
        "timed": timed,
    }
