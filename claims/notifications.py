"""
Desk emails: review requested, returned, approved, assigned and mentioned.

The write path and the thread call `send()` (or `review_requested()`) inside their
transaction; once it commits, the task worker sends one email per recipient
(`send_notification`), rendered in the recipient's language with a link to the desk page.
Nobody is told about their own action, and an editor who turned a kind off does not get it.
Mail goes through Django's email framework (settings: EMAIL_URL, DEFAULT_FROM_EMAIL).
"""

from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from claims.models import NotificationKind, NotificationPreference

REVIEW_REQUESTED = NotificationKind.REVIEW_REQUESTED.value
RETURNED = NotificationKind.RETURNED.value
APPROVED = NotificationKind.APPROVED.value
ASSIGNED = NotificationKind.ASSIGNED.value
MENTIONED = NotificationKind.MENTIONED.value


def send(kind: str, *, to, by, claim=None, lead=None, note: str = "") -> list[int]:
    """Queue the email of `kind` to each of `to` but `by`, once the transaction commits.
    Returns the ids of the users it will reach."""
    ids = {user.pk for user in to if user is not None} - {getattr(by, "pk", None)}
    if not ids:
        return []
    muted = {
        pref.user_id
        for pref in NotificationPreference.objects.filter(user_id__in=ids)
        if not pref.wants(kind)
    }
    recipients = sorted(
        get_user_model()
        .objects.filter(pk__in=ids - muted, is_active=True)
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    for user_id in recipients:
        transaction.on_commit(
            partial(
                send_notification.enqueue,
                kind,
                user_id,
                getattr(by, "pk", None),
                getattr(claim, "pk", None),
                getattr(lead, "pk", None),
                note,
            )
        )
    return recipients


def reviewers_of(claim, *, by) -> list:
    """Who is asked to review a claim's work: its assignee when they are a reviewer other than
    the one asking, else every reviewer."""
    from claims.models import Assignment
    from claims.roles import REVIEWER, is_reviewer

    assignment = Assignment.objects.filter(claim=claim).select_related("editor").first()
    if assignment and assignment.editor_id != by_pk(by) and is_reviewer(assignment.editor):
        return [assignment.editor]
    return list(
        get_user_model()
        .objects.filter(Q(groups__name=REVIEWER) | Q(is_superuser=True), is_active=True)
        .distinct()
    )


def by_pk(by):
    return getattr(by, "pk", None)


def review_requested(claim, *, by) -> list[int]:
    return send(REVIEW_REQUESTED, to=reviewers_of(claim, by=by), by=by, claim=claim)


def language_of(user) -> str:
    pref = NotificationPreference.objects.filter(user=user).first()
    codes = {code for code, _name in settings.LANGUAGES}
    if pref and pref.language in codes:
        return pref.language
    return settings.LANGUAGE_CODE


def desk_link(claim=None, lead=None) -> str:
    if claim is not None:
        return settings.SITE_URL + reverse("desk:claim_edit", args=[claim.slug])
    if lead is not None:
        return settings.SITE_URL + reverse("importer:inbox")
    return settings.SITE_URL + reverse("desk:dashboard")


@task
def send_notification(
    kind: str, user_id: int, by_id: int | None, claim_id: int | None, lead_id: int | None, note: str
) -> str:
    """Render and send one desk email (run by the task worker)."""
    from claims.models import Claim, Lead

    users = get_user_model().objects
    user = users.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return "no recipient"
    pref = NotificationPreference.objects.filter(user=user).first()
    if pref is not None and not pref.wants(kind):
        return "muted"  # turned off after it was queued
    claim = Claim.objects.filter(pk=claim_id).first() if claim_id else None
    lead = Lead.objects.select_related("item").filter(pk=lead_id).first() if lead_id else None
    context = {
        "kind": kind,
        "user": user,
        "by": users.filter(pk=by_id).first() if by_id else None,
        "claim": claim,
        "lead": lead,
        "note": note,
        "site_name": settings.SITE_NAME,
        # What the email is about: the claim's text, or the lead's title.
        "subject_text": claim.text if claim else (lead.item.title or lead.item.url) if lead else "",
    }
    with translation.override(language_of(user)):
        context["link"] = desk_link(claim, lead)
        context["preferences_link"] = settings.SITE_URL + reverse("desk:notification_settings")
        subject = render_to_string("claims/email/notification.txt#subject", context)
        body = render_to_string("claims/email/notification.txt#body", context)
    send_mail(" ".join(subject.split()), body.strip() + "\n", None, [user.email])
    return "sent"
