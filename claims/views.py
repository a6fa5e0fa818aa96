"""Reader pages: thin views over the Claim QuerySet methods."""

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .models import Actor, Carriage, Claim, Outlet, Response, Tag, Verdict


def claim_rows(claims):
    """The columns every claim list shows, fetched in a fixed number of queries."""
    return (
        claims.visible()
        .with_official_position()
        .select_related("claimant")
        .prefetch_related(
            Prefetch("verdicts", queryset=Verdict.objects.published(), to_attr="published_verdicts")
        )
        .newest()
    )


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "claims/home.html", {"claims": claim_rows(Claim.objects.all())[:50]})


@require_GET
def claim_detail(request: HttpRequest, slug: str) -> HttpResponse:
    claim = get_object_or_404(
        Claim.objects.visible()
        .select_related("claimant")
        .prefetch_related(
            "subjects",
            "tags",
            Prefetch(
                "carriages",
                queryset=Carriage.objects.current().select_related(
                    "report__outlet", "cites__report__outlet"
                ),
            ),
            Prefetch(
                "responses",
                queryset=Response.objects.current().select_related("responder", "report__outlet"),
            ),
        ),
        slug=slug,
    )
    verdict = claim.verdicts.published().select_related("author", "reviewer").first()
    return render(request, "claims/claim_detail.html", {"claim": claim, "verdict": verdict})


@require_GET
def actor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_object_or_404(Actor, slug=slug)
    claims = claim_rows(Claim.objects.by_actor(actor))[:100]
    return render(request, "claims/actor_detail.html", {"actor": actor, "claims": claims})


@require_GET
def outlet_detail(request: HttpRequest, slug: str) -> HttpResponse:
    outlet = get_object_or_404(Outlet, slug=slug)
    claims = claim_rows(Claim.objects.by_outlet(outlet))[:100]
    return render(request, "claims/outlet_detail.html", {"outlet": outlet, "claims": claims})


@require_GET
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    claims = claim_rows(Claim.objects.by_tag(tag))[:100]
    return render(request, "claims/tag_detail.html", {"tag": tag, "claims": claims})
