"""
Search benchmark (run by hand): how well and how fast reader search finds Ukrainian, Russian
and English words in any form.

    .venv/bin/python bench/search.py forms
    .venv/bin/python bench/search.py quality --db sqlite
    .venv/bin/python bench/search.py quality --db postgres
    .venv/bin/python bench/search.py speed --db postgres --claims 100000

`forms` checks the lemmatiser on tests/search/forms.json (inflected forms that must meet their
base form, different words that should not) and times it, uncached and cached. `quality`
loads tests/search/corpus.json into a throwaway test database and runs every query of
tests/search/queries.json, printing each miss and the set's recall and precision
(micro-averaged over expected hits). `speed` times the search page's database work (the
ranked id list the page takes, as claims.views.paginate does, then the page's rows) on a
database filled by `manage.py generate_claims` (the same database bench/reader.py uses,
`fc_bench` or bench/fc_bench.sqlite3; generated when short), for single words and phrases in
the generated texts' languages, and prints p50 and p95.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from reader import configure, percentile  # noqa: E402

# Words of the generated claims (generate_claims: SUBJECT_EN, SUBJECT_UK, QUOTES, names), as
# written and in other forms, one and two words, common and rare.
SPEED_QUERIES = [
    "refused",
    "refuse",
    "villa",
    "fake",
    "Istanbul",
    "resigned",
    "drone contracts",
    "Shevchenko",
    "Shevchenko Istanbul",
    "відмовився",
    "відмовитися",
    "Стамбулі",
    "Стамбул",
    "фейк",
    "Це фейк",
    "неправда",
    "обмін полоненими",
    "полонені",
    "відставку",
    "prisoner exchange",
    "energy company",
    "Kovalenko resigned",
    "кордоном",
    "nothing matches this",
    # Two common words that seldom meet (the newsroom benchmark's random pairs).
    "Boyko віллу",
    "Serhiy після",
]


def forms() -> None:
    from claims import search_terms
    from tests.search.corpus import form_figures
    from tests.search.corpus import forms as form_pairs

    words = [word for pair in form_pairs()["same"] for word in pair]
    search_terms.keys("прогрів")  # load the dictionaries
    search_terms.keys.cache_clear()
    started = time.perf_counter()
    for word in words:
        search_terms.keys(word)
    uncached = (time.perf_counter() - started) / len(words) * 1e6
    started = time.perf_counter()
    for word in words:
        search_terms.keys(word)
    cached = (time.perf_counter() - started) / len(words) * 1e6
    figures = form_figures()
    print(
        f"forms meeting their base form: {figures['same']}/{figures['same_total']}; "
        f"missed {figures['missed']}"
    )
    print(
        f"different words kept apart: {figures['apart']}/{figures['different_total']}; "
        f"sharing a reading {figures['confused']}"
    )
    print(f"keys of a word: {uncached:.0f} µs uncached, {cached:.1f} µs cached")


def quality(raw_only: bool) -> None:
    from django.db import connection
    from django.test.utils import setup_test_environment

    from claims import search_terms

    if raw_only:  # the words as written only, as the `simple` configuration matched before
        search_terms.keys = lambda word, likeliest=False: ()

    from claims.models import Claim
    from claims.search import search_claims
    from tests.search.corpus import load_corpus, queries

    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        corpus = load_corpus()
        expected_total = found_total = right_total = 0
        timings = []
        for item in queries():
            started = time.perf_counter()
            matches = search_claims(Claim.objects.all(), item["q"])
            got = {corpus[pk] for pk in matches.values_list("pk", flat=True)}
            timings.append((time.perf_counter() - started) * 1000)
            expected = set(item["expect"])
            expected_total += len(expected)
            found_total += len(got)
            right_total += len(got & expected)
            if got != expected:
                missing, extra = sorted(expected - got), sorted(got - expected)
                print(f"  {item['q']!r}: missing {missing}, extra {extra}")
        recall = right_total / expected_total if expected_total else 1.0
        precision = right_total / found_total if found_total else 1.0
        print(
            f"{connection.vendor}: {len(queries())} queries over {len(corpus)} claims: "
            f"recall {recall:.3f} ({right_total}/{expected_total}), "
            f"precision {precision:.3f} ({right_total}/{found_total}), "
            f"median query {statistics.median(timings):.1f} ms"
        )
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


# The newest matches the way of 1 December 2026 (evening, commit d42861c), for comparison:
# the share of matches from a page sample, a cut at the histogram's dates reaching 1.5 times
# the window, three times further while it holds too few, every match read below ten windows.
BEFORE_MARGIN, BEFORE_FULL_READ, BEFORE_WIDER, BEFORE_ROUNDS = 1.5, 10, 3, 4


def before_share(claims, query):
    from django.db import connections

    from claims import search

    connection = connections[claims.db]
    table = connection.ops.quote_name(claims.model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE search_document @@ %s::tsquery) "
            f"FROM {table} TABLESAMPLE SYSTEM (0.2) REPEATABLE (0)",
            [search.tsquery_text(query)],
        )
        sampled, matching = cursor.fetchone()
    if not sampled:
        return 0.0, 0
    return matching / sampled, round(sampled * 100 / 0.2)


def before_cuts(claims, query):
    from math import ceil

    from claims import search

    share, rows = before_share(claims, query)
    dates = search.seen_dates(claims)
    if not share or not rows or len(dates) < 2 or share * rows <= BEFORE_FULL_READ * 1001:
        return []
    found, reach = [], BEFORE_MARGIN * 1001 / (share * rows)
    for _ in range(BEFORE_ROUNDS):
        step = ceil(reach * (len(dates) - 1))
        if step >= len(dates) - 1:
            break
        found.append(dates[-1 - step])
        reach *= BEFORE_WIDER
    return found


def before_within(query, since):
    from django.utils import timezone

    from claims import search

    periods = range(search.period(since), search.period(timezone.now()) + 3 + 1)
    return " & ".join(
        "("
        + " | ".join(search._lexeme(f"{token}#{number}") for token in options for number in periods)
        + ")"
        for options in query.needed
    )


def before_window(claims, query):
    from datetime import timedelta

    from django.db.models import Case, F, Func, Value, When
    from django.utils import timezone

    from claims import search

    phrase = query.phrase if len(query.alternatives) > 1 else None
    searched = claims.filter(search._Matches(search.tsquery_text(query)))

    def window(ordered):
        exact = Case(When(search._holds(phrase), then=Value(0)), default=Value(1))
        exact = exact if phrase else Value(1)
        return list(ordered.annotate(exact=exact).values_list("pk", "exact")[:1001])

    seen = Func(F("first_seen_at"), template="(%(expressions)s + interval '0 seconds')")
    dates = before_cuts(searched, query)
    last = search.period(timezone.now()) + 3
    after = search.PERIODS_FROM + timedelta(seconds=(last + 1) * search.PERIOD_SECONDS)
    if dates and not claims.model.objects.filter(first_seen_at__gte=after).exists():
        for since in dates:
            recent = claims.filter(search._Matches(before_within(query, since)))
            found = window(recent.order_by(seen.desc(nulls_last=True), "-pk"))
            if len(found) == 1001:
                return found
    return window(searched.order_by(seen.desc(nulls_last=True), "-pk"))


def reader_queries(count: int, seed: int) -> list[str]:
    """Searches as the newsroom benchmark's readers make them: words of the claims' texts,
    alone and in random pairs (bench/newsroom.py)."""
    from claims.models import Claim

    rng = random.Random(seed)
    texts = Claim.objects.public().order_by("?").values_list("text", flat=True)[:4000]
    words = sorted({w.strip(".,:;!?\"'«»") for t in texts for w in t.split() if len(w) > 3} - {""})
    return [" ".join(rng.sample(words, 1 + i % 2)) for i in range(count)]


def speed(claims: int, requests: int, seed: int, no_parallel: bool, extra: int) -> None:
    """Each query timed the app's way (cut at dates, see claims/search.py) and the way before
    (the cut of d42861c, see before_window), requests interleaved so that both meet the same
    load."""
    from django.core.management import call_command
    from django.db import connection

    from claims import search
    from claims.filters import ClaimFilters, filter_claims
    from claims.models import Claim

    call_command("migrate", verbosity=0)
    have = Claim.objects.count()
    with connection.cursor() as cursor:
        if have < claims:
            print(f"Generating {claims - have} claims …", flush=True)
            call_command("generate_claims", claims=claims - have, seed=seed + have)
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        if no_parallel and connection.vendor == "postgresql":
            cursor.execute("SET max_parallel_workers_per_gather = 0")
    print(f"{connection.vendor}: {Claim.objects.count()} claims, load {os.getloadavg()[0]:.1f}")
    cut_window = search.newest_matches

    def run(text: str, before: bool) -> tuple[int, float]:
        # What the list view does: the ranked ids (up to 1001), then one page of rows.
        search.newest_matches = before_window if before else cut_window
        started = time.perf_counter()
        ids = filter_claims(Claim.objects.all(), ClaimFilters(q=text))  # ranked ids
        list(Claim.objects.with_list_columns().in_bulk(ids[:20]).values())
        return len(ids), (time.perf_counter() - started) * 1000

    rng = random.Random(seed)
    queries = SPEED_QUERIES + reader_queries(extra, seed)
    for text in queries:
        assert run(text, False)[0] == run(text, True)[0], text  # warm, and the same hits
    print(f"\n{'query':<24} {'hits':>6} {'p50 / p95 ms':>16} {'before p50 / p95':>18}")
    for text in SPEED_QUERIES:
        timings = {False: [], True: []}
        for _ in range(max(3, requests // len(SPEED_QUERIES))):
            for before in rng.sample([False, True], 2):
                hits, took = run(text, before)
                timings[before].append(took)
        hits_shown = f"{hits}{'+' if hits > 1000 else ''}"
        shown = [
            f"{statistics.median(t):7.1f} / {percentile(t, 0.95):6.1f}" for t in timings.values()
        ]
        print(f"{text:<24} {hits_shown:>6} {shown[0]:>16} {shown[1]:>18}")
    single = {False: [], True: []}
    slowest = {False: [], True: []}
    for _ in range(requests):
        text = rng.choice(queries)
        for before in rng.sample([False, True], 2):
            hits, took = run(text, before)
            single[before].append(took)
            slowest[before].append((took, text, hits))
    for before, label in ((False, "now"), (True, "before (d42861c)")):
        times = single[before]
        print(
            f"random single requests ({requests}), {label}: p50 {statistics.median(times):.1f} "
            f"ms, p95 {percentile(times, 0.95):.1f} ms, max {max(times):.1f} ms"
        )
        shown = sorted(slowest[before], reverse=True)[:6]
        print("  slowest: " + ", ".join(f"{t!r} ({hits}) {took:.0f}" for took, t, hits in shown))
    search.newest_matches = cut_window
    print(f"load {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["forms", "quality", "speed"])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-parallel", action="store_true")
    parser.add_argument(
        "--random", type=int, default=100, help="speed: readers' random words and pairs added"
    )
    parser.add_argument(
        "--raw-only", action="store_true", help="quality: match words as written, no lemmas"
    )
    args = parser.parse_args()
    if args.mode in ("forms", "quality") and args.db == "sqlite":
        os.environ["DATABASE_URL"] = "sqlite:///:memory:"
    else:
        configure(args.db)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()
    if args.mode == "forms":
        forms()
    elif args.mode == "quality":
        quality(args.raw_only)
    else:
        speed(args.claims, args.requests, args.seed, args.no_parallel, args.random)


if __name__ == "__main__":
    main()
