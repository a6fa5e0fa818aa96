"""
Content in the reader's language: a claim's text, a quote and a verdict's summary are shown
in the interface language (`get_language()`) where an approved, current translation into it
exists, and as written otherwise. The original is always at hand: a quote shows it verbatim
beside the translation, a claim's text and a summary one click away.

Pages, feeds and JSON-LD ask `attach()` once for all the rows they show (one query), then
read `shown_text`, `shown_quote` and `shown_summary` off the rows.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import translation

from claims.languages import detect_language
from claims.models import Claim, Response, TranslatedPart, Translation, Verdict


@dataclass(frozen=True)
class Shown:
    """A text as a reader sees it: the translation (with its provenance) or the original."""

    text: str
    language: str
    original: str
    original_language: str
    translation: Translation | None = None

    @property
    def translated(self) -> bool:
        return self.translation is not None


def reader_language() -> str:
    """The interface language's primary subtag ("en" for "en-gb")."""
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()


def _primary(language: str) -> str:
    return (language or "").split("-")[0].lower()


def shown(original: str, original_language: str, found: Translation | None, language: str):
    if found is None or _primary(original_language) == language:
        return Shown(original, original_language, original, original_language)
    return Shown(found.text, found.language, original, original_language, found)


def attach(
    *,
    claims: Iterable[Claim] = (),
    responses: Iterable[Response] = (),
    verdicts: Iterable[Verdict | None] = (),
    language: str | None = None,
) -> None:
    """Set `shown_text` on claims, `shown_quote` on responses and `shown_summary` on
    verdicts, in `language` (the reader's by default), from one query."""
    claims, responses = list(claims), list(responses)
    verdicts = [v for v in verdicts if v is not None]
    language = language or reader_language()
    wanted = Q(pk__in=[])
    if claims:
        wanted |= Q(part=TranslatedPart.CLAIM_TEXT, claim__in=[c.pk for c in claims])
    if responses:
        wanted |= Q(part=TranslatedPart.QUOTE, response__in=[r.pk for r in responses])
    if verdicts:
        wanted |= Q(part=TranslatedPart.VERDICT_SUMMARY, verdict__in=[v.pk for v in verdicts])
    found = {}
    if claims or responses or verdicts:
        rows = (
            Translation.objects.public()
            .in_language(language)
            .filter(wanted)
            .select_related("translator")
            .order_by("pk")
        )
        for row in rows:  # the newest wins should a regional variant also exist
            found[(row.part, row.claim_id, row.response_id, row.verdict_id)] = row
    for claim in claims:
        row = found.get((TranslatedPart.CLAIM_TEXT, claim.pk, None, None))
        claim.shown_text = shown(claim.text, claim.language, row, language)
    for response in responses:
        row = found.get((TranslatedPart.QUOTE, response.claim_id, response.pk, None))
        response.shown_quote = shown(response.quote, response.language, row, language)
    for verdict in verdicts:
        row = found.get((TranslatedPart.VERDICT_SUMMARY, verdict.claim_id, None, verdict.pk))
        # A verdict's summary has no language field: a translation keeps the one it was made
        # from; otherwise it is detected (offline, ~0.03 ms).
        original_language = (
            row.source_language if row is not None else detect_language(verdict.summary)
        )
        verdict.shown_summary = shown(verdict.summary, original_language, row, language)
