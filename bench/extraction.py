"""
Extraction benchmark: our extractor against trafilatura alone, on the test corpus (tests/corpus).

    .venv/bin/python bench/extraction.py [--corpus tests/corpus] [--cases PREFIX] [--show]

For every field with ground truth in a case's expected.json it scores both extractors
(title, published at the ground truth's precision, byline, outlet, tags, body opening,
body must/must-not segments) and prints the mean per field side by side, plus the mean time
per page. `--show` prints each case's misses.
"""

import argparse
import json
import os
import re
import sys
import time
import unicodedata
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

import django  # noqa: E402

django.setup()

import trafilatura  # noqa: E402

from claims.importer.extract import extract  # noqa: E402


def norm(text) -> str:
    text = unicodedata.normalize("NFKC", str(text or "")).casefold()
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip()


def alnum(text) -> str:
    return re.sub(r"\W", "", norm(text))


def names(text) -> set[str]:
    text = re.sub(r"^by\s+", "", norm(text))
    parts = re.split(r"\s*(?:,|;|\band\b|&|\|)\s*", text)
    return {alnum(part) for part in parts if alnum(part)}


def jaccard(a: set, b: set) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b) if a | b else 0.0


def f1(found: set, expected: set) -> float:
    if not found or not expected:
        return float(found == expected)
    hits = len(found & expected)
    if not hits:
        return 0.0
    precision, recall = hits / len(found), hits / len(expected)
    return 2 * precision * recall / (precision + recall)


def parse_expected_time(value: str) -> tuple[datetime | None, str]:
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return datetime.fromisoformat(value), "day"
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")), "time"
    except ValueError:
        return None, ""


def published_score(found: str | None, expected: str) -> float:
    want, precision = parse_expected_time(expected)
    if want is None or not found:
        return 0.0
    try:
        got = datetime.fromisoformat(found.replace("Z", "+00:00"))
    except ValueError:
        got = None
        match = re.match(r"\d{4}-\d\d-\d\d", found)
        if match:
            got = datetime.fromisoformat(match.group(0))
    if got is None:
        return 0.0
    if precision == "day":
        return float(got.date() == want.date())
    if got.tzinfo is None or want.tzinfo is None:
        return float(got.replace(tzinfo=None, second=0) == want.replace(tzinfo=None, second=0))
    return float(abs((got - want).total_seconds()) < 60)


def score(result: dict, expected: dict) -> dict[str, float]:
    scores: dict[str, float] = {}
    fields = set(expected.get("fields_from_upstream") or [])
    if expected.get("title") and "title" in fields:
        scores["title"] = float(norm(result["title"]) == norm(expected["title"]))
    if expected.get("published") and "published" in fields:
        scores["published"] = published_score(result["published"], expected["published"])
    if expected.get("byline") and "byline" in fields:
        scores["byline"] = jaccard(names(result["byline"]), names(expected["byline"]))
    if expected.get("site_name") and "site_name" in fields:
        got, want = alnum(result["outlet"]), alnum(expected["site_name"])
        scores["outlet"] = float(bool(got) and (got == want or want in got or got in want))
    if expected.get("tags") and "tags" in fields:
        scores["tags"] = f1({norm(t) for t in result["tags"]}, {norm(t) for t in expected["tags"]})
    body = norm(result["body"])
    if expected.get("body_text_snippet"):
        opening = norm(expected["body_text_snippet"])[:100]
        scores["body opening"] = float(opening in body)
    must = expected.get("body_must_contain") or []
    must_not = expected.get("body_must_not_contain") or []
    if must or must_not:
        ok = sum(norm(s) in body for s in must) + sum(norm(s) not in body for s in must_not)
        scores["body segments"] = ok / (len(must) + len(must_not))
    return scores


def ours(content: bytes, url: str) -> dict:
    article = extract(content, url=url)
    return {
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "byline": article.byline,
        "outlet": article.outlet,
        "tags": article.tags,
        "body": article.body,
    }


def theirs(content: bytes, url: str) -> dict:
    document = trafilatura.bare_extraction(
        content,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        date_extraction_params={
            "extensive_search": True,
            "original_date": True,
            "outputformat": "%Y-%m-%dT%H:%M:%S%z",
        },
    )
    document = document.as_dict() if document is not None else {}
    return {
        "title": document.get("title") or "",
        "published": document.get("date"),
        "byline": document.get("author") or "",
        "outlet": document.get("sitename") or "",
        "tags": document.get("tags") or [],
        "body": document.get("text") or "",
    }


FIELDS = ["title", "published", "byline", "outlet", "tags", "body opening", "body segments"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(ROOT / "tests" / "corpus"))
    parser.add_argument("--cases", default="", help="only cases whose name starts with this")
    parser.add_argument("--show", action="store_true", help="print each case's misses")
    args = parser.parse_args()
    cases = sorted(Path(args.corpus, "articles").glob(f"{args.cases}*/expected.json"))
    if not cases:
        print(f"No cases under {args.corpus}/articles", file=sys.stderr)
        return 1
    totals = {name: {f: [] for f in FIELDS} for name in ("ours", "trafilatura")}
    timing = {"ours": 0.0, "trafilatura": 0.0}
    for path in cases:
        expected = json.loads(path.read_text(encoding="utf-8"))
        content = (path.parent / "source.html").read_bytes()
        url = expected.get("url") or ""
        for name, run in (("ours", ours), ("trafilatura", theirs)):
            started = time.perf_counter()
            try:
                result = run(content, url)
            except Exception as error:  # a crash scores zero on every field
                print(f"{path.parent.name}: {name} failed: {error}", file=sys.stderr)
                result = dict.fromkeys(["title", "byline", "outlet", "body"], "")
                result.update(published=None, tags=[])
            timing[name] += time.perf_counter() - started
            for field, value in score(result, expected).items():
                totals[name][field].append(value)
                if args.show and value < 1 and name == "ours":
                    want = expected.get({"outlet": "site_name"}.get(field, field))
                    got = result.get(field if field in result else "body", "")
                    got, want = str(got)[:90], str(want)[:90]
                    print(f"  {path.parent.name} {field}: got {got!r} want {want!r}")
    print(f"{len(cases)} pages from {args.corpus}\n")
    print(f"{'field':<15} {'pages':>5} {'ours':>7} {'trafilatura':>12}")
    for field in FIELDS:
        n = len(totals["ours"][field])
        if not n:
            continue
        mine = sum(totals["ours"][field]) / n
        other = sum(totals["trafilatura"][field]) / n
        print(f"{field:<15} {n:>5} {mine:>7.3f} {other:>12.3f}")
    per_page = {name: 1000 * value / len(cases) for name, value in timing.items()}
    ratio = per_page["ours"] / per_page["trafilatura"]
    print(
        f"{'ms per page':<15} {len(cases):>5} {per_page['ours']:>7.0f} "
        f"{per_page['trafilatura']:>12.0f}   (ours/trafilatura = {ratio:.2f}x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
