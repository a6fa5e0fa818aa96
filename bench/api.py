"""
API benchmark (run by hand, not in CI): server time of every read of the API, each list with
each of its filters and each detail, at a given size, on SQLite or PostgreSQL, uncached (the
reader cache emptied before each request) and cached.

    .venv/bin/python bench/api.py --db postgres --claims 100000
    DJANGO_SETTINGS_MODULE=bench.settings .venv/bin/python bench/api.py \
        --existing postgres://postgres@127.0.0.1:5432/fc_million --no-parallel

Data comes from `manage.py generate_claims` into the same separate database as
bench/reader.py (generated once, reused while it has enough claims); `--existing URL` reads a
database someone else generated as it is (read-only sessions, no migrating). Timing is
in-process through Django's test Client (routing, middleware, key check and rate limit,
queries, serialisation), so it is server time without the network. The rate limit is lifted
for the run; everything else is as in production. With `bench.settings` the floor (a bare view
rendering 25 rows) is timed in the same run. `--explain` prints EXPLAIN (ANALYZE, BUFFERS) of
each kind's slowest request's slowest query (PostgreSQL).
"""

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.reader import configure, percentile, read_only  # noqa: E402

TARGET_MS = 50  # p95 of single requests


def urls(rng: random.Random, client) -> dict:
    """Each kind of request: a function returning one of its URLs, with real rows."""
    from django.utils import timezone

    from claims.models import Actor, Claim, Narrative, Outlet, Response, Tag, Verdict
    from claims.models.public_names import is_in_review_only

    def ids(queryset, n: int) -> list[int]:
        # Spread over the table (random ids, then the next row), without ORDER BY random().
        top = queryset.order_by("-pk").values_list("pk", flat=True).first() or 0
        found = set()
        for _ in range(n):
            pk = queryset.filter(pk__gte=rng.randint(1, max(top, 1))).order_by("pk")
            found.update(pk.values_list("pk", flat=True)[:1])
        return sorted(found) or [1]

    claims = ids(Claim.objects.public(), 200)
    denials = ids(Response.objects.public().denials(), 100)
    verdicts = ids(Verdict.objects.published(), 100)

    def names(model, *fields) -> list[tuple]:
        """Up to 50 names readers may see (one EXISTS look-up each, not the whole list)."""
        rows = list(model.objects.order_by("pk"))
        rows = rng.sample(rows, min(60, len(rows)))  # the same names in every run (--seed)
        return [
            tuple(getattr(row, field) for field in ("pk", "slug", *fields))
            for row in rows
            if not is_in_review_only(row)
        ][:50]

    actors = names(Actor)
    outlets = names(Outlet, "homepage")
    tags = names(Tag)
    narratives = list(Narrative.objects.public().values_list("pk", "slug")[:50])
    domains = [
        re.sub(r"^https?://(www\.)?", "", homepage).split("/")[0]
        for _, _, homepage in outlets
        if homepage
    ]
    since = (timezone.now() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def deep_cursor(path: str, pages: int) -> str:
        """The cursor `pages` pages of 100 into a list (a researcher's walk, well under way)."""
        cursor = None
        for _ in range(pages):
            query = {"page_size": 100, **({"cursor": cursor} if cursor else {})}
            cursor = client.get(path, query).json()["next_cursor"]
        return cursor

    deep_claims = deep_cursor("/api/v1/claims", 20)
    deep_denials = deep_cursor("/api/v1/denials", 20)

    def one(values):
        return lambda: rng.choice(values)

    def claims_with(make):
        return lambda: f"/api/v1/claims?{make()}"

    def denials_with(make):
        return lambda: f"/api/v1/denials?{make()}"

    kinds = {
        "claims": one(["/api/v1/claims", "/api/v1/claims?page_size=100"]),
        "claims oldest": one(["/api/v1/claims?order=oldest"]),
        "claims deep cursor": one([f"/api/v1/claims?cursor={deep_claims}"]),
        "claims position": one([f"/api/v1/claims?position={p}" for p in ("denied", "mixed")]),
        "claims rating": one([f"/api/v1/claims?rating={r}" for r in ("false", "true")]),
        "claims actor": claims_with(lambda: f"actor={rng.choice(actors)[1]}"),
        "claims outlet": claims_with(lambda: f"outlet={rng.choice(outlets)[1]}"),
        "claims tag": claims_with(lambda: f"tag={rng.choice(tags)[1]}"),
        "claims language": one(["/api/v1/claims?language=uk", "/api/v1/claims?language=en"]),
        "claims stance": one(
            [
                "/api/v1/claims?stance=denies&attribution=anonymous_source",
                "/api/v1/claims?stance=confirms",
            ]
        ),
        "claims max_age_days": one(["/api/v1/claims?max_age_days=30"]),
        "claims updated_since": one([f"/api/v1/claims?updated_since={since}"]),
        "claims query": claims_with(
            lambda: (
                "query="
                + rng.choice(["refused", "fake", "villa", "border", "відмовився", "Неправда"])
            )
        ),
        "claim detail": lambda: f"/api/v1/claims/{rng.choice(claims)}",
        "denials": one(["/api/v1/denials", "/api/v1/denials?order=oldest"]),
        "denials deep cursor": one([f"/api/v1/denials?cursor={deep_denials}"]),
        "denials actor": denials_with(lambda: f"actor={rng.choice(actors)[1]}"),
        "denials outlet": denials_with(lambda: f"outlet={rng.choice(outlets)[1]}"),
        "denials tag": denials_with(lambda: f"tag={rng.choice(tags)[1]}"),
        "denials language": one(["/api/v1/denials?language=uk"]),
        "denials attribution": one(["/api/v1/denials?attribution=named_official"]),
        "denials max_age_days": one(["/api/v1/denials?max_age_days=30"]),
        "denials updated_since": one([f"/api/v1/denials?updated_since={since}"]),
        "denial detail": lambda: f"/api/v1/denials/{rng.choice(denials)}",
        "verdicts": one(["/api/v1/verdicts", "/api/v1/verdicts?order=oldest"]),
        "verdicts rating": one(["/api/v1/verdicts?rating=false"]),
        "verdicts tag": lambda: f"/api/v1/verdicts?tag={rng.choice(tags)[1]}",
        "verdicts language": one(["/api/v1/verdicts?language=uk"]),
        "verdicts max_age_days": one(["/api/v1/verdicts?max_age_days=30"]),
        "verdicts updated_since": one([f"/api/v1/verdicts?updated_since={since}"]),
        "verdict detail": lambda: f"/api/v1/verdicts/{rng.choice(verdicts)}",
        "actors": one(["/api/v1/actors", "/api/v1/actors?page_size=100"]),
        "actors filtered": one(["/api/v1/actors?query=min", "/api/v1/actors?kind=organisation"]),
        "actor detail": lambda: f"/api/v1/actors/{rng.choice(actors)[0]}",
        "outlets": one(["/api/v1/outlets", "/api/v1/outlets?page_size=100"]),
        "outlets filtered": one(
            [
                "/api/v1/outlets?query=news",
                "/api/v1/outlets?kind=telegram",
                "/api/v1/outlets?country=UA",
            ]
        ),
        "outlet detail": lambda: f"/api/v1/outlets/{rng.choice(outlets)[0]}",
        "tags": one(["/api/v1/tags"]),
        "tag detail": lambda: f"/api/v1/tags/{rng.choice(tags)[0]}",
        "narratives": one(["/api/v1/narratives"]),
    }
    if domains:  # generated outlets have no homepage
        kinds["claims outlet site"] = claims_with(lambda: f"outlet={rng.choice(domains)}")
    if narratives:
        kinds["claims narrative"] = claims_with(lambda: f"narrative={rng.choice(narratives)[1]}")
        kinds["narrative detail"] = lambda: f"/api/v1/narratives/{rng.choice(narratives)[0]}"
    return kinds


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def explain(sql: str, params) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40, help="Requests per kind.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--existing", metavar="DATABASE_URL", help="Read this database as it is.")
    parser.add_argument(
        "--no-parallel",
        action="store_true",
        help="PostgreSQL, with --existing: no parallel workers (2 cores: they cost more to "
        "start than these queries take).",
    )
    parser.add_argument("--only", help="Only the kinds matching this regular expression.")
    parser.add_argument("--explain", action="store_true", help="Explain each slowest query.")
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    args = parser.parse_args()
    if args.existing:
        os.environ["DATABASE_URL"] = args.existing
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
        os.environ.setdefault("LOG_LEVEL", "ERROR")
    else:
        configure(args.db)

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from claims.models import Claim, Response, Verdict

    setup_test_environment()
    settings.API_ANON_PER_MINUTE = 10**9
    if args.existing:
        read_only(no_parallel=args.no_parallel)
    else:
        call_command("migrate", verbosity=0)
        have = Claim.objects.count()
        if have < args.claims:
            print(f"Generating {args.claims - have} claims into {args.db} …", flush=True)
            started = time.monotonic()
            call_command("generate_claims", claims=args.claims - have, seed=args.seed + have)
            print(f"  generated in {time.monotonic() - started:.0f}s", flush=True)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(
        f"{connection.vendor} {connection.settings_dict['NAME']}: {Claim.objects.count()} claims, "
        f"{Response.objects.count()} responses, {Verdict.objects.published().count()} published "
        f"verdicts; load average {load_average()}",
        flush=True,
    )

    rng = random.Random(args.seed)
    client = Client()
    kinds = urls(rng, client)
    if settings.ROOT_URLCONF == "bench.urls":  # DJANGO_SETTINGS_MODULE=bench.settings
        # The floor in the same run: a bare view rendering 25 rows, no database.
        kinds = {"floor": lambda: "/bench/floor/", **kinds}
    if args.only:
        kinds = {kind: make for kind, make in kinds.items() if re.search(args.only, kind)}
    print(
        f"\n{'request':<22} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8} "
        f"{'cached p95':>11}  target p95 {TARGET_MS} ms",
        flush=True,
    )
    figures = {}
    for kind, make_url in kinds.items():
        for _ in range(3):  # warm connections
            client.get(make_url())
        timings, cached, queries, slowest = [], [], [], ("", 0.0, [])
        for _ in range(args.requests):
            url = make_url()
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (url, response.status_code, response.content)
            timings.append(elapsed)
            queries.append(len(captured))
            if elapsed > slowest[1]:
                slowest = (url, elapsed, list(captured.captured_queries))
            started = time.perf_counter()
            client.get(url)
            cached.append((time.perf_counter() - started) * 1000)
        p50, p95 = statistics.median(timings), percentile(timings, 0.95)
        figures[kind] = {"p50": p50, "p95": p95, "max": max(timings), "queries": max(queries)}
        print(
            f"{kind:<22} {p50:8.1f} {p95:8.1f} {max(timings):8.1f} {max(queries):8d} "
            f"{percentile(cached, 0.95):11.1f}  {'ok' if p95 <= TARGET_MS else 'MISSED'}   "
            f"slowest: {slowest[0][:80]}",
            flush=True,
        )
        if args.explain and connection.vendor == "postgresql" and slowest[2]:
            # The slowest request again, each query explained; the slowest plan printed.
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                client.get(slowest[0])
            plans = []
            for query in captured.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                plan = explain(sql, None)
                ms = float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1))
                plans.append((ms, sql, plan))
            if plans:
                ms, sql, plan = max(plans)
                print(f"    slowest query {ms:.1f} ms of {sum(p[0] for p in plans):.1f} ms SQL:")
                print("    " + sql[:600])
                print("\n".join("      " + line for line in plan.splitlines()), flush=True)
    figures["_load_average"] = load_average()
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
