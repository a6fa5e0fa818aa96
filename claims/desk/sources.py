"""The desk's side of archiving sources: an editor's "archive now" on a report."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from claims.archiving import request_archive
from claims.models import Report
from claims.roles import editor_required

from .views import done


@require_POST
@editor_required
def report_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """Fetch the report's page again now, whatever happened before (counts start over)."""
    report = get_object_or_404(Report, pk=pk)
    if request_archive(report, by=request.user, fresh=True) is None:
        messages.error(request, gettext("This report has no URL to archive: add one first."))
    else:
        messages.success(
            request, gettext("Archiving queued: the page is fetched in the background.")
        )
    return done(request, reverse("desk:report_edit", args=[report.pk]))
