"""
Reader search over claim text, response quotes and report titles, in Ukrainian, Russian and
English, on SQLite and PostgreSQL alike.

Each claim stores its search document (claims/search_terms.py: its words as written and the
keys of their inflected forms; kept in step by models/derived.py). The query goes through the
same normaliser, and every query word must match, as written or by one of its keys:
- PostgreSQL: the document's tokens as a tsvector (one GIN index), matched with a tsquery
  built from the tokens verbatim ('_умєров' | '_~умєр…') & '_фейк'; no text search
  configuration touches them, so nothing is stemmed twice or dropped as a stop word;
- SQLite: an FTS5 index of the same tokens (table claim_search, kept in step with the column
  by triggers; `ensure_sqlite_index` creates it after every migrate, so a migration that
  rebuilds the claims table cannot leave it behind), matched with ("_a" OR "_a2") AND …. The
  tokens are already lower-cased, so SQLite's ASCII-only case folding does not matter. (A LIKE
  scan of the column took 0.3-0.9 s at 30,000 claims on a loaded 2-core machine; FTS5 reads
  only the matches.)

Ranking (the default order when searching for two words or more): claims holding the query
exactly as written (the whole phrase, word for word) first, then those matching every word in
any form; newest first within each. Ranking every match would read every matching row (tens of
thousands for a common word at a million claims), so the ranking is bounded like the list
itself (a page shows at most views.COUNT_CAP claims): the newest RANKED matches are fetched
in one index-backed "filter, newest first, limit", each marked whether it holds the phrase,
and only they are reordered. With more matches than that, an exact match older than the
newest RANKED matches is not lifted to the top; narrowing the search finds it.
"""

from datetime import UTC, datetime, timedelta
from math import ceil
from time import monotonic

from django.contrib.postgres.search import SearchQueryField
from django.db import connections, models
from django.db.models import Case, F, Func, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone

from . import search_terms

MAX_QUERY_LENGTH = 200
RANKED = 1001  # views.COUNT_CAP + 1: enough to fill and count the list


def clean_query(text: str) -> str:
    """Strip NUL and control characters, collapse spaces, bound the length."""
    text = "".join(ch for ch in text if ch.isprintable() or ch == " ")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


# What PostgreSQL's search index holds (migration 0019, the function claim_search_tokens):
# the claim's search document, and each of its tokens again with the ten days the claim was
# first seen in, "_refus#983" (ten-day periods since 2000), so that a search for the newest
# matches asks for the few periods it reaches back to (see cuts below) and reads short posting
# lists, not a common word's whole one.
PERIOD_SECONDS = 10 * 24 * 3600
PERIODS_FROM = datetime(2000, 1, 1, tzinfo=UTC)
PERIODS_AHEAD = 3  # claims dated this far ahead (a typo, a time zone) are still found
SEARCHED = "claim_search_tokens({document}, {seen})"


def period(moment: datetime) -> int:
    """The number of `moment`'s ten-day period (as claim_search_tokens computes it)."""
    return int((moment - PERIODS_FROM).total_seconds() // PERIOD_SECONDS)


class _Matches(Func):
    """The indexed tokens (SEARCHED, of the query's claims table) @@ tsquery."""

    output_field = models.BooleanField()

    def __init__(self, tsquery: str):
        tsquery = Cast(Value(tsquery), output_field=SearchQueryField())
        super().__init__(tsquery, F("search_document"), F("first_seen_at"))

    def as_sql(self, compiler, connection, **extra):
        tsquery, document, seen = (compiler.compile(e) for e in self.get_source_expressions())
        searched = SEARCHED.format(document=document[0], seen=seen[0])
        return f"(({searched}) @@ {tsquery[0]})", [*tsquery[1], *document[1], *seen[1]]


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_text(query: search_terms.Query) -> str:
    """('_a' | '_a2') & '_b': the tokens quoted, taken verbatim by ::tsquery."""
    return " & ".join(
        "(" + " | ".join(_lexeme(token) for token in options) + ")" for options in query.needed
    )


def _holds(token: str) -> Q:
    return Q(search_terms__contains=f" {token} ")


SQLITE_INDEX = "claim_search"  # and its triggers claim_search_insert, _update, _delete
# Every token is one FTS5 token: letters and digits, "_" and "~" kept inside; case folded
# already, and diacritics are letters here (й is not и).
SQLITE_INDEX_SQL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS claim_search USING fts5(search_terms, "
    "tokenize = \"unicode61 remove_diacritics 0 tokenchars '_~'\")",
    "CREATE TRIGGER IF NOT EXISTS claim_search_insert AFTER INSERT ON claims_claim BEGIN "
    "INSERT INTO claim_search(rowid, search_terms) VALUES (new.id, new.search_terms); END",
    "CREATE TRIGGER IF NOT EXISTS claim_search_update AFTER UPDATE OF search_terms "
    "ON claims_claim BEGIN DELETE FROM claim_search WHERE rowid = old.id; "
    "INSERT INTO claim_search(rowid, search_terms) VALUES (new.id, new.search_terms); END",
    "CREATE TRIGGER IF NOT EXISTS claim_search_delete AFTER DELETE ON claims_claim BEGIN "
    "DELETE FROM claim_search WHERE rowid = old.id; END",
    "DELETE FROM claim_search",
    "INSERT INTO claim_search(rowid, search_terms) SELECT id, search_terms FROM claims_claim",
]


def ensure_sqlite_index(using: str = "default", **kwargs) -> None:
    """Create SQLite's search index and its triggers if missing (post_migrate), and fill it
    from the claims when they were missing."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        tables = {name for (name,) in cursor.execute("SELECT name FROM sqlite_master")}
        if "claims_claim" not in tables:
            return
        kinds = ("insert", "update", "delete")
        if {SQLITE_INDEX, *(f"{SQLITE_INDEX}_{kind}" for kind in kinds)} <= tables:
            return
        for statement in SQLITE_INDEX_SQL:  # the last two fill it anew
            cursor.execute(statement)


def _fts_phrase(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def fts_match_text(query: search_terms.Query) -> str:
    """("_a" OR "_a2") AND ("_b"): the tokens quoted, nothing of FTS5's syntax from input."""
    return " AND ".join(
        "(" + " OR ".join(_fts_phrase(token) for token in options) + ")" for options in query.needed
    )


def search_claims(claims: models.QuerySet, text: str) -> models.QuerySet:
    """Claims whose text, a current response's quote or a carrying report's title hold every
    word of `text`, in any inflected form."""
    return _searched(claims, search_terms.query(clean_query(text)))


def _searched(claims: models.QuerySet, query: search_terms.Query) -> models.QuerySet:
    if not query:
        return claims
    if connections[claims.db].vendor == "postgresql":
        return claims.filter(_Matches(tsquery_text(query)))
    # The match text is a bound parameter, its tokens quoted (fts_match_text).
    matches = RawSQL(
        "SELECT rowid FROM claim_search WHERE claim_search MATCH %s", [fts_match_text(query)]
    )
    return claims.filter(pk__in=matches)


# Newest first, PostgreSQL has two ways to find the newest 1,001 matches: walk the claims
# newest first and test each (reads about 1,001 / share of claims matching rows), or take
# every match from the GIN index and sort them (reads the matches). Both read tens of
# thousands of rows for a word in a few percent of claims (about 1 s at 1M claims). So the
# index also holds each token with the claim's ten-day period (SEARCHED), and a search first
# asks it for the matches of the last few periods only ('_refus#983' | '_refus#982'): the
# rows read are little more than the 1,001 needed, and so are the index entries. How far back to
# reach comes from PostgreSQL's own statistics (the first_seen_at histogram: the date before
# which a given share of claims lies) and the share of matches from a fixed sample of the
# table's pages (~2,000 claims at 1M, 1 ms; 0.64 % sampled for 0.71 % real). If the periods
# held too few (the sample was off, the matches are older, other filters narrowed them), the
# search reaches three times further back, and at last over every claim.
SAMPLE_PERCENT = 0.2
MARGIN = 1.5  # reach back to where 1.5 times the needed matches are expected
# Below ten times the needed matches, reading every match costs less than naming the many
# periods a cut would reach back through (measured at 1M: 37-74 ms against 98-144 ms).
FULL_READ = 10
WIDER = 3  # each further round reaches this many times further back
ROUNDS = 4  # cuts tried before searching every claim
STATISTICS_SECONDS = 600  # how long a process trusts the histogram it read


def match_share(claims: models.QuerySet, query: search_terms.Query) -> tuple[float, int]:
    """(share of claims matching `query`, claims in the table), from a sample of its pages;
    (0, 0) if the sample is empty (a small table)."""
    connection = connections[claims.db]
    table = connection.ops.quote_name(claims.model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE search_document @@ %s::tsquery) "  # noqa: S608
            f"FROM {table} TABLESAMPLE SYSTEM ({SAMPLE_PERCENT}) REPEATABLE (0)",
            [tsquery_text(query)],
        )
        sampled, matching = cursor.fetchone()
    if not sampled:
        return 0.0, 0
    return matching / sampled, round(sampled * 100 / SAMPLE_PERCENT)


_seen_dates: dict[str, tuple[float, list]] = {}


def seen_dates(claims: models.QuerySet) -> list:
    """first_seen_at at every percentile of the claims, oldest first, from PostgreSQL's
    statistics (empty until the table is analysed)."""
    read_at, dates = _seen_dates.get(claims.db, (0.0, []))
    if monotonic() - read_at < STATISTICS_SECONDS:
        return dates
    with connections[claims.db].cursor() as cursor:
        cursor.execute(
            "SELECT histogram_bounds::text::timestamptz[] FROM pg_stats "
            "WHERE tablename = %s AND attname = 'first_seen_at'",
            [claims.model._meta.db_table],
        )
        row = cursor.fetchone()
    dates = list(row[0]) if row and row[0] else []
    _seen_dates[claims.db] = (monotonic(), dates)
    return dates


def cuts(claims: models.QuerySet, query: search_terms.Query) -> list:
    """The dates to try, newest first, before searching every claim (see above)."""
    share, rows = match_share(claims, query)
    dates = seen_dates(claims)
    if not share or not rows or len(dates) < 2 or share * rows <= FULL_READ * RANKED:
        return []
    found, reach = [], MARGIN * RANKED / (share * rows)
    for _ in range(ROUNDS):
        step = ceil(reach * (len(dates) - 1))
        if step >= len(dates) - 1:
            break
        found.append(dates[-1 - step])
        reach *= WIDER
    return found


def _newest_window(claims: models.QuerySet, phrase: str | None) -> list[tuple[int, int]]:
    """(pk, 0 if it holds `phrase` else 1) of the newest RANKED of `claims`."""
    exact = Case(When(_holds(phrase), then=Value(0)), default=Value(1)) if phrase else Value(1)
    return list(claims.annotate(exact=exact).values_list("pk", "exact")[:RANKED])


def within_periods(query: search_terms.Query, since: datetime) -> str:
    """The tsquery of `query` in the periods from `since`'s to a few ahead of now: per word,
    any of its tokens in any of those periods."""
    periods = range(period(since), period(timezone.now()) + PERIODS_AHEAD + 1)
    return " & ".join(
        "("
        + " | ".join(_lexeme(f"{token}#{number}") for token in options for number in periods)
        + ")"
        for options in query.needed
    )


def _later_than_periods(claims: models.QuerySet) -> bool:
    """Whether some claim was first seen after the last period within_periods() names (a date
    typed far ahead): a cut would miss it, so no cut is made."""
    last = period(timezone.now()) + PERIODS_AHEAD
    after = PERIODS_FROM + timedelta(seconds=(last + 1) * PERIOD_SECONDS)
    return claims.model.objects.filter(first_seen_at__gte=after).exists()


def newest_matches(claims: models.QuerySet, query: search_terms.Query) -> list[tuple[int, int]]:
    """The newest RANKED of `claims` (filtered, not yet searched) that match `query`, newest
    first, as (pk, 0 if it holds the exact phrase else 1), read the cheap way (see above)."""
    phrase = query.phrase if len(query.alternatives) > 1 else None
    searched = _searched(claims, query)
    if connections[claims.db].vendor != "postgresql":
        return _newest_window(searched.newest(), phrase)
    # The same order, as an expression the newest-first index cannot walk: the database then
    # takes the matches from the search index and sorts them.
    seen = Func(F("first_seen_at"), template="(%(expressions)s + interval '0 seconds')")
    dates = cuts(searched, query)
    if dates and not _later_than_periods(claims):
        for since in dates:
            recent = claims.filter(_Matches(within_periods(query, since))).order_by(
                seen.desc(nulls_last=True), "-pk"
            )
            window = _newest_window(recent, phrase)
            if len(window) == RANKED:  # every match since that period is in: the newest
                return window
    return _newest_window(searched.order_by(seen.desc(nulls_last=True), "-pk"), phrase)


def ranked(claims: models.QuerySet, text: str) -> list[int]:
    """Search results (`claims`, filtered, searched here for `text`) in reading order, as
    their ids: the exact phrase first, then the rest, newest first within each (see above).
    Ids, not a QuerySet: the order is known here, and reading the rows again only to sort them
    cost as much as finding them."""
    query = search_terms.query(clean_query(text))
    window = newest_matches(claims, query)
    return [pk for pk, _exact in sorted(window, key=lambda row: row[1])]  # stable: newest kept
