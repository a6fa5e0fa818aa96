"""Official reactions to a claim: who responded, how, and on whose authority."""

from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .gated import GatedRow
from .sources import language_field


class Stance(models.TextChoices):
    DENIES = "denies", _("denies")
    CONFIRMS = "confirms", _("confirms")
    PARTIALLY_CONFIRMS = "partially_confirms", _("partially confirms")
    CLARIFIES = "clarifies", _("clarifies")
    DECLINES_COMMENT = "declines_comment", _("declines to comment")
    RETRACTS = "retracts", _("retracts")


# Which stances count towards each official position. A retraction disowns the claim.
DENYING_STANCES = frozenset({Stance.DENIES.value, Stance.RETRACTS.value})
CONFIRMING_STANCES = frozenset({Stance.CONFIRMS.value, Stance.PARTIALLY_CONFIRMS.value})


class Attribution(models.TextChoices):
    """How a response is sourced, strongest first."""

    NAMED_OFFICIAL = "named_official", _("named official on record")
    OFFICIAL_STATEMENT = "official_statement", _("official statement")
    SPOKESPERSON = "spokesperson", _("spokesperson")
    ANONYMOUS_SOURCE = "anonymous_source", _("anonymous source inside the institution")
    UNATTRIBUTED = "unattributed", _("unattributed")

    @property
    def strength(self) -> int:
        """5 for a named official on record down to 1 for an unattributed response."""
        return len(Attribution.values) - Attribution.values.index(self.value)


class SaidOn(models.TextChoices):
    """Where a response was said, as opposed to the report that relayed it."""

    TELEGRAM = "telegram", _("Telegram")
    BRIEFING = "briefing", _("briefing")
    WEBSITE = "website", _("website statement")
    INTERVIEW = "interview", _("interview")
    SOCIAL = "social", _("social media post")
    OTHER = "other", _("other")


class ResponseQuerySet(models.QuerySet):
    def current(self) -> "ResponseQuerySet":
        """Responses not withdrawn from the desk (approved or not: the desk's view)."""
        return self.filter(withdrawn_at__isnull=True)

    def approved(self) -> "ResponseQuerySet":
        """Approved and not withdrawn, whatever their claim's state (for id lists)."""
        return self.filter(approved_at__isnull=False, withdrawn_at__isnull=True)

    def public(self) -> "ResponseQuerySet":
        """What readers may see: approved, not withdrawn, on a public claim."""
        return self.approved().filter(
            claim__approved_at__isnull=False, claim__withdrawn_at__isnull=True
        )

    def denials(self) -> "ResponseQuerySet":
        return self.filter(stance=Stance.DENIES)

    def newest(self) -> "ResponseQuerySet":
        return self.order_by("-responded_at", "-pk")

    def involving(self, actor) -> "ResponseQuerySet":
        """Approved responses by the actor, or to claims it made, is the subject of or
        answered (the public lists' and feeds' sense)."""
        from .claims import ids_involving

        # The id list itself, not the claims it names: looking each up again cost 881 index
        # probes for a typical actor at 1M claims (18 ms).
        claims = ids_involving(actor)
        approved = self.approved()
        if _is_large(actor):
            # Its responses are everywhere: the newest, tested one by one, find a page soon.
            return approved.filter(Q(responder=actor) | Q(claim__in=claims))
        # A few hundred claims: their responses, looked up by claim (testing every denial
        # newest first read 75,000 rows for such an actor's 50: 0.6 s at 1M claims). The
        # actor's own approved responses are on claims it answered, which the list holds;
        # as a list of response ids, each response was read twice (14 ms, now 9).
        return approved.filter(claim__in=claims)

    def on_denied_claims(self) -> "ResponseQuerySet":
        """Responses to claims whose stored position counts a denial (models/derived.py):
        every approved denial's claim, so of those it drops none; it lets the database pass
        over an actor's other claims in the claims' index before reading their responses."""
        from .claims import OfficialPosition

        return self.filter(
            claim__official_position__in=[OfficialPosition.DENIED, OfficialPosition.MIXED]
        )

    def about_outlets(self, outlets) -> "ResponseQuerySet":
        """Public responses to claims the outlets carried, and responses they reported. The
        claims come from the outlets' lists (models/outlet_claims.py: one index range each),
        so this is for public responses only. (As one id list PostgreSQL hash-joins a
        mid-sized outlet's 2,600 ids against every denial: 0.95 s at 1M claims, slower than
        testing the newest denials against both lists.)"""
        from .outlet_claims import OutletClaim
        from .sources import Report

        carried = OutletClaim.objects.filter(outlet__in=outlets).values("claim_id")
        reports = Report.objects.filter(outlet__in=outlets).values("pk")
        return self.filter(Q(claim__in=carried) | Q(report__in=reports))

    def for_feed(self) -> "ResponseQuerySet":
        """Public responses, newest first, with what an item shows."""
        return self.public().select_related("responder", "claim", "report__outlet").newest()


class Response(GatedRow):
    """An official reaction, e.g. President's Office · denies · anonymous source · "It's fake"."""

    claim = models.ForeignKey("Claim", on_delete=models.CASCADE, related_name="responses")
    responder = models.ForeignKey("Actor", on_delete=models.PROTECT, related_name="responses")
    stance = models.CharField(max_length=20, choices=Stance)
    attribution = models.CharField(max_length=20, choices=Attribution)
    speaker_name = models.CharField(
        max_length=200, blank=True, help_text=_("The named person who spoke, if any.")
    )
    quote = models.TextField(blank=True)
    language = language_field(help_text=_("Of the quote, as said: e.g. uk, en, ru."))
    # Where it was said: the minister's Telegram post, a briefing, the ministry's site.
    channel_kind = models.CharField(
        _("said on"), max_length=20, choices=SaidOn, blank=True, help_text=_("Where it was said.")
    )
    channel_url = models.URLField(
        _("channel or statement URL"),
        max_length=1000,
        blank=True,
        help_text=_("The post, statement or channel itself, e.g. https://t.me/…"),
    )
    # Where the response was reported (the Interfax-Ukraine article, an official channel's post).
    report = models.ForeignKey(
        "Report", null=True, blank=True, on_delete=models.PROTECT, related_name="responses"
    )
    responded_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["responded_at", "pk"]
        indexes = [
            models.Index(fields=["stance", "-responded_at"], name="response_stance_newest_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values), name="response_stance_valid"
            ),
            models.CheckConstraint(
                condition=Q(attribution__in=Attribution.values), name="response_attribution_valid"
            ),
            models.CheckConstraint(
                condition=~Q(attribution=Attribution.NAMED_OFFICIAL) | ~Q(speaker_name=""),
                name="response_named_official_has_name",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
                name="response_withdrawal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(channel_kind="") | Q(channel_kind__in=SaidOn.values),
                name="response_channel_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.responder.name} {self.get_stance_display()}: {self.claim}"

    @property
    def attribution_strength(self) -> int:
        return Attribution(self.attribution).strength

    @property
    def headline(self) -> str:
        """e.g. "President's Office denies: Umerov refused to return to Ukraine"."""
        return f"{self.responder.name} {self.get_stance_display()}: {self.claim.text}"


LARGE_ACTOR = 5_000  # claims made, about or answered; bounded index scans count them


def involvement() -> RawSQL:
    """How many rows name an actor (its responses, the claims about it, the claims it made),
    counted up to LARGE_ACTOR, as an annotation of an Actor query: a list of an actor's
    responses then reads the actor and its size in one query. Each list reads the actor's
    column only, so from an index alone (the rows' ids sent the database to 700 table pages
    for a typical actor at 1M claims: 8-17 ms)."""
    from .claims import Claim
    from .sources import Actor

    actor = f"{Actor._meta.db_table}.id"
    lists = " UNION ALL ".join(
        f"SELECT {column} FROM {model._meta.db_table} WHERE {column} = {actor}"  # noqa: S608
        for model, column in (
            (Response, "responder_id"),
            (Claim.subjects.through, "actor_id"),
            (Claim, "claimant_id"),
        )
    )
    # Our own table and column names; the one value is a parameter.
    return RawSQL(  # noqa: S611
        f"SELECT COUNT(*) FROM ({lists} LIMIT %s) AS involved",  # noqa: S608
        [LARGE_ACTOR],
        output_field=models.IntegerField(),
    )


def _is_large(actor) -> bool:
    from .sources import Actor

    size = getattr(actor, "involvement", None)
    if size is None:  # an actor read without its size
        size = Actor.objects.filter(pk=actor.pk).values_list(involvement(), flat=True)[0]
    return size >= LARGE_ACTOR
