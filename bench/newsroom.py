"""
Newsroom load benchmark: readers on a realistic mix while editors approve changes.

Run by hand (not in CI), after generating data, e.g. with 1M claims in PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fc_million .venv/bin/python bench/newsroom.py

Readers: wrk with 16 connections (bench/wrk_newsroom.lua) over at least 10,000 distinct real
URLs (claim pages, lists with filters, searches, feeds, actor, outlet and tag pages, home),
each request picking its URL by a Zipf distribution (exponent 1: the 100 most popular URLs
draw about half the requests). Editors: one process approving one change a second through the
real write path (models/writing.py): an editor adds a response to a popular claim, a reviewer
approves it, which drops that claim's page, the lists and feeds, and its actors', outlets' and
tags' pages.

Three scenarios, each against the floor (a bare Django view rendering 25 rows) measured in
the same run right before and right after it (the mean of the two):

- readers while editors approve one change a second;
- the same readers with no editors;
- every URL distinct (a `v=` counter: the cache never answers), editors approving.

Each reports reader req/s and its ratio to the floor, p50/p95/p99, errors, the reader cache's
hit ratio (the X-Cache header), and the approvals the editors made and how long each took.
Needs Debian's wrk (apt-get install wrk). `CACHE_URL=redis://127.0.0.1:6379/0` runs it with Redis.
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.load import PYTHON, RESULTS, gunicorn, wait_until_up, wrk  # noqa: E402

LUA = BASE_DIR / "bench" / "wrk_newsroom.lua"
EDITOR, REVIEWER, PASSWORD = "bench-editor", "bench-reviewer", "bench password 4 newsroom"

# Real URLs of every kind, popular kinds first within their shares (see write_urls).
URLS = """
import random, django
django.setup()
from urllib.parse import quote_plus
from claims.models import Actor, Claim, Outlet, Rating, Tag
rng = random.Random(15)
public = Claim.objects.public()

def sample(rows, k):
    # The same sample of the same data in every run (ORDER BY random() is not): a run with
    # --warm-passes 0 finds the pages an earlier run cached.
    pks = sorted(rows.values_list("pk", flat=True))
    return list(rows.filter(pk__in=rng.sample(pks, min(k, len(pks)))).order_by("pk"))

claims = [c.slug for c in sample(public.only("slug"), 7000)]
actors = [a.slug for a in sample(Actor.objects.only("slug"), 400)]
outlets = [o.slug for o in sample(Outlet.objects.only("slug"), 400)]
tags = list(Tag.objects.order_by("pk").values_list("slug", flat=True))
lists = [f"/claims/?page={p}{s}" for p in range(2, 41) for s in ("", "&sort=oldest", "&sort=text")]
filters = [f"position={p}" for p in ("denied", "confirmed", "mixed", "no_response")]
filters += [f"rating={r}" for r in Rating.values]
filters += [f"actor={a}" for a in actors[:150]] + [f"outlet={o}" for o in outlets[:150]]
filters += [f"tag={t}" for t in tags] + ["language=uk", "language=en"]
filters += [f"date_from=2025-{m:02}-01&date_to=2025-{m:02}-28" for m in range(1, 13)]
filtered = [f"/claims/?{f}" + (f"&page={p}" if p > 1 else "") for f in filters for p in (1, 2, 3)]
words = set()
for text in (claim.text for claim in sample(public.only("text"), 4000)):
    words.update(w.strip(".,:;!?\\"'«»") for w in text.split() if len(w) > 3)
words = sorted(w for w in words if w)
# Synthetic claims use few words: readers' searches are single words, pairs, and later pages.
pairs = [f"{a} {b}" for a in words for b in words if a < b]
rng.shuffle(pairs)
searches = [f"/claims/?q={quote_plus(q)}" for q in words + pairs[:2400]]
searches += [f"{s}&page=2" for s in searches[:300]]
feeds = [f"/feeds/actors/{a}/denied.rss" for a in actors[:200]]
feeds += [f"/feeds/outlets/{o}/denied.atom" for o in outlets[:200]]
feeds += [f"/feeds/tags/{t}/denied.rss" for t in tags]
pages = [f"/claims/{s}/" for s in claims] + [f"/actors/{a}/" for a in actors]
pages += [f"/outlets/{o}/" for o in outlets] + [f"/tags/{t}/" for t in tags]
rest = lists + filtered + searches + feeds + pages
rng.shuffle(rest)
head = ["/", "/feeds/denied.rss", "/claims/", "/feeds/verdicts.rss", "/feeds/denied.atom",
        "/feeds/verdicts.atom", "/claims/?position=denied", "/methodology/"]
# Readers of the default language's pages (/uk/…): an unprefixed address only redirects.
print("\\n".join("/uk" + path for path in dict.fromkeys(head + rest)))
"""

EDITORS = """
import json, random, re, sys, time, django
django.setup()
from django.contrib.auth import get_user_model
from claims.models import Actor, Attribution, Claim, Response, Stance, writing
User = get_user_model()
editor, reviewer = User.objects.get(username=EDITOR), User.objects.get(username=REVIEWER)
slugs = [m.group(1) for m in map(re.compile(r"^/uk/claims/([^/?]+)/$").match, open(PATHS)) if m]
responders = list(Actor.objects.order_by("?").values_list("pk", flat=True)[:200])
rng = random.Random(11)
done, errors, latencies, last_error = 0, 0, [], ""
start = time.monotonic()
deadline, next_at = start + SECONDS, start
while time.monotonic() < deadline:
    # Editors work on what readers read: the 2,000 most popular claim pages.
    slug = rng.choice(slugs[:2000])
    began = time.perf_counter()
    try:
        claim = Claim.objects.get(slug=slug)
        writing.create(Response, by=editor, values={
            "claim": claim, "responder": Actor.objects.get(pk=rng.choice(responders)),
            "stance": rng.choice([Stance.DENIES, Stance.CONFIRMS, Stance.CLARIFIES]),
            "attribution": Attribution.SPOKESPERSON,
            "quote": f"Newsroom benchmark statement {done}",
        })
        writing.approve(claim, by=reviewer)
        done += 1
        latencies.append((time.perf_counter() - began) * 1000)
    except Exception as error:
        errors += 1
        last_error = repr(error)[:300]
    next_at += 1 / RATE
    time.sleep(max(0, next_at - time.monotonic()))
latencies.sort()
print(json.dumps({
    "approvals": done, "errors": errors, "last_error": last_error,
    "seconds": time.monotonic() - start,
    "p50_ms": latencies[len(latencies) // 2] if latencies else None,
    "max_ms": latencies[-1] if latencies else None,
}))
"""


def write_urls(env) -> Path:
    out = subprocess.run(
        [PYTHON, "-c", URLS], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True
    ).stdout
    path = RESULTS / "newsroom-urls.txt"
    path.write_text(out)
    return path


def prepare_users(env) -> None:
    for name, role in ((EDITOR, "editor"), (REVIEWER, "reviewer")):
        subprocess.run(
            [PYTHON, "manage.py", "create_user", name, "--role", role, "--password", PASSWORD],
            cwd=BASE_DIR, env=env, check=True, capture_output=True,
        )  # fmt: skip


def start_editors(env, paths: Path, seconds: float, rate: float) -> subprocess.Popen:
    code = (
        f"EDITOR, REVIEWER, PATHS, SECONDS, RATE = {EDITOR!r}, {REVIEWER!r}, {str(paths)!r}, "
        f"{seconds!r}, {rate!r}\n" + EDITORS
    )
    # Editors are not the web role: they write on the primary, as the desk does.
    return subprocess.Popen(
        [PYTHON, "-c", code], cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, text=True
    )


def readers(base: str, paths: Path, *, mode: str, seconds: int, connections: int) -> dict:
    return wrk(
        base,
        connections=connections,
        seconds=seconds,
        paths=paths,
        script=LUA,
        script_args=[mode, "1.0"],
    )


def warm(base: str, paths: Path, passes: int, connections: int) -> float:
    """Request every URL `passes` times (each worker of a per-process cache needs its own
    copy): the benchmark measures a site that has been up for a while, not a cold start."""
    urls = [base + path for path in paths.read_text().split()]

    def fetch(url: str) -> None:
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                response.read()
        except OSError:
            pass

    began = time.monotonic()
    with ThreadPoolExecutor(connections) as pool:
        for _ in range(passes):
            list(pool.map(fetch, urls))
    return time.monotonic() - began


def scenario(name, base, paths, env, args, *, mode: str, editors: bool) -> dict:
    # Warm-up (the cache fills, pools open), then the measured run with editors beside it.
    readers(base, paths, mode=mode, seconds=args.warmup, connections=args.connections)
    team = start_editors(env, paths, args.seconds, args.rate) if editors else None
    stats = readers(base, paths, mode=mode, seconds=args.seconds, connections=args.connections)
    if team is not None:
        out, _ = team.communicate(timeout=args.seconds + 120)
        stats["editors"] = json.loads(out.strip().splitlines()[-1])
    stats["name"] = name
    stats["load"] = os.getloadavg()[0]  # the machine's, at the end of the measured run
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=15)
    parser.add_argument("--rate", type=float, default=1.0, help="approvals a second")
    parser.add_argument(
        "--warm-passes",
        type=int,
        help="requests per URL before measuring (default: one per worker, one with Redis)",
    )
    parser.add_argument(
        "--list-max-age",
        type=int,
        help="READER_LIST_MAX_AGE for the servers: seconds a list, search, feed or home is "
        "served as rendered (default: the settings' 5)",
    )
    parser.add_argument(
        "--scenarios", default="editors,readers,distinct", help="comma-separated subset"
    )
    args = parser.parse_args()
    if args.warm_passes is None:
        shared = os.environ.get("CACHE_URL", "").startswith("redis")
        args.warm_passes = 1 if shared else args.workers
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
    if args.list_max_age is not None:
        env["READER_LIST_MAX_AGE"] = str(args.list_max_age)
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=BASE_DIR, env=env,
        check=True,
    )  # fmt: skip
    RESULTS.mkdir(exist_ok=True)
    prepare_users(env)
    paths = write_urls(env)
    distinct_urls = len(paths.read_text().split())
    base = f"http://127.0.0.1:{args.port}"
    server = gunicorn(args, env)
    results = []
    try:
        wait_until_up(base + "/bench/floor/")
        floor_url = base + "/bench/floor/"
        wrk(floor_url, connections=args.connections, seconds=5)
        floors = [wrk(floor_url, connections=args.connections, seconds=10)]
        if args.warm_passes:
            took = warm(base, paths, args.warm_passes, args.connections)
            print(f"warmed: {args.warm_passes} pass(es) over {distinct_urls} URLs in {took:.0f} s")
        wanted = args.scenarios.split(",")
        plan = [
            ("editors", "readers, editors approving", "zipf", True),
            ("readers", "readers, no editors", "zipf", False),
            ("distinct", "every URL distinct, editors approving", "distinct", True),
        ]
        # Each scenario against the floor right before and right after it: this machine's
        # speed drifts within a run (its floor went from 639 to 1,073 req/s in one).
        floors.append(wrk(floor_url, connections=args.connections, seconds=10))
        for key, name, mode, editors in plan:
            if key in wanted:
                stats = scenario(name, base, paths, env, args, mode=mode, editors=editors)
                floors.append(wrk(floor_url, connections=args.connections, seconds=10))
                stats["floor"] = (floors[-2]["rps"] + floors[-1]["rps"]) / 2
                results.append(stats)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    report(floors, results, distinct_urls, args)


def report(floors: list[dict], results: list[dict], distinct_urls: int, args) -> None:
    floor = sum(f["rps"] for f in floors) / len(floors)
    max_age = args.list_max_age
    if max_age is None:
        max_age = os.environ.get("READER_LIST_MAX_AGE", "the settings' default (5 s)")
    print(
        f"\n{args.workers} gunicorn workers x {args.threads} threads, {args.connections} "
        f"connections, {args.seconds} s per scenario after {args.warmup} s warm-up; "
        f"{distinct_urls} distinct URLs, Zipf (exponent 1); editors: {args.rate:g} approval/s; "
        f"cache: {os.environ.get('CACHE_URL', 'locmem://')}; READER_LIST_MAX_AGE: {max_age}\n"
    )
    each = " / ".join(f"{f['rps']:.0f}" for f in floors)
    print(
        f"floor (each, in order): {each} req/s, "
        f"mean {floor:.0f}; load average at the end {os.getloadavg()[0]:.1f}\n"
    )
    print(
        "| scenario | req/s | floor beside it | ratio to floor | p50 ms | p95 ms | p99 ms | "
        "errors | cache hits (+ stale) | approvals (p50 ms) | load |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
    for stats in results:
        stale = stats.get("stale", 0)
        answered = stats["hits"] + stats["misses"] + stale
        editors = stats.get("editors")
        approvals = (
            f"{editors['approvals']} in {editors['seconds']:.0f} s ({editors['p50_ms']:.0f} ms), "
            f"{editors['errors']} failed"
            if editors
            else "—"
        )
        print(
            f"| {stats['name']} | {stats['rps']:.0f} | {stats['floor']:.0f} | "
            f"{stats['rps'] / stats['floor']:.0%} | "
            f"{stats['p50'] / 1000:.1f} | {stats['p95'] / 1000:.1f} | {stats['p99'] / 1000:.1f} | "
            f"{stats['errors'] + stats.get('not_ok', 0)} | "
            f"{stats['hits'] / answered if answered else 0:.0%} "
            f"(+{stale / answered if answered else 0:.0%} stale) | "
            f"{approvals} | {stats['load']:.1f} |"
        )
        if editors and editors["errors"]:
            print(f"  last editor error: {editors['last_error']}")
    (RESULTS / "newsroom.json").write_text(
        json.dumps({"floors": floors, "results": results}, indent=2)
    )


if __name__ == "__main__":
    main()
