"""
The editor desk: log claim chains, draft and review verdicts, read a claim's history.

Every view checks the desk role itself (a client can ask for any URL or partial). Forms post
to the same URL and redirect on success; htmx requests get the form fragment back on 422
(invalid) and 409 (someone else saved first), and a client-side redirect on success.
"""

import logging
from collections.abc import Callable
from functools import partial
from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from claims.ids import BoundedIntegerField
from claims.models import (
    Actor,
    Carriage,
    Claim,
    Correction,
    ExternalReview,
    Lead,
    Narrative,
    NarrativeClaim,
    Outlet,
    PendingChange,
    Report,
    Response,
    Tag,
    TranslatedPart,
    Translation,
    Verdict,
    VerdictState,
    history,
    mark_channels,
    writing,
)
from claims.models.merging import merge_plans
from claims.models.sources import unique_slug
from claims.models.verdicts import WorkflowError
from claims.roles import editor_required, is_editor, is_reviewer, reviewer_required

from . import editing, similarity, threads
from .forms import (
    AttachNarrativeForm,
    CarriageForm,
    ClaimFinderForm,
    ClaimForm,
    ConfirmTranslationForm,
    CorrectionForm,
    NarrativeForm,
    NewActorForm,
    NewOutletForm,
    NewTagForm,
    ReportForm,
    ResponseForm,
    ReturnForm,
    TranslationForm,
    VerdictForm,
    VerdictWithdrawForm,
    WithdrawForm,
    longest_name,
)
from .narratives import suggest_narratives

logger = logging.getLogger(__name__)

# Access


def done(request: HttpRequest, url: str) -> HttpResponse:
    """After a successful POST: a redirect, or for htmx a client-side one (a full page load)."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


def render_form(
    request: HttpRequest,
    template: str,
    partial: str,
    context: dict,
    status: int = HTTPStatus.OK,
) -> HttpResponse:
    """The whole page, or only the form's partial when htmx asked for it."""
    name = f"{template}#{partial}" if request.htmx else template
    return render(request, name, context, status=status)


def with_names(request: HttpRequest, context: dict, *kinds: str) -> dict:
    """Add empty inline-creation forms for actors, outlets or tags under the page's form."""
    context["name_forms"] = [
        {"kind": kind, "form": NAME_KINDS[kind][1](prefix=f"new-{kind}"), "next": request.path}
        for kind in kinds
    ]
    return context


def conflict_context(form, current: Model, **form_kwargs) -> dict:
    """For a 409: where the editor's values differ from the saved ones, and their values in a
    form on top of the saved version, so saving it again re-applies them."""
    data = form.data.copy()
    data["version"] = current.version
    return {
        "conflict": {"rows": editing.conflict_rows(form, current), "current": current},
        "form": type(form)(data, instance=current, **form_kwargs),
    }


# Accounts


@sensitive_post_parameters()
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """Django's login form. It passes the request to authenticate(), which django-axes needs
    to count failures per username and address; a locked-out user gets axes' lockout page."""
    redirect_to = request.POST.get(REDIRECT_FIELD_NAME, request.GET.get(REDIRECT_FIELD_NAME, ""))
    if not url_has_allowed_host_and_scheme(
        redirect_to, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        redirect_to = ""
    if request.method == "POST":
        form = AuthenticationForm(request, data=request.POST)
        if form.is_valid():
            user = form.get_user()
            auth_login(request, user)
            default = reverse("desk:dashboard") if is_editor(user) else resolve_url("claims:home")
            return HttpResponseRedirect(redirect_to or default)
        status = HTTPStatus.UNPROCESSABLE_ENTITY
    else:
        form, status = AuthenticationForm(request), HTTPStatus.OK
    return render(
        request,
        "registration/login.html",
        {"form": form, "next": redirect_to},
        status=status,
    )


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    messages.info(request, _("You are logged out."))
    return HttpResponseRedirect(resolve_url("login"))


# Dashboard


# The dashboard's lists show this many rows at most: a busy desk has thousands of verdicts.
DESK_LIST_SIZE = 50


class DeskList:
    """The first DESK_LIST_SIZE rows of a queryset, and whether there are more."""

    def __init__(self, queryset: QuerySet | None) -> None:
        rows = list(queryset[: DESK_LIST_SIZE + 1]) if queryset is not None else []
        self.rows, self.more = rows[:DESK_LIST_SIZE], len(rows) > DESK_LIST_SIZE

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


@vary_on_headers("HX-Request")
@require_GET
@editor_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    finder = ClaimFinderForm(request.GET)
    query = finder.query
    claims = Claim.objects.text_contains(query) if query else Claim.objects.visible()
    if finder.only_mine:
        claims = claims.owned_by(user)
    found = claims.order_by("-updated_at")[: 30 if query else 15]
    if request.htmx and request.htmx.target == "claim-finder-results":
        context = {"query": query, "claims_found": found, "finder": finder}
        return render(request, "claims/desk/dashboard.html#claim-finder-results", context)
    verdicts = Verdict.objects.select_related("claim", "author", "reviewer")
    waiting = verdicts.in_review().order_by("submitted_at", "pk")
    context = {
        "my_drafts": DeskList(
            verdicts.drafts().by_author(user).not_returned().order_by("-updated_at", "-pk")
        ),
        "returned": DeskList(
            verdicts.drafts().by_author(user).returned().order_by("-updated_at", "-pk")
        ),
        "mine_in_review": DeskList(waiting.by_author(user)),
        "to_review": DeskList(waiting.by_others_than(user) if is_reviewer(user) else None),
        "published": verdicts.newest_published()[:10],
        # Chain work returned to this editor, once per claim (the newest note).
        "returned_work": _returned_work(user),
        "claims_awaiting": Claim.objects.awaiting_review().count(),
        "my_pending": Claim.objects.awaiting_review()
        .filter(pending_changes__author=user, pending_changes__state="pending")
        .distinct()
        .count(),
        "open_leads": Lead.objects.open()
        .select_related("item__feed__outlet", "assignment__editor")
        .order_by("-score", "-pk")[:8],
        "query": query,
        "finder": finder,
        "claims_found": found,
        "is_reviewer": is_reviewer(user),
        **threads.my_work(user),
    }
    return render(request, "claims/desk/dashboard.html", context)


def _returned_work(user) -> list:
    """Changes and corrections returned to `user`, once per claim (the newest note)."""
    seen, rows = set(), []
    returned = (
        PendingChange.objects.returned()
        .by_author(user)
        .select_related("claim", "reviewer", "content_type")
        .order_by("-reviewed_at", "-pk")[:200]
    )
    for change in returned:
        if change.claim_id not in seen:
            seen.add(change.claim_id)
            rows.append(change)
    return rows[:DESK_LIST_SIZE]


# Claims


def responses_with_channels(claim: Claim) -> list[Response]:
    responses = list(claim.responses.select_related("responder", "report__outlet"))
    mark_channels(responses)
    return responses


SAVED_MESSAGES = {
    "Claim": (
        gettext_lazy("Claim saved."),
        gettext_lazy("Claim saved: readers see the change once a second editor approves it."),
    ),
    "Carriage": (
        gettext_lazy("Carriage saved."),
        gettext_lazy("Carriage saved: readers see the change once a second editor approves it."),
    ),
    "Response": (
        gettext_lazy("Response saved."),
        gettext_lazy("Response saved: readers see the change once a second editor approves it."),
    ),
    "Report": (
        gettext_lazy("Report saved."),
        gettext_lazy("Report saved: readers see the change once a second editor approves it."),
    ),
    "Translation": (
        gettext_lazy("Translation saved."),
        gettext_lazy("Translation saved: readers see it once a second editor approves it."),
    ),
}
# What the desk says after a withdrawal, by kind: already withdrawn; waiting for review; done.
WITHDRAWN_MESSAGES = {
    "claim": (
        gettext_lazy("This claim is already withdrawn."),
        gettext_lazy(
            "Withdrawal of the claim saved: readers see its notice once a second editor "
            "approves it."
        ),
        gettext_lazy("The claim is withdrawn; it stays in the history."),
    ),
    "carriage": (
        gettext_lazy("This carriage is already withdrawn."),
        gettext_lazy(
            "Withdrawal of the carriage saved: readers see its notice once a second editor "
            "approves it."
        ),
        gettext_lazy("The carriage is withdrawn; it stays in the history."),
    ),
    "response": (
        gettext_lazy("This response is already withdrawn."),
        gettext_lazy(
            "Withdrawal of the response saved: readers see its notice once a second editor "
            "approves it."
        ),
        gettext_lazy("The response is withdrawn; it stays in the history."),
    ),
    "external-review": (
        gettext_lazy("This external review is already withdrawn."),
        gettext_lazy(
            "Withdrawal of the external review saved: it leaves the claim's page once a "
            "second editor approves it."
        ),
        gettext_lazy("The external review is withdrawn; it stays in the history."),
    ),
    "membership": (
        gettext_lazy("This claim is already out of the narrative."),
        gettext_lazy(
            "Taking the claim out of the narrative is saved: readers see it once a second "
            "editor approves it."
        ),
        gettext_lazy("The claim is out of the narrative; it stays in the history."),
    ),
    "translation": (
        gettext_lazy("This translation is already withdrawn."),
        gettext_lazy(
            "Withdrawal of the translation saved: readers see it once a second editor approves it."
        ),
        gettext_lazy("The translation is withdrawn; it stays in the history."),
    ),
}


def saved_message(obj, noun: str) -> str:
    saved, waiting = SAVED_MESSAGES[noun]
    return str(waiting if writing.is_public_row(obj) else saved)


def with_translations(source: Model, part: str) -> Model:
    """Attach a text's translations and an empty add form (ids unique on the page)."""
    source.desk_translations = editing.desk_translations(source)
    source.translation_part = TranslatedPart(part)
    source.translation_form = TranslationForm(
        initial={"part": part, "source": source.pk}, auto_id=f"id_{part}_{source.pk}_%s"
    )
    return source


def claim_page_context(claim: Claim) -> dict:
    changes, corrections = writing.pending_work(claim)
    returned = list(
        PendingChange.objects.returned()
        .filter(claim=claim)
        .select_related("reviewer")
        .order_by("-reviewed_at", "-pk")
    )
    responses = responses_with_channels(claim)
    for response in responses:
        if response.quote:
            with_translations(response, TranslatedPart.QUOTE)
    live_verdict = claim.verdicts.live().first()
    if live_verdict is not None and live_verdict.summary:
        with_translations(live_verdict, TranslatedPart.VERDICT_SUMMARY)
    with_translations(claim, TranslatedPart.CLAIM_TEXT)
    return {
        "review": {
            "changes": [describe_change(change) for change in writing.row_changes(changes)],
            "corrections": corrections,
            "returned_corrections": Correction.objects.returned().filter(verdict__claim=claim),
            "returned_note": returned[0].review_note if returned else "",
            "returned_by": returned[0].reviewer if returned else None,
        },
        "claim": claim,
        "memberships": [
            writing.with_pending(m)
            for m in claim.memberships.select_related("narrative").order_by("pk")
        ],
        "attach_form": AttachNarrativeForm(),
        "live_verdict": live_verdict,
        "carriages": claim.carriages.select_related("report__outlet", "cites__report__outlet"),
        "responses": responses,
        "external_reviews": claim.external_reviews.all(),
        "verdicts": claim.verdicts.select_related("author", "reviewer").prefetch_related(
            "corrections"
        ),
        **threads.thread_context(claim),
    }


def _create_claim(request: HttpRequest, form: ClaimForm) -> Claim:
    """Create the claim under a fresh slug; another editor may take the same slug meanwhile."""
    for attempt in range(3):
        try:
            with transaction.atomic():
                return writing.create(
                    Claim,
                    by=request.user,
                    values=form.values(),
                    slug=unique_slug(
                        Claim, form.cleaned_data["text"], language=form.cleaned_data.get("language")
                    ),
                )
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@editor_required
def claim_create(request: HttpRequest) -> HttpResponse:
    form = ClaimForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            claim = _create_claim(request, form)
            similarity.record_created_anyway(request.POST, text=claim.text, by=request.user)
            messages.success(request, _("Claim logged. Now add the reports that carried it."))
            return done(request, reverse("desk:claim_edit", args=[claim.slug]))
        context = with_names(request, {"form": form}, "actors", "tags")
        return render_form(request, "claims/desk/claim_edit.html", "claim-form", context, 422)
    context = with_names(request, {"form": form}, "actors", "tags")
    return render(request, "claims/desk/claim_edit.html", context)


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@editor_required
def claim_edit(request: HttpRequest, slug: str) -> HttpResponse:
    claim = get_object_or_404(Claim, slug=slug)
    context = with_names(request, claim_page_context(claim), "actors", "tags")
    template = "claims/desk/claim_edit.html"
    if request.method == "POST":
        form = ClaimForm(request.POST, instance=Claim.objects.get(pk=claim.pk))
        if not form.is_valid():
            return render_form(request, template, "claim-form", {**context, "form": form}, 422)
        try:
            writing.save_edit(
                claim,
                by=request.user,
                version=form.cleaned_data["version"],
                values=form.values(),
            )
        except writing.EditConflict as conflict:
            context = {
                **context,
                **claim_page_context(conflict.current),
                **conflict_context(form, conflict.current),
            }
            return render_form(request, template, "claim-form", context, HTTPStatus.CONFLICT)
        messages.success(request, saved_message(claim, "Claim"))
        return done(request, reverse("desk:claim_edit", args=[claim.slug]))
    return render(
        request, template, {**context, "form": ClaimForm(instance=writing.with_pending(claim))}
    )


@require_GET
@editor_required
def claim_history(request: HttpRequest, slug: str) -> HttpResponse:
    claim = get_object_or_404(Claim, slug=slug)
    entries = claim.history.select_related("user", "content_type").order_by("-at", "-pk")
    rows = [{"entry": entry, "changes": editing.describe(entry)} for entry in entries]
    return render(request, "claims/desk/claim_history.html", {"claim": claim, "rows": rows})


# Carriages and responses


def _save_carriage(request: HttpRequest, form: CarriageForm, claim: Claim, carriage=None):
    with transaction.atomic():
        report = form.cleaned_data.get("report")
        new_report = form.new_report_values()
        if new_report is not None:
            report = writing.create(Report, by=request.user, values=new_report, history_claim=claim)
        values = {**form.values(), "report": report}
        if carriage is None:
            return writing.create(Carriage, by=request.user, values=values, claim=claim)
        return writing.save_edit(
            carriage, by=request.user, version=form.cleaned_data["version"], values=values
        )


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@editor_required
def carriage_create(request: HttpRequest, slug: str) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.visible(), slug=slug)
    form = CarriageForm(request.POST or None, claim=claim)
    template = "claims/desk/carriage_form.html"
    if request.method == "POST":
        if form.is_valid():
            try:
                _save_carriage(request, form, claim)
            except IntegrityError:
                # Another editor added a carriage of the same report meanwhile.
                form.add_error("report", _("This report already carries the claim."))
            else:
                messages.success(request, _("Carriage added."))
                return done(request, reverse("desk:claim_edit", args=[claim.slug]))
        context = with_names(request, {"claim": claim, "form": form}, "outlets")
        return render_form(request, template, "carriage-form", context, 422)
    return render(request, template, with_names(request, {"claim": claim, "form": form}, "outlets"))


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@editor_required
def carriage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    carriage = get_object_or_404(Carriage.objects.select_related("claim"), pk=pk)
    claim = carriage.claim
    template = "claims/desk/carriage_form.html"
    if request.method == "POST":
        form = CarriageForm(request.POST, instance=carriage, claim=claim)
        context = with_names(
            request, {"claim": claim, "carriage": carriage, "form": form}, "outlets"
        )
        if not form.is_valid():
            return render_form(request, template, "carriage-form", context, 422)
        try:
            _save_carriage(request, form, claim, carriage)
        except writing.EditConflict as conflict:
            context = {**context, **conflict_context(form, conflict.current, claim=claim)}
            return render_form(request, template, "carriage-form", context, HTTPStatus.CONFLICT)
        messages.success(request, saved_message(carriage, "Carriage"))
        return done(request, reverse("desk:claim_edit", args=[claim.slug]))
    form = CarriageForm(instance=writing.with_pending(carriage), claim=claim)
    context = {"claim": claim, "carriage": carriage, "form": form}
    return render(request, template, with_names(request, context, "outlets"))


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@editor_required
def response_create(request: HttpRequest, slug: str) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.visible(), slug=slug)
    form = ResponseForm(request.POST or None, claim=claim)
    template = "claims/desk/response_form.html"
    if request.method == "POST":
        if form.is_valid():
            writing.create(Response, by=request.user, values={**form.values(), "claim": claim})
            messages.success(request, _("Response added."))
            return done(request, reverse("desk:claim_edit", args=[claim.slug]))
        context = with_names(request, {"claim": claim, "form": form}, "actors")
        return render_form(request, template, "response-form", context, 422)
    return render(request, template, with_names(request, {"claim": claim, "form": form}, "actors"))


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@editor_required
def response_edit(request: HttpRequest, pk: int) -> HttpResponse:
    response = get_object_or_404(Response.objects.select_related("claim"), pk=pk)
    claim = response.claim
    template = "claims/desk/response_form.html"
    if request.method == "POST":
        form = ResponseForm(request.POST, instance=response, claim=claim)
        context = with_names(
            request, {"claim": claim, "response": response, "form": form}, "actors"
        )
        if not form.is_valid():
            return render_form(request, template, "response-form", context, 422)
        try:
            writing.save_edit(
                response,
                by=request.user,
                version=form.cleaned_data["version"],
                values=form.values(),
            )
        except writing.EditConflict as conflict:
            context = {**context, **conflict_context(form, conflict.current, claim=claim)}
            return render_form(request, template, "response-form", context, HTTPStatus.CONFLICT)
        messages.success(request, saved_message(response, "Response"))
        return done(request, reverse("desk:claim_edit", args=[claim.slug]))
    form = ResponseForm(instance=writing.with_pending(response), claim=claim)
    context = {"claim": claim, "response": response, "form": form}
    return render(request, template, with_names(request, context, "actors"))


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@editor_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(Report.objects.select_related("outlet"), pk=pk)
    claims = list(Claim.objects.carried_in(report).order_by("pk"))
    back = (
        reverse("desk:claim_edit", args=[claims[0].slug]) if claims else reverse("desk:dashboard")
    )
    template = "claims/desk/report_form.html"
    context = with_names(
        request, {"report": report, "claims": claims, "back": back}, "outlets", "tags"
    )
    if request.method == "POST":
        form = ReportForm(request.POST, instance=Report.objects.get(pk=report.pk))
        if not form.is_valid():
            return render_form(request, template, "report-form", {**context, "form": form}, 422)
        try:
            writing.save_edit(
                report,
                by=request.user,
                version=form.cleaned_data["version"],
                values=form.values(),
                history_claims=claims,
            )
        except writing.EditConflict as conflict:
            context = {**context, **conflict_context(form, conflict.current)}
            return render_form(request, template, "report-form", context, HTTPStatus.CONFLICT)
        messages.success(request, saved_message(report, "Report"))
        return done(request, back)
    form = ReportForm(instance=writing.with_pending(report))
    return render(request, template, {**context, "form": form})


# Withdrawals: nothing is deleted from the desk.

WITHDRAWABLE = {
    "claim": Claim,
    "carriage": Carriage,
    "response": Response,
    "external-review": ExternalReview,
    "membership": NarrativeClaim,
    "translation": Translation,
}


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@editor_required
def withdraw(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = WITHDRAWABLE.get(kind)
    if model is None:
        raise PermissionDenied(_("Only parts of a claim's chain can be withdrawn here."))
    obj = get_object_or_404(model, pk=pk)
    claim = obj if isinstance(obj, Claim) else obj.claim
    back = reverse("desk:claim_edit", args=[claim.slug])
    template = "claims/desk/withdraw_form.html"
    context = {"object": obj, "kind": kind, "claim": claim, "back": back}
    if (
        isinstance(obj, Claim)
        and obj.verdicts.published().exists()
        and not is_reviewer(request.user)
    ):
        # Taking a published verdict off the reader site is a reviewer's call, as publishing is.
        logger.warning("desk: refused claim withdrawal %s to user %s", obj.pk, request.user.pk)
        raise PermissionDenied(_("This claim has a published verdict: ask a reviewer."))
    if writing.with_pending(obj).withdrawn_at is not None:
        messages.info(request, WITHDRAWN_MESSAGES[kind][0])
        return done(request, back) if request.method == "POST" else redirect(back)
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            return render_form(request, template, "withdraw-form", {**context, "form": form}, 422)
        try:
            writing.withdraw(
                obj,
                by=request.user,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except writing.EditConflict as conflict:
            retry = WithdrawForm({**request.POST.dict(), "version": conflict.current.version})
            context = {**context, "form": retry, "stale": True}
            return render_form(request, template, "withdraw-form", context, HTTPStatus.CONFLICT)
        if writing.is_public_row(obj):
            messages.success(request, WITHDRAWN_MESSAGES[kind][1])
        else:
            messages.success(request, WITHDRAWN_MESSAGES[kind][2])
        return done(request, back)
    form = WithdrawForm(initial={"version": writing.desk_version(obj)})
    return render(request, template, {**context, "form": form})


# Translations: through the write path and the review gate like any change to a chain.


def translation_source(claim: Claim, part: str, pk: int | None) -> Model:
    """The claim itself, one of its responses or one of its verdicts: what is translated."""
    rows = {
        TranslatedPart.CLAIM_TEXT: Claim.objects.filter(pk=claim.pk),
        TranslatedPart.QUOTE: claim.responses.all(),
        TranslatedPart.VERDICT_SUMMARY: claim.verdicts.all(),
    }
    if part not in rows or pk is None:
        raise Http404("No such text to translate.")
    return get_object_or_404(rows[part], pk=pk)


def translation_page(
    request: HttpRequest,
    claim: Claim,
    source: Model,
    part: str,
    form: TranslationForm,
    *,
    translation: Translation | None = None,
    status: int = HTTPStatus.OK,
    errors=(),
) -> HttpResponse:
    original = writing.with_pending(source) if hasattr(source, "approved_at") else source
    context = {
        "claim": claim,
        "source": original,
        "part": TranslatedPart(part),
        "original_text": getattr(original, _source_field(part)),
        "original_language": getattr(original, "language", ""),
        "form": form,
        "translation": translation,
        "errors": errors,
    }
    if translation is not None:
        (context["item"],) = [
            row
            for row in editing.desk_translations(source)
            if row["translation"].pk == translation.pk
        ]
        context["confirm_form"] = ConfirmTranslationForm(
            initial={"version": context["item"]["version"]}
        )
    return render_form(
        request, "claims/desk/translation_form.html", "translation-form", context, status
    )


def _source_field(part: str) -> str:
    from claims.models.translations import SOURCE_FIELDS

    return SOURCE_FIELDS[TranslatedPart(part)][1]


@require_POST
@editor_required
def translation_create(request: HttpRequest, slug: str) -> HttpResponse:
    """The add form sits under each text on the claim's desk page; a refusal comes back
    on a page of its own with the original beside the form."""
    claim = get_object_or_404(Claim.objects.visible(), slug=slug)
    form = TranslationForm(request.POST)
    part = request.POST.get("part", "")
    try:
        pk = BoundedIntegerField().clean(request.POST.get("source"))
    except ValidationError:
        pk = None
    source = translation_source(claim, part, pk)
    return save_translation(
        request,
        claim,
        form,
        partial(writing.add_translation, source, by=request.user),
        message=gettext("Translation added: readers see it once a second editor approves it."),
        source=source,
        part=part,
    )


def save_translation(
    request: HttpRequest,
    claim: Claim,
    form: TranslationForm,
    write: Callable[..., Translation],
    *,
    message: str,
    source: Model,
    part: str,
    translation: Translation | None = None,
) -> HttpResponse:
    """Write a valid form's values (`write`); a refusal comes back on the form's page (422),
    a save by someone else since the form was opened as a conflict (409)."""
    status = HTTPStatus.UNPROCESSABLE_ENTITY
    errors = []
    if form.is_valid():
        try:
            write(**form.values())
        except writing.EditConflict:
            status = HTTPStatus.CONFLICT
            errors = [
                gettext("Someone changed this translation after you opened it: look at it again.")
            ]
        except writing.TranslationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, message)
            return done(request, reverse("desk:claim_edit", args=[claim.slug]))
    return translation_page(
        request, claim, source, part, form, translation=translation, status=status, errors=errors
    )


def _translation(pk: int) -> Translation:
    return get_object_or_404(
        Translation.objects.select_related("claim", "response", "verdict", "translator"), pk=pk
    )


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@editor_required
def translation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    stored = _translation(pk)
    claim, source, part = stored.claim, stored.source(), stored.part
    view = writing.with_pending(stored)
    if request.method == "GET":
        form = TranslationForm(
            editing=True,
            initial={
                "text": view.text,
                "translator_kind": view.translator_kind,
                "engine": view.engine,
                "version": writing.desk_version(stored),
            },
        )
        return translation_page(request, claim, source, part, form, translation=stored)
    return save_translation(
        request,
        claim,
        TranslationForm(request.POST, editing=True),
        partial(writing.edit_translation, stored, by=request.user),
        message=saved_message(stored, "Translation"),
        source=source,
        part=part,
        translation=stored,
    )


@require_POST
@editor_required
def translation_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The original changed; the editor checked the translation and it still holds."""
    stored = _translation(pk)
    claim, source, part = stored.claim, stored.source(), stored.part
    form = ConfirmTranslationForm(request.POST)
    errors, status = [], HTTPStatus.CONFLICT
    if not form.is_valid():
        errors = [gettext("This form has lost its version; reload the page.")]
        status = HTTPStatus.UNPROCESSABLE_ENTITY
    else:
        try:
            writing.confirm_translation(
                stored, by=request.user, version=form.cleaned_data["version"]
            )
        except writing.EditConflict:
            errors = [
                gettext("Someone changed this translation after you opened it: look at it again.")
            ]
        except writing.TranslationError as error:
            errors = [str(error)]
        else:
            messages.success(
                request,
                gettext("Translation confirmed against the changed original.")
                if not writing.is_public_row(stored)
                else gettext(
                    "Translation confirmed: readers see it again once a second editor approves."
                ),
            )
            return done(request, reverse("desk:claim_edit", args=[claim.slug]))
    view = writing.with_pending(stored)
    edit_form = TranslationForm(
        editing=True,
        initial={
            "text": view.text,
            "translator_kind": view.translator_kind,
            "engine": view.engine,
            "version": writing.desk_version(stored),
        },
    )
    return translation_page(
        request, claim, source, part, edit_form, translation=stored, status=status, errors=errors
    )


# Verdicts


def verdict_page(
    request: HttpRequest,
    verdict: Verdict,
    *,
    form=None,
    errors=(),
    status: int = HTTPStatus.OK,
    partial: str = "verdict-form",
    **extra,
) -> HttpResponse:
    user = request.user
    context = {
        "verdict": verdict,
        "claim": verdict.claim,
        "form": form or VerdictForm(instance=verdict),
        "return_form": extra.pop("return_form", None) or ReturnForm(),
        "correction_form": extra.pop("correction_form", None) or CorrectionForm(),
        "withdraw_form": extra.pop("withdraw_form", None) or VerdictWithdrawForm(),
        "errors": errors,
        "is_author": verdict.author_id == user.pk,
        "is_reviewer": is_reviewer(user),
        "editable": verdict.state == VerdictState.DRAFT,
        **extra,
    }
    return render_form(request, "claims/desk/verdict_form.html", partial, context, status)


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@editor_required
def verdict_create(request: HttpRequest, slug: str) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.visible(), slug=slug)
    live = claim.verdicts.live().first()
    if live is not None:
        messages.info(request, _("This claim already has a verdict; here it is."))
        return redirect("desk:verdict_edit", pk=live.pk)
    form = VerdictForm(request.POST or None)
    template = "claims/desk/verdict_new.html"
    if request.method == "POST":
        if form.is_valid():
            try:
                with transaction.atomic():
                    verdict = writing.create(
                        Verdict,
                        by=request.user,
                        values={**form.values(), "claim": claim, "author": request.user},
                    )
            except IntegrityError:
                messages.error(
                    request, _("Someone else started a verdict on this claim meanwhile.")
                )
                return done(request, reverse("desk:claim_edit", args=[claim.slug]))
            messages.success(request, _("Verdict drafted. Submit it for review when it is ready."))
            return done(request, reverse("desk:verdict_edit", args=[verdict.pk]))
        return render_form(request, template, "verdict-form", {"claim": claim, "form": form}, 422)
    return render(request, template, {"claim": claim, "form": form})


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@editor_required
def verdict_edit(request: HttpRequest, pk: int) -> HttpResponse:
    verdict = get_object_or_404(
        Verdict.objects.select_related("claim", "author", "reviewer"), pk=pk
    )
    if request.method == "GET":
        return verdict_page(request, verdict)
    if verdict.state != VerdictState.DRAFT:
        return verdict_page(
            request,
            verdict,
            form_errors=[_("Only a draft can be edited; a reviewer can return it to draft.")],
            status=HTTPStatus.CONFLICT,
        )
    form = VerdictForm(request.POST, instance=Verdict.objects.get(pk=verdict.pk))
    if not form.is_valid():
        return verdict_page(request, verdict, form=form, status=HTTPStatus.UNPROCESSABLE_ENTITY)
    try:
        writing.save_edit(
            verdict, by=request.user, version=form.cleaned_data["version"], values=form.values()
        )
    except writing.EditConflict as conflict:
        extra = conflict_context(form, conflict.current)
        return verdict_page(request, conflict.current, status=HTTPStatus.CONFLICT, **extra)
    messages.success(request, _("Verdict saved."))
    return done(request, reverse("desk:verdict_edit", args=[verdict.pk]))


def _workflow(
    request: HttpRequest, verdict: Verdict, action: Callable[[], object], success: str
) -> HttpResponse:
    """Run a workflow action; a rule it breaks is shown to the editor, never a 500."""
    try:
        action()
    except WorkflowError as error:
        return verdict_page(
            request,
            Verdict.objects.get(pk=verdict.pk),
            errors=error.messages,
            status=HTTPStatus.CONFLICT,
            partial="verdict-actions",
        )
    except IntegrityError:
        # The database's two-person rule, should a path around the model ever reach it.
        return verdict_page(
            request,
            Verdict.objects.get(pk=verdict.pk),
            errors=[
                _("The database refused this change: the author cannot review their own verdict.")
            ],
            status=HTTPStatus.CONFLICT,
            partial="verdict-actions",
        )
    messages.success(request, success)
    return done(request, reverse("desk:verdict_edit", args=[verdict.pk]))


def _verdict(pk: int) -> Verdict:
    return get_object_or_404(Verdict.objects.select_related("claim", "author", "reviewer"), pk=pk)


@require_POST
@editor_required
def verdict_submit(request: HttpRequest, pk: int) -> HttpResponse:
    verdict = _verdict(pk)
    return _workflow(
        request, verdict, lambda: verdict.submit(by=request.user), _("Submitted for review.")
    )


@require_POST
@reviewer_required
def verdict_publish(request: HttpRequest, pk: int) -> HttpResponse:
    verdict = _verdict(pk)
    return _workflow(
        request,
        verdict,
        lambda: verdict.publish(by=request.user),
        _("Published: readers see it now."),
    )


@require_POST
@reviewer_required
def verdict_return(request: HttpRequest, pk: int) -> HttpResponse:
    verdict = _verdict(pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return verdict_page(
            request, verdict, return_form=form, status=422, partial="verdict-actions"
        )
    note = form.cleaned_data["note"]
    return _workflow(
        request,
        verdict,
        lambda: verdict.return_to_draft(by=request.user, note=note),
        _("Returned to the author with your note."),
    )


@require_POST
@editor_required
def verdict_correct(request: HttpRequest, pk: int) -> HttpResponse:
    verdict = _verdict(pk)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        return verdict_page(
            request, verdict, correction_form=form, status=422, partial="verdict-actions"
        )
    text, rating = form.cleaned_data["text"], form.cleaned_data["rating"]
    return _workflow(
        request,
        verdict,
        lambda: verdict.correct(by=request.user, text=text, rating=rating),
        _(
            "Correction saved: it is published once a second editor approves it "
            "in the review queue."
        ),
    )


@require_POST
@reviewer_required
def verdict_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    verdict = _verdict(pk)
    form = VerdictWithdrawForm(request.POST)
    if not form.is_valid():
        return verdict_page(
            request, verdict, withdraw_form=form, status=422, partial="verdict-actions"
        )
    reason = form.cleaned_data["reason"]
    return _workflow(
        request,
        verdict,
        lambda: verdict.withdraw(by=request.user, reason=reason),
        _("Verdict withdrawn."),
    )


# Names: autocomplete and inline creation

NAME_KINDS = {
    "actors": (Actor, NewActorForm),
    "outlets": (Outlet, NewOutletForm),
    "tags": (Tag, NewTagForm),
}
AUTOCOMPLETE_SIZE = 15


@vary_on_headers("HX-Request")
@require_GET
@editor_required
def autocomplete(request: HttpRequest, kind: str) -> HttpResponse:
    """`<option>`s for a `<datalist>`: names containing what the editor has typed so far.

    For a comma-separated field each option repeats what is already typed before the last
    comma, so the browser's datalist still matches it."""
    if kind not in NAME_KINDS:
        raise PermissionDenied(_("Unknown kind of name."))
    model = NAME_KINDS[kind][0]
    field = request.GET.get("field", "q")
    typed = request.GET.get(field, request.GET.get("q", ""))
    prefix, _comma, term = (
        typed.rpartition(",") if request.GET.get("multiple") == "1" else ("", "", typed)
    )
    prefix = f"{prefix.strip()}, " if prefix.strip() else ""
    term = term.strip()
    rows = model.objects.order_by("name")
    if len(term) > longest_name(rows) or "\x00" in term:
        rows = rows.none()  # no name is that long, or has a NUL; the field says so on saving
    elif term:
        rows = rows.filter(name__icontains=term)
    options = [
        {"value": prefix + row.name, "label": getattr(row, "role", "") or ""}
        for row in rows[:AUTOCOMPLETE_SIZE]
    ]
    return render(request, "claims/desk/name_options.html", {"options": options})


@require_POST
@editor_required
def name_create(request: HttpRequest, kind: str) -> HttpResponse:
    """Add an actor, outlet or tag without leaving the form being filled in."""
    if kind not in NAME_KINDS:
        raise PermissionDenied(_("Unknown kind of name."))
    model, form_class = NAME_KINDS[kind]
    form = form_class(request.POST, prefix=f"new-{kind}")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("desk:dashboard")
    context = {"kind": kind, "form": form, "next": back}
    if not form.is_valid():
        if request.htmx:
            return render(request, "claims/desk/_new_name.html#new-name", context, status=422)
        return render(request, "claims/desk/name_new.html", context, status=422)
    try:
        created = writing.create(model, by=request.user, values=form.values())
    except IntegrityError:
        # The same name added by another editor between validation and saving.
        form.add_error("name", form.name_taken)
        template = (
            "claims/desk/_new_name.html#new-name" if request.htmx else "claims/desk/name_new.html"
        )
        return render(request, template, context, status=422)
    if request.htmx:
        fresh = form_class(prefix=f"new-{kind}")
        return render(
            request,
            "claims/desk/_new_name.html#new-name",
            {**context, "form": fresh, "created": created},
        )
    messages.success(request, _("Added %(name)s; you can type it now.") % {"name": created.name})
    return HttpResponseRedirect(back)


# Narratives: reference rows written directly (with history); a claim's place in one is
# chain data, attached and detached through the gate.


def narrative_form(request: HttpRequest, narrative: Narrative | None) -> HttpResponse:
    """Add or edit a narrative (one view, two entry points)."""
    template = "claims/desk/narrative_form.html"
    form = NarrativeForm(request.POST or None, instance=narrative)
    context = {"form": form, "narrative": narrative}
    if request.method != "POST":
        if narrative is not None:
            form.initial["version"] = writing.desk_version(narrative)
        return render(request, template, context)
    if not form.is_valid():
        return render_form(request, template, "narrative-form", context, 422)
    if narrative is None:
        values = form.values()
        narrative = writing.create(
            Narrative,
            by=request.user,
            values=values,
            slug=unique_slug(Narrative, values["title"], language=values["language"]),
        )
        messages.success(request, gettext("Narrative added: attach claims to it from their page."))
    else:
        try:
            writing.save_edit(
                narrative,
                by=request.user,
                version=form.cleaned_data["version"],
                values=form.values(),
            )
        except writing.EditConflict as conflict:
            context |= conflict_context(form, conflict.current)
            return render_form(request, template, "narrative-form", context, HTTPStatus.CONFLICT)
        messages.success(request, gettext("Narrative saved."))
    return done(request, reverse("desk:narrative_edit", args=[narrative.slug]))


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@editor_required
def narrative_create(request: HttpRequest) -> HttpResponse:
    return narrative_form(request, None)


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@editor_required
def narrative_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return narrative_form(request, get_object_or_404(Narrative, slug=slug))


@require_POST
@editor_required
def narrative_attach(request: HttpRequest, slug: str) -> HttpResponse:
    """Put the claim in a narrative: pending until a second editor approves it."""
    claim = get_object_or_404(Claim, slug=slug)
    form = AttachNarrativeForm(request.POST)
    context = {"claim": claim, "attach_form": form}
    template = "claims/desk/narrative_attach.html"
    if not form.is_valid():
        return render(request, template, context, status=HTTPStatus.UNPROCESSABLE_ENTITY)
    narrative = form.cleaned_data["narrative"]
    try:
        with transaction.atomic():
            writing.create(
                NarrativeClaim, by=request.user, values={"narrative": narrative, "claim": claim}
            )
    except IntegrityError:
        form.add_error("narrative", gettext("The claim is in this narrative already."))
        return render(request, template, context, status=HTTPStatus.UNPROCESSABLE_ENTITY)
    messages.success(
        request,
        gettext("Added to “%(title)s”: readers see it once a second editor approves it.")
        % {"title": narrative.title},
    )
    return done(request, reverse("desk:claim_edit", args=[claim.slug]))


@require_GET
@editor_required
def narrative_suggestions(request: HttpRequest, slug: str) -> HttpResponse:
    """Narratives of claims like this one (asked for, not computed with every claim page)."""
    claim = get_object_or_404(Claim, slug=slug)
    context = {"claim": claim, "suggestions": suggest_narratives(claim)}
    if request.htmx:
        return render(request, "claims/desk/narrative_attach.html#suggestions", context)
    return render(
        request,
        "claims/desk/narrative_attach.html",
        {**context, "attach_form": AttachNarrativeForm()},
    )


# Review: a second editor approves or returns a claim's pending work (models/writing.py)


def describe_change(change: PendingChange) -> dict:
    """A pending change as the queue shows it: what, by whom, and public vs proposed values."""
    target = change.target()
    public = history.field_values(target) if target is not None and not change.applied else {}
    rows = editing.describe_values(
        change.target_model,
        {
            name: [public.get(name), value]
            for name, value in change.values.items()
            if public.get(name) != value
        },
    )
    return {"change": change, "target": target, "rows": rows}


def review_context(claim: Claim, user) -> dict:
    """What will become public: the chain as readers will see it, and every pending change
    against the last approved state."""
    changes, corrections = writing.pending_work(claim)
    authors = {c.author_id for c in changes} | {c.created_by_id for c in corrections}
    carriages = [
        writing.with_pending(c)
        for c in claim.carriages.select_related("report__outlet").order_by("pk")
    ]
    responses = [
        writing.with_pending(r)
        for r in claim.responses.select_related("responder", "report__outlet").order_by("pk")
    ]
    translations = [
        writing.with_pending(t)
        for t in claim.translations.select_related("translator").order_by("part", "pk")
    ]
    return {
        "claim": claim,
        "preview": writing.with_pending(claim),
        # Those readers will see: not withdrawn, and made from the original as approved.
        "preview_translations": [
            t
            for t in translations
            if t.withdrawn_at is None
            and not t.is_stale
            and t.source_text == t.source_text_now(writing.with_pending(t.source()))
        ],
        "preview_carriages": [c for c in carriages if c.withdrawn_at is None],
        "preview_responses": [r for r in responses if r.withdrawn_at is None],
        "changes": [describe_change(change) for change in writing.row_changes(changes)],
        "corrections": corrections,
        "fingerprint": writing.fingerprint(changes, corrections),
        "is_author": user.pk in authors,
        "authors": sorted(
            {str(c.author or "system") for c in changes}
            | {str(c.created_by or "system") for c in corrections}
        ),
        "return_form": ReturnForm(),
        "merges": merge_plans(claim),
    }


@require_GET
@reviewer_required
def review_queue(request: HttpRequest) -> HttpResponse:
    claims = DeskList(Claim.objects.awaiting_review().order_by("updated_at", "pk"))
    rows = []
    for claim in claims:
        changes, corrections = writing.pending_work(claim)
        authors = {c.author_id for c in changes} | {c.created_by_id for c in corrections}
        rows.append(
            {
                "claim": claim,
                "count": writing.count_of(changes, corrections),
                "fingerprint": writing.fingerprint(changes, corrections),
                "is_author": request.user.pk in authors,
                "public": claim.is_public,
            }
        )
    return render(request, "claims/desk/review_queue.html", {"rows": rows, "more": claims.more})


@require_GET
@reviewer_required
def review_claim(request: HttpRequest, slug: str) -> HttpResponse:
    claim = get_object_or_404(Claim, slug=slug)
    return render(request, "claims/desk/review_claim.html", review_context(claim, request.user))


def _review_action(request: HttpRequest, slug: str, action: Callable, success: str):
    claim = get_object_or_404(Claim, slug=slug)
    try:
        action(claim)
    except writing.ReviewRefused as error:
        logger.warning("desk: refused review of %s to user %s", claim.pk, request.user.pk)
        raise PermissionDenied(error.messages[0]) from None
    except (writing.ReviewError, writing.EditConflict, IntegrityError) as error:
        if isinstance(error, IntegrityError):
            # The database's two-person rule, should a path around the checks ever reach it.
            errors = [_("The database refused this review: the author cannot review their work.")]
            status = HTTPStatus.FORBIDDEN
        else:
            errors = getattr(error, "messages", [str(error)])
            status = HTTPStatus.CONFLICT
        context = {**review_context(claim, request.user), "errors": errors}
        return render(request, "claims/desk/review_claim.html", context, status=status)
    messages.success(request, success)
    return done(request, reverse("desk:review_queue"))


@require_POST
@reviewer_required
def review_approve(request: HttpRequest, slug: str) -> HttpResponse:
    fingerprint = request.POST.get("fingerprint", "")
    return _review_action(
        request,
        slug,
        lambda claim: writing.approve(claim, by=request.user, fingerprint=fingerprint),
        _("Approved: readers see it now."),
    )


@require_POST
@reviewer_required
def review_return(request: HttpRequest, slug: str) -> HttpResponse:
    fingerprint = request.POST.get("fingerprint", "")
    form = ReturnForm(request.POST)
    if not form.is_valid():
        claim = get_object_or_404(Claim, slug=slug)
        context = {**review_context(claim, request.user), "return_form": form}
        return render(
            request,
            "claims/desk/review_claim.html",
            context,
            status=HTTPStatus.UNPROCESSABLE_ENTITY,
        )
    note = form.cleaned_data["note"]
    return _review_action(
        request,
        slug,
        lambda claim: writing.return_work(
            claim, by=request.user, note=note, fingerprint=fingerprint
        ),
        _("Returned to the authors with your note."),
    )


@require_POST
@editor_required
def review_resubmit(request: HttpRequest, slug: str) -> HttpResponse:
    claim = get_object_or_404(Claim, slug=slug)
    writing.resubmit(claim, by=request.user)
    messages.success(request, _("Back in the review queue."))
    return done(request, reverse("desk:claim_edit", args=[claim.slug]))
