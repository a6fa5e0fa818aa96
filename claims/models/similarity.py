"""
Sentence vectors of claims (and of carriages' wordings), and the log of what editors did with
the similar claims they were shown.

ClaimVector is derived data, not part of the chain: the task worker computes it after every
drafted or approved change (claims/vector_tasks.py, called from the write path), and
`manage.py claim_vectors` recomputes all. The database is its source of truth; the
nearest-neighbour index (claims/vector_index.py) is rebuilt from it. A changed text gets a new
row (a higher id), so an index that knows the highest id it covers can be topped up.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .claims import Carriage, Claim


class ClaimVector(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="vectors")
    # Empty for the claim's own text; else the vector of this carriage's wording.
    carriage = models.ForeignKey(
        Carriage, null=True, blank=True, on_delete=models.CASCADE, related_name="vectors"
    )
    model = models.CharField(max_length=100)
    dims = models.PositiveIntegerField()
    vector = models.BinaryField()  # float32, little-endian, unit length
    text_hash = models.CharField(max_length=64)  # of the text encoded, to skip unchanged ones
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "model"],
                condition=Q(carriage__isnull=True),
                name="one_vector_per_claim_text_and_model",
            ),
            models.UniqueConstraint(
                fields=["carriage", "model"],
                condition=Q(carriage__isnull=False),
                name="one_vector_per_wording_and_model",
            ),
        ]
        indexes = [models.Index(fields=["model", "id"], name="claimvector_model_id")]

    def __str__(self) -> str:
        return f"{self.model} vector of claim {self.claim_id}"


class SuggestionOutcome(models.TextChoices):
    LINKED = "linked", _("linked")
    MERGED = "merged", _("merged")
    DISMISSED = "dismissed", _("dismissed")
    CREATED_ANYWAY = "created_anyway", _("created anyway")


ACCEPTED = (SuggestionOutcome.LINKED, SuggestionOutcome.MERGED)


class SuggestionQuerySet(models.QuerySet):
    def at_or_above(self, threshold: float) -> "SuggestionQuerySet":
        return self.filter(score__gte=threshold)

    def precision(self, threshold: float) -> tuple[float | None, int]:
        """(share of suggestions at or above `threshold` that editors accepted, how many were
        decided); None while there are none."""
        decided = self.at_or_above(threshold)
        total = decided.count()
        if not total:
            return None, 0
        return decided.filter(outcome__in=ACCEPTED).count() / total, total


class SimilarSuggestion(models.Model):
    """One similar claim an editor was shown, and what they did with it."""

    text = models.CharField(_("text typed or imported"), max_length=500)
    suggested = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    outcome = models.CharField(max_length=20, choices=SuggestionOutcome.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.outcome}: claim {self.suggested_id} ({self.score:.2f})"
