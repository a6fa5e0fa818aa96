"""
Which actors, outlets and tags readers may see.

A name that only work still in review mentions (a pending claim's claimant, the outlet of a
carriage nobody has approved, a tag only pending claims carry) stays private with that work:
its reader page and feeds answer 404 and no list, filter or API offers it, until a second
editor approves a chain that uses it. Names no chain uses yet are public reference data.

Rows in review are few, so the sets below are small queries; one name is checked with two
EXISTS look-ups.
"""

from django.db import models
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


def in_review_only(model) -> set[int]:
    """Ids of the names that rows not yet approved mention and no approved row does."""
    pending, public = set(), set()
    mentions = _mentions(model)
    for rows, field, approved in mentions:
        waiting = rows.filter(**{f"{approved}__isnull": True, f"{field}__isnull": False})
        pending |= set(waiting.values_list(field, flat=True))
    if not pending:
        return set()
    for rows, field, approved in mentions:
        shown = rows.filter(**{f"{approved}__isnull": False, f"{field}__in": pending})
        public |= set(shown.values_list(field, flat=True))
    return pending - public


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
    return model.objects.exclude(pk__in=in_review_only(model))


def public_name_or_404(queryset: models.QuerySet, **lookup) -> models.Model:
    """The name, if readers may see it; else 404, as for a name that does not exist."""
    name = queryset.filter(**lookup).first()
    if name is None or is_in_review_only(name):
        raise Http404(f"No {queryset.model._meta.verbose_name} matches the given query.")
    return name
