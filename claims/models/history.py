"""An append-only record of every change made through the desk: who, when, what, field by field."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HistoryAction(models.TextChoices):
    CREATED = "created", _("created")
    CHANGED = "changed", _("changed")
    WITHDRAWN = "withdrawn", _("withdrew")
    SUBMITTED = "submitted", _("submitted for review")
    PUBLISHED = "published", _("published")
    RETURNED = "returned", _("returned to draft")
    CORRECTED = "corrected", _("corrected")
    IMPORTED = "imported", _("imported")
    PROPOSED = "proposed", _("proposed a change to")
    APPROVED = "approved", _("approved")
    RETURNED_FOR_WORK = "returned_for_work", _("returned for more work")
    RESUBMITTED = "resubmitted", _("resubmitted")
    # A translation whose source text changed: hidden from readers until confirmed.
    MARKED_STALE = "marked_stale", _("marked stale")
    # The editors' thread and ownership (models/threads.py): never public.
    NOTED = "noted", _("wrote")
    ASSIGNED = "assigned", _("assigned")
    UNASSIGNED = "unassigned", _("unassigned")
    MERGED = "merged", _("merged")
    # A proposed merge taken back by its proposer, or replaced after it was returned.
    MERGE_WITHDRAWN = "merge_withdrawn", _("withdrew the proposed merge of")


class HistoryEntry(models.Model):
    """One change to one object. `claim` groups the entries a claim's history page shows."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    claim = models.ForeignKey(
        "Claim", null=True, blank=True, on_delete=models.CASCADE, related_name="history"
    )
    action = models.CharField(max_length=20, choices=HistoryAction)
    # {"field": [old, new]} for every field that changed; all fields on creation.
    changes = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "history entries"
        indexes = [models.Index(fields=["content_type", "object_id"], name="history_object_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=HistoryAction.values), name="history_action_valid"
            ),
        ]

    def __str__(self) -> str:
        who = self.user or "system"
        return f"{who} {self.get_action_display()} {self.object_repr} at {self.at:%Y-%m-%d %H:%M}"


def field_values(obj: models.Model) -> dict:
    """The object's editable values as JSON-safe data (foreign keys as ids, M2M as id lists)."""
    values = {}
    for field in obj._meta.concrete_fields:
        if field.name in {"id", "version", "created_at", "updated_at"}:
            continue
        value = getattr(obj, field.attname)
        values[field.name] = (
            value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        )
    if obj.pk:
        for field in obj._meta.many_to_many:
            values[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return values


def creation_changes(obj: models.Model) -> dict:
    """The changes of a new row: {"field": [None, value]} for every field that has a value."""
    return {
        name: [None, value]
        for name, value in field_values(obj).items()
        if value not in (None, "", [])
    }


def diff(before: dict, after: dict) -> dict:
    """{"field": [old, new]} for the fields whose value differs."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def record(
    obj: models.Model, *, by, action: str, changes: dict | None = None, note: str = "", claim=None
) -> HistoryEntry:
    """Write one history entry; call it inside the transaction that made the change."""
    if claim is None:
        claim = obj if obj._meta.model_name == "claim" else getattr(obj, "claim", None)
    return HistoryEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        claim=claim,
        action=action,
        changes=changes if changes is not None else {},
        note=note,
        user=by if getattr(by, "is_authenticated", False) else None,
    )
