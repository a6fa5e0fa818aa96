"""
The one write path for a claim's chain: every change from the desk, the importer, the seed
and management commands goes through these functions. The admin is read-only for the chain.

The story of a write:

1. **Version check.** Every edit form carries the version it started from: the row's *desk
   version*, its stored `version` plus the number of changes still waiting on it. The row is
   locked and re-checked; when another editor got there first, `EditConflict` carries the row
   as the desk now sees it, and nothing is written.
2. **The gate.** Nothing is public before a second editor approves it.
   - A claim, carriage or response is created *private* (`approved_at` is empty). Editing or
     withdrawing a private row writes it at once (it is private anyway).
   - A row readers already see (approved, or a report that carries a public carriage) is
     never written by an edit: the change waits as a `PendingChange` holding the proposed
     values, and readers keep seeing the last approved state.
   - Either way the write is recorded as a PendingChange of the claim with its author, so the
     claim's pending work, and who did it, is always known. The claim is the unit of review.
   - `approve(claim, by=reviewer)` publishes all of the claim's pending work in one
     transaction: proposals are applied in order through the same version-checked UPDATE,
     private rows get `approved_at`, pending corrections go public. The reviewer must be a
     reviewer who made none of it (checked here, and by a database constraint on
     PendingChange and Correction), and must have seen the work as it is now: the
     `fingerprint` they approved must still match, else `ReviewConflict` (409).
   - `return_work(claim, by=reviewer, note=...)` sends it back; the author sees it on the
     dashboard, and their next write (or `resubmit`) puts it in the queue again.
   - Verdicts keep their own draft → in review → published workflow (models/verdicts.py);
     a verdict can be published only on a public claim, so a well-sourced denial can be
     public before any rating.
3. **History.** Every write, proposal, approval and return is recorded in HistoryEntry in the
   same transaction (models/history.py).
4. **Derived columns.** A claim's official position, published rating and search document are
   computed from approved rows only (models/derived.py), so they change only when approval
   (or a verdict's workflow) changes what readers see: `approve` refreshes them.
5. **Reader cache.** A write that changes what readers see moves on the versions of the
   pages it shows on, in the same transaction (claims/caching.py `changed()`): an approval
   or a verdict's transition drops the claim's page, the lists and feeds, and the pages of
   its actors, outlets and tags; a name drops its own pages. Every process sees it on its
   next request; nothing else is dropped.

Names: `resolve_actor`, `resolve_outlet` and `resolve_tags` decide once what happens to a
name nobody has filed yet: refuse (`UnknownName`), or create it and say so.
"""

import hashlib
from collections.abc import Iterable
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from claims.caching import changed
from claims.locale import thing

from . import derived, history
from .claims import Carriage, Claim
from .history import HistoryAction, HistoryEntry
from .responses import Response
from .review import ChangeKind, PendingChange, ReviewState
from .sources import Actor, ActorKind, Outlet, OutletKind, Report, Tag, unique_slug
from .verdicts import Correction

# Rows with their own approval. Reports are public through their carriages and responses.
GATED = (Claim, Carriage, Response)
# Reference rows readers see on their own pages; written directly, with history.
NAMES = (Actor, Outlet, Tag)


class EditConflict(Exception):
    """Someone saved the object after this editor loaded it; `current` is the desk's row."""

    def __init__(self, current: models.Model) -> None:
        super().__init__(f"{current._meta.verbose_name} was changed by someone else")
        self.current = current


class ReviewError(ValidationError):
    """An approval or return the rules forbid (the author approving, nothing to approve…)."""


class ReviewConflict(ReviewError):
    """The claim's pending work changed after the reviewer looked at it."""


class ReviewRefused(ReviewError):
    """The two-person rule: this user may not review this work (they made some of it, or
    they are not a reviewer)."""


class UnknownName(ValueError):
    """A name that is not on file, where the caller chose not to create it."""


# Values as JSON and back


def _json_value(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (models.QuerySet, list, tuple, set)):
        return sorted(item.pk if isinstance(item, models.Model) else item for item in value)
    return value


def to_json(values: dict) -> dict:
    return {name: _json_value(value) for name, value in values.items()}


def _split(model: type[models.Model], values: dict) -> tuple[dict, dict]:
    """Separate concrete field values from many-to-many ones."""
    m2m_names = {field.name for field in model._meta.many_to_many}
    plain = {name: value for name, value in values.items() if name not in m2m_names}
    m2m = {name: value for name, value in values.items() if name in m2m_names}
    return plain, m2m


def from_json(model: type[models.Model], data: dict) -> tuple[dict, dict]:
    """Stored proposed values as (column values keyed by attname, many-to-many id lists)."""
    plain, m2m = {}, {}
    for name, value in data.items():
        field = model._meta.get_field(name)
        if field.many_to_many:
            m2m[name] = value
        elif field.is_relation:
            plain[field.attname] = value
        elif isinstance(field, models.DateTimeField) and isinstance(value, str):
            plain[name] = parse_datetime(value)
        else:
            plain[name] = value
    return plain, m2m


# What is public, and the desk's view of a row


def is_public_row(obj: models.Model) -> bool:
    """Readers see this row (or saw it: a withdrawn public row keeps its notice)."""
    if isinstance(obj, GATED):
        return obj.approved_at is not None
    if isinstance(obj, Report):
        return Report.objects.filter(pk=obj.pk).public().exists()
    return False


def claim_of(obj: models.Model, history_claims: Iterable | None = None) -> Claim | None:
    if isinstance(obj, Claim):
        return obj
    if hasattr(obj, "claim_id"):
        return obj.claim
    if isinstance(obj, Report):
        for claim in history_claims or []:
            return claim
        return Claim.objects.carried_in(obj).order_by("pk").first()
    return None


def open_proposals(obj: models.Model):
    return PendingChange.objects.open().proposals().of(obj).order_by("pk")


def desk_version(obj: models.Model) -> int:
    """The version an edit form carries: the row's, plus the changes waiting on it."""
    if not isinstance(obj, (*GATED, Report)):
        return obj.version
    return obj.version + open_proposals(obj).count()


def with_pending(obj: models.Model) -> models.Model:
    """The row as the desk sees it: its waiting changes applied in memory (not saved).
    Many-to-many values waiting are in `pending_m2m`."""
    proposals = list(open_proposals(obj)) if isinstance(obj, (*GATED, Report)) else []
    if not proposals:
        return obj
    view = type(obj)._default_manager.get(pk=obj.pk)
    view.pending_m2m = {}
    for proposal in proposals:
        plain, m2m = from_json(type(obj), proposal.values)
        for name, value in plain.items():
            setattr(view, name, value)
        view.pending_m2m.update(m2m)
    view.version = obj.version + len(proposals)
    view.has_pending = True
    return view


# Creating, editing, withdrawing


def create(
    model: type[models.Model],
    *,
    by,
    values: dict,
    history_claim: Claim | None = None,
    action: str = HistoryAction.CREATED,
    **extra,
) -> models.Model:
    """Create a row with its many-to-many values and record it with all its fields. A claim,
    carriage or response starts private, as pending work of its claim.

    `history_claim` files the entry under a claim's history when the row has no claim of its
    own (a report described while adding a carriage)."""
    plain, m2m = _split(model, values)
    with transaction.atomic():
        obj = model(**plain, **extra)
        if any(field.name == "created_by" for field in model._meta.concrete_fields):
            obj.created_by = _user(by)
        _fill_language(obj)
        obj.save()
        for name, related in m2m.items():
            getattr(obj, name).set(related)
        history.record(
            obj,
            by=by,
            action=action,
            changes=history.creation_changes(obj),
            claim=history_claim,
        )
        if isinstance(obj, GATED):
            _note_change(
                obj,
                claim=claim_of(obj),
                by=by,
                kind=ChangeKind.CREATED,
                values=history.field_values(obj),
                applied=True,
            )
        if isinstance(obj, NAMES):
            changed(names=[obj])  # a name's own page
    return obj


def _fill_language(obj: models.Model) -> None:
    """A report, carriage or response nobody gave a language gets one by the same rule from
    every path: a report its title's and a response its quote's (detected offline), a
    carriage its report's."""
    if getattr(obj, "language", None) != "":
        return
    from claims.languages import detect_language

    if isinstance(obj, Carriage) and obj.report_id:
        obj.language = obj.report.language
    elif isinstance(obj, Response) and obj.quote:
        obj.language = detect_language(obj.quote)
    elif isinstance(obj, Report) and obj.title:
        obj.language = detect_language(obj.title)


def save_edit(
    obj: models.Model,
    *,
    by,
    version: int,
    values: dict,
    action: str = HistoryAction.CHANGED,
    note: str = "",
    history_claims: Iterable | None = None,
) -> models.Model:
    """
    Save `values` onto `obj` if it is still at `version` (its desk version); record it.

    A row readers see is not written: the change waits as a proposal (see the module
    docstring) and the desk's view of the row is returned. Any other row is written with a
    conditional UPDATE that bumps its version; on PostgreSQL a concurrent saver waiting on the
    lock re-checks the version once the first commits, finds it changed and gets a conflict.

    `history_claims` lists the claims whose history shows the change, for rows that have no
    claim of their own (reports).
    """
    model = type(obj)
    history_claims = list(history_claims or [])
    with transaction.atomic():
        locked = model._default_manager.select_for_update().filter(pk=obj.pk).first()
        if locked is None:
            raise model.DoesNotExist
        if desk_version(locked) != version:
            raise EditConflict(with_pending(locked))
        kind = ChangeKind.WITHDRAWN if action == HistoryAction.WITHDRAWN else ChangeKind.CHANGED
        if is_public_row(locked):
            return _propose(
                locked,
                by=by,
                version=version,
                values=values,
                kind=kind,
                note=note,
                history_claims=history_claims,
            )
        before = history.field_values(locked)
        saved = _write(locked, version=locked.version, values=values)
        changes = history.diff(before, history.field_values(saved))
        if changes:
            # A report belongs to no one claim: file the change under each claim it carries.
            for claim in history_claims or [None]:
                history.record(saved, by=by, action=action, changes=changes, note=note, claim=claim)
        claim = claim_of(saved, history_claims)
        if isinstance(saved, (*GATED, Report)) and claim is not None and changes:
            _note_change(
                saved,
                claim=claim,
                by=by,
                kind=kind,
                values=to_json(values),
                applied=True,
                base_version=version,
                note=note,
            )
        if isinstance(saved, NAMES):
            changed(names=[saved])
    return saved


def withdraw(
    obj: models.Model, *, by, version: int, reason: str, duplicate_of: Claim | None = None
) -> models.Model:
    """Withdraw a claim, carriage or response: it stays in the database and in the history.
    A withdrawn public row leaves a public notice; a duplicate claim points to the original."""
    reason = reason.strip()
    if not reason:
        raise ValueError("A withdrawal needs a reason.")
    values = {"withdrawn_at": timezone.now(), "withdrawn_reason": reason}
    if isinstance(obj, Claim) and duplicate_of is not None:
        if duplicate_of.pk == obj.pk:
            raise ValueError("A claim cannot duplicate itself.")
        values["duplicate_of"] = duplicate_of
    return save_edit(
        obj, by=by, version=version, values=values, action=HistoryAction.WITHDRAWN, note=reason
    )


def _user(by):
    return by if getattr(by, "is_authenticated", False) else None


def _write(locked: models.Model, *, version: int, values: dict) -> models.Model:
    """The conditional UPDATE on (pk, version) that bumps the version; many-to-many after."""
    model = type(locked)
    plain, m2m = _split(model, values)
    if any(name in {field.name for field in model._meta.many_to_many} for name in plain):
        raise AssertionError("many-to-many values must be split out")
    update = {}
    for name, value in plain.items():
        field = model._meta.get_field(name)
        update[
            field.attname if field.is_relation and not isinstance(value, models.Model) else name
        ] = value
    if any(field.name == "updated_at" for field in model._meta.concrete_fields):
        update["updated_at"] = timezone.now()
    updated = model._default_manager.filter(pk=locked.pk, version=version).update(
        **update, version=F("version") + 1
    )
    if updated != 1:
        raise EditConflict(with_pending(model._default_manager.get(pk=locked.pk)))
    saved = model._default_manager.get(pk=locked.pk)
    for name, related in m2m.items():
        getattr(saved, name).set(related)
    return saved


def _propose(locked, *, by, version, values, kind, note, history_claims) -> models.Model:
    """Store a change to a public row as a proposal; the row is left as readers see it."""
    before = with_pending(locked)
    before_values = history.field_values(before)
    before_values.update(getattr(before, "pending_m2m", {}))
    proposed = to_json(values)
    changes = {
        name: [before_values.get(name), value]
        for name, value in proposed.items()
        if before_values.get(name) != value
    }
    claim = claim_of(locked, history_claims)
    if not changes:
        return before
    _note_change(
        locked,
        claim=claim,
        by=by,
        kind=kind,
        values=proposed,
        applied=False,
        base_version=version,
        note=note,
    )
    history.record(
        locked, by=by, action=HistoryAction.PROPOSED, changes=changes, note=note, claim=claim
    )
    return with_pending(locked)


def _note_change(obj, *, claim, by, kind, values, applied, base_version=None, note="") -> None:
    """Record the write as pending work of its claim; returned work comes back to the queue."""
    if claim is None:
        return
    _reopen_returned(claim, by=by)
    PendingChange.objects.create(
        claim=claim,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        kind=kind,
        values=values,
        base_version=base_version if base_version is not None else obj.version,
        applied=applied,
        note=note,
        author=_user(by),
    )


def _reopen_returned(claim: Claim, *, by) -> int:
    reopened = (
        PendingChange.objects.returned()
        .filter(claim=claim)
        .update(state=ReviewState.PENDING, reviewer=None, reviewed_at=None)
    )
    if reopened:
        history.record(claim, by=by, action=HistoryAction.RESUBMITTED, claim=claim)
    return reopened


# Review


def pending_work(claim: Claim) -> tuple[list[PendingChange], list[Correction]]:
    changes = list(
        PendingChange.objects.pending()
        .filter(claim=claim)
        .select_related("author", "content_type")
        .order_by("pk")
    )
    corrections = list(
        Correction.objects.pending()
        .filter(verdict__claim=claim)
        .select_related("verdict", "created_by")
        .order_by("pk")
    )
    return changes, corrections


def fingerprint(changes: list[PendingChange], corrections: list[Correction]) -> str:
    """What the reviewer looked at: any new change or correction gives a new fingerprint."""
    text = ",".join(f"c{c.pk}" for c in changes) + ";" + ",".join(f"k{c.pk}" for c in corrections)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def claim_fingerprint(claim: Claim) -> str:
    return fingerprint(*pending_work(claim))


def pending_authors(claim: Claim) -> set:
    """Who made the claim's pending work (None for the system)."""
    changes, corrections = pending_work(claim)
    return {c.author_id for c in changes} | {c.created_by_id for c in corrections}


def _check_reviewer(claim, *, by, system, given_fingerprint, changes, corrections) -> None:
    from claims.roles import is_reviewer

    if given_fingerprint is not None and given_fingerprint != fingerprint(changes, corrections):
        raise ReviewConflict(
            "This claim's pending work changed after you opened it: look at it again."
        )
    if not changes and not corrections:
        raise ReviewError(_("Nothing on this claim is waiting for review."))
    if by is None:
        if not system:
            raise ReviewError(_("A review needs a reviewer."))
        return
    if not is_reviewer(by):
        raise ReviewRefused(_("Only a reviewer can approve or return an editor's work."))
    authors = {c.author_id for c in changes} | {c.created_by_id for c in corrections}
    if by.pk in authors:
        raise ReviewRefused(_("You made some of this work: a second editor has to review it."))


def approve(
    claim: Claim, *, by, fingerprint: str | None = None, system: bool = False, note: str = ""
) -> int:
    """Publish all of the claim's pending work (see the module docstring). `by=None` with
    `system=True` is a system approval (the seed), recorded as such. Returns how many
    changes and corrections were approved."""
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        changes, corrections = pending_work(claim)
        _check_reviewer(
            claim,
            by=by,
            system=system,
            given_fingerprint=fingerprint,
            changes=changes,
            corrections=corrections,
        )
        # The pages the claim shows on now (an approved change may move it off some).
        changed(claim_ids=[claim.pk])
        now = timezone.now()
        reviewer = _user(by)
        touched_claims = {claim.pk}
        for change in changes:
            if not change.applied:
                touched_claims |= _apply(change, reviewer=reviewer)
        # Private rows of the chain become public.
        gate = {"approved_at": now, "approved_by": reviewer}
        first_public = list(
            Response.objects.filter(claim=claim, approved_at__isnull=True).values_list(
                "pk", flat=True
            )
        )
        Claim.objects.filter(pk=claim.pk, approved_at__isnull=True).update(**gate)
        Carriage.objects.filter(claim=claim, approved_at__isnull=True).update(**gate)
        Response.objects.filter(claim=claim, approved_at__isnull=True).update(**gate)
        for correction in corrections:
            _publish_correction(correction, reviewer=reviewer, now=now)
        PendingChange.objects.filter(pk__in=[c.pk for c in changes]).update(
            state=ReviewState.APPROVED, reviewer=reviewer, reviewed_at=now
        )
        count = len(changes) + len(corrections)
        history.record(
            claim,
            by=by,
            action=HistoryAction.APPROVED,
            changes={"pending changes": [count, 0]},
            note=note or ("Approved by the system." if reviewer is None else ""),
            claim=claim,
        )
        derived.refresh(touched_claims)
        changed(claim_ids=touched_claims)
        _tell_partners(first_public, corrections)
    return count


def _tell_partners(response_ids: list[int], corrections: list[Correction]) -> None:
    """Partners' webhooks for what this approval made public for the first time: new denials
    (not edits of public ones) and corrections. Delivered once the transaction commits."""
    from claims.api.webhooks import notify, notify_denial  # the API sits above the models

    for response in Response.objects.public().filter(pk__in=response_ids).order_by("pk"):
        notify_denial(response)
    for correction in Correction.objects.public().filter(pk__in=[c.pk for c in corrections]):
        notify("correction.published", correction)


def return_work(claim: Claim, *, by, note: str, fingerprint: str | None = None) -> int:
    """Send the claim's pending work back to its authors with a note."""
    note = note.strip()
    if not note:
        raise ReviewError(_("Say what needs to change when returning work."))
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        changes, corrections = pending_work(claim)
        _check_reviewer(
            claim,
            by=by,
            system=False,
            given_fingerprint=fingerprint,
            changes=changes,
            corrections=corrections,
        )
        now = timezone.now()
        PendingChange.objects.filter(pk__in=[c.pk for c in changes]).update(
            state=ReviewState.RETURNED, reviewer=by, reviewed_at=now, review_note=note
        )
        for correction in corrections:
            # A returned correction was never public: it goes, its text stays in the history.
            history.record(
                correction,
                by=by,
                action=HistoryAction.RETURNED_FOR_WORK,
                note=f"{note} (correction: {correction.text})",
                claim=claim,
            )
            correction.delete()
        history.record(claim, by=by, action=HistoryAction.RETURNED_FOR_WORK, note=note, claim=claim)
    return len(changes) + len(corrections)


def resubmit(claim: Claim, *, by) -> int:
    """Put returned work back in the queue unchanged (the author disagrees with the note)."""
    with transaction.atomic():
        return _reopen_returned(claim, by=by)


def _apply(change: PendingChange, *, reviewer) -> set[int]:
    """Write a proposal onto its row (version-checked); return the claims it feeds."""
    model = change.target_model
    locked = model._default_manager.select_for_update().get(pk=change.object_id)
    before = history.field_values(locked)
    plain, m2m = from_json(model, change.values)
    names = {}
    for attname, value in plain.items():
        field = next(f for f in model._meta.concrete_fields if f.attname == attname)
        names[field.name] = value
    try:
        saved = _write(locked, version=change.base_version, values={**names, **m2m})
    except EditConflict:
        raise ReviewConflict(
            _("This changed outside the review (%(thing)s): look at it again.")
            % {"thing": thing(model._meta.model_name)}
        ) from None
    action = (
        HistoryAction.WITHDRAWN if change.kind == ChangeKind.WITHDRAWN else HistoryAction.CHANGED
    )
    history.record(
        saved,
        by=change.author,
        action=action,
        changes=history.diff(before, history.field_values(saved)),
        note=change.note or (f"Approved by {reviewer}." if reviewer else "Approved."),
        claim=change.claim,
    )
    if isinstance(saved, Report):
        return set(saved.carriages.values_list("claim_id", flat=True))
    return {change.claim_id}


def _publish_correction(correction: Correction, *, reviewer, now) -> None:
    from .verdicts import Verdict

    verdict = Verdict.objects.select_for_update().get(pk=correction.verdict_id)
    correction.approved_at = correction.published_at = now
    correction.approved_by = reviewer
    update = ["approved_at", "published_at", "approved_by"]
    if correction.rating and correction.rating != verdict.rating:
        correction.previous_rating = verdict.rating
        update.append("previous_rating")
        Verdict.objects.filter(pk=verdict.pk).update(rating=correction.rating)
    correction.save(update_fields=update)
    Verdict.objects.filter(pk=verdict.pk).update(version=F("version") + 1, updated_at=now)
    history.record(
        verdict,
        by=correction.created_by,
        action=HistoryAction.CORRECTED,
        changes={"rating": [correction.previous_rating, correction.rating]}
        if correction.previous_rating
        else {},
        note=correction.text,
    )


# Names


def _resolve(model, name: str, *, by, create_missing: bool, **fields):
    name = " ".join(name.split())
    if not name:
        raise UnknownName(f"An empty {model._meta.verbose_name} name.")
    found = model.objects.filter(name__iexact=name).first()
    if found is not None:
        return found, False
    if not create_missing:
        raise UnknownName(
            f"No {model._meta.verbose_name} called “{name}” is on file: add it first."
        )
    max_length = model._meta.get_field("name").max_length
    name = name[:max_length]
    obj = create(
        model,
        by=by,
        values={"name": name, **fields},
        slug=unique_slug(model, name, max_length=80 if model is Actor else 100),
        action=HistoryAction.IMPORTED,
    )
    return obj, True


def resolve_actor(name: str, *, by, create: bool = False, kind: str = ActorKind.ORGANISATION):
    """The actor of this name (any case): found, or created when `create` (and then the
    second value is True, so the caller says so), or `UnknownName`."""
    return _resolve(Actor, name, by=by, create_missing=create, kind=kind)


def resolve_outlet(
    name: str, *, by, create: bool = False, homepage: str = "", kind: str = OutletKind.ONLINE
):
    return _resolve(Outlet, name, by=by, create_missing=create, homepage=homepage, kind=kind)


def resolve_tags(names: Iterable[str], *, by, create: bool = False) -> tuple[list[Tag], list]:
    """The tags of these names, and those created now."""
    tags, created = [], []
    for name in names:
        if not name.strip():
            continue
        tag, new = _resolve(Tag, name[:100], by=by, create_missing=create)
        tags.append(tag)
        if new:
            created.append(tag)
    return tags, created


def history_of(claim: Claim):
    return claim.history.select_related("user", "content_type").order_by("-at", "-pk")


__all__ = [
    "EditConflict",
    "HistoryEntry",
    "ReviewConflict",
    "ReviewError",
    "ReviewRefused",
    "UnknownName",
    "approve",
    "create",
    "desk_version",
    "resolve_actor",
    "resolve_outlet",
    "resolve_tags",
    "resubmit",
    "return_work",
    "save_edit",
    "with_pending",
    "withdraw",
]
