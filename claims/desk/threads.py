"""
The desk's conversation and ownership: a claim's thread of notes, assigning claims and inbox
leads to editors, and what the dashboard shows each editor of their own work.

Writing goes through models/threads.py (history, mentions, notifications); these views check
the role, validate, and redirect (htmx: the thread fragment comes back instead).
"""

from http import HTTPStatus

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from claims.models import (
    Assignment,
    Claim,
    Correction,
    Lead,
    Note,
    PendingChange,
    threads,
)
from claims.roles import ROLES, editor_required, is_reviewer

from .forms import DeskForm


def desk_editors():
    """Everyone who can be given work or mentioned: editors, reviewers and superusers."""
    return (
        get_user_model()
        .objects.filter(Q(groups__name__in=ROLES) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("username")
    )


class NoteForm(DeskForm):
    text = forms.CharField(
        label=_("Note"),
        max_length=threads.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only editors see the thread. Mention an editor with @ and their username."),
    )

    def __init__(self, *args, **kwargs) -> None:
        # The claim page's own form has a "text" field too: ids must differ.
        kwargs.setdefault("auto_id", "note_%s")
        super().__init__(*args, **kwargs)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write something first."))
        return text


class AssignForm(DeskForm):
    editor = forms.ModelChoiceField(
        label=_("Assign to"), queryset=get_user_model().objects.none(), to_field_name="username"
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["editor"].queryset = desk_editors()


def thread_context(claim: Claim, *, note_form: NoteForm | None = None) -> dict:
    """What the claim page's thread and ownership box show."""
    editors = list(desk_editors())
    assignment = Assignment.objects.filter(claim=claim).select_related("editor").first()
    return {
        "notes": Note.objects.of(claim).prefetch_related("mentions"),
        "note_form": note_form or NoteForm(),
        "assignment": assignment,
        "assign_form": AssignForm(
            initial={"editor": assignment.editor.username if assignment else None}
        ),
        "editors": editors,
    }


def my_work(user) -> dict:
    """The dashboard's "assigned to me", "waiting for my review" and "mentions of me"."""
    from .views import DeskList

    mine = Assignment.objects.filter(editor=user).select_related("claim", "lead__item")
    context = {
        "assigned_to_me": DeskList(mine.order_by("-assigned_at", "-pk")),
        "mentions_of_me": Note.objects.mentioning(user)
        .select_related("claim", "author")
        .order_by("-created_at", "-pk")[:10],
        "waiting_for_my_review": DeskList(None),
        "desk_editors": desk_editors(),
    }
    if is_reviewer(user):
        # Pending work of claims none of which this reviewer made: theirs to review.
        theirs = PendingChange.objects.pending().filter(claim=OuterRef("pk"), author=user)
        corrections = Correction.objects.pending().filter(
            verdict__claim=OuterRef("pk"), created_by=user
        )
        context["waiting_for_my_review"] = DeskList(
            Claim.objects.awaiting_review()
            .exclude(Exists(theirs))
            .exclude(Exists(corrections))
            .order_by("updated_at", "pk")
        )
    return context


def _back_to_claim(request: HttpRequest, claim: Claim) -> HttpResponse:
    return HttpResponseRedirect(reverse("desk:claim_edit", args=[claim.slug]) + "#thread")


def _thread_fragment(request, claim, status=HTTPStatus.OK, **kwargs) -> HttpResponse:
    context = {"claim": claim, **thread_context(claim, **kwargs)}
    return render(request, "claims/desk/claim_thread.html#thread", context, status=status)


@require_POST
@editor_required
def note_create(request: HttpRequest, slug: str) -> HttpResponse:
    claim = get_object_or_404(Claim, slug=slug)
    form = NoteForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            return _thread_fragment(request, claim, HTTPStatus.UNPROCESSABLE_ENTITY, note_form=form)
        from claims.models import writing

        from .forms import ClaimForm
        from .views import claim_page_context, with_names

        context = with_names(
            request,
            {**claim_page_context(claim), "form": ClaimForm(instance=writing.with_pending(claim))},
            "actors",
            "tags",
        )
        context.update(thread_context(claim, note_form=form))
        return render(
            request, "claims/desk/claim_edit.html", context, status=HTTPStatus.UNPROCESSABLE_ENTITY
        )
    threads.post_note(claim, by=request.user, text=form.cleaned_data["text"])
    if request.htmx:
        return _thread_fragment(request, claim)
    messages.success(request, gettext("Note added to the thread."))
    return _back_to_claim(request, claim)


def _assign(request: HttpRequest, target, back: str) -> HttpResponse:
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose an editor from the list."))
        return HttpResponseRedirect(back)
    editor = form.cleaned_data["editor"]
    threads.assign(target, to=editor, by=request.user)
    messages.success(request, gettext("Assigned to %(name)s.") % {"name": editor.username})
    return HttpResponseRedirect(back)


def _unassign(request: HttpRequest, target, back: str) -> HttpResponse:
    if threads.unassign(target, by=request.user):
        messages.success(request, gettext("Nobody is assigned now."))
    return HttpResponseRedirect(back)


@require_POST
@editor_required
def claim_assign(request: HttpRequest, slug: str) -> HttpResponse:
    claim = get_object_or_404(Claim, slug=slug)
    return _assign(request, claim, reverse("desk:claim_edit", args=[claim.slug]))


@require_POST
@editor_required
def claim_unassign(request: HttpRequest, slug: str) -> HttpResponse:
    claim = get_object_or_404(Claim, slug=slug)
    return _unassign(request, claim, reverse("desk:claim_edit", args=[claim.slug]))


@require_POST
@editor_required
def lead_assign(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_object_or_404(Lead, pk=pk)
    return _assign(request, lead, reverse("desk:dashboard"))


@require_POST
@editor_required
def lead_unassign(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_object_or_404(Lead, pk=pk)
    return _unassign(request, lead, reverse("desk:dashboard"))
