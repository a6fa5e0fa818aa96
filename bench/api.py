"""
API benchmark (run by hand, not in CI): server time of the read API's lists and details at a
given size, on SQLite or PostgreSQL, uncached (the reader cache emptied before each request)
and cached.

    .venv/bin/python bench/api.py --db postgres --claims 100000
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/fc_api_bench \
        .venv/bin/python bench/api.py --db postgres

Data comes from `manage.py generate_claims` into the same separate database as
bench/reader.py (generated once, reused while it has enough claims). Timing is in-process
through Django's test Client (routing, middleware, key check and rate limit, queries,
serialisation), so it is server time without the network. The rate limit is lifted for the
run; everything else is as in production.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.reader import configure, percentile  # noqa: E402

TARGET_MS = 50  # p95 of single requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=60, help="Requests per kind.")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    configure(args.db)

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from claims.models import Actor, Claim, Outlet, Response, Tag, Verdict

    setup_test_environment()
    settings.API_ANON_PER_MINUTE = 10**9
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
        f"{args.db}: {Claim.objects.count()} claims, {Response.objects.count()} responses, "
        f"{Verdict.objects.published().count()} published verdicts"
    )

    rng = random.Random(args.seed)
    client = Client()
    claim_ids = list(Claim.objects.public().order_by("?").values_list("pk", flat=True)[:500])
    denial_ids = list(
        Response.objects.public().denials().order_by("?").values_list("pk", flat=True)[:200]
    )
    actors = list(Actor.objects.order_by("?").values_list("slug", flat=True)[:50])
    outlets = list(Outlet.objects.order_by("?").values_list("slug", flat=True)[:50])
    tags = list(Tag.objects.values_list("slug", flat=True))

    def deep_cursor(path: str, pages: int) -> str:
        """The cursor `pages` pages of 100 into a list (a researcher's walk, well under way)."""
        cursor = None
        for _ in range(pages):
            query = {"page_size": 100, **({"cursor": cursor} if cursor else {})}
            cursor = client.get(path, query).json()["next_cursor"]
        return cursor

    deep = {
        "/api/v1/claims": deep_cursor("/api/v1/claims", 20),
        "/api/v1/denials": deep_cursor("/api/v1/denials", 20),
    }
    kinds = {
        "claims list": lambda: (
            "/api/v1/claims"
            + rng.choice(
                ["", "?page_size=100", "?order=oldest", f"?cursor={deep['/api/v1/claims']}"]
            )
        ),
        "claims filtered": lambda: (
            "/api/v1/claims?"
            + rng.choice(
                [
                    "position=denied",
                    "rating=false",
                    f"actor={rng.choice(actors)}",
                    f"outlet={rng.choice(outlets)}",
                    f"tag={rng.choice(tags)}",
                    "language=uk",
                    "stance=denies&attribution=anonymous_source",
                    "max_age_days=30",
                ]
            )
        ),
        "claims search": lambda: (
            "/api/v1/claims?query="
            + rng.choice(["refused", "fake", "villa", "border", "відмовився", "Неправда"])
        ),
        "claim detail": lambda: f"/api/v1/claims/{rng.choice(claim_ids)}",
        "denials list": lambda: (
            "/api/v1/denials"
            + rng.choice(
                [
                    "",
                    f"?actor={rng.choice(actors)}",
                    f"?outlet={rng.choice(outlets)}",
                    f"?cursor={deep['/api/v1/denials']}",
                ]
            )
        ),
        "denial detail": lambda: f"/api/v1/denials/{rng.choice(denial_ids)}",
        "verdicts list": lambda: "/api/v1/verdicts" + rng.choice(["", "?rating=false"]),
        "outlets list": lambda: "/api/v1/outlets",
    }
    print(
        f"\n{'request':<16} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8} "
        f"{'cached p95':>11}  target p95 {TARGET_MS} ms"
    )
    if settings.ROOT_URLCONF == "bench.urls":  # DJANGO_SETTINGS_MODULE=bench.settings
        # The floor in the same run: a bare view rendering 25 rows, no database.
        kinds = {"floor": lambda: "/bench/floor/", **kinds}
    for kind, make_url in kinds.items():
        for _ in range(5):  # warm connections
            client.get(make_url())
        timings, cached, queries, slowest = [], [], [], ("", 0.0)
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
                slowest = (url, elapsed)
            started = time.perf_counter()
            client.get(url)
            cached.append((time.perf_counter() - started) * 1000)
        p95 = percentile(timings, 0.95)
        print(
            f"{kind:<16} {statistics.median(timings):8.1f} {p95:8.1f} {max(timings):8.1f} "
            f"{max(queries):8d} {percentile(cached, 0.95):11.1f}  "
            f"{'ok' if p95 <= TARGET_MS else 'MISSED'}   slowest: {slowest[0][:90]}"
        )


if __name__ == "__main__":
    main()
