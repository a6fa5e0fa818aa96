"""The archiving of each source: a report's page is fetched by the task worker and kept as a
Snapshot. One row per report says where that stands (pending, archived, failed and why), how
often it was tried and when the next try is due. The worker's own bookkeeping, not the chain:
it never changes what a report says, so it is written directly (claims/archiving.py)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .importing import Notice, notice_of
from .sources import Report, Snapshot


class ArchiveStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    ARCHIVED = "archived", _("archived")
    FAILED = "failed", _("failed")


def setting(name: str, default):
    return getattr(settings, name, default)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed try: 5, 10, 20, 40 … minutes."""
    first = setting("ARCHIVE_FIRST_RETRY", timedelta(minutes=5))
    return first * 2 ** (attempts - 1)


def max_attempts() -> int:
    return setting("ARCHIVE_MAX_ATTEMPTS", 5)


class SourceArchive(models.Model):
    """Where the archiving of one report's page stands."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="archiving")
    status = models.CharField(max_length=10, choices=ArchiveStatus, default=ArchiveStatus.PENDING)
    # Why the last try failed, in English; `reason_notice` holds it to be shown translated.
    reason = models.TextField(blank=True, help_text=_("Why the last try failed."))
    reason_notice = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    snapshot = models.ForeignKey(
        Snapshot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ArchiveStatus.values), name="source_archive_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=ArchiveStatus.ARCHIVED) | Q(snapshot__isnull=False),
                name="source_archive_archived_has_snapshot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.status}"

    def start_over(self, *, by=None) -> None:
        """A fresh request (a new URL, or an editor's "archive now"): tries count from zero."""
        self.status, self.reason, self.reason_notice = ArchiveStatus.PENDING, "", {}
        self.attempts = 0
        self.next_attempt_at, self.requested_at = timezone.now(), timezone.now()
        self.requested_by = by if getattr(by, "is_authenticated", False) else None
        self.save()

    def succeed(self, snapshot: Snapshot) -> None:
        self.status, self.reason, self.reason_notice = ArchiveStatus.ARCHIVED, "", {}
        self.snapshot = snapshot
        self.attempts += 1
        self.last_attempt_at, self.next_attempt_at = timezone.now(), None
        self.save()

    @property
    def reason_text(self) -> Notice:
        return notice_of(self.reason, self.reason_notice)

    def fail(self, reason: Notice | str, *, retry: bool) -> None:
        """Record a failed try; with `retry`, the next one is due after the backoff, until
        the tries run out."""
        now = timezone.now()
        reason = Notice.from_json(reason)
        self.status = ArchiveStatus.FAILED
        self.reason, self.reason_notice = reason.english, reason.as_json()
        self.attempts += 1
        self.last_attempt_at = now
        retrying = retry and self.attempts < max_attempts()
        self.next_attempt_at = now + retry_delay(self.attempts) if retrying else None
        self.save()
