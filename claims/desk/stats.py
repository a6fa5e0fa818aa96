"""
The desk's statistics: how long claims take, month by month, per editor and per responding
actor (medians of models/timings.py, approved data only).

Nine queries whatever the number of claims: one window-function query per grouping and
measure (models/timings.py `medians`), and one each for the editors' and actors' names. Each
window query reads every public claim's timing (about 1.5-3 s at a million claims on a busy
machine), so the figures are kept in the cache for STATS_CACHE_SECONDS and the page says when
they were computed.
"""

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from claims.models import Actor, ClaimTiming, ResponderTiming
from claims.models.timings import medians
from claims.roles import editor_required

# (field on ClaimTiming, what it measures)
MEASURES = [
    ("response_seconds", _("First carriage → first official response")),
    ("approval_seconds", _("Logged → approved")),
    ("verdict_seconds", _("Approved → verdict published")),
]


def grouped(group: str) -> dict:
    """{group value: [(median, count) per measure]} for the public claims."""
    public = ClaimTiming.objects.filter(public=True)
    per_measure = [medians(public, group=group, value=field) for field, _label in MEASURES]
    keys = set().union(*per_measure)
    return {key: [found.get(key, (None, 0)) for found in per_measure] for key in keys}


STATS_CACHE_SECONDS = 600


@require_GET
@editor_required
def stats(request: HttpRequest) -> HttpResponse:
    context = cache.get_or_set("desk:stats", figures, STATS_CACHE_SECONDS)
    measures = [label for _field, label in MEASURES]
    return render(request, "claims/desk/stats.html", {**context, "measures": measures})


def figures() -> dict:
    by_month = grouped("logged_month")
    by_editor = grouped("logged_by")
    editors = get_user_model().objects.in_bulk([key for key in by_editor if key is not None])
    by_responder = medians(
        ResponderTiming.objects.filter(public=True), group="responder", value="seconds"
    )
    actors = Actor.objects.in_bulk(list(by_responder))
    return {
        "months": sorted(by_month.items(), reverse=True),
        "editors": sorted(
            ((editors.get(key), cells) for key, cells in by_editor.items()),
            key=lambda row: str(row[0] or ""),
        ),
        "responders": sorted(
            ((actors[key], median, count) for key, (median, count) in by_responder.items()),
            key=lambda row: (row[1], row[0].name),
        ),
        "computed_at": timezone.now(),
    }
