"""The importer's own records: background import jobs, outlets' feeds, feed items and leads,
and the notices (errors, warnings, a lead's reasons) they keep for the desk."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .sources import Outlet, Report


@dataclass
class Notice:
    """
    A message the importer or the watcher leaves for editors (an import's error, a warning
    on the review screen, why an item became a lead), kept as its untranslated text (a msgid
    marked with gettext_noop) and its values: each editor reads it in their own interface
    language, whichever language the worker ran in. `english` is the same text for logs.
    Text stored before notices were kept this way comes back as a notice without values,
    shown as it was stored (or translated, if it is a msgid).
    """

    msgid: str
    params: dict = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.msgid)

    def __str__(self) -> str:
        text = gettext(self.msgid) if self.msgid else ""
        if not self.params:
            return text
        try:
            return text % self._values(str)
        except (KeyError, ValueError, TypeError):  # a translation with a broken placeholder
            return self.english

    @property
    def english(self) -> str:
        if not self.params:
            return self.msgid
        try:
            return self.msgid % self._values(lambda notice: notice.english)
        except (KeyError, ValueError, TypeError):  # values stored for another text
            return self.msgid

    def _values(self, shown) -> dict:
        # A value may be a notice itself (a stance's name), shown in the same language.
        return {
            name: shown(Notice.from_json(value)) if isinstance(value, dict) else value
            for name, value in self.params.items()
        }

    def as_json(self) -> dict:
        return {"msgid": self.msgid, "params": self.params}

    @classmethod
    def from_json(cls, value) -> "Notice":
        """A stored notice, or the plain text stored before notices (shown as it is)."""
        if isinstance(value, Notice):
            return value
        if isinstance(value, dict):
            return cls(str(value.get("msgid") or ""), dict(value.get("params") or {}))
        return cls(str(value or ""))


class NoticeError(Exception):
    """An error meant for the editor: its message is a Notice (in English as an exception,
    for logs and the API; in the editor's language on the desk through `notice`)."""

    def __init__(self, msgid: str, **params) -> None:
        self.notice = Notice(msgid, params)
        super().__init__(self.notice.english)


def notice_of(stored: str, notice: dict) -> Notice:
    """A notice field's notice, or for a row stored before notices, its text as it is."""
    return Notice.from_json(notice or stored)


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    FETCHING = "fetching", _("fetching")
    EXTRACTING = "extracting", _("extracting")
    READY = "ready", _("ready to review")
    FAILED = "failed", _("failed")
    CONFIRMED = "confirmed", _("confirmed")


# Every step saves the job, so a running job this old has lost its worker.
STALLED_AFTER = timedelta(minutes=2)


class ImportJob(models.Model):
    """One article import: fetched and extracted in the background, confirmed by an editor."""

    url = models.URLField(max_length=1000, blank=True)
    # Pasted or uploaded HTML; a job with source bytes needs no fetch.
    source = models.BinaryField(blank=True, default=b"")
    status = models.CharField(
        max_length=20, choices=ImportJobStatus, default=ImportJobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text=_("Percent done."))
    # Why the import failed, in English; `error_notice` holds it to be shown translated.
    error = models.TextField(blank=True)
    error_notice = models.JSONField(default=dict, blank=True)
    # The extracted article and suggested chain, as JSON (see claims.importer.pipeline).
    result = models.JSONField(default=dict, blank=True)
    # Fetch facts kept for the snapshot created on confirmation.
    fetched_url = models.URLField(max_length=1000, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead = models.ForeignKey(
        "Lead", null=True, blank=True, on_delete=models.SET_NULL, related_name="import_jobs"
    )
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="import_jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportJobStatus.values), name="importjob_status_valid"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="importjob_progress_max"),
        ]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.status}): {self.url or 'pasted HTML'}"

    def get_absolute_url(self) -> str:
        return reverse("importer:job_detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in {
            ImportJobStatus.QUEUED,
            ImportJobStatus.FETCHING,
            ImportJobStatus.EXTRACTING,
        }

    @property
    def is_stalled(self) -> bool:
        """Running, but not moved on for a while: the worker stopped (crashed or killed)."""
        return self.is_running and self.updated_at < timezone.now() - STALLED_AFTER

    @property
    def error_text(self) -> Notice:
        return notice_of(self.error, self.error_notice)

    def retry(self) -> None:
        """Send a stalled or failed import back to the queue (the caller enqueues it)."""
        self.status, self.progress = ImportJobStatus.QUEUED, 0
        self.error, self.error_notice = "", {}
        self.save(update_fields=["status", "progress", "error", "error_notice", "updated_at"])

    def advance(self, status: str, progress: int) -> None:
        self.status, self.progress = status, progress
        self.save(update_fields=["status", "progress", "updated_at"])

    def fail(self, error: Notice) -> None:
        self.status = ImportJobStatus.FAILED
        self.error, self.error_notice = error.english, error.as_json()
        self.save(update_fields=["status", "error", "error_notice", "updated_at"])


class OutletFeed(models.Model):
    """An RSS, Atom or JSON feed an outlet publishes; the watcher polls it."""

    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="feeds")
    url = models.URLField(max_length=1000, unique=True)
    active = models.BooleanField(default=True)
    # Conditional GET validators from the last successful poll.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    # The last poll's error, in English; `last_error_notice` holds it to be shown translated.
    last_error = models.TextField(blank=True)
    last_error_notice = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["outlet__name", "url"]

    def __str__(self) -> str:
        return f"{self.outlet.name}: {self.url}"

    @property
    def last_error_text(self) -> Notice:
        return notice_of(self.last_error, self.last_error_notice)


class FeedItem(models.Model):
    """One entry seen in a feed, stored once per URL however many feeds carry it."""

    feed = models.ForeignKey(OutletFeed, on_delete=models.CASCADE, related_name="items")
    url = models.URLField(max_length=1000, unique=True)
    guid = models.CharField(max_length=1000, blank=True)
    title = models.CharField(max_length=1000, blank=True)
    summary = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # How likely the item reports a denial, 0 to 100 (claims.importer.watch.denial_score).
    score = models.PositiveSmallIntegerField(default=0)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-seen_at", "-pk"]

    def __str__(self) -> str:
        return self.title or self.url


class LeadState(models.TextChoices):
    NEW = "new", _("new")
    IMPORTED = "imported", _("imported")
    DISMISSED = "dismissed", _("dismissed")


class LeadQuerySet(models.QuerySet):
    def open(self) -> "LeadQuerySet":
        return self.filter(state=LeadState.NEW)


class Lead(models.Model):
    """A feed item that reads like a denial, waiting in the desk inbox."""

    item = models.OneToOneField(FeedItem, on_delete=models.CASCADE, related_name="lead")
    score = models.PositiveSmallIntegerField(default=0)
    # Why the item reads like a denial: notices (see Notice.as_json), or plain text before.
    reasons = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=10, choices=LeadState, default=LeadState.NEW)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = LeadQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "-score"], name="lead_state_score_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=LeadState.values), name="lead_state_valid"
            ),
            models.CheckConstraint(condition=Q(score__lte=100), name="lead_score_max"),
        ]

    def __str__(self) -> str:
        return f"Lead {self.score}: {self.item}"

    @property
    def reason_notices(self) -> list[Notice]:
        return [Notice.from_json(reason) for reason in self.reasons]

    def decide(self, state: str, *, by) -> None:
        self.state, self.decided_by, self.decided_at = state, by, timezone.now()
        self.save(update_fields=["state", "decided_by", "decided_at"])
