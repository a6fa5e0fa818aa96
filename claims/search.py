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

from bisect import bisect_left
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from time import monotonic

from django.contrib.postgres.search import SearchQueryField
from django.db import connections, models
from django.db.models import Case, Exists, F, Func, Q, Value, When
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
# matches asks for the few periods it reaches back to (see _by_periods below) and reads short
# posting lists, not a common word's whole one.
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
# thousands of rows for a word in a few percent of claims (about 1 s at 1M claims), and every
# row read costs (at 1M: 5-30 µs each, the matches lying on pages all over the table). So the
# index also holds each token with the claim's ten-day period (SEARCHED), and a search asks it
# for the matches of the last few periods only, in rounds, each reaching further back over
# periods not yet read, until the newest RANKED are in:
# - only the query's rarest word is asked for by period ('_refus#983' | '_refus#982') & '_villa':
#   its short posting lists bound the scan, and GIN skips through the other words' lists;
# - the first round reaches back to where MARGIN times the needed matches are expected if every
#   claim holding the rarest word matched (its share from PostgreSQL's statistics of the search
#   document, read with the first_seen_at histogram once per 10 minutes; the histogram turns a
#   share of claims into the date before which that share lies). For one word that is its
#   reach; for words that seldom meet it falls short, and the matches it did find tell how far
#   the next round must go (the observed share of matches);
# - a round only reads periods older than the last one's, so a second round costs its own rows;
# - after ROUNDS, or when the reach would cover every claim, the older matches are read whole.
# When the rarest word is expected in fewer than FULL_READ windows of claims, every match is
# read at once (the few rows a cut would spare cost less than its rounds).
MARGIN = 1.3  # reach back to where 1.3 times the needed matches are expected
FULL_READ = 2
ROUNDS = 4  # rounds tried before reading the older matches whole
STATISTICS_SECONDS = 600  # how long a process trusts the statistics it read


@dataclass(frozen=True)
class Statistics:
    dates: list  # first_seen_at at every percentile of the claims, oldest first
    shares: dict[str, float]  # the search document's most common tokens: share of claims
    rare: float  # the share assumed for a token not among them (half the least common's)
    rows: int  # claims in the table


_statistics: dict[str, tuple[float, Statistics]] = {}


def statistics(claims: models.QuerySet) -> Statistics:
    """PostgreSQL's statistics of the claims table, as ANALYZE left them (empty before)."""
    read_at, found = _statistics.get(claims.db, (0.0, None))
    if found is not None and monotonic() - read_at < STATISTICS_SECONDS:
        return found
    table = claims.model._meta.db_table
    with connections[claims.db].cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT histogram_bounds::text::timestamptz[] FROM pg_stats "
            "        WHERE tablename = %s AND attname = 'first_seen_at'), "
            "  (SELECT most_common_elems::text::text[] FROM pg_stats "
            "   WHERE tablename = %s AND attname = 'search_document'), "
            "  (SELECT most_common_elem_freqs FROM pg_stats "
            "   WHERE tablename = %s AND attname = 'search_document'), "
            "  (SELECT reltuples FROM pg_class WHERE oid = %s::regclass)",
            [table, table, table, connections[claims.db].ops.quote_name(table)],
        )
        dates, tokens, shares, rows = cursor.fetchone()
    tokens, shares = tokens or [], shares or []
    common = dict(zip(tokens, shares, strict=False))  # the shares end with min, max, nulls
    found = Statistics(
        dates=list(dates or []),
        shares=common,
        rare=min(common.values(), default=0.0) / 2,
        rows=max(round(rows or 0), 0),
    )
    _statistics[claims.db] = (monotonic(), found)
    return found


def seen_dates(claims: models.QuerySet) -> list:
    """first_seen_at at every percentile of the claims, oldest first (empty until the table
    is analysed)."""
    return statistics(claims).dates


def word_share(stats: Statistics, options: tuple[str, ...]) -> float:
    """The share of claims holding a word's tokens, by the statistics: its commonest token's
    (a word's keys, its lemma and stem, mostly come together)."""
    return max(stats.shares.get(token, stats.rare) for token in options)


def _date_at(dates: list, share: float):
    """The date after which `share` of the claims were first seen (the histogram's buckets
    each hold an equal share)."""
    buckets = len(dates) - 1
    back, part = divmod(share * buckets, 1)
    if back >= buckets:
        return dates[0]
    newer, older = dates[-1 - int(back)], dates[-2 - int(back)]
    return newer - (newer - older) * part


def _share_after(dates: list, moment) -> float:
    """The share of claims first seen at or after `moment`, by the histogram."""
    buckets = len(dates) - 1
    if moment <= dates[0]:
        return 1.0
    newer = bisect_left(dates, moment)  # dates[newer - 1] < moment <= dates[newer]
    if newer > buckets:
        return 0.0
    older = dates[newer - 1]
    part = (dates[newer] - moment) / (dates[newer] - older) if dates[newer] > older else 0.0
    return (buckets - newer + part) / buckets


def _period_start(number: int) -> datetime:
    return PERIODS_FROM + timedelta(seconds=number * PERIOD_SECONDS)


def _newest_window(
    claims: models.QuerySet, phrase: str | None, limit: int | None = None
) -> list[tuple[int, int]]:
    """(pk, 0 if it holds `phrase` else 1) of the newest `limit` (RANKED) of `claims`."""
    exact = claims.annotate(exact=_exact(phrase)).values_list("pk", "exact")
    return list(exact[: limit or RANKED])


def within_periods(
    query: search_terms.Query, since: datetime, until: int | None = None, word: int = 0
) -> str:
    """The tsquery of `query` with its `word`-th word (the rarest) in the periods from
    `since`'s up to `until` (not included; by default a few ahead of now): any of its tokens in
    any of those periods; the other words as they are."""
    if until is None:
        until = period(timezone.now()) + PERIODS_AHEAD + 1
    periods = range(period(since), until)
    return " & ".join(
        "("
        + " | ".join(
            _lexeme(f"{token}#{number}") if number is not None else _lexeme(token)
            for token in options
            for number in (periods if place == word else [None])
        )
        + ")"
        for place, options in enumerate(query.needed)
    )


# The same order as newest(), as an expression the newest-first index cannot walk: the database
# then takes the matches from the search index and sorts them.
_SEEN = Func(F("first_seen_at"), template="(%(expressions)s + interval '0 seconds')")
_BY_SEEN = (_SEEN.desc(nulls_last=True), "-pk")


def _by_periods(
    claims: models.QuerySet, query: search_terms.Query, phrase: str | None, stats: Statistics
) -> tuple[list[tuple[int, int]], datetime | None] | None:
    """The newest matches read in rounds of periods (see above), and the date before which
    the rest lies (None: they are all in); None if no cut can be made (few matches, a claim
    dated past the periods named): then every match is read."""
    shares = [word_share(stats, options) for options in query.needed]
    word = min(range(len(shares)), key=shares.__getitem__)
    share = shares[word]  # about the most the matches can be
    if len(stats.dates) < 2 or share * stats.rows <= FULL_READ * RANKED:
        return None
    until = period(timezone.now()) + PERIODS_AHEAD + 1  # periods from here on are read
    oldest = period(stats.dates[0])
    window, covered = [], 0.0
    for round_ in range(ROUNDS):
        need = RANKED - len(window)
        reach = covered + MARGIN * need / (share * stats.rows)
        if reach >= 1:
            break
        since = min(period(_date_at(stats.dates, reach)), until - 1)
        if since <= oldest:
            break
        recent = claims.filter(_Matches(within_periods(query, _period_start(since), until, word)))
        if round_ == 0:  # and whether some claim lies beyond the periods named: no cut then
            recent = recent.annotate(later=Exists(claims.model.objects.filter(
                first_seen_at__gte=_period_start(until))))  # fmt: skip
            rows = list(
                recent.annotate(exact=_exact(phrase)).order_by(*_BY_SEEN)
                .values_list("pk", "exact", "later")[:need]
            )  # fmt: skip
            if rows and rows[0][2]:
                return None
            window = [(pk, exact) for pk, exact, _later in rows]
        else:
            window += _newest_window(recent.order_by(*_BY_SEEN), phrase, need)
        if len(window) == RANKED:
            return window, None
        if not window:  # none in these periods: the matches are few, if any: read them whole
            return None
        until = since
        covered = max(_share_after(stats.dates, _period_start(since)), 1 / stats.rows)
        share = len(window) / (covered * stats.rows)  # of matches, in the periods read
        if share * stats.rows * (1 - covered) <= FULL_READ * (RANKED - len(window)):
            break  # few older matches left: read them whole
    # Nothing read (the first reach covered every claim): read the matches whole, those typed
    # far ahead included.
    return (window, _period_start(until)) if window else None


def _exact(phrase: str | None):
    return Case(When(_holds(phrase), then=Value(0)), default=Value(1)) if phrase else Value(1)


def newest_matches(claims: models.QuerySet, query: search_terms.Query) -> list[tuple[int, int]]:
    """The newest RANKED of `claims` (filtered, not yet searched) that match `query`, newest
    first, as (pk, 0 if it holds the exact phrase else 1), read the cheap way (see above)."""
    phrase = query.phrase if len(query.alternatives) > 1 else None
    searched = _searched(claims, query)
    if connections[claims.db].vendor != "postgresql" or not query:  # nothing searched: walk
        return _newest_window(searched.newest(), phrase)
    cut = _by_periods(claims, query, phrase, statistics(claims))
    if cut is None:
        return _newest_window(searched.order_by(*_BY_SEEN), phrase)
    window, before = cut
    if before is not None:  # the older matches, whole
        older = searched.filter(Q(first_seen_at__lt=before) | Q(first_seen_at=None))
        window += _newest_window(older.order_by(*_BY_SEEN), phrase, RANKED - len(window))
    return window


def ranked(claims: models.QuerySet, text: str) -> list[int]:
    """Search results (`claims`, filtered, searched here for `text`) in reading order, as
    their ids: the exact phrase first, then the rest, newest first within each (see above).
    Ids, not a QuerySet: the order is known here, and reading the rows again only to sort them
    cost as much as finding them."""
    query = search_terms.query(clean_query(text))
    window = newest_matches(claims, query)
    return [pk for pk, _exact in sorted(window, key=lambda row: row[1])]  # stable: newest kept
