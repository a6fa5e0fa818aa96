"""Suggesting narratives for a claim: the narratives of the claims most like it."""

from claims.importer.similar import similar_claims
from claims.models import Claim, Narrative, NarrativeClaim

SIMILAR = 20  # similar claims looked at
SUGGESTED = 5


def suggest_narratives(claim: Claim) -> list[Narrative]:
    """Narratives that claims similar to this one belong to (approved or pending), best
    match first, each with `similarity` (its best claim's) and `because` (that claim); not
    those the claim is already in. A suggestion only: an editor attaches."""
    similar = [c for c in similar_claims(claim.text, limit=SIMILAR) if c.pk != claim.pk]
    if not similar:
        return []
    already = set(NarrativeClaim.objects.current().filter(claim=claim).values_list("narrative_id"))
    best: dict[int, Claim] = {}
    for membership in NarrativeClaim.objects.current().filter(claim__in=similar):
        if (membership.narrative_id,) in already:
            continue
        found = next(c for c in similar if c.pk == membership.claim_id)
        held = best.get(membership.narrative_id)
        if held is None or found.similarity > held.similarity:
            best[membership.narrative_id] = found
    narratives = Narrative.objects.in_bulk(list(best))
    ranked = sorted(best.items(), key=lambda item: (-item[1].similarity, item[0]))
    suggestions = []
    for narrative_id, because in ranked[:SUGGESTED]:
        narrative = narratives[narrative_id]
        narrative.similarity, narrative.because = because.similarity, because
        suggestions.append(narrative)
    return suggestions
