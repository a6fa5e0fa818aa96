"""
Merging a duplicate claim into the claim it duplicates, from the duplicate's desk page.

GET shows the claims most like it; choosing one (still a GET: nothing changes) shows what the
merge would move; the POST proposes it. A second editor approves it in the review queue
(models/writing.py `propose_merge`, models/merging.py). Until then its proposer (or an
administrator) may withdraw it from the same page.
"""

from http import HTTPStatus

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from claims.ids import BoundedIntegerField
from claims.importer.similar import similar_claims
from claims.models import Claim, writing
from claims.models.merging import may_withdraw, open_merge, plan_merge
from claims.roles import editor_required

from .forms import DeskForm
from .views import done


class MergeForm(DeskForm):
    into = forms.CharField(
        label=_("The claim to keep"),
        max_length=300,
        help_text=_("Its slug or its address (desk or reader page)."),
    )
    note = forms.CharField(
        label=_("Why they are the same claim"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = BoundedIntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, duplicate: Claim, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.duplicate = duplicate

    def clean_into(self) -> Claim:
        typed = self.cleaned_data["into"].strip().rstrip("/")
        slug = typed.rpartition("/")[2]
        into = Claim.objects.filter(slug=slug).first()
        if into is None:
            message = gettext("No claim has the slug “%(slug)s”.") % {"slug": slug}
            raise forms.ValidationError(message)
        if into.pk == self.duplicate.pk:
            raise forms.ValidationError(gettext("Choose another claim: this is the duplicate."))
        return into


class WithdrawMergeForm(DeskForm):
    note = forms.CharField(
        label=_("Why you withdraw it"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # On the same page as the proposal's note.
    prefix = "withdraw"


@require_http_methods(["GET", "POST"])
@editor_required
def merge_propose(request: HttpRequest, slug: str) -> HttpResponse:
    duplicate = get_object_or_404(Claim, slug=slug)
    template = "claims/desk/claim_merge.html"
    pending = open_merge(duplicate)
    context = {
        "duplicate": duplicate,
        "pending": pending,
        "may_withdraw": pending is not None and may_withdraw(pending, request.user),
        "withdraw_form": WithdrawMergeForm(),
    }
    if request.method == "GET":
        if "into" not in request.GET:
            similar = [c for c in similar_claims(duplicate.text, limit=6) if c.pk != duplicate.pk]
            form = MergeForm(duplicate=duplicate)
            return render(request, template, {**context, "form": form, "similar": similar})
        form = MergeForm(request.GET, duplicate=duplicate)
        if not form.is_valid():
            return render(request, template, {**context, "form": form}, status=422)
        into = form.cleaned_data["into"]
        confirm = MergeForm(
            initial={"into": into.slug, "version": writing.desk_version(duplicate)},
            duplicate=duplicate,
        )
        plan = plan_merge(duplicate, into)
        return render(request, template, {**context, "form": confirm, "plan": plan})
    form = MergeForm(request.POST, duplicate=duplicate)
    if not form.is_valid() or form.cleaned_data.get("version") is None:
        if form.is_valid():
            form.add_error(None, gettext("This form has lost its version; reload the page."))
        return render(request, template, {**context, "form": form}, status=422)
    into = form.cleaned_data["into"]
    try:
        writing.propose_merge(
            duplicate,
            into=into,
            by=request.user,
            version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
        )
    except (writing.MergeRefused, writing.EditConflict) as refused:
        errors = getattr(refused, "messages", None) or [
            gettext("Someone changed the duplicate after you opened this page: look again.")
        ]
        plan = plan_merge(Claim.objects.get(pk=duplicate.pk), into)
        fresh = MergeForm(
            initial={
                "into": into.slug,
                "version": writing.desk_version(duplicate),
                "note": form.cleaned_data["note"],
            },
            duplicate=duplicate,
        )
        context = {**context, "form": fresh, "plan": plan, "errors": errors}
        return render(request, template, context, status=HTTPStatus.CONFLICT)
    messages.success(
        request,
        gettext(
            "Merge proposed: nothing moves until a second editor approves it in the review queue."
        ),
    )
    return done(request, reverse("desk:claim_edit", args=[into.slug]))


@require_POST
@editor_required
def merge_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    """The proposer (or an administrator) takes back a merge not approved yet."""
    duplicate = get_object_or_404(Claim, slug=slug)
    page = reverse("desk:merge_propose", args=[duplicate.slug])
    pending = open_merge(duplicate)
    if pending is not None and not may_withdraw(pending, request.user):
        raise PermissionDenied
    form = WithdrawMergeForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        writing.withdraw_merge(duplicate, by=request.user, note=note)
    except writing.MergeRefused as refused:
        for message in refused.messages:
            messages.error(request, message)
        return done(request, page)
    messages.success(request, gettext("Merge proposal withdrawn: nothing was moved."))
    return done(request, page)
