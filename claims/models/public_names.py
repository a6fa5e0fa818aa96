"""
Which actors, outlets and tags readers may see.

A name that only work still in review mentions (a pending claim's claimant, the outlet of a
carriage nobody has approved, a tag only pending claims carry) stays private with that work:
its reader page and feeds answer 404 and no list, filter or API offers it, until a second
editor approves a chain that uses it. Names no chain uses yet are public reference data.

Each name is checked with EXISTS look-ups, the approved rows first: a name in use is found
approved at its first row (an index probe), and only a name with no approved mention is looked
for among the rows in review. Lists test just the names of the page they show (listing every
outlet once meant joining all 2M carriages to their reports: minutes at 1M claims).
"""

from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.http import Http404

from .claims import Carriage, Claim
from .responses import Response
from .sources import Actor, Outlet, Tag


def _mentions(model) -> list[tuple[models.QuerySet, str, str]]:
    """Where rows of the chain name `model`: (rows, the name's id field, the field that says
    the row is approved)."""
    if model is Actor:
        return [
            (Claim.objects.all(), "claimant_id", "approved_at"),
            (Claim.subjects.through.objects.all(), "actor_id", "claim__approved_at"),
            (Response.objects.all(), "responder_id", "approved_at"),
        ]
    if model is Outlet:
        return [
            (Carriage.objects.all(), "report__outlet_id", "approved_at"),
            (Response.objects.all(), "report__outlet_id", "approved_at"),
        ]
    if model is Tag:
        return [(Claim.tags.through.objects.all(), "tag_id", "claim__approved_at")]
    raise TypeError(f"{model} is not a name")


def _named(model, *, approved: bool) -> Q:
    """Rows of the chain, approved or still in review, name the row of `model` at hand."""
    condition = Q()
    for rows, field, approval in _mentions(model):
        named = rows.filter(**{field: OuterRef("pk"), f"{approval}__isnull": not approved})
        condition |= Exists(named)
    return condition


def only_in_review(model) -> Case:
    """True for a name that rows in review mention and no approved row does. A CASE, so that
    the database asks in this order and stops at the first answer."""
    return Case(
        When(_named(model, approved=True), then=Value(False)),
        When(_named(model, approved=False), then=Value(True)),
        default=Value(False),
        output_field=models.BooleanField(),
    )


def in_review_only(model) -> set[int]:
    """Ids of the names that rows not yet approved mention and no approved row does."""
    found = model.objects.alias(private=only_in_review(model)).filter(private=True)
    return set(found.values_list("pk", flat=True))


def is_in_review_only(name: models.Model) -> bool:
    """One name: an approved row mentions it (public), else a pending row does (private)."""
    mentions = _mentions(type(name))
    if any(
        rows.filter(**{field: name.pk, f"{approved}__isnull": False}).exists()
        for rows, field, approved in mentions
    ):
        return False
    return any(
        rows.filter(**{field: name.pk, f"{approved}__isnull": True}).exists()
        for rows, field, approved in mentions
    )


def listed(model) -> models.QuerySet:
    """The names readers' lists may offer."""
    return model.objects.alias(private=only_in_review(model)).filter(private=False)


def public_name_or_404(queryset: models.QuerySet, **lookup) -> models.Model:
    """The name, if readers may see it; else 404, as for a name that does not exist."""
    name = queryset.filter(**lookup).first()
    if name is None or is_in_review_only(name):
        raise Http404(f"No {queryset.model._meta.verbose_name} matches the given query.")
    return name
