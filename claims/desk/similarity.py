"""
The desk's similar-claim suggestions: the box on a claim's page ("the same claim in other
languages?"), the list under the claim form as an editor types, the editors' decisions on
them (SimilarSuggestion) and the page that reports precision from those decisions.
Suggest only: linking or merging stays an editor's act.
"""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from claims import similarity
from claims.importer.similar import similar_claims
from claims.models import Claim, SimilarSuggestion, SuggestionOutcome
from claims.roles import editor_required

# A typed text shorter than this is not looked up as one types.
MIN_TYPED = 12
TEMPLATE = "claims/desk/similar_claims.html"


class DecisionForm(forms.Form):
    text = forms.CharField(max_length=500)
    suggested = forms.ModelChoiceField(queryset=Claim.objects.visible())
    score = forms.FloatField(min_value=0, max_value=1)
    outcome = forms.ChoiceField(choices=SuggestionOutcome.choices)
    next = forms.CharField(required=False)


def record_created_anyway(post, *, text: str, by) -> int:
    """The claim form was saved while suggestions were shown: each one counts as rejected.
    The list under the form sends them as `similar_shown` = "<claim id>:<score>"."""
    rows = []
    for shown in post.getlist("similar_shown"):
        claim_id, _, score = shown.partition(":")
        try:
            rows.append((int(claim_id), min(1.0, max(0.0, float(score)))))
        except ValueError:
            continue
    existing = set(Claim.objects.filter(pk__in=[pk for pk, _ in rows]).values_list("pk", flat=True))
    SimilarSuggestion.objects.bulk_create(
        SimilarSuggestion(
            text=text[:500],
            suggested_id=pk,
            score=score,
            outcome=SuggestionOutcome.CREATED_ANYWAY,
            decided_by=by,
        )
        for pk, score in rows
        if pk in existing
    )
    return len(rows)


@vary_on_headers("HX-Request")
@require_GET
@editor_required
def claim_similar(request: HttpRequest, slug: str) -> HttpResponse:
    """A claim's look-alikes in any language, for its desk page."""
    claim = get_object_or_404(Claim, slug=slug)
    found = similar_claims(claim.text, language=claim.language, exclude=claim.pk)
    context = {"claim": claim, "found": found, "text": claim.text}
    template = f"{TEMPLATE}#similar-box" if request.htmx else TEMPLATE
    return render(request, template, context)


@vary_on_headers("HX-Request")
@require_GET
@editor_required
def typed_similar(request: HttpRequest) -> HttpResponse:
    """Claims like the text being typed into the claim form."""
    text = request.GET.get("text", "")[:500].strip()
    found = similar_claims(text) if len(text) >= MIN_TYPED else []
    context = {"found": found, "text": text, "typed": True}
    template = f"{TEMPLATE}#similar-list" if request.htmx else TEMPLATE
    return render(request, template, context)


@require_POST
@editor_required
def decide(request: HttpRequest) -> HttpResponse:
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("That suggestion could not be recorded."))
        return redirect("desk:dashboard")
    data = form.cleaned_data
    SimilarSuggestion.objects.create(
        text=data["text"],
        suggested=data["suggested"],
        score=data["score"],
        outcome=data["outcome"],
        decided_by=request.user,
    )
    messages.success(request, gettext("Noted. Thank you."))
    target = data["next"]
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("desk:dashboard")
    return redirect(target)


@require_GET
@editor_required
def similarity_report(request: HttpRequest) -> HttpResponse:
    """How often editors accepted the suggestions shown at or above the threshold."""
    log = SimilarSuggestion.objects.all()
    precision, decided = log.precision(similarity.THRESHOLD)
    counts = [
        (label, log.filter(outcome=value).count()) for value, label in SuggestionOutcome.choices
    ]
    return render(
        request,
        "claims/desk/similarity.html",
        {
            "threshold": similarity.THRESHOLD,
            "precision": precision,
            "decided": decided,
            "counts": counts,
            "recent": log.select_related("suggested", "decided_by")[:50],
        },
    )
