"""
The one write path for a claim's chain: every change from the desk, the importer, the seed
and management commands goes through these functions. The admin is read-only for the chain.

The story of a write:

1. **Version check.** Every edit form carries the version it started from: the row's *desk
   version*, its stored `version` plus the number of changes still waiting on it. The row is
   locked and re-checked; when another editor got there first, `EditConflict` carries the row
   as the desk now sees it, and nothing is written.
2. **The gate.** Nothing is public before a second editor approves it.
   - A claim, carriage, response or narrative membership (a claim's place in a narrative)
     is created *private* (`approved_at` is empty). Editing or withdrawing a private row
     writes it at once (it is private anyway); detaching a claim from a narrative is a
     withdrawal of its membership.
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
     dashboard, the note stays in the claim's thread (models/threads.py), and their next
     write (or `resubmit`) puts it in the queue again. A correction (`propose_correction`)
     has its review row too, so a returned one is kept with the note like any other
     returned change.
   - The people concerned are emailed (claims/notifications.py): reviewers when a claim
     enters the queue, authors when their work is returned or approved; never the actor.
   - Verdicts keep their own draft → in review → published workflow (models/verdicts.py);
     a verdict can be published only on a public claim, so a well-sourced denial can be
     public before any rating.
3. **History.** Every write, proposal, approval and return is recorded in HistoryEntry in the
   same transaction (models/history.py).
4. **Vectors.** A drafted or approved claim text or carriage wording is encoded by the task
   worker once the write commits (claims/vector_tasks.py), for similar claims in any language.
5. **Derived columns.** A claim's official position, published rating and search document are
   computed from approved rows only (models/derived.py), so they change only when approval
   (or a verdict's workflow) changes what readers see: `approve` refreshes them.
6. **Reader cache.** A write that changes what readers see moves on the versions of the
   pages it shows on, in the same transaction (claims/caching.py `changed()`): an approval
   or a verdict's transition drops the claim's page, the lists and feeds, and the pages of
   its actors, outlets and tags; a name drops its own pages. Every process sees it on its
   next request; nothing else is dropped.

6. **Translations.** A claim's text, a response's quote and a verdict's summary can be
   translated (`add_translation`, `edit_translation`, `confirm_translation`; `withdraw`):
   a translation is a gated row like a response, and keeps the exact source text it was made
   from. Whenever a source's text is really written (a private row's edit, or an approved
   proposal), its translations made from another text are marked stale in the same
   transaction, with history; readers see only approved, current translations, so a stale
   one disappears from their pages until an editor updates or confirms it and a second
   editor approves that.

Names: `resolve_name` (and `resolve_actor`, `resolve_outlet`, `resolve_tags`) decide once
how a typed name is read, for the desk's forms and the importer alike: by slug, or by name in
any case with spaces squeezed; a name several rows share is refused (`AmbiguousName`); a name
nobody has filed is refused (`UnknownName`, the desk) or created and said (the importer).

Writes that do not come through here, on purpose: a verdict's own workflow (its methods in
models/verdicts.py lock, check the two-person rule, version, record and refresh the same
way); `generate_claims`, which bulk-loads synthetic benchmark data with its approval states
and history already in the rows; `import_data`, which restores a verified export verbatim
into an empty database. The admin is read-only for the chain.
"""

import hashlib
from collections.abc import Iterable
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from claims import notifications
from claims.caching import before_change, changed
from claims.languages import detect_language
from claims.locale import thing
from claims.vector_tasks import enqueue_refresh

from . import derived, history, merging, threads
from .claims import Carriage, Claim
from .external_reviews import ExternalReview
from .history import HistoryAction, HistoryEntry
from .narratives import Narrative, NarrativeClaim
from .responses import Response
from .review import ChangeKind, PendingChange, ReviewState
from .sources import (
    Actor,
    ActorChannel,
    ActorKind,
    Outlet,
    OutletKind,
    Report,
    SlugAlias,
    Tag,
    unique_slug,
)
from .translations import SOURCE_FIELDS, Translation, TranslationStatus, TranslatorKind, part_of
from .verdicts import Correction, Verdict

# Rows with their own approval. Reports are public through their carriages and responses.
GATED = (Claim, Carriage, Response, ExternalReview, NarrativeClaim, Translation)
# Reference rows readers see on their own pages; written directly, with history.
NAMES = (Actor, Outlet, Tag, Narrative)


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


class MergeRefused(ValidationError):
    """A merge the rules forbid now (see models/merging.py for the reasons)."""


class UnknownName(ValueError):
    """A name that is not on file, where the caller chose not to create it."""


class AmbiguousName(UnknownName):
    """A name several rows share: the caller has to name one by its slug."""


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
        if isinstance(obj, Report):
            _archive(obj, by=by, before="")
    return obj


def _archive(report: Report, *, by, before: str) -> None:
    """Every source archived: a report whose link is new is queued for the task worker (when
    the transaction commits; claims/archiving.py)."""
    if report.link and report.link != before:
        from claims.archiving import request_archive  # the worker's module sits above the models

        request_archive(report, by=by, fresh=bool(before))


def _fill_language(obj: models.Model) -> None:
    """A report, carriage or response nobody gave a language gets one by the same rule from
    every path: a report its title's and a response its quote's (detected offline), a
    carriage its report's."""
    if getattr(obj, "language", None) != "":
        return
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
        _mark_stale_translations(saved, by=by)
        if isinstance(saved, Report):
            _archive(saved, by=by, before=locked.link)
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
    reopened = _reopen_returned(claim, by=by)
    # The claim enters the review queue now: ask for a review (once, not at every write).
    entering = not reopened and not PendingChange.objects.pending().filter(claim=claim).exists()
    _change_row(
        obj,
        claim=claim,
        by=by,
        kind=kind,
        values=values,
        applied=applied,
        base_version=base_version,
        note=note,
    )
    if entering:
        notifications.review_requested(claim, by=by)
    if applied and isinstance(obj, (Claim, Carriage)):
        enqueue_refresh(claim.pk)  # a drafted text or wording gets its vector


def _change_row(
    obj, *, claim, by, kind, applied, values=None, base_version=None, note=""
) -> PendingChange:
    return PendingChange.objects.create(
        claim=claim,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        kind=kind,
        values=history.field_values(obj) if values is None else values,
        base_version=base_version if base_version is not None else getattr(obj, "version", 1),
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
        notifications.review_requested(claim, by=by)
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


def count_of(changes: list[PendingChange], corrections: list[Correction]) -> int:
    """How many things wait: a correction once, though it has its own review row."""
    return len([c for c in changes if c.target_model is not Correction]) + len(corrections)


def row_changes(changes: list[PendingChange]) -> list[PendingChange]:
    """The changes to rows of the chain (corrections are listed as corrections)."""
    return [c for c in changes if c.target_model is not Correction]


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
        # What readers are shown of the claim now (an approved change may move it off some
        # lists, or leave every list as it was).
        before = before_change([claim.pk])
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
        ExternalReview.objects.filter(claim=claim, approved_at__isnull=True).update(**gate)
        NarrativeClaim.objects.filter(claim=claim, approved_at__isnull=True).update(**gate)
        Translation.objects.filter(claim=claim, approved_at__isnull=True).update(**gate)
        for correction in corrections:
            _publish_correction(correction, reviewer=reviewer, now=now)
        PendingChange.objects.filter(pk__in=[c.pk for c in changes]).update(
            state=ReviewState.APPROVED, reviewer=reviewer, reviewed_at=now
        )
        count = count_of(changes, corrections)
        history.record(
            claim,
            by=by,
            action=HistoryAction.APPROVED,
            changes={"pending changes": [count, 0]},
            note=note or ("Approved by the system." if reviewer is None else ""),
            claim=claim,
        )
        derived.refresh(touched_claims)
        changed(claim_ids=touched_claims, before=before)
        for touched in touched_claims:
            enqueue_refresh(touched)  # an approved text or wording gets its vector
        _tell_partners(first_public, corrections)
        notifications.send(
            notifications.APPROVED, to=_authors(changes, corrections), by=by, claim=claim
        )
    return count


def _authors(changes: list[PendingChange], corrections: list[Correction]) -> list:
    return [c.author for c in changes] + [c.created_by for c in corrections]


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
        # A returned correction is kept, like any returned change, until its author puts it
        # back in review; one proposed before corrections had review rows gets one now.
        reviewed = {c.object_id for c in changes if c.target_model is Correction}
        changes += [
            _change_row(c, claim=claim, by=c.created_by, kind=ChangeKind.CREATED, applied=True)
            for c in corrections
            if c.pk not in reviewed
        ]
        PendingChange.objects.filter(pk__in=[c.pk for c in changes]).update(
            state=ReviewState.RETURNED, reviewer=by, reviewed_at=now, review_note=note
        )
        for correction in corrections:
            history.record(
                correction, by=by, action=HistoryAction.RETURNED_FOR_WORK, note=note, claim=claim
            )
        history.record(claim, by=by, action=HistoryAction.RETURNED_FOR_WORK, note=note, claim=claim)
        # The note stays in the claim's thread, whatever happens to the work after.
        threads.post_note(claim, by=by, text=note, kind=threads.NoteKind.RETURNED)
        notifications.send(
            notifications.RETURNED,
            to=_authors(changes, corrections),
            by=by,
            claim=claim,
            note=note,
        )
    return count_of(changes, corrections)


def propose_correction(verdict, *, by, text: str, rating: str = "") -> Correction:
    """A correction of a published verdict, pending with the claim's other work (the
    verdict checked the rules), reviewed like any change: approved with the claim's work, or
    returned to its author with the note and kept until they put it back in review."""
    with transaction.atomic():
        correction = Correction.objects.create(
            verdict=verdict, text=text, rating=rating, created_by=_user(by), published_at=None
        )
        _note_change(
            correction,
            claim=verdict.claim,
            by=by,
            kind=ChangeKind.CREATED,
            applied=True,
            values=history.field_values(correction),
        )
        history.record(
            correction,
            by=by,
            action=HistoryAction.PROPOSED,
            changes=history.creation_changes(correction),
            note=correction.text,
            claim=verdict.claim,
        )
    return correction


def resubmit(claim: Claim, *, by) -> int:
    """Put returned work back in the queue unchanged (the author disagrees with the note)."""
    with transaction.atomic():
        return _reopen_returned(claim, by=by)


def _apply(change: PendingChange, *, reviewer) -> set[int]:
    """Write a proposal onto its row (version-checked); return the claims it feeds."""
    if change.kind == ChangeKind.MERGED:
        return _merge(change, reviewer=reviewer)
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
    _mark_stale_translations(saved, by=change.author)
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
        _archive(saved, by=reviewer, before=locked.link)
        # Every claim whose chain shows the report: those it carried and those it only hosts
        # an official response for.
        carried = saved.carriages.values_list("claim_id", flat=True)
        return set(carried) | set(saved.responses.values_list("claim_id", flat=True))
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


# Translations


class TranslationError(ValueError):
    """A translation the rules refuse (nothing to translate, same language, a duplicate…)."""


def _source_now(source: models.Model) -> models.Model:
    """The source as the desk sees it: a public row's waiting edit counts, so a translation
    made or confirmed beside an edited original matches it once both are approved."""
    return with_pending(source) if isinstance(source, GATED) else source


def _source_values(part, source: models.Model) -> dict:
    """The snapshot a translation keeps of its source: exact text and language."""
    view = _source_now(source)
    text = getattr(view, SOURCE_FIELDS[part][1]) or ""
    if not text.strip():
        raise TranslationError(gettext("There is no text to translate here yet."))
    language = getattr(view, "language", "")
    if isinstance(view, Verdict):
        from claims.languages import detect_language  # verdicts have no language field

        language = detect_language(text)
    return {"source_text": text, "source_language": language}


def already_translated(language: str) -> str:
    return gettext("There is already a translation into “%(language)s”: update that one.") % {
        "language": language
    }


def _primary(language: str) -> str:
    return (language or "").split("-")[0].lower()


def _translator_values(*, by, translator_kind: str, engine: str) -> dict:
    engine = " ".join((engine or "").split())
    if translator_kind == TranslatorKind.MACHINE:
        if not engine:
            raise TranslationError(gettext("Name the engine that made a machine translation."))
        return {"translator_kind": translator_kind, "translator": None, "engine": engine[:100]}
    if translator_kind != TranslatorKind.EDITOR:
        raise TranslationError(gettext("A translation is made by an editor or by a machine."))
    if _user(by) is None:
        raise TranslationError(gettext("An editor's translation names the editor who made it."))
    return {"translator_kind": translator_kind, "translator": _user(by), "engine": ""}


def add_translation(
    source: models.Model,
    *,
    by,
    language: str,
    text: str,
    translator_kind: str = TranslatorKind.EDITOR,
    engine: str = "",
) -> Translation:
    """Translate a claim's text, a response's quote or a verdict's summary. The translation
    starts private, as pending work of its claim, like a new response."""
    part = part_of(source)
    language = (language or "").strip().lower()
    text = (text or "").strip()
    if not text:
        raise TranslationError(gettext("A translation needs its text."))
    if getattr(source, "withdrawn_at", None) is not None:
        raise TranslationError(gettext("This has been withdrawn: there is nothing to translate."))
    snapshot = _source_values(part, source)
    if language and _primary(language) == _primary(snapshot["source_language"]):
        raise TranslationError(
            gettext("The original is already in “%(language)s”.") % {"language": language}
        )
    fk = SOURCE_FIELDS[part][0]
    claim = source if isinstance(source, Claim) else source.claim
    values = {
        "claim": claim,
        "part": part,
        fk: source,
        "language": language,
        "text": text,
        "translated_at": timezone.now(),
        "status": TranslationStatus.CURRENT,
        **snapshot,
        **_translator_values(by=by, translator_kind=translator_kind, engine=engine),
    }
    if not language:
        raise TranslationError(gettext("Give the translation's language, e.g. en."))
    if Translation.objects.of(source).current().filter(language=language).exists():
        raise TranslationError(already_translated(language))
    try:  # the language code's form, the lengths
        Translation(**values).clean_fields(exclude=["claim", "response", "verdict", "translator"])
    except ValidationError as error:
        raise TranslationError(" ".join(error.messages)) from None
    try:
        with transaction.atomic():
            return create(Translation, by=by, values=values)
    except IntegrityError:
        # Another editor added one in the same language meanwhile.
        raise TranslationError(already_translated(language)) from None


def edit_translation(
    translation: Translation,
    *,
    by,
    version: int,
    text: str,
    translator_kind: str = TranslatorKind.EDITOR,
    engine: str = "",
) -> Translation:
    """Update a translation, made now against the source as it is now (so a stale one is
    confirmed by the update). A public one's update waits for a second editor."""
    text = (text or "").strip()
    if not text:
        raise TranslationError(gettext("A translation needs its text."))
    values = {
        "text": text,
        "translated_at": timezone.now(),
        "status": TranslationStatus.CURRENT,
        **_source_values(translation.part, translation.source()),
        **_translator_values(by=by, translator_kind=translator_kind, engine=engine),
    }
    return save_edit(translation, by=by, version=version, values=values)


def confirm_translation(translation: Translation, *, by, version: int) -> Translation:
    """An editor checked a stale translation against the changed original and it still
    holds: it is re-made against the new source, unchanged. A public one's confirmation
    waits for a second editor, and readers keep not seeing it until then."""
    view = with_pending(translation)
    snapshot = _source_values(translation.part, translation.source())
    if view.status == TranslationStatus.CURRENT and view.source_text == snapshot["source_text"]:
        raise TranslationError(gettext("This translation already matches the original."))
    values = {**snapshot, "status": TranslationStatus.CURRENT}
    return save_edit(
        translation,
        by=by,
        version=version,
        values=values,
        note="Confirmed against the changed original.",
    )


def _mark_stale_translations(source: models.Model, *, by) -> int:
    """The source's text was just written: its translations made from another text go
    stale (readers stop seeing them). Their version is left alone, so edits of them already
    waiting for review still apply; a waiting update made against this text puts them back."""
    if not isinstance(source, (Claim, Response, Verdict)):
        return 0
    text = getattr(source, SOURCE_FIELDS[part_of(source)][1]) or ""
    stale = list(
        Translation.objects.of(source)
        .current()
        .filter(status=TranslationStatus.CURRENT)
        .exclude(source_text=text)
        .select_for_update()
    )
    for translation in stale:
        Translation.objects.filter(pk=translation.pk).update(
            status=TranslationStatus.STALE, updated_at=timezone.now()
        )
        history.record(
            translation,
            by=by,
            action=HistoryAction.MARKED_STALE,
            changes={"status": [TranslationStatus.CURRENT.value, TranslationStatus.STALE.value]},
            note="The original changed since this translation: confirm or update it.",
            claim=translation.claim,
        )
    return len(stale)


# Merging a duplicate claim into the claim it duplicates (models/merging.py)


def propose_merge(duplicate: Claim, *, into: Claim, by, version: int, note: str = ""):
    """Propose merging `duplicate` into `into`: pending work of `into`, for a second editor
    (whoever proposed it cannot approve it). Nothing moves before the approval."""
    with transaction.atomic():
        locked = Claim.objects.select_for_update().filter(pk=duplicate.pk).first()
        if locked is None:
            raise Claim.DoesNotExist
        if desk_version(locked) != version:
            raise EditConflict(with_pending(locked))
        into = Claim.objects.select_for_update().get(pk=into.pk)
        plan = merging.plan_merge(locked, into)
        if plan.problems:
            raise MergeRefused(plan.problems)
        returned = merging.open_merge(locked)
        if returned is not None:  # the plan refuses a pending one: this one was returned
            Claim.objects.select_for_update().filter(pk=returned.claim_id).first()
            _drop_merge(returned, locked, by=by, note="Replaced by a new proposal.")
        reason = note.strip() or f"A duplicate of “{into.text}”: merged into it."
        _note_change(
            locked,
            claim=into,
            by=by,
            kind=ChangeKind.MERGED,
            values={"duplicate_of": into.pk, "withdrawn_reason": reason},
            applied=False,
            base_version=locked.version,
            note=reason,
        )
        for claim, changes in (
            (locked, {"duplicate_of": [None, into.pk]}),
            (into, {"merge": [locked.text, into.text]}),
        ):
            history.record(
                claim, by=by, action=HistoryAction.PROPOSED, changes=changes, note=reason
            )
    return plan


def withdraw_merge(duplicate: Claim, *, by, note: str = "") -> PendingChange:
    """Take back the merge of `duplicate` that is waiting for review (or was returned): only
    its proposer or an administrator may. Nothing had moved; the proposal leaves the review
    queue, and both claims' history says who withdrew it and why."""
    with transaction.atomic():
        change = merging.open_merge(duplicate)
        if change is not None:
            # The claim kept first, then the duplicate, as an approval locks them.
            Claim.objects.select_for_update().filter(pk=change.claim_id).first()
            locked = Claim.objects.select_for_update().get(pk=duplicate.pk)
            change = merging.open_merge(locked)  # an approval may have got there first
        if change is None:
            raise MergeRefused(gettext("No merge of this claim is waiting for review."))
        if not merging.may_withdraw(change, by):
            raise MergeRefused(
                gettext(
                    "Only the editor who proposed the merge, or an administrator, can withdraw it."
                )
            )
        _drop_merge(change, locked, by=by, note=note.strip() or "Withdrawn before review.")
    return change


def _drop_merge(change: PendingChange, duplicate: Claim, *, by, note: str) -> None:
    """A merge proposal gone before its review: its row goes (the review queue and the
    fingerprint a reviewer holds no longer count it); the history keeps it."""
    into = change.claim
    change.delete()
    for claim, changes in (
        (duplicate, {"duplicate_of": [into.pk, None]}),
        (into, {"merge": [duplicate.text, None]}),
    ):
        history.record(
            claim, by=by, action=HistoryAction.MERGE_WITHDRAWN, changes=changes, note=note
        )


def _merge(change: PendingChange, *, reviewer) -> set[int]:
    """Apply an approved merge: move what the plan says, withdraw the duplicate, point its
    URLs to the claim kept. Returns both claims (their pages and derived columns change)."""
    duplicate = Claim.objects.select_for_update().get(pk=change.object_id)
    into = Claim.objects.select_for_update().get(pk=change.claim_id)
    if duplicate.version != change.base_version:
        raise ReviewConflict(
            "The duplicate claim changed after the merge was proposed: look at it again."
        )
    plan = merging.plan_merge(duplicate, into, proposal=change)
    if plan.problems:
        raise ReviewConflict(plan.problems)
    # The pages the duplicate shows on under its slug, before the slug goes.
    changed(claim_ids=[duplicate.pk])
    now = timezone.now()
    moved = {"version": F("version") + 1, "updated_at": now}
    Carriage.objects.filter(pk__in=[c.pk for c in plan.carriages]).update(claim=into, **moved)
    for left, kept in plan.same_carriages:
        # Whatever cited the duplicate's carriage cites the kept one of the same report.
        Carriage.objects.filter(cites=left).exclude(pk=kept.pk).update(cites=kept, **moved)
        if kept.cites_id == left.pk:
            upstream = left.cites_id if left.cites_id != kept.pk else None
            Carriage.objects.filter(pk=kept.pk).update(cites_id=upstream, **moved)
    Response.objects.filter(pk__in=[r.pk for r in plan.responses]).update(claim=into, **moved)
    # What hangs on the moved rows and on the claim's file goes with them: the moved quotes'
    # translations, other fact-checkers' reviews and the editors' thread.
    Translation.objects.filter(response__in=[r.pk for r in plan.responses]).update(claim=into)
    ExternalReview.objects.filter(claim=duplicate).update(claim=into)
    threads.Note.objects.filter(claim=duplicate).update(claim=into)
    # The kept claim gains the names and the earliest sighting.
    before = history.field_values(into)
    values = {
        "tags": [*into.tags.all(), *plan.tags],
        "subjects": [*into.subjects.all(), *plan.subjects],
    }
    if duplicate.first_seen_at and (
        into.first_seen_at is None or duplicate.first_seen_at < into.first_seen_at
    ):
        values["first_seen_at"] = duplicate.first_seen_at
    if into.claimant_id is None and duplicate.claimant_id is not None:
        values["claimant"] = duplicate.claimant
    into = _write(into, version=into.version, values=values)
    # Its history and its reviewed work are the kept claim's now; other duplicates follow.
    HistoryEntry.objects.filter(claim=duplicate).update(claim=into)
    PendingChange.objects.filter(claim=duplicate).update(claim=into)
    Claim.objects.filter(duplicate_of=duplicate).update(duplicate_of=into)
    old_slug = duplicate.slug
    duplicate = _write(
        duplicate,
        version=duplicate.version,
        values={
            "withdrawn_at": now,
            "withdrawn_reason": change.values.get("withdrawn_reason") or change.note,
            "duplicate_of": into,
            "slug": unique_slug(Claim, f"merged {duplicate.pk} {old_slug}"),
        },
    )
    # Its old URLs, and any it had before, answer 301 to the kept claim (claims.links).
    SlugAlias.objects.filter(kind="claim", object_id=duplicate.pk).update(object_id=into.pk)
    SlugAlias.objects.create(kind="claim", old_slug=old_slug, object_id=into.pk)
    summary = {
        "carriages moved": [0, len(plan.carriages)],
        "responses moved": [0, len(plan.responses)],
        "same carriages left": [0, len(plan.same_carriages)],
        "same responses left": [0, len(plan.same_responses)],
    }
    history.record(
        duplicate,
        by=change.author,
        action=HistoryAction.MERGED,
        changes={**summary, "duplicate_of": [None, into.pk], "slug": [old_slug, duplicate.slug]},
        note=f"Merged into “{into.text}”.",
        claim=duplicate,
    )
    history.record(
        into,
        by=change.author,
        action=HistoryAction.MERGED,
        changes={**summary, **history.diff(before, history.field_values(into))},
        note=f"“{duplicate.text}” merged into this claim.",
        claim=into,
    )
    return {into.pk, duplicate.pk}


# Names


def _resolve(model, name: str, *, by, create_missing: bool, **fields):
    """The one rule for a typed name: its slug, or its name in any case, names one row; a
    name several rows share names none of them (type the slug); a name nobody has filed is
    refused, or created when the caller creates names (and says so)."""
    name = " ".join(name.split())
    noun = thing(model._meta.model_name)
    words = {"thing": noun, "name": name}
    if not name:
        raise UnknownName(_("An empty %(thing)s name.") % words)
    by_slug = model.objects.filter(slug=name).first()
    if by_slug is not None:
        return by_slug, False
    matches = list(model.objects.filter(name__iexact=name).order_by("pk")[:2])
    if len(matches) == 1:
        return matches[0], False
    if matches:
        raise AmbiguousName(
            _(
                "Several of them (%(thing)s) are called “%(name)s”; "
                "type the slug of the one you mean."
            )
            % words
        )
    if not create_missing:
        raise UnknownName(
            _(
                "No %(thing)s called “%(name)s” yet: "
                "add it under “New %(thing)s” or check the spelling."
            )
            % words
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


def resolve_name(model, name: str, *, by, create: bool = False, **fields):
    """The actor, outlet or tag a typed name names (see `_resolve`), and whether it is new."""
    return _resolve(model, name, by=by, create_missing=create, **fields)


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


# An actor's official channels: a response made on an unverified one is flagged to readers.


def add_channel(actor: Actor, *, by, kind: str, url: str, proof: str = "") -> ActorChannel:
    """File a channel the actor speaks on, unverified: verifying it is a reviewer's call."""
    with transaction.atomic():
        channel = ActorChannel(actor=actor, kind=kind, url=url.strip(), proof=proof.strip())
        channel.full_clean()
        channel.save()
        history.record(channel, by=by, action=HistoryAction.CREATED, changes={"url": [None, url]})
    return channel


def verify_channel(channel: ActorChannel, *, by, proof: str) -> ActorChannel:
    """Mark the channel as the actor's own, with the proof (who, when and where the actor names
    it as theirs). Impersonated officials' channels are the risk: the desk lets only reviewers."""
    proof = proof.strip()
    if not proof:
        raise ValueError("Verifying a channel needs the proof: where the actor names it as theirs.")
    with transaction.atomic():
        locked = ActorChannel.objects.select_for_update().get(pk=channel.pk)
        before = locked.verified_at
        locked.verified_at, locked.verified_by, locked.proof = timezone.now(), _user(by), proof
        locked.save(update_fields=["verified_at", "verified_by", "proof"])
        history.record(
            locked,
            by=by,
            action=HistoryAction.CHANGED,
            changes={"verified": [before is not None, True], "proof": [None, proof]},
        )
        _channel_claims_changed(locked.actor)
    return locked


def unverify_channel(channel: ActorChannel, *, by, reason: str) -> ActorChannel:
    reason = reason.strip()
    if not reason:
        raise ValueError("Say why the channel is no longer taken as verified.")
    with transaction.atomic():
        locked = ActorChannel.objects.select_for_update().get(pk=channel.pk)
        locked.verified_at, locked.verified_by = None, None
        locked.save(update_fields=["verified_at", "verified_by"])
        history.record(
            locked,
            by=by,
            action=HistoryAction.CHANGED,
            changes={"verified": [True, False]},
            note=reason,
        )
        _channel_claims_changed(locked.actor)
    return locked


def _channel_claims_changed(actor: Actor) -> None:
    # The flag shows on the claim pages of the actor's responses, and on its own page.
    claim_ids = (
        Response.objects.approved().filter(responder=actor).values_list("claim_id", flat=True)
    )
    changed(claim_ids=set(claim_ids), names=[actor])


def history_of(claim: Claim):
    return claim.history.select_related("user", "content_type").order_by("-at", "-pk")


__all__ = [
    "AmbiguousName",
    "EditConflict",
    "HistoryEntry",
    "MergeRefused",
    "ReviewConflict",
    "ReviewError",
    "ReviewRefused",
    "TranslationError",
    "UnknownName",
    "add_translation",
    "approve",
    "confirm_translation",
    "create",
    "desk_version",
    "edit_translation",
    "propose_correction",
    "propose_merge",
    "resolve_actor",
    "resolve_name",
    "resolve_outlet",
    "resolve_tags",
    "resubmit",
    "return_work",
    "save_edit",
    "with_pending",
    "withdraw",
]
