"""Load the search corpus (corpus.json) as claims with quotes and carrying reports, and read
the query set (queries.json). Used by tests/test_search.py and bench/search_quality.py."""

import json
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from claims.models import (
    Actor,
    Attribution,
    Carriage,
    CarriageRole,
    Claim,
    Outlet,
    Report,
    Response,
    Stance,
    derived,
)
from claims.models.sources import unique_slug

HERE = Path(__file__).resolve().parent


def queries() -> list[dict]:
    return json.loads((HERE / "queries.json").read_text(encoding="utf-8"))["queries"]


def forms() -> dict[str, list[list[str]]]:
    """{"same": [[form, base form], …], "different": [[word, other word], …]}"""
    return json.loads((HERE / "forms.json").read_text(encoding="utf-8"))


def finds(held: str, typed: str) -> bool:
    """Whether a reader typing `typed` finds a claim holding the word `held`."""
    from claims.search_terms import fold, keys, query

    return bool(set(query(typed).alternatives[0]) & {fold(held), *keys(held)})


def form_figures() -> dict:
    pairs = forms()
    same = [pair for pair in pairs["same"] if finds(*pair)]
    confused = [pair for pair in pairs["different"] if finds(*pair) or finds(*reversed(pair))]
    return {
        "same": len(same),
        "same_total": len(pairs["same"]),
        "missed": [pair for pair in pairs["same"] if pair not in same],
        "apart": len(pairs["different"]) - len(confused),
        "different_total": len(pairs["different"]),
        "confused": confused,
    }


def load_corpus() -> dict[int, str]:
    """Create the corpus's claims (newest first as listed); returns {claim id: key}."""
    rows = json.loads((HERE / "corpus.json").read_text(encoding="utf-8"))["claims"]
    now = timezone.now()
    responder, _ = Actor.objects.get_or_create(
        slug="search-corpus-office",
        defaults={"name": "Search corpus office", "kind": "organisation"},
    )
    outlet, _ = Outlet.objects.get_or_create(
        slug="search-corpus-outlet", defaults={"name": "Search corpus outlet"}
    )
    keys = {}
    for n, row in enumerate(rows):
        seen = now - timedelta(days=n + 1)
        claim = Claim.objects.create(
            text=row["text"],
            slug=unique_slug(Claim, row["text"], language=row["language"]),
            language=row["language"],
            first_seen_at=seen,
            approved_at=now,
        )
        for quote in row["quotes"]:
            Response.objects.create(
                claim=claim,
                responder=responder,
                stance=Stance.DENIES,
                attribution=Attribution.OFFICIAL_STATEMENT,
                quote=quote,
                responded_at=seen,
                approved_at=now,
            )
        for title in row["titles"]:
            report = Report.objects.create(
                outlet=outlet, title=title, published_at=seen, language=row["language"]
            )
            Carriage.objects.create(
                claim=claim, report=report, role=CarriageRole.REPEAT, approved_at=now
            )
        keys[claim.pk] = row["key"]
    # Written directly, approved, as a bulk load would: derive the search terms from them.
    derived.refresh(keys)
    return keys
