"""
Other fact-checkers' work on a claim: a ClaimReview found on an imported page ("already
checked by StopFake, rated False"), linked to our claim by an editor. It passes the review
gate like the rest of the chain, and readers see it on the claim page beside our own verdict.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .gated import GatedRow


class ExternalReviewQuerySet(models.QuerySet):
    def approved(self) -> "ExternalReviewQuerySet":
        return self.filter(approved_at__isnull=False, withdrawn_at__isnull=True)

    def public(self) -> "ExternalReviewQuerySet":
        """What readers may see: approved, not withdrawn, of a public claim."""
        return self.approved().filter(
            claim__approved_at__isnull=False, claim__withdrawn_at__isnull=True
        )


class ExternalReview(GatedRow):
    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, related_name="external_reviews"
    )
    # The imported page the markup was read from, when there was one.
    report = models.ForeignKey(
        "claims.Report",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="external_reviews",
    )
    author = models.CharField(_("fact-checker"), max_length=200)
    rating = models.CharField(_("their rating"), max_length=200, blank=True)
    claim_reviewed = models.TextField(_("the claim as they worded it"), blank=True)
    url = models.URLField(_("their check"), max_length=1000, blank=True)
    published = models.DateField(_("published"), null=True, blank=True)

    objects = ExternalReviewQuerySet.as_manager()

    class Meta:
        ordering = ["published", "pk"]
        verbose_name = _("external review")
        constraints = [
            models.CheckConstraint(
                condition=~Q(author=""), name="external_review_author_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
                name="external_review_withdrawal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.rating or '?'}"
