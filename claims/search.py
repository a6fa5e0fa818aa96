"""
Reader search over claim text, response quotes and report titles, in Ukrainian, Russian and
English, on SQLite and PostgreSQL alike.

Each claim stores its search document (claims/search_terms.py: its words as written and the
keys of their inflected forms; kept in step by models/derived.py). The query goes through the
same normaliser, and every query word must match, as written or by one of its keys:
- PostgreSQL: the document's tokens as a tsvector (one GIN index), matched with a tsquery
  built from the tokens verbatim ('умєров' | '_умєров') & ('фейк' | '_фейк'); no text
  search configuration touches them, so nothing is stemmed twice or dropped as a stop word;
- SQLite: " token " looked up in the document with LIKE; the document is already lower-cased,
  so LIKE's ASCII-only case folding does not matter.

Ranking (the default order when searching for two words or more): claims holding the query
exactly as written (the whole phrase, word for word) first, then those matching every word in
any form; newest first within each. Ranking every match would read every matching row (tens of
thousands for a common word at a million claims), so the ranking is bounded like the list
itself (a page shows at most views.COUNT_CAP claims): the newest RANKED matches are fetched
in one index-backed "filter, newest first, limit", each marked whether it holds the phrase,
and only they are reordered. With more matches than that, an exact match older than the
newest RANKED matches is not lifted to the top; narrowing the search finds it.
"""

from django.contrib.postgres.search import SearchQueryField
from django.db import connections, models
from django.db.models import Case, F, Func, Q, Value, When
from django.db.models.functions import Cast

from . import search_terms

MAX_QUERY_LENGTH = 200
RANKED = 1001  # views.COUNT_CAP + 1: enough to fill and count the list


def clean_query(text: str) -> str:
    """Strip NUL and control characters, collapse spaces, bound the length."""
    text = "".join(ch for ch in text if ch.isprintable() or ch == " ")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


class _Matches(Func):
    """search_document @@ tsquery."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = models.BooleanField()


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_text(query: search_terms.Query) -> str:
    """('a' | '_a') & ('b' | '_b'): the tokens quoted, taken verbatim by ::tsquery."""
    return " & ".join(
        "(" + " | ".join(_lexeme(token) for token in options) + ")"
        for options in query.alternatives
    )


def _holds(token: str) -> Q:
    return Q(search_terms__contains=f" {token} ")


def search_claims(claims: models.QuerySet, text: str) -> models.QuerySet:
    """Claims whose text, a current response's quote or a carrying report's title hold every
    word of `text`, in any inflected form."""
    query = search_terms.query(clean_query(text))
    if not query:
        return claims
    if connections[claims.db].vendor == "postgresql":
        tsquery = Cast(Value(tsquery_text(query)), output_field=SearchQueryField())
        return claims.filter(_Matches(F("search_document"), tsquery))
    condition = Q()
    for options in query.alternatives:
        either = Q()
        for token in options:
            either |= _holds(token)
        condition &= either
    return claims.filter(condition)


def ranked(claims: models.QuerySet, text: str) -> models.QuerySet:
    """Search results (`claims`, already searched for `text` and filtered) in reading order:
    the exact phrase first, then the rest, newest first within each (see above)."""
    query = search_terms.query(clean_query(text))
    if len(query.alternatives) < 2:
        return claims.newest()
    window = list(
        claims.newest()
        .annotate(exact=Case(When(_holds(query.phrase), then=Value(0)), default=Value(1)))
        .values_list("pk", "exact")[:RANKED]
    )
    first = [pk for pk, exact in window if exact == 0]
    return (
        claims.model.objects.filter(pk__in=[pk for pk, _ in window])
        .alias(exact=Case(When(pk__in=first, then=Value(0)), default=Value(1)))
        .order_by("exact", F("first_seen_at").desc(nulls_last=True), "-pk")
    )
