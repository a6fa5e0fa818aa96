"""
`manage.py generate_claims --claims 1000000`: realistic synthetic data at any size.

Builds actors, outlets, tags, reports, claims with subjects and tags, carriages (an origin and
repeats), responses with a realistic mix of stances and attribution, verdicts in every state,
corrections, archived snapshots, the review gate's state (most chains approved, a realistic
share pending or returned: see PENDING_CLAIMS) and the history entries the desk would have
written (claims and responses created, chains approved; verdicts created, submitted and
published; corrections) — in batches,
one transaction per batch. Rows are plain tuples with ids reserved up front, written with
COPY on PostgreSQL (about 10x faster than INSERT) and bulk_create elsewhere; every database
constraint stays on. Runs can be repeated: every slug carries a fresh token.
"""

import hashlib
import json
import multiprocessing
import random
import secrets
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, connections, models, transaction
from django.utils import timezone

from claims import search_terms
from claims.models import (
    Actor,
    Attribution,
    Carriage,
    CarriageRole,
    Claim,
    Correction,
    HistoryAction,
    HistoryEntry,
    OfficialPosition,
    Outlet,
    PendingChange,
    Rating,
    Report,
    Response,
    Snapshot,
    Stance,
    Tag,
    Verdict,
    VerdictState,
    outlet_claims,
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


# The review gate's realistic shares: new chains still in the queue, public chains with a
# pending edit (some of them returned with a note), new responses waiting on public chains.
PENDING_CLAIMS = 0.03
PENDING_EDITS = 0.01
RETURNED_EDITS = 0.003
PENDING_RESPONSES = 0.01


def created_changes(values: dict) -> dict:
    """A creation's changes as the desk records them: {"field": [None, value]}, set fields only."""
    return {name: [None, value] for name, value in values.items() if value not in (None, "", [])}


_GENERATOR = None  # the command, for the forked loaders


def _make_batch(spec: tuple[int, int, int]) -> tuple:
    return _GENERATOR.run_batch(spec)


_INHERITED = []  # the parent's connection objects, kept so a finaliser never touches them


def _own_connections() -> None:
    """A forked loader opens connections of its own. Whatever it inherited (a test server's
    thread may have reopened one) stays the parent's: unreferenced, its socket would be
    closed under the parent, and used, two processes would talk over one socket."""
    for alias in connections:
        _INHERITED.append(connections[alias])
        connections[alias] = connections.create_connection(alias)


# Indexes that cost more to keep up row by row than to build once: set aside while loading.
SET_ASIDE_INDEXES = ("claim_text_trgm_idx", "claim_search_idx")


def set_aside_indexes() -> list[tuple[str, str]]:
    """Drop the costly claim indexes (PostgreSQL); returns their definitions for rebuilding."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
            [list(SET_ASIDE_INDEXES)],
        )
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(name)}")
    return found


def rebuild_indexes(definitions: list[tuple[str, str]]) -> None:
    with connection.cursor() as cursor:
        if definitions:
            cursor.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in definitions:
            cursor.execute(definition)


class Sink:
    """Writes rows (tuples in a fixed column order) of one model at a time: COPY on PostgreSQL,
    bulk_create elsewhere. Columns a row leaves out get the field's default, computed once."""

    def __init__(self, now):
        self.now = now
        self.postgres = connection.vendor == "postgresql"
        self.next_ids: dict[type[models.Model], int] = {}
        self.seconds: dict[str, float] = {}
        self.counts: dict[str, int] = {}

    def reserve(self, model: type[models.Model], count: int) -> list[int]:
        """`count` fresh primary keys for `model`, taken from its sequence on PostgreSQL (safe
        with parallel loaders and later inserts)."""
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [model._meta.db_table, count],
                )
                return [pk for (pk,) in cursor.fetchall()]
        highest = model.objects.aggregate(highest=models.Max("pk"))["highest"] or 0
        first = max(highest + 1, self.next_ids.get(model, 1))
        self.next_ids[model] = first + count
        return list(range(first, first + count))

    def write(self, model: type[models.Model], columns: tuple[str, ...], rows: list) -> None:
        if not rows:
            return
        started = time.monotonic()
        if self.postgres:
            self._copy(model, columns, rows)
        else:
            model.objects.bulk_create(
                (model(**dict(zip(columns, row, strict=True))) for row in rows), batch_size=1000
            )
        name = model._meta.db_table.removeprefix("claims_")
        self.seconds[name] = self.seconds.get(name, 0) + time.monotonic() - started
        self.counts[name] = self.counts.get(name, 0) + len(rows)

    def write_claims(self, columns: tuple[str, ...], rows: list) -> None:
        """Claims (`columns` include their search terms), each with the search document
        PostgreSQL builds from those terms on the way in (as models/derived.py does): COPY to a
        temporary table, then one INSERT ... SELECT. Updating the rows afterwards instead would
        write every claim and its index entries twice."""
        if not self.postgres:
            self.write(Claim, columns, rows)
            return
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE claim_load (LIKE claims_claim) ON COMMIT DROP")
            written = self._copy(Claim, columns, rows, into="claim_load")
            listed = ", ".join(written)  # the model's own column names
            cursor.execute(
                f"INSERT INTO claims_claim ({listed}, search_document) "  # noqa: S608
                f"SELECT {listed}, array_to_tsvector(array_remove("
                f"string_to_array(btrim(search_terms), ' '), %s)) FROM claim_load",
                [search_terms.FIELD_BREAK],
            )
            cursor.execute("DROP TABLE claim_load")
        self.seconds["claim"] = self.seconds.get("claim", 0) + time.monotonic() - started
        self.counts["claim"] = self.counts.get("claim", 0) + len(rows)

    def _copy(self, model, columns, rows, *, into=None) -> list[str]:
        """COPY rows into the model's table, or into the table `into` shaped like it. Returns
        the model's columns written."""
        fields = {field.attname: field for field in model._meta.concrete_fields}
        rest = [
            name
            for name, field in fields.items()
            if name not in columns and name != "id" and not isinstance(field, SearchVectorField)
        ]
        tail = tuple(
            self.now if getattr(fields[name], "auto_now", False) else fields[name].get_default()
            for name in rest
        )
        tail = tuple(json.dumps(value) if isinstance(value, dict) else value for value in tail)
        as_json = [
            n for n, name in enumerate(columns) if isinstance(fields[name], models.JSONField)
        ]
        quote = connection.ops.quote_name
        written = [quote(fields[name].column) for name in (*columns, *rest)]
        sql = f"COPY {quote(into or model._meta.db_table)} ({', '.join(written)}) FROM STDIN"
        with (
            connection.cursor() as cursor,
            cursor.connection.cursor() as raw,
            raw.copy(sql) as copy,
        ):
            for row in rows:
                if as_json:
                    row = list(row)
                    for n in as_json:
                        row[n] = json.dumps(row[n])
                copy.write_row((*row, *tail))
        return written


class Command(BaseCommand):
    help = "Generate realistic synthetic claims, sources, responses, verdicts and history."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--claims", type=int, default=1000)
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=None, help="Random seed (repeatable).")
        parser.add_argument("--snapshot-share", type=float, default=0.3)
        parser.add_argument("--no-snapshots", action="store_true", help="Archive no pages.")
        parser.add_argument("--no-history", action="store_true", help="Write no history entries.")
        parser.add_argument(
            "--jobs", type=int, default=None, help="Parallel loaders on PostgreSQL (default 2)."
        )

    def handle(self, *args, claims: int, batch: int, seed, snapshot_share: float, **options):
        started = time.monotonic()
        # Slugs carry a fresh token so runs never collide; the seed makes the content repeatable.
        self.token, self.seed = secrets.token_hex(3), seed
        self.now = timezone.now()
        self.history = not options["no_history"]
        self.share = 0.0 if options["no_snapshots"] else snapshot_share
        postgres = connection.vendor == "postgresql"
        # PostgreSQL checks rows with one backend per connection: two loaders use both cores.
        # SQLite has a single writer; inside a transaction (tests) the loaders could not see
        # the cast, so one loader then works in it.
        jobs = (options["jobs"] or 2) if postgres and not connection.in_atomic_block else 1
        with transaction.atomic():
            self.cast = self.make_cast(random.Random(seed), self.token, claims)
        self.kinds = {
            model: ContentType.objects.get_for_model(model).pk
            for model in (Claim, Response, Verdict)
        }
        self.stdout.write(f"  cast: {time.monotonic() - started:.1f}s")
        batches = [
            (n, offset, min(batch, claims - offset))
            for n, offset in enumerate(range(0, claims, batch))
        ]
        totals = Sink(self.now)
        phases = {"building rows": 0.0, "writing rows": 0.0, "commit (deferred FK checks)": 0.0}
        made = 0
        # Not inside a transaction (tests): an index cannot be built there after deferred checks.
        bulk = postgres and not connection.in_atomic_block
        set_aside = set_aside_indexes() if bulk else []
        if jobs > 1:
            global _GENERATOR
            _GENERATOR = self
            connection.close()  # each forked loader opens its own
            pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_own_connections)
            results = pool.imap_unordered(_make_batch, batches)
        else:
            pool, results = None, map(self.run_batch, batches)
        try:
            for size, counts, seconds, timing in results:
                made += size
                for name, count in counts.items():
                    totals.counts[name] = totals.counts.get(name, 0) + count
                    totals.seconds[name] = totals.seconds.get(name, 0) + seconds[name]
                for phase, spent in timing.items():
                    phases[phase] += spent
                self.stdout.write(f"  {made}/{claims} claims ({time.monotonic() - started:.1f}s)")
        finally:
            if pool:
                pool.close()
                pool.join()
            rebuilt = time.monotonic()
            rebuild_indexes(set_aside)
            if set_aside:
                self.stdout.write(
                    f"  rebuilt {', '.join(name for name, _ in set_aside)}: "
                    f"{time.monotonic() - rebuilt:.1f}s"
                )
        listed = time.monotonic()
        with transaction.atomic():
            outlet_claims.store_all()  # each outlet's list of public claims, as approval keeps
        self.stdout.write(f"  outlets' lists of claims: {time.monotonic() - listed:.1f}s")
        loaded = time.monotonic()
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"  {claims} claims loaded in {loaded - started:.1f}s by {jobs} loader(s); "
            f"time summed over loaders:"
        )
        for phase, spent in phases.items():
            self.stdout.write(f"    {phase}: {spent:.1f}s")
        self.stdout.write("  rows, and seconds spent writing them:")
        for name, count in totals.counts.items():
            self.stdout.write(f"    {name}: {count} rows, {totals.seconds[name]:.1f}s")
        if postgres:
            self.stdout.write(f"  ANALYZE: {time.monotonic() - loaded:.1f}s")
        self.stdout.write(
            self.style.SUCCESS(f"Generated {claims} claims in {time.monotonic() - started:.1f}s.")
        )

    def run_batch(self, spec: tuple[int, int, int]) -> tuple:
        """One transaction of `size` claims and everything hanging off them."""
        n, offset, size = spec
        # Each batch has its own seeded generator: repeatable whatever the number of loaders.
        rng = random.Random(None if self.seed is None else f"{self.seed}:{n}")
        sink = Sink(self.now)
        started = time.monotonic()
        with transaction.atomic():
            if sink.postgres:
                with connection.cursor() as cursor:
                    # Session tuning for a bulk load; every constraint is still checked.
                    cursor.execute("SET LOCAL synchronous_commit = off")
                    cursor.execute("SET LOCAL gin_pending_list_limit = '32MB'")
                    cursor.execute("SET LOCAL work_mem = '64MB'")
            self.make_batch(sink, rng, self.token, offset, size, *self.cast, self.share)
            built = time.monotonic()
        committed = time.monotonic()
        writing = sum(sink.seconds.values())
        timing = {
            "building rows": built - started - writing,
            "writing rows": writing,
            "commit (deferred FK checks)": committed - built,
        }
        return size, sink.counts, sink.seconds, timing

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

    def make_batch(
        self, sink, rng, token, offset, size, people, bodies, outlets, tags, users, share
    ):
        now, span, history = self.now, 3 * 365 * 24 * 3600, self.history
        random, choice, choices, hour = rng.random, rng.choice, rng.choices, timedelta(hours=1)
        claimants = [None, *people, *bodies]  # a third made by nobody known, as before
        claimant_weights = [len(people) + len(bodies), *[1] * (len(people) + len(bodies))]
        claim_ids = sink.reserve(Claim, size)
        claims, subjects, tagged, log = [], [], [], []
        for k in range(size):
            pk = claim_ids[k]
            language = "uk" if random() < 0.4 else "en"
            a, b = rng.sample(people, 2)
            text = choice(SUBJECT_UK if language == "uk" else SUBJECT_EN).format(a=a.name, b=b.name)
            claimant = choices(claimants, claimant_weights)[0]
            seen = now - timedelta(seconds=rng.randrange(span))
            withdrawn = random() < 0.02  # withdrawn by the desk
            user = choice(users)
            claim_tags = rng.sample(tags, choice((0, 1, 1, 2, 2, 3)))
            claims.append(
                (
                    pk,
                    text,
                    f"c{token}-{offset + k}",
                    claimant.pk if claimant else None,
                    seen,
                    "Synthetic claim for benchmarks.",
                    language,
                    user.pk,
                    seen + hour,
                    seen + 2 * hour,
                    seen + 2 * hour if withdrawn else None,
                    "Duplicate." if withdrawn else "",
                )
            )
            subjects += ((pk, a.pk), (pk, b.pk))
            tagged += ((pk, tag.pk) for tag in claim_tags)
            if history:
                changes = {
                    "text": text,
                    "slug": claims[-1][2],
                    "claimant": claims[-1][3],
                    "first_seen_at": str(seen),
                    "context": "Synthetic claim for benchmarks.",
                    "language": language,
                    "created_by": user.pk,
                    "withdrawn_at": None,
                    "withdrawn_reason": "",
                    "subjects": sorted((a.pk, b.pk)),
                    "tags": sorted(tag.pk for tag in claim_tags),
                }
                changes = created_changes(changes)
                log.append(self.entry(Claim, pk, text, pk, "created", changes, user, seen + hour))
                if withdrawn:
                    changes = {"withdrawn_at": [None, str(seen + 2 * hour)]}
                    changes["withdrawn_reason"] = ["", "Duplicate."]
                    log.append(
                        self.entry(Claim, pk, text, pk, "withdrawn", changes, user, seen + 2 * hour)
                    )
        sink.write(Claim.subjects.through, ("claim_id", "actor_id"), subjects)
        sink.write(Claim.tags.through, ("claim_id", "tag_id"), tagged)

        # The review gate: most chains were approved by a second editor a few hours after they
        # were logged; a few new ones wait in the queue, some public ones have a pending edit,
        # and some of those were returned to their author with a note.
        approvals, review = {}, []
        for claim in claims:
            claim_pk, text, seen, creator = claim[0], claim[1], claim[4], claim[7]
            if random() < PENDING_CLAIMS:
                review.append(
                    self.change(claim_pk, Claim, claim_pk, "created", {"text": text}, creator,
                                seen + hour, applied=True)
                )  # fmt: skip
                continue
            approver = choice([user for user in users if user.pk != creator])
            approvals[claim_pk] = (seen + 3 * hour, approver.pk)
            roll = random()
            if roll < PENDING_EDITS:
                returned = roll < RETURNED_EDITS
                review.append(
                    self.change(
                        claim_pk, Claim, claim_pk, "changed",
                        {"context": "Edited context awaiting review."}, creator, seen + 5 * hour,
                        returned_by=approver.pk if returned else None,
                    )
                )  # fmt: skip
            if history:
                log.append(
                    self.entry(Claim, claim_pk, text, claim_pk, "approved",
                               {"pending changes": [1, 0]}, approver, seen + 3 * hour)
                )  # fmt: skip

        # Reports: the origin and its repeats and mentions, with a share archived.
        per_claim = choices((1, 2, 3, 4), weights=(40, 30, 20, 10), k=size)
        report_ids = iter(sink.reserve(Report, sum(per_claim)))
        reports, carriages, snapshots, carried = [], [], [], []
        for claim, count in zip(claims, per_claim, strict=True):
            claim_pk, text, slug, seen, language = claim[0], claim[1], claim[2], claim[4], claim[6]
            own = []
            for n in range(count):
                report_pk = next(report_ids)
                outlet = choice(outlets)
                published = seen + timedelta(minutes=rng.randrange(60 * 24 * 5)) if n else seen
                url = f"https://{outlet.slug}.example/news/{slug}-{n}"
                title = (f"{text}, says {outlet.name}" if n else text)[:500]
                body = f"{text}. Synthetic article body for benchmarking."
                reports.append((report_pk, outlet.pk, url, title, published, language, body))
                role = (
                    CarriageRole.ORIGIN
                    if n == 0
                    else (CarriageRole.REPEAT if random() < 0.5 else CarriageRole.MENTION)
                )
                carriages.append(
                    (claim_pk, report_pk, text, role.value, *approvals.get(claim_pk, (None, None)))
                )
                if random() < share:
                    content = (
                        f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
                        f"<p>{body}</p></body></html>"
                    ).encode()
                    snapshots.append(
                        (
                            report_pk,
                            url,
                            published + hour,
                            200,
                            "text/html; charset=utf-8",
                            hashlib.sha256(content).hexdigest(),
                            content,
                        )
                    )
                own.append(report_pk)
            carried.append(own)
        sink.write(
            Report,
            ("id", "outlet_id", "url", "title", "published_at", "language", "body"),
            reports,
        )
        sink.write(
            Carriage,
            ("claim_id", "report_id", "wording", "role", "approved_at", "approved_by_id"),
            carriages,
        )
        sink.write(
            Snapshot,
            ("report_id", "url", "fetched_at", "status_code", "content_type", "sha256", "content"),
            snapshots,
        )

        # Responses on 60% of claims.
        answered = [
            (claim, own, choices((1, 2, 3), weights=(70, 22, 8))[0])
            for claim, own in zip(claims, carried, strict=True)
            if random() < 0.6
        ]
        total = sum(count for _, _, count in answered)
        stances = choices([v for v, _ in STANCE_MIX], [w for _, w in STANCE_MIX], k=total)
        response_ids = iter(sink.reserve(Response, total))
        responses = []
        for claim, own, count in answered:
            claim_pk, text, seen = claim[0], claim[1], claim[4]
            for _ in range(count):
                response_pk = next(response_ids)
                attribution = choice(Attribution.values)
                responder = choice(bodies) if random() < 0.8 else choice(people)
                stance = stances[len(responses)]
                speaker = (
                    f"{choice(FIRST)} {choice(LAST)}"
                    if attribution == Attribution.NAMED_OFFICIAL
                    else ""
                )
                quote = choice(QUOTES)
                at = seen + timedelta(hours=rng.randrange(1, 24 * 10))
                report = choice(own)
                approved = approvals.get(claim_pk, (None, None))
                if approved[0] is not None and random() < PENDING_RESPONSES:
                    # A new response on a public chain, waiting for review.
                    approved = (None, None)
                    review.append(
                        self.change(claim_pk, Response, response_pk, "created", {"quote": quote},
                                    claim[7], at + hour, applied=True)
                    )  # fmt: skip
                responses.append(
                    (
                        response_pk,
                        claim_pk,
                        responder.pk,
                        stance.value,
                        attribution,
                        speaker,
                        quote,
                        report,
                        at,
                        at + hour,
                        at + hour,
                        *approved,
                    )
                )
                if history:
                    user = choice(users)
                    changes = {
                        "claim": claim_pk,
                        "responder": responder.pk,
                        "stance": stance.value,
                        "attribution": attribution,
                        "speaker_name": speaker,
                        "quote": quote,
                        "report": report,
                        "responded_at": str(at),
                        "created_by": None,
                        "withdrawn_at": None,
                        "withdrawn_reason": "",
                    }
                    changes = created_changes(changes)
                    headline = f"{responder.name} {stance.label}: {text}"
                    log.append(
                        self.entry(
                            Response, response_pk, headline, claim_pk, "created", changes, user,
                            at + hour,
                        )
                    )  # fmt: skip
        sink.write(
            Response,
            (
                "id",
                "claim_id",
                "responder_id",
                "stance",
                "attribution",
                "speaker_name",
                "quote",
                "report_id",
                "responded_at",
                "created_at",
                "updated_at",
                "approved_at",
                "approved_by_id",
            ),
            responses,
        )
        sink.write(
            PendingChange,
            (
                "claim_id",
                "content_type_id",
                "object_id",
                "kind",
                "values",
                "base_version",
                "applied",
                "author_id",
                "created_at",
                "state",
                "reviewer_id",
                "reviewed_at",
                "review_note",
            ),
            review,
        )

        # Verdicts on 47% of claims: published, in review, drafts, and a few withdrawn.
        judged = [(claim, random()) for claim in claims]
        judged = [(claim, roll) for claim, roll in judged if roll < 0.47]
        ratings = choices([v for v, _ in RATING_MIX], [w for _, w in RATING_MIX], k=len(judged))
        verdict_ids = iter(sink.reserve(Verdict, len(judged)))
        verdicts, corrections = [], []
        for (claim, roll), rating in zip(judged, ratings, strict=True):
            claim_pk, text, seen = claim[0], claim[1], claim[4]
            verdict_pk = next(verdict_ids)
            if roll < 0.35:
                state = VerdictState.PUBLISHED
            elif roll < 0.45:
                state = VerdictState.DRAFT if roll < 0.40 else VerdictState.IN_REVIEW
            else:
                state = VerdictState.WITHDRAWN
            if claim_pk not in approvals and state != VerdictState.DRAFT:
                state = VerdictState.IN_REVIEW  # a verdict waits for its chain's approval
            author, reviewer = rng.sample(users, 2)
            created = seen + timedelta(hours=6)
            submitted = None if state == VerdictState.DRAFT else seen + timedelta(days=1)
            reviewed = state in (VerdictState.PUBLISHED, VerdictState.WITHDRAWN)
            published = seen + timedelta(days=2) if reviewed else None
            withdrawn = seen + timedelta(days=4) if state == VerdictState.WITHDRAWN else None
            reason = "Published in error: the claim was misread." if withdrawn else ""
            verdicts.append(
                (
                    verdict_pk,
                    claim_pk,
                    rating.value,
                    "Synthetic verdict summary.",
                    "Synthetic rationale. " * 5,
                    state.value,
                    author.pk,
                    reviewer.pk if reviewed else None,
                    submitted,
                    published,
                    withdrawn,
                    reason,
                    created,
                    withdrawn or published or submitted or created,
                    1 + (submitted is not None) + reviewed + (withdrawn is not None),
                )
            )
            corrected = state == VerdictState.PUBLISHED and random() < 0.05
            if corrected:
                corrected_at = published + 3 * 24 * hour
                corrections.append(
                    (
                        verdict_pk,
                        "We corrected a date in the rationale.",
                        corrected_at,
                        corrected_at,
                    )
                )
            if history:
                label = f"{rating.label} ({{}}): {text}"
                entry = self.entry
                new_verdict = {
                    "claim": claim_pk,
                    "rating": rating.value,
                    "summary": "Synthetic verdict summary.",
                    "state": "draft",
                    "author": author.pk,
                }
                log.append(
                    entry(Verdict, verdict_pk, label.format("Draft"), claim_pk, "created",
                          created_changes(new_verdict), author, created)
                )  # fmt: skip
                if submitted:
                    changes = {
                        "state": ["draft", "in_review"],
                        "submitted_at": [None, str(submitted)],
                    }
                    log.append(
                        entry(Verdict, verdict_pk, label.format("In review"), claim_pk,
                              "submitted", changes, author, submitted)
                    )  # fmt: skip
                if published:
                    changes = {
                        "state": ["in_review", "published"],
                        "reviewer": [None, reviewer.pk],
                        "published_at": [None, str(published)],
                    }
                    log.append(
                        entry(Verdict, verdict_pk, label.format("Published"), claim_pk,
                              "published", changes, reviewer, published)
                    )  # fmt: skip
                if withdrawn:
                    changes = {
                        "state": ["published", "withdrawn"],
                        "withdrawn_at": [None, str(withdrawn)],
                        "withdrawn_reason": ["", reason],
                    }
                    log.append(
                        entry(Verdict, verdict_pk, label.format("Withdrawn"), claim_pk,
                              "withdrawn", changes, reviewer, withdrawn, note=reason)
                    )  # fmt: skip
                if corrected:
                    log.append(
                        entry(Verdict, verdict_pk, label.format("Published"), claim_pk,
                              "corrected", {}, reviewer, published + 3 * 24 * hour,
                              note="We corrected a date in the rationale.")
                    )  # fmt: skip
        sink.write(
            Verdict,
            (
                "id",
                "claim_id",
                "rating",
                "summary",
                "rationale",
                "state",
                "author_id",
                "reviewer_id",
                "submitted_at",
                "published_at",
                "withdrawn_at",
                "withdrawn_reason",
                "created_at",
                "updated_at",
                "version",
            ),
            verdicts,
        )
        sink.write(Correction, ("verdict_id", "text", "published_at", "approved_at"), corrections)
        sink.write(
            HistoryEntry,
            (
                "content_type_id",
                "object_id",
                "object_repr",
                "claim_id",
                "action",
                "changes",
                "note",
                "user_id",
                "at",
            ),
            log,
        )
        # The claims go last (foreign keys are checked at commit), with what the reader's lists
        # filter on derived here from the rows above, as models/derived.py derives it: no
        # responses are withdrawn here, and a claim has at most one verdict.
        stances = {}
        approved_responses = [response for response in responses if response[-2] is not None]
        for response in approved_responses:
            stances.setdefault(response[1], set()).add(response[3])
        positions = {pk: OfficialPosition.from_stances(found) for pk, found in stances.items()}
        ratings = {v[1]: v[2] for v in verdicts if v[5] == VerdictState.PUBLISHED}
        # The search terms: of the text, the quotes and the carrying reports' titles.
        words = {claim[0]: [claim[1]] for claim in claims}
        for response in approved_responses:
            words[response[1]].append(response[6])
        titles = {report[0]: report[3] for report in reports}
        for carriage in carriages:
            if carriage[4] is not None:
                words[carriage[0]].append(titles[carriage[1]])
        sink.write_claims(
            (
                "id",
                "text",
                "slug",
                "claimant_id",
                "first_seen_at",
                "context",
                "language",
                "created_by_id",
                "created_at",
                "updated_at",
                "withdrawn_at",
                "withdrawn_reason",
                "official_position",
                "published_rating",
                "search_terms",
                "approved_at",
                "approved_by_id",
            ),
            [
                (
                    *claim,
                    positions.get(claim[0], OfficialPosition.NO_RESPONSE),
                    ratings.get(claim[0], ""),
                    search_terms.document(words[claim[0]]),
                    *approvals.get(claim[0], (None, None)),
                )
                for claim in claims
            ],
        )

    def change(
        self, claim_pk, model, pk, kind, values, author_pk, at, *, applied=False, returned_by=None
    ) -> tuple:
        """One PendingChange row (models/review.py): pending, or returned with a note."""
        return (
            claim_pk,
            self.kinds[model],
            pk,
            kind,
            values,
            1,
            applied,
            author_pk,
            at,
            "returned" if returned_by else "pending",
            returned_by,
            at + timedelta(hours=1) if returned_by else None,
            "Which source says so?" if returned_by else "",
        )

    def entry(self, model, pk, text, claim_pk, action, changes, user, at, note="") -> tuple:
        """One history row, as claims.models.history.record() would write it."""
        action = HistoryAction(action).value
        return (
            self.kinds[model],
            str(pk),
            text[:300],
            claim_pk,
            action,
            changes,
            note,
            user.pk,
            at,
        )
