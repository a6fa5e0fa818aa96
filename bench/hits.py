"""
What a reader page served from the cache costs, against the floor (run by hand, not in CI):

    DATABASE_URL='postgres://postgres@127.0.0.1:5432/fc_million?pool=true' \
        .venv/bin/python bench/hits.py [--requests 2000] [--cache redis://127.0.0.1:6379/6]

In-process through Django's WSGI handler (the whole middleware stack, routing, the cache, the
versions query; the network and the WSGI server not), as anonymous readers: the floor (a bare
view rendering 25 rows, bench/urls.py), then hits on a claim's page (exact: one query for its
versions), the claim list, a filtered list, a search, home and a feed (within
READER_LIST_MAX_AGE: no query), and a list whose versions are read (past its max age, still
current: one query). Each page is requested once to fill the cache, then the kinds are
interleaved in random order so load from other processes falls on all alike. Prints the mean
and p50 per request and the ratio of the floor's mean to each kind's (above 1: cheaper than
the floor). Reads the database only. Run it from two checkouts to compare before and after.
"""

import argparse
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="Requests per kind.")
    parser.add_argument("--cache", help="CACHE_URL (default: the environment's, else locmem).")
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-" + "k" * 60)
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    if args.cache:
        os.environ["CACHE_URL"] = args.cache

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import caches
    from django.core.handlers.wsgi import WSGIHandler

    from claims.models import Claim

    for alias in settings.CACHES:
        caches[alias].clear()
    handler = WSGIHandler()

    def get(url: str) -> tuple[str, str]:
        path, _, query = url.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1:8000",
            "wsgi.input": io.BytesIO(),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        status = {}
        body = handler(environ, lambda code, headers, exc=None: status.update(headers))
        b"".join(body)
        body.close()
        return status.get("X-Cache", ""), url

    slug = Claim.objects.public().order_by("pk").values_list("slug", flat=True).first()
    word = Claim.objects.public().order_by("pk").values_list("text", flat=True).first().split()[0]
    kinds = {
        "floor": "/bench/floor/",
        "claim page": f"/uk/claims/{slug}/",
        "claim list": "/uk/claims/",
        "filtered list": "/uk/claims/?position=denied",
        "search": f"/uk/claims/?q={word}",
        "home": "/uk/",
        "feed": "/uk/feeds/denied.rss",
    }
    # A list whose versions are read: what a list past its max age costs when still current.
    kinds["list, versions read"] = "/uk/claims/?position=mixed"
    max_age = 3600  # the others stay within it for the whole run

    def request(name: str) -> str:
        settings.READER_LIST_MAX_AGE = 0 if name == "list, versions read" else max_age
        return get(kinds[name])[0]

    for name in kinds:
        request(name)
        if name != "floor" and request(name) != "hit":
            raise SystemExit(f"{name} ({kinds[name]}) is not served from the cache")
    order = [name for name in kinds for _ in range(args.requests)]
    random.Random(15).shuffle(order)
    took = {name: [] for name in kinds}
    for name in order:
        began = time.perf_counter()
        request(name)
        took[name].append(time.perf_counter() - began)
    floor = statistics.fmean(took["floor"])
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"{args.requests} requests per kind, interleaved; cache: {backend}")
    print(f"load average {os.getloadavg()[0]:.1f}\n")
    print("| kind | mean ms | p50 ms | floor's mean / kind's mean |")
    print("| --- | ---: | ---: | ---: |")
    for name, times in took.items():
        mean = statistics.fmean(times)
        print(
            f"| {name} | {mean * 1000:.3f} | {statistics.median(times) * 1000:.3f} | "
            f"{floor / mean:.2f} |"
        )


if __name__ == "__main__":
    main()
