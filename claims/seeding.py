"""
Load seed chains from `seeds/*.json` into the database.

Loading is create-only: a row that already exists (by slug, canonical URL or natural key) is
left exactly as it is, so running the loader twice changes nothing and never overwrites an
editor's later edits. Chains go through the write path (models/writing.py): logged by the seed
verdict's author and approved by its reviewer (or by the system, for a chain without a verdict),
so the demo is public and its history says who approved it.

A tag, actor, outlet or claim may leave out its slug (the Ukrainian and Russian twins of the
seed chain do): it then gets the slug the desk would give it, transliterated from its name or
text, is found again by that name or text, and the file refers to it by its `key`.
"""

import json
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from .models import (
    Actor,
    Carriage,
    Claim,
    HistoryAction,
    Outlet,
    Report,
    Response,
    Tag,
    Verdict,
    VerdictState,
    derived,
    writing,
)
from .models.sources import unique_slug
from .roles import EDITOR, REVIEWER, grant_role

SEEDS_DIR = Path(settings.BASE_DIR) / "seeds"


def parse_time(value: str | None, zone: str = "Europe/Kyiv") -> datetime | None:
    """Seed times are written as the outlet printed them, in its local time."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(zone))


def seed_user(username: str, role: str):
    """The seed's editors; created without a usable password (see `demo_accounts`)."""
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save()
    grant_role(user, role)
    return user


def get_or_create_by_slug_or_name(model, row: dict, fields: dict, *, name_field: str = "name"):
    """The row with the seed's slug or, for a row given without one, with its name or text;
    created through the write path (with a transliterated slug) when missing. Returns (row,
    created)."""
    if row.get("slug"):
        found = model.objects.filter(slug=row["slug"]).first()
        slug = row["slug"]
    else:
        name = row[name_field]
        found = model.objects.filter(**{name_field: name}).order_by("pk").first()
        slug = unique_slug(model, name, language=fields.get("language", ""))
    if found is not None:
        return found, False
    return writing.create(
        model, by=None, values=fields, slug=slug, action=HistoryAction.IMPORTED
    ), True


@transaction.atomic
def load_seed(path: Path) -> Counter:
    """Load one seed file; return how many rows of each kind were created."""
    data = json.loads(path.read_text(encoding="utf-8"))
    created: Counter = Counter()

    def note(model, was_created: bool) -> None:
        if was_created:
            created[model.__name__] += 1

    tags = {}
    for row in data.get("tags", []):
        tags[row.get("key", row.get("slug"))], new = get_or_create_by_slug_or_name(
            Tag, row, {"name": row["name"]}
        )
        note(Tag, new)

    actors: dict[str, Actor] = {}
    for row in data.get("actors", []):
        fields = {k: v for k, v in row.items() if k not in {"slug", "key", "parent"}}
        if row.get("parent"):
            fields["parent"] = actors[row["parent"]]
        actors[row.get("key", row.get("slug"))], new = get_or_create_by_slug_or_name(
            Actor, row, fields
        )
        note(Actor, new)

    outlets: dict[str, Outlet] = {}
    for row in data.get("outlets", []):
        fields = {k: v for k, v in row.items() if k not in {"slug", "key", "actor"}}
        if row.get("actor"):
            fields["actor"] = actors[row["actor"]]
        outlets[row.get("key", row.get("slug"))], new = get_or_create_by_slug_or_name(
            Outlet, row, fields
        )
        note(Outlet, new)

    reports: dict[str, Report] = {}
    for row in data.get("reports", []):
        outlet = outlets[row["outlet"]]
        lookup = {
            "outlet": outlet,
            "title": row["title"],
            "published_at": parse_time(row.get("published_at"), outlet.time_zone),
        }
        if row.get("canonical_url"):
            lookup = {"canonical_url": row["canonical_url"]}
        report = Report.objects.filter(**lookup).first()
        new = report is None
        if new:
            report = writing.create(
                Report,
                by=None,
                values={
                    "outlet": outlet,
                    "title": row["title"],
                    "published_at": parse_time(row.get("published_at"), outlet.time_zone),
                    "url": row.get("url", ""),
                    "byline": row.get("byline", ""),
                    "language": row.get("language", ""),
                    "body": row.get("body", ""),
                    "tags": [tags[slug] for slug in row.get("tags", [])],
                },
                canonical_url=row.get("canonical_url") or None,
                action=HistoryAction.IMPORTED,
            )
        reports[row["key"]] = report
        note(Report, new)

    for row in data.get("claims", []):
        # The chain is logged by the verdict's author and approved by its reviewer, through
        # the write path, as on the desk; a chain without a verdict by the system.
        verdict = row.get("verdict")
        author = seed_user(verdict["author"], EDITOR) if verdict else None
        reviewer = seed_user(verdict["reviewer"], REVIEWER) if verdict else None
        if row.get("slug"):
            claim = Claim.objects.filter(slug=row["slug"]).first()
        else:
            claim = Claim.objects.filter(text=row["text"]).order_by("pk").first()
        note(Claim, claim is None)
        if claim is None:
            claim = writing.create(
                Claim,
                by=author,
                values={
                    "text": row["text"],
                    "claimant": actors[row["claimant"]] if row.get("claimant") else None,
                    "first_seen_at": parse_time(row.get("first_seen_at")),
                    "language": row.get("language", ""),
                    "context": row.get("context", ""),
                    "subjects": [actors[slug] for slug in row.get("subjects", [])],
                    "tags": [tags[slug] for slug in row.get("tags", [])],
                },
                slug=row.get("slug")
                or unique_slug(Claim, row["text"], language=row.get("language", "")),
            )

        carriages: dict[str, Carriage] = {}
        for item in row.get("carriages", []):
            carriage = Carriage.objects.filter(claim=claim, report=reports[item["report"]]).first()
            note(Carriage, carriage is None)
            if carriage is None:
                carriage = writing.create(
                    Carriage,
                    by=author,
                    values={
                        "claim": claim,
                        "report": reports[item["report"]],
                        "role": item["role"],
                        "wording": item.get("wording", ""),
                        "cites": carriages.get(item.get("cites", "")),
                    },
                )
            carriages[item.get("key", item["report"])] = carriage

        for item in row.get("responses", []):
            lookup = {
                "claim": claim,
                "responder": actors[item["responder"]],
                "stance": item["stance"],
                "responded_at": parse_time(item["responded_at"]),
            }
            exists = Response.objects.filter(**lookup).exists()
            note(Response, not exists)
            if not exists:
                writing.create(
                    Response,
                    by=author,
                    values={
                        **lookup,
                        "attribution": item["attribution"],
                        "speaker_name": item.get("speaker_name", ""),
                        "quote": item.get("quote", ""),
                        "report": reports[item["report"]] if item.get("report") else None,
                    },
                )

        if writing.pending_authors(claim):
            writing.approve(
                claim, by=reviewer, system=reviewer is None, note="Loaded from the seed."
            )

        if verdict and not claim.verdicts.exclude(state=VerdictState.WITHDRAWN).exists():
            writing.create(
                Verdict,
                by=author,
                values={
                    "claim": claim,
                    "rating": verdict["rating"],
                    "summary": verdict["summary"],
                    "rationale": verdict["rationale"],
                    "author": author,
                    "reviewer": reviewer,
                    "state": VerdictState.PUBLISHED,
                    "submitted_at": parse_time(verdict.get("submitted_at")),
                    "published_at": parse_time(verdict["published_at"]),
                },
            )
            derived.refresh([claim.pk])
            note(Verdict, True)
    return created


def load_all_seeds(directory: Path = SEEDS_DIR) -> Counter:
    total: Counter = Counter()
    for path in sorted(directory.glob("*.json")):
        total += load_seed(path)
    return total
