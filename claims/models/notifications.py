"""Each editor's choice of which desk emails they get, and in which language
(how they are sent is claims/notifications.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    REVIEW_REQUESTED = "review_requested", _("Review requested: work waits for a second editor")
    RETURNED = "returned", _("Returned: a reviewer sent your work back")
    APPROVED = "approved", _("Approved: a reviewer approved your work")
    ASSIGNED = "assigned", _("Assigned: a claim or a lead was given to you")
    MENTIONED = "mentioned", _("Mentioned: someone @mentioned you in a thread")


class NotificationPreference(models.Model):
    """An editor's opt-outs; an editor with no row gets every kind in the site's language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    # The kinds this editor turned off (NotificationKind values).
    muted = models.JSONField(default=list, blank=True)
    # A language code of settings.LANGUAGES, or "" for the site's default.
    language = models.CharField(_("language of emails"), max_length=10, blank=True)

    def __str__(self) -> str:
        return f"Notifications of {self.user}"

    def wants(self, kind: str) -> bool:
        return kind not in self.muted
