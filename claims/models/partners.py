"""
Partners of the public API: their keys (ApiKey), the webhooks they register (Webhook) and
the log of every delivery attempt (WebhookDelivery).

A key is shown once, when an admin creates it; only its SHA-256 is stored. Keys are long
random tokens, so a fast hash is enough: nothing can be guessed from it.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEY_PREFIX = "fck_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def active(self) -> "ApiKeyQuerySet":
        return self.filter(revoked_at__isnull=True)

    def matching(self, key: str) -> "ApiKey | None":
        """The active key this secret belongs to, if any."""
        if not key.startswith(KEY_PREFIX) or len(key) > 200:
            return None
        return self.active().filter(hashed_key=hash_key(key)).first()


class ApiKey(models.Model):
    """A partner's key to the API: higher limits, webhooks, and every use counted."""

    partner = models.CharField(max_length=200, help_text=_("Who the key is for, e.g. a newsroom."))
    contact = models.EmailField(blank=True)
    # The first characters of the key, shown on the desk so a key can be told apart.
    prefix = models.CharField(max_length=16, editable=False)
    hashed_key = models.CharField(max_length=64, unique=True, editable=False)
    requests_per_minute = models.PositiveIntegerField(default=600)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    use_count = models.PositiveBigIntegerField(default=0)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API key"
        constraints = [
            models.CheckConstraint(condition=~Q(partner=""), name="apikey_partner_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.partner} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, partner: str, by=None, **fields) -> tuple["ApiKey", str]:
        """A new key and its secret, which is never stored and cannot be shown again."""
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        key = cls.objects.create(
            partner=partner,
            prefix=secret[: len(KEY_PREFIX) + 6],
            hashed_key=hash_key(secret),
            created_by=by,
            **fields,
        )
        return key, secret

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
            self.webhooks.filter(active=True).update(active=False)


class WebhookEvent(models.TextChoices):
    NEW_DENIAL = "denial.new", _("New denial")
    VERDICT_PUBLISHED = "verdict.published", _("Verdict published")
    CORRECTION = "correction.published", _("Correction published")


class Webhook(models.Model):
    """A partner's URL that receives the events it asked for, signed with its own secret."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=1000)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=64, editable=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.url

    @staticmethod
    def new_secret() -> str:
        return secrets.token_hex(32)


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event for one webhook: the exact body signed and sent, and how each try went."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=WebhookEvent)
    body = models.TextField()
    state = models.CharField(max_length=10, choices=DeliveryState, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook.url} ({self.state})"
