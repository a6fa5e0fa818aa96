"""
The desk's statistics: how long claims take, month by month, per editor and per responding
actor (medians of models/timings.py, approved data only).

Nine queries whatever the number of claims: one window-function query per grouping and
measure (models/timings.py `medians`), and one each for the editors' and actors' names.
"""

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
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


@require_GET
@editor_required
def stats(request: HttpRequest) -> HttpResponse:
    by_month = grouped("logged_month")
    by_editor = grouped("logged_by")
    editors = get_user_model().objects.in_bulk([key for key in by_editor if key is not None])
    by_responder = medians(
        ResponderTiming.objects.filter(public=True), group="responder", value="seconds"
    )
    actors = Actor.objects.in_bulk(list(by_responder))
    context = {
        "measures": [label for _field, label in MEASURES],
        "months": sorted(by_month.items(), reverse=True),
        "editors": sorted(
            ((editors.get(key), cells) for key, cells in by_editor.items()),
            key=lambda row: str(row[0] or ""),
        ),
        "responders": sorted(
            ((actors[key], median, count) for key, (median, count) in by_responder.items()),
            key=lambda row: (row[1], row[0].name),
        ),
    }
    return render(request, "claims/desk/stats.html", context)
