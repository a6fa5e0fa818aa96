"""Archiving facts for desk templates whose views belong to the desk's main module."""

from django import template

from claims.models import Report, SourceArchive, Verdict

register = template.Library()

# The review queue lists this many flagged verdicts at most.
FLAGGED_VERDICTS = 20


@register.simple_tag
def source_archive(report: Report) -> SourceArchive | None:
    """Where the archiving of this report stands, or None when it was never requested."""
    return SourceArchive.objects.filter(report=report).select_related("snapshot").first()


@register.simple_tag
def unarchived_sources(claim) -> list[Report]:
    """The reports the claim's approved chain stands on that have no archived copy."""
    return list(Report.objects.sources_of(claim).unarchived().select_related("outlet", "archiving"))


@register.simple_tag
def verdicts_on_unarchived_sources() -> dict:
    """Published verdicts standing on a source with no archived copy, newest first."""
    rows = list(
        Verdict.objects.newest_published()
        .on_unarchived_sources()
        .select_related("claim")[: FLAGGED_VERDICTS + 1]
    )
    return {"rows": rows[:FLAGGED_VERDICTS], "more": len(rows) > FLAGGED_VERDICTS}
