"""The columns every row of a claim's chain carries for the write path (models/writing.py)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class GatedRow(models.Model):
    """A carriage, response, translation, narrative membership or other fact-checker's review:
    who made it and when, the version its edit forms carry, its withdrawal (a withdrawn row
    stays, with its reason), and the review gate's approval (public once a second editor
    approved it)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True
