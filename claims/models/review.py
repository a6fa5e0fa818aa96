"""
Work awaiting a second editor: one PendingChange per write to a claim's chain.

A change to a row readers already see (an edited quote, a withdrawn carriage) is not written
to that row: it waits here as proposed values and is applied by the approval. A change to a
row that is still private (a new claim, carriage or response, or an edit of one) is written to
the row at once and recorded here as `applied`, so that the claim's pending authors are known.
How changes are made, approved and returned is told in models/writing.py.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ChangeKind(models.TextChoices):
    CREATED = "created", _("added")
    CHANGED = "changed", _("changed")
    WITHDRAWN = "withdrawn", _("withdrew")
    # Merging a duplicate claim into the claim it duplicates (models/merging.py).
    MERGED = "merged", _("proposed to merge")


class ReviewState(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class PendingChangeQuerySet(models.QuerySet):
    def pending(self) -> "PendingChangeQuerySet":
        return self.filter(state=ReviewState.PENDING)

    def returned(self) -> "PendingChangeQuerySet":
        return self.filter(state=ReviewState.RETURNED)

    def open(self) -> "PendingChangeQuerySet":
        """Not approved: pending, or returned to its author."""
        return self.exclude(state=ReviewState.APPROVED)

    def proposals(self) -> "PendingChangeQuerySet":
        """Changes that wait to be applied to a row readers see."""
        return self.filter(applied=False)

    def of(self, obj: models.Model) -> "PendingChangeQuerySet":
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def by_author(self, user) -> "PendingChangeQuerySet":
        return self.filter(author=user)


class PendingChange(models.Model):
    """One editor's change to one row of a claim's chain, until a second editor approves it."""

    claim = models.ForeignKey("Claim", on_delete=models.CASCADE, related_name="pending_changes")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=10, choices=ChangeKind)
    # The proposed values as JSON (foreign keys as ids, many-to-many as id lists, times as
    # ISO strings); for an applied change, what was written.
    values = models.JSONField(default=dict, blank=True)
    # The row's version the change was made against (its desk version: see writing.py).
    base_version = models.PositiveIntegerField(default=1)
    # True when the change is already in the row (the row is still private).
    applied = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes_authored",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    state = models.CharField(max_length=10, choices=ReviewState, default=ReviewState.PENDING)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes_reviewed",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    objects = PendingChangeQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        indexes = [
            # The queue (claims with pending work) and a row's open proposals.
            models.Index(
                fields=["claim", "id"],
                condition=~Q(state=ReviewState.APPROVED),
                name="change_open_by_claim_idx",
            ),
            models.Index(
                fields=["content_type", "object_id"],
                condition=~Q(state=ReviewState.APPROVED),
                name="change_open_by_row_idx",
            ),
            models.Index(fields=["author", "state"], name="change_author_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ChangeKind.values), name="change_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=ReviewState.values), name="change_state_valid"
            ),
            # Two-person rule in the database: whoever reviews a change did not make it.
            models.CheckConstraint(
                condition=~Q(reviewer=F("author")), name="change_reviewer_not_author"
            ),
            models.CheckConstraint(
                condition=Q(state=ReviewState.PENDING) | Q(reviewed_at__isnull=False),
                name="change_reviewed_has_time",
            ),
            # A claim is proposed for merging into one other claim at a time.
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(kind=ChangeKind.MERGED) & ~Q(state=ReviewState.APPROVED),
                name="change_one_open_merge",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author or 'system'} {self.get_kind_display()} {self.target_label}"

    @property
    def target_model(self) -> type[models.Model]:
        return self.content_type.model_class()

    @property
    def target_label(self) -> str:
        return f"{self.content_type.model} #{self.object_id}"

    def target(self) -> models.Model | None:
        return self.target_model._default_manager.filter(pk=self.object_id).first()
