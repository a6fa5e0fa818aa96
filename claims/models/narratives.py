"""
Narratives: storylines that many claims serve ("Ukraine's leaders flee abroad").

A narrative is reference data, like an actor or a tag: its title and summary are written in
one content language (`language`; renderings in other languages belong to the translations
model), edited directly through the write path with history. Which claims belong to it is
chain data: each `NarrativeClaim` is attached and detached through models/writing.py and waits
for a second editor like any change to its claim. Readers see a narrative once an approved
membership of a public claim puts something in it; until then its page is a 404, as for a
name that only work in review uses. Its first and latest appearance are read from its public
claims' approved carriages (their reports' publication times), never stored.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .gated import GatedRow
from .sources import language_field


class NarrativeQuerySet(models.QuerySet):
    def public(self) -> "NarrativeQuerySet":
        """Narratives readers may see: at least one public claim is in them."""
        return self.filter(Exists(NarrativeClaim.objects.public().filter(narrative=OuterRef("pk"))))


class Narrative(models.Model):
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    language = language_field(verbose_name=_("language"))
    # ISO 3166 codes, upper case ("UA", "DE"), and the languages of the audiences it aims at.
    target_countries = models.JSONField(_("target countries"), default=list, blank=True)
    audience_languages = models.JSONField(_("audience languages"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = NarrativeQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="narrative_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("claims:narrative_detail", args=[self.slug])

    @property
    def name(self) -> str:
        """What feeds and lists of names call it."""
        return self.title

    def public_claims(self):
        from .claims import Claim

        return Claim.objects.public().in_narrative(self)

    def appearances(self) -> dict:
        """First and latest appearance: the earliest and latest report that carried one of
        its public claims (approved carriages only)."""
        from .claims import Carriage

        return (
            Carriage.objects.public()
            .filter(claim__in=self.public_claims().values("pk"), report__published_at__isnull=False)
            .aggregate(
                first=models.Min("report__published_at"), latest=models.Max("report__published_at")
            )
        )


class NarrativeClaimQuerySet(models.QuerySet):
    def approved(self) -> "NarrativeClaimQuerySet":
        return self.filter(approved_at__isnull=False, withdrawn_at__isnull=True)

    def public(self) -> "NarrativeClaimQuerySet":
        """Memberships readers see: approved, not detached, of a public claim."""
        return self.approved().filter(
            claim__approved_at__isnull=False, claim__withdrawn_at__isnull=True
        )

    def current(self) -> "NarrativeClaimQuerySet":
        """Not detached (approved or not: the desk's view)."""
        return self.filter(withdrawn_at__isnull=True)


class NarrativeClaim(GatedRow):
    """A claim's place in a narrative: attached by one editor, public once a second approves;
    detaching is a withdrawal, reviewed the same way."""

    narrative = models.ForeignKey(Narrative, on_delete=models.CASCADE, related_name="memberships")
    claim = models.ForeignKey("Claim", on_delete=models.CASCADE, related_name="memberships")

    objects = NarrativeClaimQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["narrative", "claim"], name="narrative_claim_idx")]
        constraints = [
            # Attached once at a time; a detached membership may be attached again.
            models.UniqueConstraint(
                fields=["narrative", "claim"],
                condition=Q(withdrawn_at__isnull=True),
                name="narrative_claim_once",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
                name="narrative_claim_withdrawal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim} ∈ {self.narrative}"
