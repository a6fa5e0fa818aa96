"""
The editors' conversation about a claim, and who owns which work.

A claim's thread holds notes with their author and time; a note may @mention other editors by
username. A reviewer's return note is a note of the thread too, so the conversation outlives
resubmits. Notes are never public (no reader page, feed, export or API reads this table), are
never edited or deleted, and each is recorded in the claim's history.

An assignment gives a claim or an inbox lead to one editor. Neither notes nor assignments are
chain changes: they need no review, but they are written only through the functions here,
with history, and they notify the people concerned (claims/notifications.py).
"""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import history
from .history import HistoryAction

# The longest note the desk takes: a conversation, not an article.
NOTE_MAX_LENGTH = 5000
# "@name" where name is a Django username (letters, digits and @.+-_), not inside an address.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]+)")


class NoteKind(models.TextChoices):
    NOTE = "note", _("note")
    RETURNED = "returned", _("returned for work")


class NoteQuerySet(models.QuerySet):
    def of(self, claim) -> "NoteQuerySet":
        return self.filter(claim=claim).select_related("author").order_by("created_at", "pk")

    def mentioning(self, user) -> "NoteQuerySet":
        return self.filter(mentions=user)


class Note(models.Model):
    """One editor's note in a claim's thread."""

    claim = models.ForeignKey("Claim", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notes_written"
    )
    kind = models.CharField(max_length=10, choices=NoteKind, default=NoteKind.NOTE)
    text = models.TextField(max_length=NOTE_MAX_LENGTH)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["claim", "created_at"], name="note_thread_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="note_text_not_empty"),
            models.CheckConstraint(condition=Q(kind__in=NoteKind.values), name="note_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"Note by {self.author} on {self.created_at:%Y-%m-%d %H:%M}"


def mentioned_editors(text: str, *, author) -> list:
    """The desk users a note @mentions by username (in any case); unknown names stay text."""
    from django.db.models.functions import Lower

    from claims.roles import is_editor

    names = {name.rstrip(".").lower() for name in MENTION.findall(text)}
    if not names:
        return []
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(pk=author.pk)
        .annotate(lower_name=Lower("username"))
        .filter(lower_name__in=names)
        .order_by("username")
    )
    return [user for user in users if is_editor(user)]


def post_note(claim, *, by, text: str, kind: str = NoteKind.NOTE) -> Note:
    """Add a note to the claim's thread, record it and tell the editors it mentions."""
    from claims import notifications

    text = text.strip()
    if not text:
        raise ValueError("A note needs some text.")
    if len(text) > NOTE_MAX_LENGTH:
        raise ValueError(f"A note is at most {NOTE_MAX_LENGTH} characters long.")
    with transaction.atomic():
        note = Note.objects.create(claim=claim, author=by, text=text, kind=kind)
        mentioned = mentioned_editors(text, author=by)
        note.mentions.set(mentioned)
        history.record(
            note,
            by=by,
            action=HistoryAction.NOTED,
            changes={"mentions": [None, sorted(u.pk for u in mentioned)]} if mentioned else {},
            note=text,
            claim=claim,
        )
        notifications.send(
            notifications.MENTIONED, to=mentioned, by=by, claim=claim, note=note.text
        )
    return note


class Assignment(models.Model):
    """A claim or an inbox lead given to one editor; unassigning deletes the row (the
    history keeps it)."""

    claim = models.OneToOneField(
        "Claim", null=True, blank=True, on_delete=models.CASCADE, related_name="assignment"
    )
    lead = models.OneToOneField(
        "Lead", null=True, blank=True, on_delete=models.CASCADE, related_name="assignment"
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        indexes = [models.Index(fields=["editor", "-assigned_at"], name="assignment_editor_idx")]
        constraints = [
            # Exactly one of a claim and a lead.
            models.CheckConstraint(
                condition=Q(claim__isnull=False, lead__isnull=True)
                | Q(claim__isnull=True, lead__isnull=False),
                name="assignment_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim or self.lead} → {self.editor}"


def assign(target, *, to, by) -> Assignment:
    """Give a claim or a lead to an editor (replacing whoever had it) and tell them."""
    from claims import notifications
    from claims.roles import is_editor

    if not is_editor(to):
        raise ValueError("Only an editor or a reviewer can be given work.")
    field = _target_field(target)
    with transaction.atomic():
        current = Assignment.objects.select_for_update().filter(**{field: target}).first()
        if current is not None and current.editor_id == to.pk:
            return current
        before = current.editor.username if current else None
        Assignment.objects.filter(**{field: target}).delete()
        assignment = Assignment.objects.create(**{field: target}, editor=to, assigned_by=by)
        history.record(
            target,
            by=by,
            action=HistoryAction.ASSIGNED,
            changes={"assigned to": [before, to.username]},
            claim=target if field == "claim" else None,
        )
        notifications.send(
            notifications.ASSIGNED,
            to=[to],
            by=by,
            claim=target if field == "claim" else None,
            lead=target if field == "lead" else None,
        )
    return assignment


def unassign(target, *, by) -> bool:
    """Take a claim or a lead off its editor; False if nobody had it."""
    field = _target_field(target)
    with transaction.atomic():
        current = Assignment.objects.select_for_update().filter(**{field: target}).first()
        if current is None:
            return False
        name = current.editor.username
        current.delete()
        history.record(
            target,
            by=by,
            action=HistoryAction.UNASSIGNED,
            changes={"assigned to": [name, None]},
            claim=target if field == "claim" else None,
        )
    return True


def _target_field(target) -> str:
    name = target._meta.model_name
    if name not in {"claim", "lead"}:
        raise TypeError("Only a claim or a lead can be assigned.")
    return name
