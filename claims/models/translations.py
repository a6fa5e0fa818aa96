"""
A quote's, a claim text's or a verdict summary's rendering in another language, with its
provenance: who made it (an editor, or a machine with its engine named), when, and the exact
source text and language it was made from.

A translation is chain work like any other: it is written only through models/writing.py
(`add_translation`, `edit_translation`, `confirm_translation`, `withdraw`) and is public only
once a second editor approved it. When its source changes, the write path marks it *stale*:
readers stop seeing it until an editor confirms it against the new source (updates it, or
re-approves it as it is).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .gated import GatedRow
from .sources import language_field


class TranslatedPart(models.TextChoices):
    """What is translated; each part names the row and the field its source text is in."""

    CLAIM_TEXT = "claim_text", _("claim text")
    QUOTE = "quote", _("quote")
    VERDICT_SUMMARY = "verdict_summary", _("verdict summary")


# part: (the row's foreign key on Translation, the source field on that row)
SOURCE_FIELDS = {
    TranslatedPart.CLAIM_TEXT: ("claim", "text"),
    TranslatedPart.QUOTE: ("response", "quote"),
    TranslatedPart.VERDICT_SUMMARY: ("verdict", "summary"),
}


class TranslatorKind(models.TextChoices):
    EDITOR = "editor", _("editor")
    MACHINE = "machine", _("machine")


class TranslationStatus(models.TextChoices):
    CURRENT = "current", _("current")
    # The source changed after the translation was made: hidden from readers until confirmed.
    STALE = "stale", _("stale")


class TranslationQuerySet(models.QuerySet):
    def current(self) -> "TranslationQuerySet":
        """Not withdrawn (approved or not, stale or not: the desk's view)."""
        return self.filter(withdrawn_at__isnull=True)

    def public(self) -> "TranslationQuerySet":
        """What readers may see: approved, not withdrawn, made from the source as it is now,
        of a public claim, and of an approved response or a published verdict."""
        return self.filter(
            Q(part=TranslatedPart.CLAIM_TEXT)
            | Q(
                part=TranslatedPart.QUOTE,
                response__approved_at__isnull=False,
                response__withdrawn_at__isnull=True,
            )
            | Q(part=TranslatedPart.VERDICT_SUMMARY, verdict__state="published"),
            approved_at__isnull=False,
            withdrawn_at__isnull=True,
            status=TranslationStatus.CURRENT,
            claim__approved_at__isnull=False,
            claim__withdrawn_at__isnull=True,
        )

    def in_language(self, language: str) -> "TranslationQuerySet":
        """Translations into `language` ("en" also finds "en-gb": the primary subtag)."""
        primary = (language or "").split("-")[0].lower()
        return self.filter(Q(language=primary) | Q(language__startswith=f"{primary}-"))

    def of(self, source: models.Model) -> "TranslationQuerySet":
        """Translations of a claim's text, a response's quote or a verdict's summary."""
        part = part_of(source)
        fk, _field = SOURCE_FIELDS[part]
        return self.filter(part=part, **{fk: source})


def part_of(source: models.Model) -> TranslatedPart:
    name = source._meta.model_name
    for part, (fk, _field) in SOURCE_FIELDS.items():
        if fk == name:
            return part
    raise TypeError(f"A {source._meta.verbose_name} has no translatable text.")


class Translation(GatedRow):
    """One translation of one source text into one language.

    Why three nullable foreign keys and not a generic one: the things that can be translated
    are few and fixed (a claim's text, a response's quote, a verdict's summary), and real
    foreign keys keep what a generic key loses: referential integrity in the database,
    cascades, joins for `public()` and prefetching on the claim page. `claim` is always set
    (the claim whose text it is, or whose response or verdict), because the claim is the unit
    of review, history and reader-cache scope; `part` says which text, and check constraints
    tie it to exactly the right foreign key.
    """

    claim = models.ForeignKey("Claim", on_delete=models.CASCADE, related_name="translations")
    part = models.CharField(_("translated part"), max_length=20, choices=TranslatedPart)
    response = models.ForeignKey(
        "Response", null=True, blank=True, on_delete=models.CASCADE, related_name="translations"
    )
    verdict = models.ForeignKey(
        "Verdict", null=True, blank=True, on_delete=models.CASCADE, related_name="translations"
    )
    language = language_field(verbose_name=_("language"), help_text=_("ISO code, e.g. en, uk."))
    text = models.TextField(_("translation"))
    translator_kind = models.CharField(
        _("translated by"), max_length=10, choices=TranslatorKind, default=TranslatorKind.EDITOR
    )
    # The editor who translated it (for an editor's translation).
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("translator"),
    )
    engine = models.CharField(
        _("engine"), max_length=100, blank=True, help_text=_("For a machine translation.")
    )
    translated_at = models.DateTimeField(_("translated at"), default=timezone.now)
    # The exact text and language the translation was made from: the source is "changed"
    # when its text no longer equals this.
    source_text = models.TextField(editable=False)
    source_language = language_field(editable=False)
    status = models.CharField(
        max_length=10,
        choices=TranslationStatus,
        default=TranslationStatus.CURRENT,
        editable=False,
    )

    objects = TranslationQuerySet.as_manager()

    class Meta:
        ordering = ["part", "language", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(part__in=TranslatedPart.values), name="translation_part_valid"
            ),
            # Each part points at exactly its own row.
            models.CheckConstraint(
                condition=(
                    Q(part=TranslatedPart.CLAIM_TEXT, response__isnull=True, verdict__isnull=True)
                    | Q(part=TranslatedPart.QUOTE, response__isnull=False, verdict__isnull=True)
                    | Q(
                        part=TranslatedPart.VERDICT_SUMMARY,
                        response__isnull=True,
                        verdict__isnull=False,
                    )
                ),
                name="translation_part_has_its_row",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="translation_text_not_empty"),
            models.CheckConstraint(condition=~Q(language=""), name="translation_has_language"),
            models.CheckConstraint(
                condition=Q(status__in=TranslationStatus.values), name="translation_status_valid"
            ),
            # An editor's translation names the editor; a machine's names its engine.
            models.CheckConstraint(
                condition=Q(translator_kind=TranslatorKind.EDITOR, translator__isnull=False)
                | (Q(translator_kind=TranslatorKind.MACHINE) & ~Q(engine="")),
                name="translation_translator_named",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
                name="translation_withdrawal_has_reason",
            ),
            # One live translation per text and language: an editor updates it, not adds another.
            models.UniqueConstraint(
                fields=["claim", "language"],
                condition=Q(part=TranslatedPart.CLAIM_TEXT, withdrawn_at__isnull=True),
                name="translation_one_per_claim_text",
            ),
            models.UniqueConstraint(
                fields=["response", "language"],
                condition=Q(part=TranslatedPart.QUOTE, withdrawn_at__isnull=True),
                name="translation_one_per_quote",
            ),
            models.UniqueConstraint(
                fields=["verdict", "language"],
                condition=Q(part=TranslatedPart.VERDICT_SUMMARY, withdrawn_at__isnull=True),
                name="translation_one_per_summary",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_part_display()} ({self.source_language or '?'} → {self.language})"

    def source(self) -> models.Model:
        """The claim, response or verdict whose text this translates."""
        return getattr(self, SOURCE_FIELDS[TranslatedPart(self.part)][0])

    def source_text_now(self, source: models.Model | None = None) -> str:
        source = source if source is not None else self.source()
        return getattr(source, SOURCE_FIELDS[TranslatedPart(self.part)][1]) or ""

    @property
    def is_stale(self) -> bool:
        return self.status == TranslationStatus.STALE

    @property
    def is_machine(self) -> bool:
        return self.translator_kind == TranslatorKind.MACHINE

    @property
    def translator_label(self) -> str:
        """e.g. "olena (editor)" or "machine: DeepL"."""
        if self.is_machine:
            return _("machine: %(engine)s") % {"engine": self.engine}
        name = ""
        if self.translator is not None:
            name = self.translator.get_full_name() or self.translator.get_username()
        return _("%(name)s (editor)") % {"name": name}
