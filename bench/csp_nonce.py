"""
What a fresh CSP nonce on cached reader pages costs (run by hand, not in CI):

    .venv/bin/python bench/csp_nonce.py [--db sqlite|postgres] [--claims 20000] [--requests 300]

A cached page stored with its body's nonce must reach every reader with a nonce of their own.
Two ways: cache the page and swap a fresh nonce into the body on every hit (what
claims/caching.py does), or do not cache a page that carries a nonce. This measures both
against the baseline measured in the same run: a cache hit of the same page without any nonce
(what a reader page costs today). In-process through Django's test Client, so routing and the
whole middleware stack (the CSP middleware builds each header) are counted, the network not.

The pages are the real claim list and a real claim page, with a script tag carrying the
request's nonce added to the head (today's templates use no inline script). Requests of the
variants are interleaved in random order, so load from other processes falls on all alike.
"""

import argparse
import inspect
import random
import statistics
import sys
import time
import timeit
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.reader import configure, percentile  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=300, help="Requests per variant.")
    args = parser.parse_args()
    configure(args.db)

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.middleware.csp import get_nonce
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment
    from django.urls import path

    from claims import views
    from claims.caching import cache_for_readers
    from claims.models import Claim
    from factcheck.urls import urlpatterns as app_urlpatterns

    setup_test_environment()
    call_command("migrate", verbosity=0)
    if Claim.objects.count() < args.claims:
        print(f"Generating {args.claims - Claim.objects.count()} claims …", flush=True)
        call_command("generate_claims", claims=args.claims - Claim.objects.count(), seed=11)
    slug = Claim.objects.visible().order_by("-pk").values_list("slug", flat=True).first()

    def with_nonce(view):
        """The undecorated reader view, plus a script tag that uses the request's nonce."""
        plain = inspect.unwrap(view)

        def page(request, *args, **kwargs):
            response = plain(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            tag = f'<head><script nonce="{get_nonce(request)}">window.x = 1</script>'
            response.content = response.content.replace(b"<head>", tag.encode(), 1)
            return response

        return page

    urls = types.ModuleType("csp_bench_urls")
    routes = []
    for view, route in (
        (views.claim_list, "claims/"),
        (views.claim_detail, "claims/<slug:slug>/"),
    ):
        routes += [
            path(f"baseline/{route}", cache_for_readers()(inspect.unwrap(view))),
            path(f"substitute/{route}", cache_for_readers()(with_nonce(view))),
            path(f"uncached/{route}", with_nonce(view)),
        ]
    urls.urlpatterns = routes + app_urlpatterns  # the pages link to the app's URLs
    sys.modules[urls.__name__] = urls

    variants = {
        "cached, no nonce (baseline)": "baseline",
        "cached, fresh nonce swapped in": "substitute",
        "not cached (rendered each time)": "uncached",
    }
    pages = {"list": "claims/", "claim page": f"claims/{slug}/"}
    client = Client()
    rng = random.Random(7)
    print(
        f"{args.db}: {Claim.objects.count()} claims; cache {settings.CACHES['default']['BACKEND']}"
    )
    with override_settings(ROOT_URLCONF=urls.__name__):
        cache.clear()
        for page, route in pages.items():
            timings = {variant: [] for variant in variants}
            for prefix in variants.values():  # warm up: fill the cache, open connections
                for _ in range(5):
                    client.get(f"/{prefix}/{route}")
            order = list(variants.items())
            for _ in range(args.requests):
                rng.shuffle(order)  # no variant always first after another's garbage
                for variant, prefix in order:
                    started = time.perf_counter()
                    response = client.get(f"/{prefix}/{route}")
                    timings[variant].append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, (prefix, response.status_code)
            check_nonces(client, f"/substitute/{route}")
            baseline = statistics.median(timings["cached, no nonce (baseline)"])
            size = len(client.get(f"/baseline/{route}").content)
            body = client.get(f"/substitute/{route}").content
            swap = timeit.timeit(lambda body=body: body.replace(b"x" * 22, b"y" * 22), number=2000)
            print(f"\n{page} ({size // 1024} KB; the swap alone {swap / 2000 * 1e6:.1f} µs)")
            print(f"  {'variant':<34} {'p50 ms':>8} {'p95 ms':>8} {'p50 / baseline':>15}")
            for variant, values in timings.items():
                p50 = statistics.median(values)
                print(
                    f"  {variant:<34} {p50:8.2f} {percentile(values, 0.95):8.2f} "
                    f"{p50 / baseline:15.2f}"
                )


def check_nonces(client, url: str) -> None:
    """The swapped-in nonce is the header's, and differs between two readers."""
    import re

    seen = set()
    for _ in range(2):
        response = client.get(url)
        header = re.findall(r"'nonce-([^']+)'", response["Content-Security-Policy"])
        body = set(re.findall(r'<script nonce="([^"]+)"', response.content.decode()))
        assert len(header) == 1 and body == set(header), (header, body)
        seen.add(header[0])
    assert len(seen) == 2


if __name__ == "__main__":
    main()
