"""
Reader benchmark (run by hand, not in CI): server time for the list, claim page, search and
feeds at a given size, on SQLite or PostgreSQL.

    .venv/bin/python bench/reader.py --db sqlite --claims 100000
    .venv/bin/python bench/reader.py --db postgres --claims 100000

Data comes from `manage.py generate_claims` into a separate database (bench/fc_bench.sqlite3,
or PostgreSQL database `fc_bench`), generated once and reused while it has enough claims.
`--existing URL` reads a database someone else generated (e.g. the shared 1M one) as it is:
no generating, migrating or VACUUM, every session read-only; it stops if a migration of this
checkout is missing there.
Timing is in-process through Django's test Client (URL routing, middleware, view, queries,
template rendering, streaming), so it is server time without the network.
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

TARGETS_MS = {"list": 50, "list filtered": 50, "claim page": 50, "feed": 50, "search": 100}


def configure(db: str) -> None:
    if db == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'bench' / 'fc_bench.sqlite3'}"
    else:
        url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/fc_bench")
        os.environ["DATABASE_URL"] = url
        import psycopg

        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")


def prepare(args, call_command, connection, Claim) -> None:
    """Our own benchmark database: migrated, generated up to size, analysed."""
    call_command("migrate", verbosity=0)
    have = Claim.objects.count()
    if have < args.claims:
        print(f"Generating {args.claims - have} claims into {args.db} …", flush=True)
        started = time.monotonic()
        call_command("generate_claims", claims=args.claims - have, seed=args.seed + have)
        print(f"  generated in {time.monotonic() - started:.0f}s", flush=True)
    with connection.cursor() as cursor:
        # Freshly bulk-loaded tables: set the visibility map and statistics as autovacuum
        # would on a live site.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        if args.no_parallel and connection.vendor == "postgresql":
            # Parallel workers cost more to start than these small queries take (2 cores).
            cursor.execute("SET max_parallel_workers_per_gather = 0")


def read_only(*, no_parallel: bool) -> None:
    """Someone else's database: every session read-only, and no migration of ours missing."""
    from django.db import connection
    from django.db.backends.signals import connection_created
    from django.db.migrations.executor import MigrationExecutor

    def on_connect(sender, connection, **kwargs) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET default_transaction_read_only = on")
                if no_parallel:
                    cursor.execute("SET max_parallel_workers_per_gather = 0")

    connection_created.connect(on_connect, weak=False)
    connection.close()  # reconnect with the settings above
    executor = MigrationExecutor(connection)
    missing = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if missing:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in missing)
        raise SystemExit(f"The database lacks this checkout's migrations ({names}): not run.")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=60, help="Requests per page kind.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--existing",
        metavar="DATABASE_URL",
        help="Read this database as it is (read-only sessions; no generating, migrating or "
        "VACUUM).",
    )
    parser.add_argument(
        "--no-parallel",
        action="store_true",
        help="PostgreSQL: SET max_parallel_workers_per_gather = 0 for the session "
        "(the recommended setting for this web workload on a small machine).",
    )
    args = parser.parse_args()
    if args.existing:
        os.environ["DATABASE_URL"] = args.existing
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
        os.environ.setdefault("LOG_LEVEL", "ERROR")
    else:
        configure(args.db)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from claims.models import Actor, Claim, Outlet, Tag
    from claims.models.public_names import listed

    setup_test_environment()  # allows the test client's host
    if args.existing:
        read_only(no_parallel=args.no_parallel)
    else:
        prepare(args, call_command, connection, Claim)
    total = Claim.objects.count()
    print(
        f"{connection.vendor}: {total} claims, {Claim.carriages.rel.related_model.objects.count()} "
        f"carriages, {Claim.responses.rel.related_model.objects.count()} responses"
    )

    rng = random.Random(args.seed)
    slugs = list(Claim.objects.public().order_by("?").values_list("slug", flat=True)[:500])
    # Names readers may see (a name only a chain in review uses is a 404).
    actors = list(listed(Actor).order_by("?").values_list("slug", flat=True)[:50])
    outlets = list(listed(Outlet).order_by("?").values_list("slug", flat=True)[:50])
    tags = list(listed(Tag).values_list("slug", flat=True))
    words = [
        "refused",
        "villa",
        "fake",
        "Istanbul",
        "resigned",
        "drone contracts",
        "Shevchenko",
        "відмовився",
        "border",
        "prisoner exchange",
        "Неправда",
        "energy company",
    ]
    list_url = reverse("claims:claim_list")
    kinds = {
        "list": lambda: list_url + rng.choice(["", "?page=2", "?page=7", "?sort=oldest"]),
        "list filtered": lambda: (
            list_url
            + rng.choice(
                [
                    "?position=denied",
                    "?rating=false",
                    f"?actor={rng.choice(actors)}",
                    f"?outlet={rng.choice(outlets)}",
                    f"?tag={rng.choice(tags)}",
                    "?language=uk",
                    "?date_from=2025-01-01&date_to=2025-03-31",
                    "?position=mixed&rating=unproven",
                ]
            )
        ),
        "claim page": lambda: reverse("claims:claim_detail", args=[rng.choice(slugs)]),
        "search": lambda: list_url + "?q=" + rng.choice(words),
        "feed": lambda: rng.choice(
            [
                reverse("claims:denied_rss"),
                reverse("claims:denied_atom"),
                reverse("claims:verdicts_rss"),
                reverse("claims:actor_denied_rss", args=[rng.choice(actors)]),
                reverse("claims:outlet_denied_rss", args=[rng.choice(outlets)]),
                reverse("claims:tag_denied_atom", args=[rng.choice(tags)]),
            ]
        ),
        "home": lambda: reverse("claims:home"),
        "htmx list": lambda: list_url + "?position=denied",
    }
    client = Client()
    print(f"\n{'page':<14} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8}  target p95")
    for kind, make_url in kinds.items():
        headers = {"HX-Request": "true"} if kind == "htmx list" else {}
        for _ in range(5):  # warm caches and connections
            client.get(make_url(), headers=headers)
        timings, queries, slowest = [], [], ("", 0.0)
        for _ in range(args.requests):
            url = make_url()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url, headers=headers)
                if response.streaming:
                    b"".join(response.streaming_content)
                elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (url, response.status_code)
            timings.append(elapsed)
            queries.append(len(captured))
            if elapsed > slowest[1]:
                slowest = (url, elapsed)
        target = TARGETS_MS.get(kind)
        p95 = percentile(timings, 0.95)
        verdict = "" if target is None else f"{target} ms {'ok' if p95 <= target else 'MISSED'}"
        print(
            f"{kind:<14} {statistics.median(timings):8.1f} {p95:8.1f} {max(timings):8.1f} "
            f"{max(queries):8d}  {verdict}   slowest: {slowest[0]}"
        )


if __name__ == "__main__":
    main()
