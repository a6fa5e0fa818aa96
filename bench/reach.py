"""
How far an approval reaches into the reader cache, counted, not loaded: the newsroom
benchmark's URLs (bench/newsroom.py), each mapped to the scopes its page depends on (the
`depends_on` of the view's `cache_for_readers`, through resolve()), and its editor's approvals
replayed (same seed, same changes) in a transaction that is rolled back, so that every run
starts from the same data.

Reports the scopes moved per approval by kind, the Zipf-weighted share of URLs outdated
(exponent 1, in the file's order: what readers would find dropped) after 30 and 60 approvals,
and what the caching costs an approval (`before_change` and `changed`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fc_misses15_100k \\
        .venv/bin/python bench/reach.py --approvals 60

`--rules before` replays with claims/caching.py as it was at `--before-commit` (read from
git), so both rules run on the same data; the URL list is written once (`--urls`) and reused.
Never run it against a shared database: it creates the benchmark's editor and reviewer.
"""

import argparse
import os
import random
import subprocess
import sys
import time
import types
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from bench.load import PYTHON, RESULTS  # noqa: E402
from bench.newsroom import EDITOR, REVIEWER, URLS, prepare_users  # noqa: E402

BEFORE_COMMIT = "14ec3d6"  # the branch's base: the rules before the narrower searches


def write_urls(path: Path) -> None:
    out = subprocess.run(
        [PYTHON, "-c", URLS], cwd=BASE_DIR, env=os.environ | {"PYTHONPATH": str(BASE_DIR)},
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    path.write_text(out)


def old_caching(commit: str) -> types.ModuleType:
    """claims/caching.py as it was at `commit`, as a module of its own."""
    source = subprocess.run(
        ["git", "show", f"{commit}:claims/caching.py"],
        cwd=BASE_DIR, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    module = types.ModuleType("claims.caching_before")
    module.__file__ = f"{commit}:claims/caching.py"
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module


def page_scopes(paths: list[str], rules: types.ModuleType | None) -> list[set[str]]:
    """Each URL's scopes, as its view's `cache_for_readers` reads them (with SITE)."""
    from django.test import RequestFactory
    from django.urls import resolve
    from django.utils import translation

    from claims.models.reader_versions import SITE

    factory = RequestFactory()
    found = []
    for path in paths:
        language = path.split("/")[1]
        with translation.override(language):
            match = resolve(path.split("?")[0])
            depends_on = getattr(match.func, "reader_depends_on", None)
            if depends_on is None:
                raise SystemExit(f"{path}: its view does not say what it depends on")
            if rules is not None and "<locals>" not in depends_on.__qualname__:
                depends_on = getattr(rules, depends_on.__name__)  # the old rule's function
            request = factory.get(path)
            found.append({SITE, *depends_on(request=request, **match.kwargs)})
    return found


def replay(paths: list[str], approvals: int, rules: types.ModuleType | None) -> dict:
    """The newsroom editor's approvals (bench/newsroom.py EDITORS, same seed), rolled back:
    per approval, the scopes it moved and what `before_change` and `changed` took."""
    import re

    from django.contrib.auth import get_user_model
    from django.db import transaction

    from claims import caching
    from claims.models import (
        Actor,
        Attribution,
        Claim,
        Response,
        Stance,
        reader_versions,
        verdicts,
        writing,
    )

    module = rules or caching
    moved: list[set[str]] = []
    spent = [0.0]
    bump = reader_versions.bump

    def recording_bump(scopes) -> None:
        moved[-1] |= set(scopes)
        bump(scopes)

    def timed(function):
        def call(*args, **kwargs):
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - began

        return call

    patches = [
        (reader_versions, "bump", recording_bump),
        (writing, "before_change", timed(module.before_change)),
        (writing, "changed", timed(module.changed)),
        (verdicts, "before_change", timed(module.before_change)),
        (verdicts, "changed", timed(module.changed)),
    ]
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    User = get_user_model()
    editor, reviewer = User.objects.get(username=EDITOR), User.objects.get(username=REVIEWER)
    claim_page = re.compile(r"^/uk/claims/([^/?]+)/$")
    slugs = [m.group(1) for m in map(claim_page.match, paths) if m]
    # The benchmark picks 200 responders at random from the database; here a seeded sample.
    actors = list(Actor.objects.order_by("pk").values_list("pk", flat=True))
    responders = random.Random(12).sample(actors, min(200, len(actors)))
    rng = random.Random(11)
    costs, totals = [], []
    try:
        for owner, name, replacement in patches:
            setattr(owner, name, replacement)
        with transaction.atomic():
            for done in range(approvals):
                slug = rng.choice(slugs[:2000])
                moved.append(set())
                spent[0] = 0.0
                began = time.perf_counter()
                claim = Claim.objects.get(slug=slug)
                writing.create(Response, by=editor, values={
                    "claim": claim, "responder": Actor.objects.get(pk=rng.choice(responders)),
                    "stance": rng.choice([Stance.DENIES, Stance.CONFIRMS, Stance.CLARIFIES]),
                    "attribution": Attribution.SPOKESPERSON,
                    "quote": f"Newsroom benchmark statement {done}",
                })  # fmt: skip
                writing.approve(claim, by=reviewer)
                totals.append(time.perf_counter() - began)
                costs.append(spent[0])
            transaction.set_rollback(True)
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)
    return {"moved": moved, "costs": costs, "totals": totals}


def kind(scope: str) -> str:
    parts = scope.split(":")
    return ":".join(parts[:2]) if parts[0] == "lists" and len(parts) > 1 else parts[0]


def outdated_share(pages: list[set[str]], moved: set[str]) -> float:
    weights = [1 / rank for rank in range(1, len(pages) + 1)]
    stale = sum(w for w, scopes in zip(weights, pages, strict=True) if scopes & moved)
    return stale / sum(weights)


def page_kind(path: str) -> str:
    """What a URL is: "search", "claim list: position", "claim page", "actor page"…"""
    path, _, query = path.partition("?")
    parts = path.strip("/").split("/")[1:]
    if parts[:1] == ["feeds"]:
        return "feed" if len(parts) == 2 else f"{parts[1]} feed"
    if parts[:1] == ["claims"] and len(parts) == 1:
        names = [pair.split("=")[0] for pair in query.split("&") if pair]
        names = [name for name in names if name not in ("page", "sort")]
        if "q" in names:
            return "search"
        return "claim list" + (f": {names[0]}" if names else "")
    return f"{parts[0].rstrip('s')} page" if parts else "home"


def outdated_by_kind(paths: list[str], pages: list[set[str]], moved: set[str]) -> Counter:
    """The Zipf-weighted share of URLs outdated, by the kind of page."""
    weights = [1 / rank for rank in range(1, len(pages) + 1)]
    total = sum(weights)
    shares = Counter()
    for path, weight, scopes in zip(paths, weights, pages, strict=True):
        if scopes & moved:
            shares[page_kind(path)] += weight / total
    return shares


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--approvals", type=int, default=60)
    parser.add_argument("--rules", choices=("before", "after", "both"), default="both")
    parser.add_argument("--before-commit", default=BEFORE_COMMIT)
    parser.add_argument("--urls", type=Path, default=RESULTS / "reach-urls.txt")
    args = parser.parse_args()
    import django

    django.setup()
    RESULTS.mkdir(exist_ok=True)
    if not args.urls.exists():
        write_urls(args.urls)
    prepare_users(os.environ | {"PYTHONPATH": str(BASE_DIR)})
    paths = args.urls.read_text().split()
    print(f"{len(paths)} URLs ({args.urls}); {args.approvals} approvals; load {os.getloadavg()}")
    runs = ["before", "after"] if args.rules == "both" else [args.rules]
    for name in runs:
        rules = old_caching(args.before_commit) if name == "before" else None
        pages = page_scopes(paths, rules)
        result = replay(paths, args.approvals, rules)
        report(name, paths, pages, result)


def report(name: str, paths: list[str], pages: list[set[str]], result: dict) -> None:
    moved, costs, totals = result["moved"], result["costs"], result["totals"]
    every: set[str] = set()
    shares = {}
    by_kind = Counter()
    for number, scopes in enumerate(moved, start=1):
        every |= scopes
        by_kind.update(kind(scope) for scope in scopes)
        if number in (1, 10, 30, 60) or number == len(moved):
            shares[number] = outdated_share(pages, every)
    count = len(moved)
    costs_ms, totals_ms = sorted(c * 1000 for c in costs), sorted(t * 1000 for t in totals)
    print(f"\n## rules {name}: {count} approvals, load {os.getloadavg()[0]:.1f}")
    print(
        "Zipf share of URLs outdated after N approvals: "
        + ", ".join(f"{n}: {share:.1%}" for n, share in shares.items())
    )
    print(
        f"scopes moved: {sum(map(len, moved))} ({sum(map(len, moved)) / count:.1f}/approval), "
        f"distinct {len(every)}"
    )
    print("by kind (per approval): " + ", ".join(
        f"{k} {n / count:.1f}" for k, n in by_kind.most_common()
    ))  # fmt: skip
    print(
        f"caching's part of an approval (before_change + changed): p50 "
        f"{costs_ms[count // 2]:.1f} ms, max {costs_ms[-1]:.1f}; whole approval p50 "
        f"{totals_ms[count // 2]:.1f} ms, max {totals_ms[-1]:.1f}"
    )
    print(f"outdated after {count}, by page: " + ", ".join(
        f"{k} {share:.1%}" for k, share in outdated_by_kind(paths, pages, every).most_common()
    ))  # fmt: skip


if __name__ == "__main__":
    main()
