"""
EXPLAIN (ANALYZE, BUFFERS) for the SQL behind every reader page, feed and desk page, on
PostgreSQL (run by hand after `manage.py generate_claims --claims 1000000`):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fc_million .venv/bin/python bench/explain.py

Each page is requested through Django's test client with the cache cleared, its queries are
captured, and each one is explained. Sequential scans on big tables are flagged. The output
also goes to bench/results/explain.txt.
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

BIG_TABLES = {
    "claims_claim",
    "claims_report",
    "claims_carriage",
    "claims_response",
    "claims_verdict",
    "claims_snapshot",
    "claims_historyentry",
    "claims_claim_subjects",
    "claims_claim_tags",
}
SKIP = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "SET ", "BEGIN", "COMMIT")


def pages() -> list[tuple[str, str, bool]]:
    """(name, url, as an editor) for every page worth explaining, with real rows."""
    from django.db.models import Count
    from django.urls import reverse

    from claims.models import Actor, Claim, Outlet, Tag

    claim = Claim.objects.public().with_denials().published().order_by("-pk").first()
    actor = Actor.objects.filter(kind="person").order_by("pk").first()
    outlet = Outlet.objects.order_by("pk").first()
    tag = Tag.objects.annotate(n=Count("claims")).order_by("-n").first()
    word = claim.text.split()[-1]
    claims = reverse("claims:claim_list")
    return [
        ("home", reverse("claims:home"), False),
        ("list", claims, False),
        ("list page 7", f"{claims}?page=7", False),
        ("list oldest", f"{claims}?sort=oldest", False),
        ("list position=denied", f"{claims}?position=denied", False),
        ("list position=mixed", f"{claims}?position=mixed", False),
        ("list rating=false", f"{claims}?rating=false", False),
        ("list actor", f"{claims}?actor={actor.slug}", False),
        ("list outlet", f"{claims}?outlet={outlet.slug}", False),
        ("list tag", f"{claims}?tag={tag.slug}", False),
        ("list language=uk", f"{claims}?language=uk", False),
        ("list dates", f"{claims}?date_from=2025-01-01&date_to=2025-01-31", False),
        ("search", f"{claims}?q={word}", False),
        ("search two words", f"{claims}?q=secretly+met", False),
        ("claim page", claim.get_absolute_url(), False),
        ("actor page", actor.get_absolute_url(), False),
        ("outlet page", outlet.get_absolute_url(), False),
        ("tag page", tag.get_absolute_url(), False),
        ("feed denied.rss", reverse("claims:denied_rss"), False),
        ("feed verdicts.atom", reverse("claims:verdicts_atom"), False),
        ("desk dashboard", reverse("desk:dashboard"), True),
        ("desk finder", f"{reverse('desk:dashboard')}?q=Istanbul", True),
        ("desk claim", reverse("desk:claim_edit", args=[claim.slug]), True),
        ("desk history", reverse("desk:claim_history", args=[claim.slug]), True),
        ("desk new carriage", reverse("desk:carriage_create", args=[claim.slug]), True),
    ]


def editor():
    from django.contrib.auth import get_user_model

    from claims.models import Verdict
    from claims.roles import REVIEWER, grant_role

    # A generated author: their drafts and the review queue are as full as the data makes them.
    user = get_user_model().objects.get(pk=Verdict.objects.order_by("pk").first().author_id)
    grant_role(user, REVIEWER)
    return user


def explain(sql: str) -> tuple[str, float, list[str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    ms = float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1))
    scans = re.findall(r"Seq Scan on (\w+)", plan)
    return plan, ms, sorted({table for table in scans if table in BIG_TABLES})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="explain only pages whose name contains this")
    parser.add_argument("--plans", action="store_true", help="print every plan, not only slow")
    parser.add_argument("--slow-ms", type=float, default=5.0)
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="Reader pages only, every session read-only (for a database shared with others: "
        "the desk pages would grant the generated editor a role and store a session).",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    if connection.vendor != "postgresql":
        raise SystemExit("bench/explain.py explains PostgreSQL plans: set DATABASE_URL.")
    setup_test_environment()  # the test client's host, without touching the database
    lines: list[str] = []

    def out(text: str = "") -> None:
        print(text)
        lines.append(text)

    if args.read_only:
        from django.db.backends.signals import connection_created

        def read_only(sender, connection, **kwargs) -> None:
            with connection.cursor() as cursor:
                cursor.execute("SET default_transaction_read_only = on")

        connection_created.connect(read_only, weak=False)
        connection.close()
    anonymous, desk = Client(), Client()
    if not args.read_only:
        desk.force_login(editor())
    summary = []
    from claims.filters import _compute_choices, choice_lists

    # The filter form's options are cached for 5 minutes apart from the pages: explained once
    # here, and warm for every page below.
    todo = [("filter options (cached 5 min)", None, False), *pages()]
    for name, url, as_editor in todo:
        if args.only and args.only not in name:
            continue
        if args.read_only and as_editor:
            continue
        cache.clear()
        if url:
            choice_lists()
        started = time.monotonic()
        with CaptureQueriesContext(connection) as captured:
            try:
                if url is None:
                    _compute_choices()
                    response = None
                else:
                    response = (desk if as_editor else anonymous).get(url)
                    if getattr(response, "streaming", False):
                        b"".join(response.streaming_content)
            except Exception as error:  # report it, go on to the next page
                out(f"## {name}: GET {url} failed: {error!r}\n")
                continue
        took = (time.monotonic() - started) * 1000
        if response is None:
            status, size = "-", 0
        else:
            status = response.status_code
            size = 0 if response.streaming else len(response.content)
        queries = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(SKIP)]
        out(f"## {name}: GET {url} -> {status}, {len(queries)} queries, {size} B, {took:.0f} ms")
        total, flagged = 0.0, []
        for n, sql in enumerate(queries, 1):
            plan, ms, scans = explain(sql)
            total += ms
            flag = f"  SEQ SCAN on {', '.join(scans)}" if scans else ""
            flagged += scans
            out(f"  q{n}: {ms:8.2f} ms{flag}  {sql[:150]}")
            if args.plans or scans or ms >= args.slow_ms:
                out("\n".join(f"      {line}" for line in plan.splitlines()))
        summary.append((name, len(queries), took, total, sorted(set(flagged))))
        out()
    out("| page | queries | page ms | SQL ms (EXPLAIN ANALYZE) | seq scans on big tables |")
    out("| --- | ---: | ---: | ---: | --- |")
    for name, count, took, total, scans in summary:
        out(f"| {name} | {count} | {took:.0f} | {total:.1f} | {', '.join(scans) or '—'} |")
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "explain.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
