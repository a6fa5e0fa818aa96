"""
Uncached server time per reader page (run by hand, not in CI): where each page's time goes
(SQL or Python), with the floor measured in the same run, and the fragment cache off and on.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fc_million .venv/bin/python bench/pages.py
    … bench/pages.py --requests 40 --kinds "claim page,list"      # fewer kinds, more requests
    … bench/pages.py --profile "claim page"                       # cProfile of one kind
    … bench/pages.py --newsroom --weights uniform                 # the newsroom's mix
    … bench/pages.py --newsroom --urls bench/results/newsroom-urls.txt --profile home

In-process through Django's test Client as an anonymous reader (routing, middleware, the
reader cache's version read, view, queries, templates, streaming). Every request carries a
distinct `v=` parameter, so the page cache never answers: what is measured is the page's real
work, as with every URL distinct in bench/newsroom.py. Sessions are read-only and run with
`max_parallel_workers_per_gather = 0` (the web role's recommended setting).

Each URL is requested four times, interleaved so that load on the machine hits every path
alike: once unmeasured with fragments off (so every path finds the same database pages in
memory), then measured with fragments off (`READER_FRAGMENTS = False`: the code path before
fragment caching), on with the URL's fragments not yet cached (`on, cold`: the first reader
after a change, paying for storing them too), and on again (`on, warm`: another URL that shows
the same rows, e.g. the same list page with other parameters, or the page after an unrelated
change). The floor (a bare view rendering 25 rows, bench/urls.py) is requested once per URL
in the same loop.

Columns: p50 and p95 of the total time, of the time spent in SQL (the database driver's
execute and fetch), of the rest (Python: total minus SQL), and the most queries a request made.

`--newsroom` replays bench/newsroom.py's URL list instead (its 12,131 URLs at 1M claims, most
popular first; `--urls FILE` reuses a list it wrote) to show where a newsroom's uncached time
goes: `--samples` requests drawn by the list's weights, each with a distinct `v=`, after a
warm pass over the drawn URLs (fragments on, so the fragment cache holds what a running site's
would). `--weights zipf` draws as its Zipf scenarios do (exponent 1: home and the site's feeds
first); `uniform` as its "every URL distinct" scenario does (wrk_newsroom.lua walks the list,
each URL once in turn). Per page kind: its share of the requests and of the total server time,
p50 / p95 of total, SQL and Python time, and mean / most queries. Nobody approves meanwhile:
every piece kept in the warm pass stays current, where in newsroom.py editors approving one
change a second drop the pieces kept under the lists' and feeds' versions more often.
`--check` first compares each drawn page with and without fragments (byte for byte, but for
the CSP nonce and the `v=` in links to the page itself).
"""

import argparse
import cProfile
import os
import pstats
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MODES = ("off", "on, cold", "on, warm")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class SQLTimer:
    """Time and count every query through Django's execute wrapper."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def sample_urls(rng: random.Random, count: int) -> dict[str, list[str]]:
    """Real reader URLs per page kind, half in Ukrainian and half in English."""
    from django.urls import reverse
    from django.utils import translation

    from claims.models import Actor, Claim, OfficialPosition, Rating, Tag
    from claims.models.public_names import listed

    # Random claims without sorting a million rows: the first public claim at random ids.
    top = Claim.objects.order_by("-pk").values_list("pk", flat=True)[0]
    slugs = []
    while len(slugs) < count:
        found = (
            Claim.objects.public()
            .filter(pk__gte=rng.randrange(1, top))
            .order_by("pk")
            .values_list("slug", flat=True)[:1]
        )
        slugs.extend(found)
    actors = list(listed(Actor).order_by("?").values_list("slug", flat=True)[: max(count, 50)])
    tags = list(listed(Tag).values_list("slug", flat=True))
    positions = [p.value for p in OfficialPosition]
    ratings = [r.value for r in Rating]
    languages = ["uk", "en", "ru"]
    kinds = {
        "claim page": lambda i: reverse("claims:claim_detail", args=[slugs[i]]),
        "list": lambda i: (
            reverse("claims:claim_list")
            + rng.choice(["?page=1", "?page=2", "?page=7", "?sort=oldest", "?sort=oldest&page=3"])
        ),
        "list: position": lambda i: (
            reverse("claims:claim_list")
            + f"?position={rng.choice(positions)}&page={rng.randint(1, 3)}"
        ),
        "list: rating": lambda i: (
            reverse("claims:claim_list") + f"?rating={rng.choice(ratings)}&page={rng.randint(1, 3)}"
        ),
        "list: actor": lambda i: reverse("claims:claim_list") + f"?actor={actors[i]}",
        "list: tag": lambda i: (
            reverse("claims:claim_list") + f"?tag={rng.choice(tags)}&page={rng.randint(1, 3)}"
        ),
        "list: language": lambda i: (
            reverse("claims:claim_list")
            + f"?language={rng.choice(languages)}&page={rng.randint(1, 3)}"
        ),
        "feed: site": lambda i: reverse(
            rng.choice(["claims:denied_rss", "claims:denied_atom", "claims:verdicts_rss"])
        ),
        "feed: actor": lambda i: reverse("claims:actor_denied_rss", args=[actors[i]]),
        "feed: tag": lambda i: reverse("claims:tag_denied_atom", args=[rng.choice(tags)]),
        "actor page": lambda i: reverse("claims:actor_detail", args=[actors[i]]),
        "tag page": lambda i: reverse("claims:tag_detail", args=[rng.choice(tags)]),
        "home": lambda i: reverse("claims:home"),
    }
    urls = {}
    for kind, make in kinds.items():
        urls[kind] = []
        for i in range(count):
            with translation.override("uk" if i % 2 else "en"):
                urls[kind].append(make(i))
    return urls


def busted(url: str, counter: int) -> str:
    return f"{url}{'&' if '?' in url else '?'}v={counter}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20, help="URLs per page kind")
    parser.add_argument("--kinds", help="comma-separated page kinds (default: all)")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--profile", metavar="KIND", help="cProfile this kind (fragments on, cold)")
    parser.add_argument(
        "--profile-mode", choices=MODES, default="off", help="the path --profile measures"
    )
    parser.add_argument("--newsroom", action="store_true", help="replay bench/newsroom.py's URLs")
    parser.add_argument("--urls", type=Path, help="with --newsroom: a URL list it wrote")
    parser.add_argument("--samples", type=int, default=1500, help="with --newsroom: requests")
    parser.add_argument("--weights", choices=("zipf", "uniform"), default="zipf")
    parser.add_argument(
        "--check",
        action="store_true",
        help="with --newsroom: each drawn URL's page with fragments (cached) is byte-identical "
        "to its rendering without them",
    )
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fc_million")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("LOG_LEVEL", "ERROR")

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from bench.reader import read_only
    from claims.models import Claim

    # Not setup_test_environment(): its instrumented template rendering copies every
    # template's context for the test client, which costs more per template than rendering.
    override_settings(ALLOWED_HOSTS=["testserver"]).enable()
    if connection.vendor == "postgresql":
        read_only(no_parallel=True)
    rng = random.Random(args.seed)
    if args.newsroom:
        newsroom(args, rng)
        return
    print(f"{connection.vendor} {connection.settings_dict['NAME']}: ", end="", flush=True)
    print(f"{Claim.objects.order_by('-pk').values_list('pk', flat=True)[0]:,} claims (top id)")
    urls = sample_urls(rng, args.requests)
    if args.kinds:
        wanted = [k.strip() for k in args.kinds.split(",")]
        urls = {kind: urls[kind] for kind in wanted}
    client = Client()
    counter = 0

    def get(url: str, fragments: bool, timer: SQLTimer | None = None) -> float:
        nonlocal counter
        counter += 1
        with override_settings(READER_FRAGMENTS=fragments):
            started = time.perf_counter()
            if timer is not None:
                with connection.execute_wrapper(timer):
                    response = client.get(busted(url, counter))
            else:
                response = client.get(busted(url, counter))
            if response.streaming:
                b"".join(response.streaming_content)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)
        return elapsed * 1000

    if args.profile:
        profile = cProfile.Profile()
        for url in urls[args.profile]:
            get(url, False)  # warm the database pages
            if args.profile_mode == "on, warm":
                get(url, True)
            profile.enable()
            get(url, args.profile_mode != "off")
            profile.disable()
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
        return

    load_before = Path("/proc/loadavg").read_text().split()[:3]
    floor: list[float] = []
    results = {}
    for kind, kind_urls in urls.items():
        figures = {mode: {"total": [], "sql": [], "python": [], "queries": []} for mode in MODES}
        for url in kind_urls:
            get(url, False)
            floor.append(get("/bench/floor/", False))
            for mode in MODES:
                timer = SQLTimer()
                total = get(url, mode != "off", timer)
                sql = timer.seconds * 1000
                figures[mode]["total"].append(total)
                figures[mode]["sql"].append(sql)
                figures[mode]["python"].append(total - sql)
                figures[mode]["queries"].append(timer.queries)
        results[kind] = figures
        print(f"  {kind}: done", file=sys.stderr, flush=True)
    load_after = Path("/proc/loadavg").read_text().split()[:3]

    def cell(values: list[float]) -> str:
        return f"{statistics.median(values):.1f} / {percentile(values, 0.95):.1f}"

    print(f"load average before {' '.join(load_before)}, after {' '.join(load_after)}")
    print(f"floor (bare view, 25 rows): p50 / p95 {cell(floor)} ms, {len(floor)} requests\n")
    print("| page | path | total ms p50 / p95 | SQL ms | Python ms | queries (max) |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for kind, figures in results.items():
        for mode in MODES:
            f = figures[mode]
            print(
                f"| {kind} | {mode} | {cell(f['total'])} | {cell(f['sql'])} | "
                f"{cell(f['python'])} | {max(f['queries'])} |"
            )


def page_kind(path: str) -> str:
    """The page kind of a newsroom URL (bench/newsroom.py writes them under /uk/)."""
    path = path.removeprefix("/uk")
    route, _, query = path.partition("?")
    if route == "/":
        return "home"
    if route.startswith("/feeds/"):
        parts = route.split("/")
        return "feed: site" if len(parts) == 3 else f"feed: {parts[2].removesuffix('s')}"
    if route == "/claims/":
        if not query or query.startswith("page="):
            return "list" if not query else "list: pages"
        if query.startswith("q="):
            return "search"
        return f"list: {query.split('=')[0].removesuffix('_from')}"
    for kind in ("claims", "actors", "outlets", "tags"):
        if route.startswith(f"/{kind}/"):
            return f"{kind.removesuffix('s')} page"
    return route.strip("/")


def newsroom_urls(args) -> list[str]:
    if args.urls is None:
        from bench.newsroom import RESULTS, write_urls

        RESULTS.mkdir(exist_ok=True)
        env = os.environ | {"PYTHONPATH": str(ROOT)}
        args.urls = write_urls(env)
        print(f"URL list written to {args.urls}")
    return args.urls.read_text().split()


def newsroom(args, rng: random.Random) -> None:
    """Where the newsroom's uncached server time goes, by page kind (see the docstring)."""
    import bisect
    import itertools

    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    paths = newsroom_urls(args)
    if args.weights == "zipf":
        cdf = list(itertools.accumulate(1 / rank for rank in range(1, len(paths) + 1)))
        drawn = [paths[bisect.bisect(cdf, rng.random() * cdf[-1])] for _ in range(args.samples)]
    else:
        start = rng.randrange(len(paths))
        drawn = [paths[(start + i) % len(paths)] for i in range(args.samples)]
    client = Client()
    counter = 0

    def body(url: str, fragments: bool = True) -> bytes:
        nonlocal counter
        counter += 1
        with override_settings(READER_FRAGMENTS=fragments):
            response = client.get(busted(url, counter))
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
        assert response.status_code == 200, (url, response.status_code)
        return content

    def get(url: str, timer: SQLTimer) -> float:
        started = time.perf_counter()
        with connection.execute_wrapper(timer):
            body(url)
        return (time.perf_counter() - started) * 1000

    began = time.perf_counter()
    for url in dict.fromkeys(drawn):
        get(url, SQLTimer())
    warmed = time.perf_counter() - began
    if args.check:

        def same(url: str) -> bool:
            # But for the request's CSP nonce and its `v=` (in links to the page itself).
            def page(body: bytes) -> bytes:
                return re.sub(rb"[?&](amp;)?v=\d+", b"", re.sub(rb'nonce="[^"]*"', b"", body))

            return page(body(url)) == page(body(url, fragments=False))

        differ = [url for url in dict.fromkeys(drawn) if not same(url)]
        print(f"{len(differ)} of {len(set(drawn))} pages differ with fragments: {differ[:10]}")
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    figures: dict[str, dict[str, list[float]]] = {}
    profile = cProfile.Profile()
    for url in drawn:
        timer = SQLTimer()
        profiled = page_kind(url) == args.profile
        if profiled:
            profile.enable()
        total = get(url, timer)
        if profiled:
            profile.disable()
        f = figures.setdefault(page_kind(url), {"total": [], "sql": [], "queries": []})
        f["total"].append(total)
        f["sql"].append(timer.seconds * 1000)
        f["queries"].append(timer.queries)
    load_after = Path("/proc/loadavg").read_text().split()[:3]
    every = sum(sum(f["total"]) for f in figures.values())
    print(
        f"{len(paths):,} URLs, {args.samples:,} requests ({args.weights}, "
        f"{len(set(drawn)):,} distinct URLs, warmed in {warmed:.0f} s); load average before "
        f"{' '.join(load_before)}, after {' '.join(load_after)}; "
        f"mean {every / args.samples:.1f} ms a request\n"
    )
    print(
        "| page | requests | time share | total ms p50 / p95 | SQL ms | Python ms | "
        "SQL share | queries mean / max |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind, f in sorted(figures.items(), key=lambda item: -sum(item[1]["total"])):
        python = [t - s for t, s in zip(f["total"], f["sql"], strict=True)]
        print(
            f"| {kind} | {len(f['total']) / args.samples:.1%} | {sum(f['total']) / every:.1%} | "
            f"{statistics.median(f['total']):.1f} / {percentile(f['total'], 0.95):.1f} | "
            f"{statistics.median(f['sql']):.1f} / {percentile(f['sql'], 0.95):.1f} | "
            f"{statistics.median(python):.1f} / {percentile(python, 0.95):.1f} | "
            f"{sum(f['sql']) / sum(f['total']):.0%} | "
            f"{statistics.mean(f['queries']):.1f} / {max(f['queries'])} |"
        )
    if args.profile:
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
