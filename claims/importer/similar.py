"""
Existing claims that look like a new one, in any language, so the desk does not log the same
claim twice: "Умєров відмовився повертатися в Україну" finds "Umerov refused to return to
Ukraine".

Candidates come two ways: the nearest sentence vectors (claims/vector_index.py, over claims'
texts and carriages' wordings) and, among the newest claims the worker has not encoded yet,
the nearest by shared word stems (encoded here, at most ENCODE_AT_MOST). Each is scored by
claims.similarity.score: the vector's cosine, corrected by names, words, numbers and negation.
The same on SQLite and PostgreSQL.
Suggest only: an editor links or merges.
"""

from claims import similarity, vector_index, vectors
from claims.languages import detect_language
from claims.models import Claim, ClaimVector
from claims.similarity import token_overlap

__all__ = ["similar_claims", "token_overlap"]

# How many nearest vectors, and nearest claims by words, are scored.
VECTOR_CANDIDATES = 50
WORD_CANDIDATES = 20
# Claims not yet encoded are looked for among this many of the newest.
WORD_SCAN = 5000
# Candidates without a stored vector encoded per request, at most.
ENCODE_AT_MOST = 20


def _by_words(text: str, model: str) -> list[int]:
    """The newest claims the worker has not encoded yet (just logged, or the worker is
    behind), nearest by shared word stems: the vector search cannot see them. Bounded to the
    WORD_SCAN newest ids, so it costs the same at a million claims on either database (a
    trigram nearest-neighbour scan of a million texts took 0.4-2 s)."""
    newest = Claim.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    floor = newest - WORD_SCAN
    encoded = ClaimVector.objects.filter(
        model=model, carriage__isnull=True, claim_id__gt=floor
    ).values("claim_id")
    unencoded = (
        Claim.objects.visible()
        .filter(pk__gt=floor)
        .exclude(pk__in=encoded)
        .values_list("pk", "text")
    )
    overlaps = [(token_overlap(text, claim_text), pk) for pk, claim_text in unencoded]
    overlaps = [item for item in overlaps if item[0] > 0]
    overlaps.sort(reverse=True)
    return [pk for _, pk in overlaps[:WORD_CANDIDATES]]


def _by_vector(query, encoder) -> dict[int, float]:
    """Claim id → best cosine of its text or wordings, among the nearest vectors."""
    found = dict(
        vector_index.nearest(query, VECTOR_CANDIDATES, model=encoder.name, dims=encoder.dims)
    )
    cosines: dict[int, float] = {}
    # The table decides: a vector replaced since the index was loaded is not a candidate.
    for pk, claim_id in ClaimVector.objects.filter(pk__in=found).values_list("pk", "claim_id"):
        cosines[claim_id] = max(cosines.get(claim_id, -1.0), found[pk])
    return cosines


def _missing_cosines(query, claims: list[Claim], cosines: dict[int, float], encoder) -> None:
    """Cosines of word candidates the vector search did not return: from their stored
    vectors, or encoded now."""
    missing = [claim for claim in claims if claim.pk not in cosines]
    if not missing:
        return
    stored = ClaimVector.objects.filter(
        claim__in=missing, model=encoder.name, carriage__isnull=True
    ).values_list("claim_id", "vector")
    for claim_id, data in stored:
        cosines[claim_id] = float(vectors.from_bytes(bytes(data)) @ query)
    unencoded = [claim for claim in missing if claim.pk not in cosines][:ENCODE_AT_MOST]
    if unencoded:
        encoded = encoder.encode([claim.text for claim in unencoded])
        for claim, vector in zip(unencoded, encoded, strict=True):
            cosines[claim.pk] = float(vector @ query)


def similar_claims(
    text: str,
    *,
    limit: int = 5,
    threshold: float | None = None,
    language: str = "",
    exclude: int | None = None,
) -> list[Claim]:
    """
    Claims (not withdrawn) like `text` in any language, most alike first, each with a
    `similarity` from 0 to 1, at least `threshold` (similarity.THRESHOLD unless given).
    `language` is the text's, detected when not given; `exclude` leaves out one claim (the
    one being edited).
    """
    text = (text or "").strip()
    if not text:
        return []
    threshold = similarity.THRESHOLD if threshold is None else threshold
    language = language or detect_language(text)
    encoder = vectors.encoder()
    query = encoder.encode([text])[0]
    cosines = _by_vector(query, encoder)
    ids = set(cosines) | set(_by_words(text, encoder.name))
    ids.discard(exclude)
    claims = list(Claim.objects.visible().filter(pk__in=ids))
    _missing_cosines(query, claims, cosines, encoder)
    asked = similarity.profile(text)
    found = []
    for claim in claims:
        pair = vectors.language_pair(language, claim.language or detect_language(claim.text))
        unrelated = encoder.unrelated.get(pair, encoder.unrelated[""])
        claim.similarity = similarity.score(
            cosines[claim.pk], asked, similarity.profile(claim.text), unrelated=unrelated
        )
        if claim.similarity >= threshold:
            found.append(claim)
    # Equal scores (both full): the nearer vector first.
    found.sort(key=lambda claim: (-claim.similarity, -cosines[claim.pk], -claim.pk))
    return found[:limit]
