"""
Reader search over claim text, response quotes and report titles.

PostgreSQL matches the claim's stored search document (claim text, approved responses' quotes
and titles of the reports carrying it, kept in step by models/derived.py) with full-text
search in the `simple` configuration (no stemming, so Ukrainian and English behave alike),
through one GIN index: every word must appear somewhere in the claim's chain. SQLite has no
full-text index here, so it falls back to "every word appears in the claim text, in an
approved quote or in the title of a report carrying it", which gives the same results on
whole-word test data.
"""

import re

from django.contrib.postgres.search import SearchQuery
from django.db import connections, models
from django.db.models import Q

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12

_WORD = re.compile(r"\w+", re.UNICODE)


def clean_query(text: str) -> str:
    """Strip NUL and control characters, collapse spaces, bound the length."""
    text = "".join(ch for ch in text if ch.isprintable() or ch == " ")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def query_terms(text: str) -> list[str]:
    """The words of a query, lower-cased, at most MAX_TERMS of them."""
    return [word.lower() for word in _WORD.findall(text)][:MAX_TERMS]


def _tsquery(terms: list[str]) -> SearchQuery:
    # Plain terms ANDed together: no operators from user input reach to_tsquery.
    return SearchQuery(" ".join(terms), config="simple", search_type="plain")


def _contains_all(queryset: models.QuerySet, field: str, terms: list[str]) -> models.QuerySet:
    """Rows of `queryset` whose `field` contains every term (SQLite)."""
    condition = Q()
    for term in terms:
        condition &= Q(**{f"{field}__icontains": term})
    return queryset.filter(condition)


def search_claims(claims: models.QuerySet, text: str) -> models.QuerySet:
    """Claims whose text, a current response's quote or a carrying report's title match."""
    from .models import Carriage, Claim, Report, Response

    terms = query_terms(clean_query(text))
    if not terms:
        return claims
    if connections[claims.db].vendor == "postgresql":
        return claims.filter(search_document=_tsquery(terms))
    by_text = _contains_all(Claim.objects.all(), "text", terms).values("pk")
    by_quote = _contains_all(Response.objects.approved(), "quote", terms).values("claim_id")
    by_title = Carriage.objects.approved().filter(
        report__in=_contains_all(Report.objects.all(), "title", terms).values("pk")
    )
    return claims.filter(
        Q(pk__in=by_text) | Q(pk__in=by_quote) | Q(pk__in=by_title.values("claim_id"))
    )
