"""Desk pages of the importer: /desk/import/ (start, follow, confirm) and /desk/inbox/ (leads)."""

import time
from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claims.duplicates import very_similar
from claims.models import ImportJob, ImportJobStatus, Lead, LeadState, Report
from claims.models.importing import Notice
from claims.models.writing import UnknownName
from claims.roles import editor_required

from .forms import ConfirmForm, ImportForm, initial_from_result
from .pipeline import confirm
from .similar import similar_claims
from .tasks import enqueue_import


def over_import_limit(request: HttpRequest) -> bool:
    """
    A per-editor cap on new imports (each one makes the server fetch a page): at most
    IMPORTER_RATE_LIMIT imports in any IMPORTER_RATE_WINDOW seconds, counted in the cache.
    """
    limit = getattr(settings, "IMPORTER_RATE_LIMIT", 30)
    window = getattr(settings, "IMPORTER_RATE_WINDOW", 600)
    key = f"importer-rate:{request.user.pk}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def too_many_imports() -> HttpResponse:
    return HttpResponse(
        _("Too many imports in a short time; wait a few minutes and try again."),
        status=HTTPStatus.TOO_MANY_REQUESTS,
        content_type="text/plain; charset=utf-8",
    )


@require_http_methods(["GET", "POST"])
@editor_required
def import_start(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        if over_import_limit(request):
            return too_many_imports()
        source = form.source_bytes()
        with transaction.atomic():
            job = ImportJob.objects.create(
                url=form.cleaned_data.get("url") or form.cleaned_data.get("page_url") or "",
                source=source,
                fetched_at=None,
                content_type="text/html" if source else "",
                created_by=request.user,
            )
            enqueue_import(job)
        return redirect(job)
    recent = ImportJob.objects.filter(created_by=request.user)[:10]
    status = HTTPStatus.UNPROCESSABLE_ENTITY if form.errors else HTTPStatus.OK
    return render(
        request,
        "claims/importer/import_start.html",
        {"form": form, "recent": recent},
        status=status,
    )


def article_reviews(result: dict) -> list[dict]:
    return list((result.get("article") or {}).get("reviews") or [])


def review_context(job: ImportJob, form: ConfirmForm | None = None) -> dict:
    result = job.result or {}
    suggestion = result.get("suggestion") or {}
    similar = similar_claims(suggestion.get("claim") or "") if job.status == "ready" else []
    report = None
    if result.get("existing_report"):
        report = Report.objects.filter(pk=result["existing_report"]).first()
    if form is None and job.status == ImportJobStatus.READY:
        initial = initial_from_result(result, job.outlet.name if job.outlet else "")
        if report is not None:
            initial["outlet_name"] = report.outlet.name
            # What the page changed is taken by default; the editor unticks what to keep.
            initial["update_fields"] = list(result.get("diff") or {})
        # A claim on file that is very much like this one is the default: log to it.
        same = very_similar(similar)
        if same is not None:
            initial["existing_claim"] = same.pk
        form = ConfirmForm(initial=initial, similar=similar, reviews=article_reviews(result))
    return {
        "job": job,
        "form": form,
        "similar": similar,
        "existing_report": report,
        "diff": result.get("diff") or {},
        "article": result.get("article") or {},
        # Kept untranslated by the worker: shown in the editor's language.
        "warnings": [
            Notice.from_json(w) for w in (result.get("article") or {}).get("warnings") or []
        ],
        "suggestion": suggestion,
    }


@require_GET
@editor_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=pk)
    template = "claims/importer/job_detail.html"
    if request.htmx:
        template += "#job-status"
    return render(request, template, review_context(job))


@require_POST
@editor_required
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a stalled or failed import again (its worker died, or the site was down)."""
    with transaction.atomic():
        job = get_object_or_404(ImportJob.objects.select_for_update(), pk=pk)
        if job.is_stalled or job.status == ImportJobStatus.FAILED:
            job.retry()
            enqueue_import(job)
            messages.info(request, _("The import is queued again."))
        else:
            messages.error(request, _("This import is not stalled or failed; nothing to retry."))
    return redirect(job)


@require_POST
@editor_required
def job_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    with transaction.atomic():
        # Locked, so two editors confirming the same import cannot both create a chain.
        job = get_object_or_404(ImportJob.objects.select_for_update(), pk=pk)
        if job.status != ImportJobStatus.READY:
            messages.error(
                request, _("This import is not ready to confirm (or was confirmed already).")
            )
            return redirect(job)
        context = review_context(job)
        form = ConfirmForm(
            request.POST, similar=context["similar"], reviews=article_reviews(job.result or {})
        )
        if not form.is_valid():
            context["form"] = form
            return render(
                request,
                "claims/importer/job_detail.html",
                context,
                status=HTTPStatus.UNPROCESSABLE_ENTITY,
            )
        try:
            created = confirm(form.confirmation(), by=request.user, job=job)
        except UnknownName as error:
            # Several actors share a typed name: nothing was saved; the editor types a slug.
            form.add_error(None, str(error))
            context["form"] = form
            return render(
                request,
                "claims/importer/job_detail.html",
                context,
                status=HTTPStatus.UNPROCESSABLE_ENTITY,
            )
    parts = [_("Report created") if created.report_created else _("Report on file kept")]
    if created.updated_fields:
        parts.append(_("updated: %(fields)s") % {"fields": ", ".join(created.updated_fields)})
    if created.claim:
        parts.append(_("claim “%(text)s”") % {"text": created.claim.text})
    if created.response and created.response_on_file:
        parts.append(
            _("the response “%(quote)s” was on file already, not added again")
            % {"quote": created.response.quote}
        )
    elif created.response:
        response = created.response
        parts.append(
            _("response: %(responder)s %(stance)s")
            % {"responder": response.responder.name, "stance": response.get_stance_display()}
        )
    if created.new_names:
        names = ", ".join(str(name) for name in created.new_names)
        parts.append(_("filed new names: %(names)s") % {"names": names})
    if created.claim:
        parts.append(_("readers see it once a second editor approves it in the review queue"))
    messages.success(request, "; ".join(parts) + ".")
    return redirect(job)


@require_GET
@editor_required
def inbox(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", LeadState.NEW)
    if state not in LeadState.values:
        state = LeadState.NEW
    leads = (
        Lead.objects.filter(state=state)
        .select_related("item__feed__outlet")
        .order_by("-score", "-item__published_at", "-pk")[:200]
    )
    return render(
        request,
        "claims/importer/inbox.html",
        {"leads": leads, "state": state, "states": LeadState.choices},
    )


@require_POST
@editor_required
def lead_import(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_object_or_404(Lead.objects.select_related("item__feed__outlet"), pk=pk)
    if over_import_limit(request):
        return too_many_imports()
    with transaction.atomic():
        job = ImportJob.objects.create(
            url=lead.item.url,
            outlet=lead.item.feed.outlet,
            lead=lead,
            created_by=request.user,
        )
        enqueue_import(job)
    return redirect(job)


@require_POST
@editor_required
def lead_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_object_or_404(Lead, pk=pk, state=LeadState.NEW)
    lead.decide(LeadState.DISMISSED, by=request.user)
    if request.htmx:
        return HttpResponse("")  # the row disappears from the inbox
    messages.success(request, _("Dismissed “%(title)s”.") % {"title": lead.item.title})
    return redirect("importer:inbox")
