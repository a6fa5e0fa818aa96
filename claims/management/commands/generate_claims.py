"""
`manage.py generate_claims --claims 100000`: realistic synthetic data at any size.

Builds actors, outlets, tags, reports, claims with subjects and tags, carriages (an origin and
repeats), responses with a realistic mix of stances and attribution, verdicts in every state,
corrections and archived snapshots — all with bulk_create in batches, one transaction per
batch. Runs can be repeated: every slug carries a fresh token.
"""

import hashlib
import random
import secrets
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from claims.models import (
    Actor,
    Attribution,
    Carriage,
    CarriageRole,
    Claim,
    Correction,
    Outlet,
    Rating,
    Report,
    Response,
    Snapshot,
    Stance,
    Tag,
    Verdict,
    VerdictState,
)

FIRST = [
    "Olena",
    "Petro",
    "Andriy",
    "Iryna",
    "Mykola",
    "Oksana",
    "Taras",
    "Yulia",
    "Dmytro",
    "Kateryna",
    "Serhiy",
    "Natalia",
]
LAST = [
    "Shevchenko",
    "Kovalenko",
    "Bondarenko",
    "Tkachenko",
    "Kravchenko",
    "Melnyk",
    "Boyko",
    "Marchenko",
    "Lysenko",
]
ROLES = ["Minister", "Deputy Minister", "Spokesperson", "MP", "Governor", "Secretary", "Adviser"]
BODIES = [
    "President's Office",
    "Defence Ministry",
    "Foreign Ministry",
    "General Staff",
    "NSDC",
    "Cabinet of Ministers",
    "Security Service",
    "Naval Forces",
    "Energy Ministry",
    "Kyiv City Council",
    "Ministry of Health",
    "Border Guard Service",
    "National Bank",
    "Prosecutor General's Office",
]
OUTLET_WORDS = ["Daily", "News", "Report", "Post", "Herald", "Wire", "Insider", "Today", "Pravda"]
SUBJECT_EN = [
    "{a} refused to return to Ukraine",
    "{a} resigned after a row with {b}",
    "{a} secretly met {b} in Istanbul",
    "{a} ordered a halt to the prisoner exchange",
    "{a} owns an undeclared villa abroad",
    "{a} will be dismissed next week",
    "{a} blocked aid shipments to the front",
    "{a} was detained at the border",
    "{a} signed a deal to sell the state energy company",
    "{a} lied about the drone contracts",
]
SUBJECT_UK = [
    "{a} відмовився повертатися в Україну",
    "{a} подав у відставку після сварки з {b}",  # noqa: RUF001
    "{a} таємно зустрівся з {b} у Стамбулі",  # noqa: RUF001
    "{a} зупинив обмін полоненими",
    "{a} має незадекларовану віллу за кордоном",
    "{a} звільнять наступного тижня",
]
QUOTES = [
    "It's fake",
    "This is not true",
    "Groundless accusations",
    "We can confirm this",
    "Partly true, details are wrong",
    "No comment at this time",
    "Це фейк",
    "Неправда",
    "The report is a deliberate provocation",
    "The minister is on a working trip",
]
STANCE_MIX = [
    (Stance.DENIES, 50),
    (Stance.CONFIRMS, 10),
    (Stance.PARTIALLY_CONFIRMS, 8),
    (Stance.CLARIFIES, 12),
    (Stance.DECLINES_COMMENT, 15),
    (Stance.RETRACTS, 5),
]
RATING_MIX = [
    (Rating.TRUE, 8),
    (Rating.MOSTLY_TRUE, 8),
    (Rating.UNPROVEN, 30),
    (Rating.MISLEADING, 20),
    (Rating.MOSTLY_FALSE, 14),
    (Rating.FALSE, 20),
]


def weighted(rng: random.Random, mix):
    return rng.choices([v for v, _ in mix], weights=[w for _, w in mix])[0]


class Command(BaseCommand):
    help = "Generate realistic synthetic claims, sources, responses and verdicts (bulk inserts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--claims", type=int, default=1000)
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=None, help="Random seed (repeatable).")
        parser.add_argument("--snapshot-share", type=float, default=0.3)

    def handle(self, *args, claims: int, batch: int, seed, snapshot_share: float, **options):
        started = time.monotonic()
        rng = random.Random(seed)
        # Slugs carry a fresh token so runs never collide; the seed makes the content repeatable.
        token = secrets.token_hex(3)
        self.now = timezone.now()
        with transaction.atomic():
            people, bodies, outlets, tags, users = self.make_cast(rng, token, claims)
        made = 0
        while made < claims:
            size = min(batch, claims - made)
            with transaction.atomic():
                self.make_batch(
                    rng, token, made, size, people, bodies, outlets, tags, users, snapshot_share
                )
            made += size
            self.stdout.write(f"  {made}/{claims} claims ({time.monotonic() - started:.1f}s)")
        self.stdout.write(
            self.style.SUCCESS(f"Generated {claims} claims in {time.monotonic() - started:.1f}s.")
        )

    def make_cast(self, rng, token, claims):
        n_people = max(30, min(3000, claims // 100))
        n_outlets = max(10, min(600, claims // 400))
        User = get_user_model()
        users = []
        for n in range(6):
            user = User(
                username=f"gen-{token}-{n}",
                first_name=rng.choice(FIRST),
                last_name=rng.choice(LAST),
            )
            user.set_unusable_password()
            users.append(user)
        users = User.objects.bulk_create(users)
        bodies = Actor.objects.bulk_create(
            Actor(
                name=f"{name} {token}" if n >= len(BODIES) else name,
                slug=f"{token}-body-{n}",
                kind="organisation",
                role="Government body",
            )
            for n, name in enumerate(BODIES)
        )
        people = Actor.objects.bulk_create(
            (
                Actor(
                    name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    slug=f"{token}-person-{n}",
                    kind="person",
                    role=rng.choice(ROLES),
                    parent=rng.choice(bodies),
                )
                for n in range(n_people)
            ),
            batch_size=2000,
        )
        first = Outlet.objects.count()  # outlet names are unique: number on from what exists
        outlets = Outlet.objects.bulk_create(
            Outlet(
                name=f"{rng.choice(['Kyiv', 'Lviv', 'Odesa', 'Kharkiv', 'Black Sea'])} "
                f"{rng.choice(OUTLET_WORDS)} {n}",
                slug=f"{token}-outlet-{n}",
                kind=rng.choice(["news_agency", "online", "telegram", "social", "tv"]),
                language=rng.choice(["uk", "en", "uk", "ru"]),
                country="UA",
            )
            for n in range(first, first + n_outlets)
        )
        tags = Tag.objects.bulk_create(
            Tag(name=f"{word}-{token}", slug=f"{word}-{token}")
            for word in [
                "war",
                "energy",
                "corruption",
                "diplomacy",
                "defence",
                "prisoners",
                "sanctions",
                "elections",
                "drones",
                "health",
                "economy",
                "border",
            ]
        )
        return people, bodies, outlets, tags, users

    def make_batch(self, rng, token, offset, size, people, bodies, outlets, tags, users, share):
        span = 3 * 365 * 24 * 3600
        claims = []
        for i in range(offset, offset + size):
            language = "uk" if rng.random() < 0.4 else "en"
            a, b = rng.sample(people, 2)
            template = rng.choice(SUBJECT_UK if language == "uk" else SUBJECT_EN)
            text = template.format(a=a.name, b=b.name)
            claim = Claim(
                text=text,
                slug=f"c{token}-{i}",
                claimant=rng.choice([None, rng.choice(people), rng.choice(bodies)]),
                first_seen_at=self.now - timedelta(seconds=rng.randrange(span)),
                language=language,
                context="Synthetic claim for benchmarks.",
            )
            claim._subjects = (a, b)
            claims.append(claim)
        # ~2% withdrawn by the desk.
        for claim in rng.sample(claims, k=max(0, size // 50)):
            claim.withdrawn_at = self.now
            claim.withdrawn_reason = "Duplicate."
        Claim.objects.bulk_create(claims, batch_size=2000)
        Subjects, Tags = Claim.subjects.through, Claim.tags.through
        Subjects.objects.bulk_create(
            (Subjects(claim_id=c.pk, actor_id=a.pk) for c in claims for a in c._subjects),
            batch_size=5000,
        )
        Tags.objects.bulk_create(
            (
                Tags(claim_id=c.pk, tag_id=t.pk)
                for c in claims
                for t in rng.sample(tags, rng.randint(0, 3))
            ),
            batch_size=5000,
        )

        reports, carriage_specs = [], []
        for claim in claims:
            for n in range(rng.choices([1, 2, 3, 4], weights=[40, 30, 20, 10])[0]):
                outlet = rng.choice(outlets)
                published = claim.first_seen_at + timedelta(
                    minutes=rng.randrange(0, 60 * 24 * 5) if n else 0
                )
                reports.append(
                    Report(
                        outlet=outlet,
                        url=f"https://{outlet.slug}.example/news/{claim.slug}-{n}",
                        title=(f"{claim.text}, says {outlet.name}" if n else claim.text)[:500],
                        published_at=published,
                        language=claim.language,
                        body=f"{claim.text}. Synthetic article body for benchmarking.",
                    )
                )
                carriage_specs.append((claim, n))
        Report.objects.bulk_create(reports, batch_size=2000)
        carriages = [
            Carriage(
                claim=claim,
                report=report,
                wording=claim.text,
                role=CarriageRole.ORIGIN
                if n == 0
                else rng.choice([CarriageRole.REPEAT, CarriageRole.MENTION]),
            )
            for report, (claim, n) in zip(reports, carriage_specs, strict=True)
        ]
        Carriage.objects.bulk_create(carriages, batch_size=5000)
        snapshots = []
        for report in reports:
            if rng.random() < share:
                content = (
                    f"<html><head><title>{report.title}</title></head><body><h1>{report.title}</h1>"
                    f"<p>{report.body}</p></body></html>"
                ).encode()
                snapshots.append(
                    Snapshot(
                        report=report,
                        url=report.url,
                        fetched_at=report.published_at + timedelta(hours=1),
                        status_code=200,
                        content_type="text/html; charset=utf-8",
                        sha256=hashlib.sha256(content).hexdigest(),
                        content=content,
                    )
                )
        Snapshot.objects.bulk_create(snapshots, batch_size=2000)

        responses = []
        first_report = {}
        for report, (claim, _n) in zip(reports, carriage_specs, strict=True):
            first_report.setdefault(claim.pk, []).append(report)
        for claim in claims:
            if rng.random() < 0.6:
                for _ in range(rng.choices([1, 2, 3], weights=[70, 22, 8])[0]):
                    attribution = rng.choice(Attribution.values)
                    responses.append(
                        Response(
                            claim=claim,
                            responder=rng.choice([*bodies, claim._subjects[0]]),
                            stance=weighted(rng, STANCE_MIX),
                            attribution=attribution,
                            speaker_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                            if attribution == Attribution.NAMED_OFFICIAL
                            else "",
                            quote=rng.choice(QUOTES),
                            report=rng.choice(first_report[claim.pk]),
                            responded_at=claim.first_seen_at
                            + timedelta(hours=rng.randrange(1, 24 * 10)),
                        )
                    )
        Response.objects.bulk_create(responses, batch_size=5000)

        verdicts = []
        for claim in claims:
            roll = rng.random()
            if roll > 0.45:
                continue
            author, reviewer = rng.sample(users, 2)
            state = (
                VerdictState.PUBLISHED
                if roll < 0.35
                else rng.choice([VerdictState.DRAFT, VerdictState.IN_REVIEW])
            )
            published = state == VerdictState.PUBLISHED
            verdicts.append(
                Verdict(
                    claim=claim,
                    rating=weighted(rng, RATING_MIX),
                    summary="Synthetic verdict summary.",
                    rationale="Synthetic rationale. " * 5,
                    state=state,
                    author=author,
                    reviewer=reviewer if published else None,
                    submitted_at=claim.first_seen_at + timedelta(days=1),
                    published_at=claim.first_seen_at + timedelta(days=2) if published else None,
                )
            )
        Verdict.objects.bulk_create(verdicts, batch_size=5000)
        Correction.objects.bulk_create(
            (
                Correction(
                    verdict=v,
                    text="We corrected a date in the rationale.",
                    published_at=v.published_at + timedelta(days=3),
                )
                for v in verdicts
                if v.state == VerdictState.PUBLISHED and rng.random() < 0.05
            ),
            batch_size=5000,
        )
