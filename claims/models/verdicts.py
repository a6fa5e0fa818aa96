"""The editors' finding on a claim (Verdict), its two-person review, and public Corrections."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.caching import before_change, changed

from . import derived, history


@dataclass(frozen=True)
class RatingInfo:
    value: int  # ClaimReview ratingValue: 1 is the worst (false), BEST_RATING the best (true).
    meaning: str


class Rating(models.TextChoices):
    """The truth rating scale, from true to false."""

    TRUE = "true", _("True")
    MOSTLY_TRUE = "mostly_true", _("Mostly true")
    UNPROVEN = "unproven", _("Unproven")
    MISLEADING = "misleading", _("Misleading")
    MOSTLY_FALSE = "mostly_false", _("Mostly false")
    FALSE = "false", _("False")

    @property
    def info(self) -> RatingInfo:
        return RATING_INFO[self]

    @property
    def rating_value(self) -> int:
        return self.info.value

    @property
    def meaning(self) -> str:
        return self.info.meaning

    def claim_review_rating(self) -> dict:
        """The schema.org Rating for ClaimReview (worstRating is 1, never 0)."""
        return {
            "@type": "Rating",
            "ratingValue": self.rating_value,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": str(self.label),
        }


RATING_INFO = {
    Rating.TRUE: RatingInfo(6, _("Accurate, with nothing significant missing.")),
    Rating.MOSTLY_TRUE: RatingInfo(5, _("Accurate, but needs context or a detail is wrong.")),
    Rating.UNPROVEN: RatingInfo(
        4,
        _(
            "The evidence available does not show it is true or false; an official denial alone "
            "does not settle it."
        ),
    ),
    Rating.MISLEADING: RatingInfo(3, _("Contains some truth but leaves a false impression.")),
    Rating.MOSTLY_FALSE: RatingInfo(2, _("Largely inaccurate, with an element of truth.")),
    Rating.FALSE: RatingInfo(
        1, _("Not accurate: the evidence shows it did not happen or is wrong.")
    ),
}
BEST_RATING = max(info.value for info in RATING_INFO.values())
WORST_RATING = min(info.value for info in RATING_INFO.values())


class VerdictState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class WorkflowError(ValidationError):
    """A verdict action that its current state or the rules forbid."""


class VerdictQuerySet(models.QuerySet):
    def published(self) -> "VerdictQuerySet":
        """Published verdicts of public claims: what readers may see."""
        return self.filter(
            state=VerdictState.PUBLISHED,
            claim__approved_at__isnull=False,
            claim__withdrawn_at__isnull=True,
        )

    def for_readers(self) -> "VerdictQuerySet":
        """What a claim's page shows: its published verdict and withdrawn verdicts' notices."""
        return self.published() | self.withdrawn_from_public()

    def withdrawn_from_public(self) -> "VerdictQuerySet":
        """Verdicts readers saw and that were withdrawn: a public notice stays in their place."""
        return self.filter(
            state=VerdictState.WITHDRAWN,
            published_at__isnull=False,
            claim__approved_at__isnull=False,
            claim__withdrawn_at__isnull=True,
        )

    def newest_published(self) -> "VerdictQuerySet":
        return self.published().order_by("-published_at", "-pk")

    def on_unarchived_sources(self) -> "VerdictQuerySet":
        """Verdicts whose claim's approved chain cites a report with no archived copy."""
        from .claims import Carriage
        from .responses import Response
        from .sources import Report

        unarchived = Report.objects.unarchived().values("pk")
        carried = Carriage.objects.approved().filter(
            claim=models.OuterRef("claim"), report__in=unarchived
        )
        relayed = Response.objects.approved().filter(
            claim=models.OuterRef("claim"), report__in=unarchived
        )
        return self.filter(models.Exists(carried) | models.Exists(relayed))

    # The editor desk's lists.

    def drafts(self) -> "VerdictQuerySet":
        return self.filter(state=VerdictState.DRAFT)

    def in_review(self) -> "VerdictQuerySet":
        return self.filter(state=VerdictState.IN_REVIEW)

    def by_author(self, user) -> "VerdictQuerySet":
        return self.filter(author=user)

    def returned(self) -> "VerdictQuerySet":
        """Drafts a reviewer sent back with a note (submitting again clears the note)."""
        return self.drafts().exclude(review_note="")

    def not_returned(self) -> "VerdictQuerySet":
        return self.filter(review_note="")

    def by_others_than(self, user) -> "VerdictQuerySet":
        """What `user` may review: the two-person rule excludes their own verdicts."""
        return self.exclude(author=user)

    def live(self) -> "VerdictQuerySet":
        """Not withdrawn: a claim has at most one live verdict."""
        return self.exclude(state=VerdictState.WITHDRAWN)


class Verdict(models.Model):
    """The editors' finding on a claim. Public only once a second editor has approved it."""

    claim = models.ForeignKey("Claim", on_delete=models.CASCADE, related_name="verdicts")
    rating = models.CharField(max_length=20, choices=Rating, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    rationale = models.TextField(blank=True)
    state = models.CharField(max_length=20, choices=VerdictState, default=VerdictState.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="verdicts_authored"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="verdicts_reviewed",
    )
    review_note = models.TextField(blank=True, help_text=_("The reviewer's note when returned."))
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = VerdictQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("review_verdict", "Can approve, return and withdraw verdicts")]
        indexes = [
            # Feeds and the desk's "recently published": newest published verdicts first.
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(state=VerdictState.PUBLISHED),
                name="verdict_published_newest_idx",
            ),
            # The rating filter: published verdicts of one rating, as claim ids.
            models.Index(
                fields=["rating", "claim"],
                condition=Q(state=VerdictState.PUBLISHED),
                name="verdict_published_rating_idx",
            ),
            # The desk's queues: verdicts in review, oldest first; an author's drafts.
            models.Index(fields=["state", "submitted_at"], name="verdict_state_submitted_idx"),
            models.Index(
                fields=["author", "state", "-updated_at"], name="verdict_author_state_idx"
            ),
            # The verdicts feed's withdrawal notices, newest first (few rows: a partial index).
            models.Index(
                fields=["-withdrawn_at", "-id"],
                condition=Q(state=VerdictState.WITHDRAWN, published_at__isnull=False),
                name="verdict_withdrawn_notice_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=VerdictState.values), name="verdict_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(rating="") | Q(rating__in=Rating.values), name="verdict_rating_valid"
            ),
            # Two-person rule: whoever approves a verdict did not write it.
            models.CheckConstraint(
                condition=~Q(reviewer=F("author")), name="verdict_reviewer_not_author"
            ),
            models.CheckConstraint(
                condition=~Q(state=VerdictState.PUBLISHED)
                | (Q(reviewer__isnull=False, published_at__isnull=False) & ~Q(rating="")),
                name="verdict_published_is_reviewed_and_rated",
            ),
            models.CheckConstraint(
                condition=~Q(state=VerdictState.WITHDRAWN) | ~Q(withdrawn_reason=""),
                name="verdict_withdrawal_has_reason",
            ),
            models.UniqueConstraint(
                fields=["claim"],
                condition=~Q(state=VerdictState.WITHDRAWN),
                name="verdict_one_live_per_claim",
            ),
        ]

    def __str__(self) -> str:
        rating = self.get_rating_display() or "unrated"
        return f"{rating} ({self.get_state_display()}): {self.claim}"

    @property
    def rating_choice(self) -> Rating | None:
        return Rating(self.rating) if self.rating else None

    @property
    def date_modified(self):
        """When the latest approved correction was published, if any."""
        latest = max(
            (c.published_at for c in self.corrections.all() if c.approved_at is not None),
            default=None,
        )
        return latest

    # Workflow actions. Each locks the row, checks the rules, then saves with a new version.

    def submit(self, *, by) -> None:
        """The author sends the draft to review."""
        self._transition(
            by=by,
            action="submitted",
            allowed_from={VerdictState.DRAFT},
            to=VerdictState.IN_REVIEW,
            submitted_at=timezone.now(),
            review_note="",
        )
        from claims import notifications

        notifications.review_requested(self.claim, by=by)

    def publish(self, *, by) -> None:
        """A second editor approves the verdict; only then is it public."""
        if by.pk == self.author_id:
            raise WorkflowError(_("The author of a verdict cannot approve it; ask another editor."))
        if not self.rating:
            raise WorkflowError(_("Choose a rating before publishing."))
        from .claims import Claim

        if not Claim.objects.public().filter(pk=self.claim_id).exists():
            raise WorkflowError(
                _(
                    "The claim's chain is not public yet: a second editor approves it in the "
                    "review queue first."
                )
            )
        if not self.claim.carriages.public().exists():
            raise WorkflowError(_("Add at least one source carriage, approved, before publishing."))
        with transaction.atomic():
            self._transition(
                by=by,
                action="published",
                allowed_from={VerdictState.IN_REVIEW},
                to=VerdictState.PUBLISHED,
                reviewer=by,
                published_at=timezone.now(),
            )
            from claims.api.webhooks import notify  # the API sits above the models

            notify("verdict.published", self)  # delivered once the transaction commits
            from claims import notifications

            notifications.send(notifications.APPROVED, to=[self.author], by=by, claim=self.claim)

    def return_to_draft(self, *, by, note: str) -> None:
        """The reviewer sends it back to the author with a note."""
        if not note.strip():
            raise WorkflowError(_("Say what needs to change when returning a verdict."))
        if by.pk == self.author_id:
            raise WorkflowError(_("The author cannot review their own verdict."))
        from claims import notifications

        from .threads import NoteKind, post_note

        with transaction.atomic():
            self._transition(
                by=by,
                action="returned",
                allowed_from={VerdictState.IN_REVIEW},
                to=VerdictState.DRAFT,
                review_note=note.strip(),
            )
            # The note stays in the claim's thread after the verdict's field is cleared.
            post_note(self.claim, by=by, text=note, kind=NoteKind.RETURNED)
            notifications.send(
                notifications.RETURNED, to=[self.author], by=by, claim=self.claim, note=note
            )

    def withdraw(self, *, by, reason: str) -> None:
        if not reason.strip():
            raise WorkflowError(_("Give a reason for withdrawing the verdict."))
        self._transition(
            by=by,
            action="withdrawn",
            allowed_from={VerdictState.PUBLISHED, VerdictState.DRAFT, VerdictState.IN_REVIEW},
            to=VerdictState.WITHDRAWN,
            withdrawn_at=timezone.now(),
            withdrawn_reason=reason.strip(),
        )

    def correct(self, *, by, text: str, rating: str = "") -> "Correction":
        """Propose a correction, pending until a second editor approves it with the claim's
        other pending work (models/writing.py); it may change the rating."""
        if self.state != VerdictState.PUBLISHED:
            raise WorkflowError(_("Only a published verdict can be corrected."))
        if not text.strip():
            raise WorkflowError(_("A correction needs its text."))
        if rating and rating not in Rating.values:
            raise WorkflowError(_("Choose a rating from the scale."))
        if rating == self.rating:
            rating = ""  # the same rating is no change of rating
        from . import writing  # the write path sits above this module

        return writing.propose_correction(self, by=by, text=text.strip(), rating=rating)

    def _transition(self, *, by, action: str, allowed_from: set[str], to: str, **fields) -> None:
        with transaction.atomic():
            locked = Verdict.objects.select_for_update().get(pk=self.pk)
            if locked.state not in allowed_from:
                raise WorkflowError(
                    _("A verdict that is “%(state)s” cannot become “%(to)s”.")
                    % {"state": locked.get_state_display(), "to": VerdictState(to).label}
                )
            before = history.field_values(locked)
            # What readers were shown: a withdrawn verdict takes its claim off its rating's list.
            shown = before_change([self.claim_id])
            fields["state"] = to
            for name, value in fields.items():
                setattr(self, name, value)
            self.version = locked.version + 1
            self.save(update_fields=[*fields, "version", "updated_at"])
            history.record(
                self,
                by=by,
                action=action,
                changes=history.diff(before, history.field_values(self)),
                note=fields.get("review_note", "") or fields.get("withdrawn_reason", ""),
            )
            # What readers see may have changed (a verdict published or withdrawn).
            derived.refresh([self.claim_id])
            changed(claim_ids=[self.claim_id], before=shown)


class CorrectionQuerySet(models.QuerySet):
    def public(self) -> "CorrectionQuerySet":
        """Approved corrections of published verdicts (of public claims)."""
        return self.filter(
            approved_at__isnull=False,
            verdict__state=VerdictState.PUBLISHED,
            verdict__claim__approved_at__isnull=False,
            verdict__claim__withdrawn_at__isnull=True,
        )

    def pending(self) -> "CorrectionQuerySet":
        """Waiting for a second editor: not approved, not returned to its author."""
        return self.filter(approved_at__isnull=True).exclude(_returned_review())

    def returned(self) -> "CorrectionQuerySet":
        """Sent back to its author with a note (its review row in models/review.py holds
        the note); kept until the author puts it back in review."""
        return self.filter(_returned_review(), approved_at__isnull=True)


def _returned_review() -> models.Exists:
    """A correction is reviewed like any change of the chain: through its PendingChange."""
    from django.contrib.contenttypes.models import ContentType

    from .review import PendingChange

    return models.Exists(
        PendingChange.objects.returned().filter(
            content_type=ContentType.objects.get_for_model(Correction),
            object_id=models.OuterRef("pk"),
        )
    )


class Correction(models.Model):
    """A public, dated note on a published verdict, once a second editor approved it. A
    correction may change the rating: the verdict takes the new one, and the correction keeps
    the one it replaced (`previous_rating`), shown on the page as superseded."""

    verdict = models.ForeignKey(Verdict, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField()
    rating = models.CharField(
        max_length=20, choices=Rating, blank=True, help_text=_("The new rating, if it changes.")
    )
    previous_rating = models.CharField(max_length=20, choices=Rating, blank=True, editable=False)
    # Set when approved: the correction is public from then on.
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["published_at", "pk"]
        # The verdicts feed's newest corrections.
        indexes = [models.Index(fields=["-published_at", "-id"], name="correction_newest_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="correction_text_not_empty"),
            # Two-person rule, as for verdicts.
            models.CheckConstraint(
                condition=~Q(approved_by=F("created_by")), name="correction_approver_not_author"
            ),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(published_at__isnull=False),
                name="correction_approved_is_published",
            ),
        ]

    def __str__(self) -> str:
        when = f"{self.published_at:%Y-%m-%d}" if self.published_at else "pending review"
        return f"Correction ({when}): {self.text[:60]}"

    @property
    def rating_choice(self) -> Rating | None:
        return Rating(self.rating) if self.rating else None

    @property
    def previous_rating_choice(self) -> Rating | None:
        return Rating(self.previous_rating) if self.previous_rating else None
