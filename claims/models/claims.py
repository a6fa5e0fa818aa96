"""The tracked assertion (Claim) and its appearances in reports (Carriage)."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .gated import GatedRow
from .responses import CONFIRMING_STANCES, DENYING_STANCES, Response
from .sources import Actor, Outlet, Report, Tag, country_code, language_field
from .verdicts import Correction, Rating, Verdict, VerdictState

# Ratings an outlet's track record counts against it.
FALSE_OR_MISLEADING_RATINGS = (
    Rating.FALSE.value,
    Rating.MOSTLY_FALSE.value,
    Rating.MISLEADING.value,
)


class OfficialPosition(models.TextChoices):
    """What officials say of a claim, derived from its responses; never typed in by hand."""

    DENIED = "denied", _("Denied")
    CONFIRMED = "confirmed", _("Confirmed")
    MIXED = "mixed", _("Mixed")
    NO_RESPONSE = "no_response", _("No response")

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
    OfficialPosition.DENIED: _(
        "An official or institution has denied it. A denial is evidence, not proof."
    ),
    OfficialPosition.CONFIRMED: _("An official or institution has confirmed it, fully or in part."),
    OfficialPosition.MIXED: _("Officials have both denied and confirmed it."),
    OfficialPosition.NO_RESPONSE: _("No official has denied or confirmed it yet."),
}


NOT_LISTED = ("context", "withdrawn_reason", "search_terms", "search_document")


def list_verdicts() -> models.Prefetch:
    """A listed claim's published verdicts (`published_verdicts`), as its row shows them."""
    return models.Prefetch(
        "verdicts",
        queryset=Verdict.objects.published().only(
            "pk", "claim_id", "rating", "published_at", "summary"
        ),
        to_attr="published_verdicts",
    )


class ClaimQuerySet(models.QuerySet):
    def visible(self) -> "ClaimQuerySet":
        """Claims not withdrawn from the desk (approved or not: the desk's view)."""
        return self.filter(withdrawn_at__isnull=True)

    def public(self) -> "ClaimQuerySet":
        """What readers may see: approved by a second editor and not withdrawn."""
        return self.filter(approved_at__isnull=False, withdrawn_at__isnull=True)

    def public_or_withdrawn(self) -> "ClaimQuerySet":
        """Claims readers see, or saw (withdrawn ones keep a notice at their URL)."""
        return self.filter(approved_at__isnull=False)

    def withdrawn_from_public(self) -> "ClaimQuerySet":
        """Claims readers saw once and that were withdrawn: their URL shows a notice."""
        return self.filter(approved_at__isnull=False, withdrawn_at__isnull=False)

    def awaiting_review(self) -> "ClaimQuerySet":
        """Claims with pending work for a second editor (see models/writing.py)."""
        from .review import PendingChange

        changes = PendingChange.objects.pending().filter(claim=OuterRef("pk"))
        corrections = Correction.objects.pending().filter(verdict__claim=OuterRef("pk"))
        return self.visible().filter(Exists(changes) | Exists(corrections))

    def owned_by(self, user) -> "ClaimQuerySet":
        """An editor's claims: assigned to them, or logged by them."""
        return self.filter(Q(assignment__editor=user) | Q(created_by=user))

    def newest(self) -> "ClaimQuerySet":
        return self.order_by(models.F("first_seen_at").desc(nulls_last=True), "-pk")

    def positioned(self, position: str) -> "ClaimQuerySet":
        """Claims whose official position (stored, see models/derived.py) is `position`."""
        if position not in OfficialPosition.values:
            raise ValueError(f"Unknown official position {position!r}")
        return self.filter(official_position=position)

    def denied(self) -> "ClaimQuerySet":
        return self.positioned(OfficialPosition.DENIED)

    def with_denials(self) -> "ClaimQuerySet":
        """Claims with at least one current denial, whatever else was said."""
        return self.filter(Exists(Response.objects.public().denials().filter(claim=OuterRef("pk"))))

    def published(self) -> "ClaimQuerySet":
        """Claims with a published verdict (a published verdict always has a rating)."""
        return self.exclude(published_rating="")

    def by_actor(self, actor: Actor) -> "ClaimQuerySet":
        """Claims the actor made, is the subject of, or responded to (publicly)."""
        responded = Response.objects.approved().filter(claim=OuterRef("pk"), responder=actor)
        subject = Claim.subjects.through.objects.filter(claim=OuterRef("pk"), actor=actor)
        return self.filter(Q(claimant=actor) | Exists(subject) | Exists(responded))

    def by_outlet(self, outlet: Outlet) -> "ClaimQuerySet":
        """Claims the outlet carried."""
        return self.filter(
            Exists(Carriage.objects.approved().filter(claim=OuterRef("pk"), report__outlet=outlet))
        )

    def in_narrative(self, narrative) -> "ClaimQuerySet":
        """Claims approved into the narrative and not detached from it, as an id list."""
        from .narratives import NarrativeClaim

        members = NarrativeClaim.objects.approved().filter(narrative=narrative)
        return self.filter(pk__in=members.values("claim_id"))

    def by_tag(self, tag: Tag) -> "ClaimQuerySet":
        return self.filter(Exists(Claim.tags.through.objects.filter(claim=OuterRef("pk"), tag=tag)))

    # Reader methods (issue 3).

    def oldest(self) -> "ClaimQuerySet":
        return self.order_by(models.F("first_seen_at").asc(nulls_last=True), "pk")

    def rated(self, rating: str) -> "ClaimQuerySet":
        """Claims whose published verdict has this rating (stored, see models/derived.py)."""
        return self.filter(published_rating=rating)

    def rated_false_or_misleading(self) -> "ClaimQuerySet":
        return self.filter(published_rating__in=FALSE_OR_MISLEADING_RATINGS)

    def first_seen_between(self, start=None, end=None) -> "ClaimQuerySet":
        """Claims first seen on or after the `start` date and on or before the `end` date,
        both read as days in the site's time zone."""
        zone = timezone.get_current_timezone()
        queryset = self
        if start:
            since = datetime.combine(start, time.min, tzinfo=zone)
            queryset = queryset.filter(first_seen_at__gte=since)
        if end:
            until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
            queryset = queryset.filter(first_seen_at__lt=until)
        return queryset

    def involving(self, actor: Actor) -> "ClaimQuerySet":
        """The same claims as by_actor(), written as id lists so the database starts from the
        actor's few rows instead of testing every claim (much faster on large tables)."""
        return self.filter(pk__in=ids_involving(actor))

    def carried_by(self, *outlets: Outlet) -> "ClaimQuerySet":
        """The same claims as by_outlet() (of any of the outlets), as an id list: on PostgreSQL
        read from two indexes alone (an outlet's reports, then their approved carriages;
        migration 0019), and the claims' first-seen times too when sorted newest first."""
        carried = Carriage.objects.approved().filter(report__outlet__in=outlets)
        return self.filter(pk__in=carried.values("claim_id"))

    def tagged(self, tag: Tag) -> "ClaimQuerySet":
        """The same claims as by_tag(), as an id list."""
        return self.filter(pk__in=Claim.tags.through.objects.filter(tag=tag).values("claim_id"))

    def with_list_columns(self) -> "ClaimQuerySet":
        """What every reader list shows, fetched in a fixed number of queries, without the
        columns no list shows (the search columns are the largest of a claim's row)."""
        return (
            self.public()
            .select_related("claimant")
            .defer(*NOT_LISTED)
            .prefetch_related(list_verdicts())
        )

    def spread_by(self, outlet: Outlet) -> "ClaimQuerySet":
        """Claims the outlet spread itself (an origin or a repeat carriage), not the ones it
        only mentioned while reporting a denial or a fact-check: what its track record counts."""
        spread = (
            Carriage.objects.approved()
            .filter(report__outlet=outlet, role__in=SPREADING_ROLES)
            .values("claim_id")
        )
        return self.filter(pk__in=spread)

    def track_record(self) -> dict[str, int]:
        """How many of these claims there are, how many officials denied (denied or mixed),
        how many were rated false or misleading: one aggregate over stored columns."""
        return self.public().aggregate(**track_record_counts())

    def text_contains(self, words: str) -> "ClaimQuerySet":
        """Claims whose text contains every word, ignoring case (the desk's finder)."""
        queryset = self
        for word in words.split():
            queryset = queryset.filter(text__icontains=word)
        return queryset

    def carried_in(self, report: Report) -> "ClaimQuerySet":
        """Claims the report carries, withdrawn carriages included (the desk's view)."""
        return self.filter(Exists(Carriage.objects.filter(claim=OuterRef("pk"), report=report)))


def track_record_counts() -> dict[str, models.Count]:
    """What a track record counts, over rows with a claim's `official_position` and
    `published_rating` (claims, or an outlet's list of them, models/outlet_claims.py)."""
    denied = (OfficialPosition.DENIED, OfficialPosition.MIXED)
    return {
        "claims": models.Count("pk"),
        "denied": models.Count("pk", filter=Q(official_position__in=denied)),
        "false_or_misleading": models.Count(
            "pk", filter=Q(published_rating__in=FALSE_OR_MISLEADING_RATINGS)
        ),
    }


def ids_involving(actor: Actor) -> models.QuerySet:
    """Ids of the claims the actor made, is a subject of or answered with an approved
    response: a UNION of three id lists, each read from one index (migration 0019)."""
    made = Claim.objects.filter(claimant=actor).values("pk")
    about = Claim.subjects.through.objects.filter(actor=actor).values("claim_id")
    answered = Response.objects.approved().filter(responder=actor).values("claim_id")
    return made.union(about, answered)


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
    context = models.TextField(blank=True, help_text=_("Background a reader needs."))
    language = language_field()
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
    # A withdrawn duplicate points readers to the claim it duplicated.
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    # The review gate (models/writing.py): public once a second editor approved it.
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Derived from the chain and kept in step with it by every write (models/derived.py), so
    # that lists filter and search on indexed columns; never edited by hand.
    official_position = models.CharField(
        max_length=12,
        choices=OfficialPosition,
        default=OfficialPosition.NO_RESPONSE,
        editable=False,
    )
    published_rating = models.CharField(max_length=20, choices=Rating, blank=True, editable=False)
    # The words the claim is found by, as written and by their inflected forms' keys (see
    # claims/search_terms.py); PostgreSQL indexes them as the search document.
    search_terms = models.TextField(blank=True, default="", editable=False)
    search_document = SearchVectorField(null=True, editable=False)  # PostgreSQL only

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-first_seen_at", "-pk"]
        indexes = [
            models.Index(fields=["-first_seen_at", "-id"], name="claim_newest_idx"),
            # The desk's recently edited claims.
            models.Index(fields=["-updated_at", "-id"], name="claim_updated_idx"),
            # The list sorted A to Z.
            models.Index(
                fields=["text", "id"],
                condition=Q(withdrawn_at__isnull=True),
                name="claim_visible_text_idx",
            ),
            # The review queue and the desk's private claims: few rows, so a partial index.
            models.Index(
                fields=["-created_at"],
                condition=Q(approved_at__isnull=True),
                name="claim_unapproved_idx",
            ),
            # The verdicts feed's notices of withdrawn public claims, newest first.
            models.Index(
                fields=["-withdrawn_at", "-id"],
                condition=Q(approved_at__isnull=False, withdrawn_at__isnull=False),
                name="claim_withdrawn_notice_idx",
            ),
        ]
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

    @property
    def is_public(self) -> bool:
        return self.approved_at is not None and self.withdrawn_at is None

    @property
    def official_position_display(self) -> OfficialPosition:
        return OfficialPosition(self.official_position)

    def published_verdict(self) -> Verdict | None:
        return self.verdicts.filter(state=VerdictState.PUBLISHED).first()

    def origin(self) -> "Carriage | None":
        return (
            self.carriages.public()
            .filter(role=CarriageRole.ORIGIN)
            .select_related("report__outlet")
            .order_by("report__published_at")
            .first()
        )


class CarriageRole(models.TextChoices):
    ORIGIN = "origin", _("Origin")
    REPEAT = "repeat", _("Repeat")
    MENTION = "mention", _("Mention")


# The roles in which an outlet spread the claim itself; a mention only reported on it.
SPREADING_ROLES = (CarriageRole.ORIGIN.value, CarriageRole.REPEAT.value)


class CarriageQuerySet(models.QuerySet):
    def current(self) -> "CarriageQuerySet":
        """Not withdrawn (approved or not: the desk's view)."""
        return self.filter(withdrawn_at__isnull=True)

    def approved(self) -> "CarriageQuerySet":
        """Approved and not withdrawn, whatever their claim's state (for id lists that are
        intersected with public claims anyway)."""
        return self.filter(approved_at__isnull=False, withdrawn_at__isnull=True)

    def public(self) -> "CarriageQuerySet":
        """What readers may see: approved, not withdrawn, of a public claim."""
        return self.approved().filter(
            claim__approved_at__isnull=False, claim__withdrawn_at__isnull=True
        )


class Carriage(GatedRow):
    """A claim appearing in a report: the wording as carried and whom it cites."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="carriages")
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="carriages")
    wording = models.TextField(blank=True, help_text=_("The claim in the report's own words."))
    language = language_field(
        help_text=_("Of the wording (usually the report's), e.g. uk, en, ru.")
    )
    role = models.CharField(max_length=10, choices=CarriageRole, default=CarriageRole.REPEAT)
    # Whom the report aimed the claim at, when the editors know: a country and a language.
    target_country = models.CharField(
        _("target country"),
        max_length=2,
        blank=True,
        validators=[country_code],
        help_text=_("ISO 3166 code of the country the report aimed at, e.g. UA, DE."),
    )
    audience_language = language_field(
        verbose_name=_("audience language"),
        help_text=_("ISO code of the audience's language, e.g. uk, en, ru."),
    )
    cites = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cited_by",
        help_text=_("The upstream carriage this report cites."),
    )

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

    @property
    def spreads_claim(self) -> bool:
        return self.role in SPREADING_ROLES
