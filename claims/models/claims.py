"""The tracked assertion (Claim) and its appearances in reports (Carriage)."""

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from .responses import CONFIRMING_STANCES, DENYING_STANCES, Response
from .sources import Actor, Outlet, Report, Tag
from .verdicts import Verdict, VerdictState


class OfficialPosition(models.TextChoices):
    """What officials say of a claim, derived from its responses; never typed in by hand."""

    DENIED = "denied", "Denied"
    CONFIRMED = "confirmed", "Confirmed"
    MIXED = "mixed", "Mixed"
    NO_RESPONSE = "no_response", "No response"

    @classmethod
    def from_stances(cls, stances: set[str]) -> "OfficialPosition":
        denied = bool(stances & DENYING_STANCES)
        confirmed = bool(stances & CONFIRMING_STANCES)
        if denied and confirmed:
            return cls.MIXED
        if denied:
            return cls.DENIED
        if confirmed:
            return cls.CONFIRMED
        return cls.NO_RESPONSE

    @property
    def meaning(self) -> str:
        return POSITION_MEANINGS[self]


POSITION_MEANINGS = {
    OfficialPosition.DENIED: (
        "An official or institution has denied it. A denial is evidence, not proof."
    ),
    OfficialPosition.CONFIRMED: "An official or institution has confirmed it, fully or in part.",
    OfficialPosition.MIXED: "Officials have both denied and confirmed it.",
    OfficialPosition.NO_RESPONSE: "No official has denied or confirmed it yet.",
}


class ClaimQuerySet(models.QuerySet):
    def visible(self) -> "ClaimQuerySet":
        """Claims not withdrawn from the desk."""
        return self.filter(withdrawn_at__isnull=True)

    def newest(self) -> "ClaimQuerySet":
        return self.order_by(models.F("first_seen_at").desc(nulls_last=True), "-pk")

    def with_official_position(self) -> "ClaimQuerySet":
        """Annotate `official_position` from the claim's current responses."""
        responses = Response.objects.current().filter(claim=OuterRef("pk"))
        denied = Exists(responses.filter(stance__in=DENYING_STANCES))
        confirmed = Exists(responses.filter(stance__in=CONFIRMING_STANCES))
        return self.annotate(
            official_position=Case(
                When(denied & confirmed, then=Value(OfficialPosition.MIXED.value)),
                When(denied, then=Value(OfficialPosition.DENIED.value)),
                When(confirmed, then=Value(OfficialPosition.CONFIRMED.value)),
                default=Value(OfficialPosition.NO_RESPONSE.value),
                output_field=models.CharField(),
            )
        )

    def with_position(self, position: str) -> "ClaimQuerySet":
        return self.with_official_position().filter(official_position=position)

    def denied(self) -> "ClaimQuerySet":
        return self.with_position(OfficialPosition.DENIED)

    def with_denials(self) -> "ClaimQuerySet":
        """Claims with at least one current denial, whatever else was said."""
        return self.filter(
            Exists(Response.objects.current().denials().filter(claim=OuterRef("pk")))
        )

    def published(self) -> "ClaimQuerySet":
        """Claims with a published verdict."""
        return self.filter(Exists(Verdict.objects.published().filter(claim=OuterRef("pk"))))

    def by_actor(self, actor: Actor) -> "ClaimQuerySet":
        """Claims the actor made, is the subject of, or responded to."""
        responded = Response.objects.current().filter(claim=OuterRef("pk"), responder=actor)
        subject = Claim.subjects.through.objects.filter(claim=OuterRef("pk"), actor=actor)
        return self.filter(Q(claimant=actor) | Exists(subject) | Exists(responded))

    def by_outlet(self, outlet: Outlet) -> "ClaimQuerySet":
        """Claims the outlet carried."""
        return self.filter(
            Exists(Carriage.objects.current().filter(claim=OuterRef("pk"), report__outlet=outlet))
        )

    def by_tag(self, tag: Tag) -> "ClaimQuerySet":
        return self.filter(Exists(Claim.tags.through.objects.filter(claim=OuterRef("pk"), tag=tag)))

    def text_contains(self, words: str) -> "ClaimQuerySet":
        """Claims whose text contains every word, ignoring case (the desk's finder)."""
        queryset = self
        for word in words.split():
            queryset = queryset.filter(text__icontains=word)
        return queryset

    def carried_in(self, report: Report) -> "ClaimQuerySet":
        """Claims the report carries, withdrawn carriages included (the desk's view)."""
        return self.filter(Exists(Carriage.objects.filter(claim=OuterRef("pk"), report=report)))


class Claim(models.Model):
    """The assertion being tracked, e.g. "Umerov refused to return to Ukraine"."""

    text = models.CharField(max_length=500)
    slug = models.SlugField(max_length=100, unique=True)
    subjects = models.ManyToManyField(Actor, blank=True, related_name="claims_about")
    # Who made the claim. The outlet that first carried it is the origin carriage's outlet.
    claimant = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.PROTECT, related_name="claims_made"
    )
    first_seen_at = models.DateTimeField(null=True, blank=True)
    context = models.TextField(blank=True, help_text="Background a reader needs.")
    language = models.CharField(max_length=10, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="claims")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: every edit form carries the version it started from.
    version = models.PositiveIntegerField(default=1, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-first_seen_at", "-pk"]
        indexes = [models.Index(fields=["-first_seen_at", "-id"], name="claim_newest_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="claim_text_not_empty"),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
                name="claim_withdrawal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("claims:claim_detail", args=[self.slug])

    @cached_property
    def official_position(self) -> str:
        """Derived from current responses (a queryset annotation replaces this when present)."""
        return OfficialPosition.from_stances(
            {response.stance for response in self.responses.all() if response.withdrawn_at is None}
        )

    @property
    def official_position_display(self) -> OfficialPosition:
        return OfficialPosition(self.official_position)

    def published_verdict(self) -> Verdict | None:
        return self.verdicts.filter(state=VerdictState.PUBLISHED).first()

    def origin(self) -> "Carriage | None":
        return (
            self.carriages.current()
            .filter(role=CarriageRole.ORIGIN)
            .select_related("report__outlet")
            .order_by("report__published_at")
            .first()
        )


class CarriageRole(models.TextChoices):
    ORIGIN = "origin", "Origin"
    REPEAT = "repeat", "Repeat"
    MENTION = "mention", "Mention"


class CarriageQuerySet(models.QuerySet):
    def current(self) -> "CarriageQuerySet":
        return self.filter(withdrawn_at__isnull=True)


class Carriage(models.Model):
    """A claim appearing in a report: the wording as carried and whom it cites."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="carriages")
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="carriages")
    wording = models.TextField(blank=True, help_text="The claim in the report's own words.")
    role = models.CharField(max_length=10, choices=CarriageRole, default=CarriageRole.REPEAT)
    cites = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cited_by",
        help_text="The upstream carriage this report cites.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)

    objects = CarriageQuerySet.as_manager()

    class Meta:
        ordering = ["report__published_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "report"], name="carriage_once_per_report"),
            models.CheckConstraint(
                condition=Q(role__in=CarriageRole.values), name="carriage_role_valid"
            ),
            models.CheckConstraint(
                condition=~Q(cites=models.F("pk")), name="carriage_not_self_citing"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
                name="carriage_withdrawal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.report}"
