"""Existing claims that look like a new one, so the desk does not log the same claim twice."""

import re

from django.contrib.postgres.search import (
    TrigramDistance,
    TrigramSimilarity,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models.functions import Greatest, Upper

from claims.models import Claim

STOPWORDS = {
    "the", "a", "an", "of", "to", "in", "on", "and", "or", "that", "is", "was", "for", "with",
    "by", "at", "as", "his", "her", "its", "their", "from", "has", "had", "have", "be", "been",
    "і", "й", "та", "в", "у", "на", "що", "з", "до", "не", "и", "во", "что", "с", "к",
}  # fmt: skip
# PostgreSQL ranks this many nearest claims (by trigram distance, through an index) instead
# of every claim: scoring all of them took 35 s at a million claims.
CANDIDATES = 50


def words(text: str) -> set[str]:
    return {
        word[:6]  # a crude stem: "refused"/"refuses" and "України"/"Україну" meet
        for word in re.findall(r"\w+", text.casefold())
        if word not in STOPWORDS and len(word) > 1
    }


def token_overlap(a: str, b: str) -> float:
    left, right = words(a), words(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def similar_claims(text: str, *, limit: int = 5, threshold: float = 0.25) -> list[Claim]:
    """
    Claims whose text resembles `text`, most alike first, each with a `similarity` (0 to 1).
    PostgreSQL takes the CANDIDATES claims nearest by trigram distance (the GiST index on
    UPPER(text) from migration 0007) and ranks them with pg_trgm: the better of whole-string
    and word similarity. SQLite, which has no trigram index, compares word stems in Python
    over the newest claims.
    """
    text = (text or "").strip()
    if not text:
        return []
    if connection.vendor == "postgresql":
        nearest = (
            Claim.objects.visible()
            .order_by(TrigramDistance(Upper("text"), text.upper()))
            .values("pk")[:CANDIDATES]
        )
        return list(
            Claim.objects.filter(pk__in=nearest)
            .annotate(
                similarity=Greatest(
                    TrigramSimilarity("text", text), TrigramWordSimilarity(text, "text")
                )
            )
            .filter(similarity__gte=threshold)
            .order_by("-similarity", "-pk")[:limit]
        )
    scored = []
    for claim in Claim.objects.visible().order_by("-pk")[:5000]:
        claim.similarity = token_overlap(text, claim.text)
        if claim.similarity >= threshold:
            scored.append(claim)
    scored.sort(key=lambda claim: (-claim.similarity, -claim.pk))
    return scored[:limit]
