"""
Names (actors, outlets, tags) as partners' lists show them: as the reader's filter choices do,
not the names that only work still in review mentions (a pending chain's names stay private
until a second editor approves it). A name's own answer by id stays, as its reader page does.
"""

from django.db import models

from claims.filters import tags_in_review_only
from claims.models import Actor, Carriage, Claim, Outlet, Response, Tag


def _pending_only(mentions: list[tuple[models.QuerySet, str, str]]) -> set[int]:
    """Ids that rows not yet approved mention and no approved row does. Each mention is
    (rows, the id's field, the field saying the row is approved). The rows in review are few,
    so these are small queries."""
    pending, public = set(), set()
    for rows, field, approved in mentions:
        waiting = rows.filter(**{f"{approved}__isnull": True, f"{field}__isnull": False})
        pending |= set(waiting.values_list(field, flat=True))
    if not pending:
        return set()
    for rows, field, approved in mentions:
        shown = rows.filter(**{f"{approved}__isnull": False, f"{field}__in": pending})
        public |= set(shown.values_list(field, flat=True))
    return pending - public


def actors_in_review_only() -> set[int]:
    return _pending_only(
        [
            (Claim.objects.all(), "claimant_id", "approved_at"),
            (Claim.subjects.through.objects.all(), "actor_id", "claim__approved_at"),
            (Response.objects.all(), "responder_id", "approved_at"),
        ]
    )


def outlets_in_review_only() -> set[int]:
    return _pending_only(
        [
            (Carriage.objects.all(), "report__outlet_id", "approved_at"),
            (Response.objects.all(), "report__outlet_id", "approved_at"),
        ]
    )


def listed_actors() -> models.QuerySet:
    return Actor.objects.exclude(pk__in=actors_in_review_only())


def listed_outlets() -> models.QuerySet:
    return Outlet.objects.exclude(pk__in=outlets_in_review_only())


def listed_tags() -> models.QuerySet:
    return Tag.objects.exclude(pk__in=tags_in_review_only())
