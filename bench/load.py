"""
Load benchmark: gunicorn on loopback, wrk as the client, every page measured against the floor.

Run by hand (not in CI), after generating data, e.g. with 1M claims in PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fc_bench .venv/bin/python bench/load.py

It reports requests/s and p50/p95/p99 for each page, each as a ratio to the floor (a bare
Django view rendering 25 rows), the memory of each worker, and a soak of 200 concurrent
readers. Needs Debian's wrk (apt-get install wrk).

Anonymous pages are cached, so by default a page's repeated requests are cache hits. With
`--vary` every request goes to a different URL (wrk_vary.lua cycles through many real pages,
filters, claims, search words and feeds, and adds a `v=` counter), so the cache never answers
and each request does the page's real work.

With `--api` the same is done for the read API's lists and details (`/api/v1/…`): with
`--vary`, every request is a different real claim, denial, outlet or filter, so the API's
cache never answers either.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LUA = BASE_DIR / "bench" / "wrk_report.lua"
VARY_LUA = BASE_DIR / "bench" / "wrk_vary.lua"
RESULTS = BASE_DIR / "bench" / "results"


def gunicorn(args, env) -> subprocess.Popen:
    command = [
        str(Path(PYTHON).parent / "gunicorn"),
        "factcheck.wsgi",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(args.threads),
        "--log-level",
        "warning",
        "--timeout",
        "60",
    ]
    return subprocess.Popen(command, cwd=BASE_DIR, env=env, start_new_session=True)


def wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url} within {timeout} s")


def wrk(
    url: str,
    *,
    connections: int,
    seconds: int,
    threads: int = 2,
    paths: Path | None = None,
    script: Path | None = None,
    script_args: tuple | list = (),
) -> dict:
    """wrk against one URL, or (with `paths`) cycling through the paths in that file; a
    `script` of its own (printing the JSON line) gets the paths file and `script_args`."""
    extra = []
    if paths:
        if script is None:
            script = RESULTS / "wrk_vary_report.lua"
            script.write_text(VARY_LUA.read_text() + "\n" + LUA.read_text())
        extra = ["--", str(paths), *script_args]
    script = script or LUA
    result = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
            *extra,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    line = [line for line in result.stdout.splitlines() if line.startswith("{")][-1]
    stats = json.loads(line)
    stats["rps"] = stats["requests"] / (stats["duration_us"] / 1e6)
    return stats


def worker_memory_mb(master_pid: int) -> list[float]:
    children = subprocess.run(
        ["ps", "--ppid", str(master_pid), "-o", "rss="], capture_output=True, text=True, check=False
    ).stdout.split()
    return [int(kb) / 1024 for kb in children]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--soak-connections", type=int, default=200)
    parser.add_argument("--soak-seconds", type=int, default=60)
    parser.add_argument("--pages", help="JSON list of [name, path] pairs to measure")
    parser.add_argument(
        "--vary", action="store_true", help="a different URL for every request: no cache hits"
    )
    parser.add_argument("--api", action="store_true", help="the read API instead of the pages")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")

    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + "k" * 60),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "PYTHONPATH": str(BASE_DIR),
    }
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    base = f"http://127.0.0.1:{args.port}"
    RESULTS.mkdir(exist_ok=True)
    if args.vary:
        pages = varied_pages(env, VARIED_API if args.api else VARIED_PAGES)
    elif args.pages:
        pages = json.loads(args.pages)
    else:
        pages = default_api(env) if args.api else default_pages(env)
    server = gunicorn(args, env)
    try:
        wait_until_up(base + "/bench/floor/")
        results = {}
        # The floor is measured first and last: on a shared machine it drifts, and each page's
        # ratio is taken to the mean of the two.
        for name, path in [("floor", "/bench/floor/"), *pages, ("floor (again)", "/bench/floor/")]:
            url, varied = (base, path) if isinstance(path, Path) else (base + path, None)
            # Warm caches and pools (with --vary, the cache only ever misses): one request
            # per worker first, so the cold start's 5-minute caches (the filter options) are
            # not computed by every thread at once, then 5 s of load.
            wrk(url, connections=1, seconds=1, threads=1, paths=varied)
            wrk(url, connections=args.connections, seconds=5, paths=varied)
            results[name] = wrk(
                url, connections=args.connections, seconds=args.seconds, paths=varied
            )
        memory = worker_memory_mb(server.pid)
        soak_path = pages[1][1] if args.vary else pages[1][1] if args.api else "/claims/"
        soak = (
            wrk(
                base if args.vary else base + soak_path,
                connections=args.soak_connections,
                seconds=args.soak_seconds,
                threads=4,
                paths=soak_path if args.vary else None,
            )
            if args.soak_seconds
            else None
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    report(results, memory, soak, soak_path, args)


def default_pages(env) -> list[tuple[str, str]]:
    """The reader pages, with a real claim slug and query term from the database."""
    code = (
        "import django; django.setup(); from claims.models import Claim; "
        "c = Claim.objects.public().with_denials().order_by('-pk').first(); "
        "print(c.slug); print(c.text.split()[0])"
    )
    out = subprocess.run(
        [PYTHON, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    slug, word = out[0], out[1]
    return [
        ("home", "/"),
        ("list", "/claims/"),
        ("filtered list", "/claims/?position=denied"),
        ("search", f"/claims/?q={word}"),
        ("claim page", f"/claims/{slug}/"),
        ("feed", "/feeds/denied.rss"),
    ]


def default_api(env) -> list[tuple[str, str]]:
    """The API's lists and details, with a real claim, denial and outlet."""
    code = (
        "import django; django.setup(); from claims.models import Claim, Outlet, Response; "
        "print(Claim.objects.public().with_denials().order_by('-pk').first().pk); "
        "print(Response.objects.public().denials().order_by('-pk').first().pk); "
        "print(Outlet.objects.order_by('pk').first().pk)"
    )
    out = subprocess.run(
        [PYTHON, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    claim, denial, outlet = out[0], out[1], out[2]
    return [
        ("api claims", "/api/v1/claims"),
        ("api claims filtered", "/api/v1/claims?position=denied"),
        ("api claim detail", f"/api/v1/claims/{claim}"),
        ("api denials", "/api/v1/denials"),
        ("api denial detail", f"/api/v1/denials/{denial}"),
        ("api verdicts", "/api/v1/verdicts"),
        ("api outlets", "/api/v1/outlets"),
        ("api outlet detail", f"/api/v1/outlets/{outlet}"),
    ]


VARIED_API = """
import random, django
django.setup()
from claims.models import Actor, Claim, Outlet, Rating, Response, Tag, Verdict
rng = random.Random(6)
claims = list(Claim.objects.public().order_by("?").values_list("pk", flat=True)[:3000])
denials = Response.objects.public().denials().order_by("?")
denials = list(denials.values_list("pk", flat=True)[:3000])
actors = list(Actor.objects.order_by("?").values_list("slug", flat=True)[:100])
outlets = list(Outlet.objects.order_by("?").values_list("pk", "slug")[:100])
tags = list(Tag.objects.values_list("slug", flat=True))
filters = [f"position={p}" for p in ("denied", "confirmed", "mixed", "no_response")]
filters += [f"rating={r}" for r in Rating.values] + ["language=en"]
named = [f"actor={a}" for a in actors] + [f"outlet={slug}" for _, slug in outlets]
named += [f"tag={t}" for t in tags] + ["language=uk", "max_age_days=30"]
filters += named + ["stance=denies"]
ratings = [f"/api/v1/verdicts?rating={r}" for r in Rating.values]
for name, paths in [
    ("api claims", ["/api/v1/claims", "/api/v1/claims?order=oldest"]),
    ("api claims filtered", [f"/api/v1/claims?{f}" for f in filters]),
    ("api claim detail", [f"/api/v1/claims/{pk}" for pk in claims]),
    ("api denials", ["/api/v1/denials"] + [f"/api/v1/denials?{f}" for f in named]),
    ("api denial detail", [f"/api/v1/denials/{pk}" for pk in denials]),
    ("api verdicts", ["/api/v1/verdicts", *ratings]),
    ("api outlets", ["/api/v1/outlets", "/api/v1/outlets?page_size=100"]),
    ("api outlet detail", [f"/api/v1/outlets/{pk}" for pk, _ in outlets]),
]:
    rng.shuffle(paths)
    print(name, "|".join(paths), sep="\t")
"""

VARIED_PAGES = """
import random, django
django.setup()
from urllib.parse import quote_plus
from claims.models import Actor, Claim, Outlet, Rating, Tag
rng = random.Random(6)
lists = []
for page in range(1, 41):
    for sort in ("", "&sort=oldest", "&sort=text"):
        lists.append(f"/claims/?page={page}{sort}")
slugs = list(Claim.objects.public().order_by("?").values_list("slug", flat=True)[:3000])
actors = list(Actor.objects.order_by("?").values_list("slug", flat=True)[:100])
outlets = list(Outlet.objects.order_by("?").values_list("slug", flat=True)[:100])
tags = list(Tag.objects.values_list("slug", flat=True))
filters = [f"position={p}" for p in ("denied", "confirmed", "mixed", "no_response")]
filters += [f"rating={r}" for r in Rating.values]
filters += [f"actor={a}" for a in actors] + [f"outlet={o}" for o in outlets]
filters += [f"tag={t}" for t in tags] + ["language=uk", "language=en"]
filters += [f"date_from=2025-{m:02}-01&date_to=2025-{m:02}-28" for m in range(1, 13)]
filtered = [f"/claims/?{f}&page={p}" for f in filters for p in (1, 2, 3)]
words = set()
for text in Claim.objects.order_by("?").values_list("text", flat=True)[:3000]:
    words.update(w for w in text.replace(",", " ").split() if len(w) > 3)
words = sorted(words)
searches = [f"/claims/?q={quote_plus(w)}" for w in words] + [
    f"/claims/?q={quote_plus(a + ' ' + b)}" for a, b in zip(words, reversed(words))
]
feeds = ["/feeds/denied.rss", "/feeds/denied.atom", "/feeds/verdicts.rss", "/feeds/verdicts.atom"]
for name, paths in [
    ("home", ["/"]),
    ("list", lists),
    ("filtered list", filtered),
    ("search", searches),
    ("claim page", [f"/claims/{s}/" for s in slugs]),
    ("feed", feeds),
]:
    rng.shuffle(paths)
    print(name, "|".join(paths), sep="\t")
"""


def varied_pages(env, script: str) -> list[tuple[str, Path]]:
    """Files of real paths for each page kind, for wrk_vary.lua."""
    out = subprocess.run(
        [PYTHON, "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages = []
    for line in out.splitlines():
        kind, joined = line.split("\t")
        path = RESULTS / f"urls-{kind.replace(' ', '-')}.txt"
        path.write_text(joined.replace("|", "\n") + "\n")
        pages.append((kind, path))
    return pages


def report(results: dict, memory: list[float], soak: dict | None, soak_path, args) -> None:
    floor = dict(results["floor"])
    floor["rps"] = (results["floor"]["rps"] + results["floor (again)"]["rps"]) / 2
    print(
        f"\n{args.workers} gunicorn workers x {args.threads} threads, {args.connections} "
        f"connections, {args.seconds} s per page, wrk on the same 2-core machine, "
        f"{'every URL distinct (cache misses)' if args.vary else 'repeated URLs (cache hits)'}\n"
    )
    print(f"floor (mean of first and last): {floor['rps']:.0f} req/s\n")
    print("| page | req/s | ratio to floor | p50 ms | p95 ms | p99 ms | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, stats in results.items():
        print(
            f"| {name} | {stats['rps']:.0f} | {stats['rps'] / floor['rps']:.0%} | "
            f"{stats['p50'] / 1000:.1f} | {stats['p95'] / 1000:.1f} | {stats['p99'] / 1000:.1f} | "
            f"{stats['errors']} |"
        )
    print(f"\nworker memory (RSS): {', '.join(f'{mb:.0f} MB' for mb in memory)}")
    if soak:
        print(
            f"soak: {args.soak_connections} connections for {args.soak_seconds} s on "
            f"{'varied ' + Path(soak_path).stem if args.vary else soak_path}: "
            f"{soak['requests']} requests, {soak['errors']} errors ({soak['non_2xx']} non-2xx), "
            f"p99 {soak['p99'] / 1000:.0f} ms"
        )
    name = ("load-api" if args.api else "load") + ("-vary" if args.vary else "")
    (RESULTS / f"{name}.json").write_text(
        json.dumps({"results": results, "memory_mb": memory, "soak": soak}, indent=2)
    )


if __name__ == "__main__":
    main()
