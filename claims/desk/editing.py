"""
Saving desk edits: version-checked updates, creations and withdrawals, each recorded in the
history in the same transaction.

Every edit form carries the version it started from. A save is a conditional UPDATE on
(pk, version); when another editor saved first, no row matches and `EditConflict` is raised
with nothing changed.
"""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format

from claims.models import HistoryAction, HistoryEntry, Response, derived
from claims.models import history as history_log


class EditConflict(Exception):
    """Someone saved the object after this editor loaded it; `current` is the saved row."""

    def __init__(self, current: models.Model) -> None:
        super().__init__(f"{current._meta.verbose_name} was changed by someone else")
        self.current = current


def _split(model: type[models.Model], values: dict) -> tuple[dict, dict]:
    """Separate concrete field values from many-to-many ones."""
    m2m_names = {field.name for field in model._meta.many_to_many}
    plain = {name: value for name, value in values.items() if name not in m2m_names}
    m2m = {name: value for name, value in values.items() if name in m2m_names}
    return plain, m2m


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
    Save `values` onto `obj` if it is still at `version`; record the change.

    The row is locked and re-read only if its version still matches, then updated with a
    conditional UPDATE that bumps the version. On PostgreSQL a concurrent saver waiting on the
    lock re-checks the version once the first commits, finds it changed and gets a conflict.

    `history_claims` lists the claims whose history shows the change, for rows that have no
    claim of their own (reports).
    """
    model = type(obj)
    plain, m2m = _split(model, values)
    with transaction.atomic():
        locked = model._default_manager.select_for_update().filter(pk=obj.pk, version=version)
        before_obj = locked.first()
        if before_obj is None:
            raise EditConflict(model._default_manager.get(pk=obj.pk))
        before = history_log.field_values(before_obj)
        update = dict(plain)
        if any(field.name == "updated_at" for field in model._meta.concrete_fields):
            update["updated_at"] = timezone.now()
        updated = model._default_manager.filter(pk=obj.pk, version=version).update(
            **update, version=F("version") + 1
        )
        if updated != 1:
            raise EditConflict(model._default_manager.get(pk=obj.pk))
        saved = model._default_manager.get(pk=obj.pk)
        for name, related in m2m.items():
            getattr(saved, name).set(related)
        # The conditional UPDATE skips save(): refresh what lists filter on by hand.
        derived.refresh_for(saved)
        changes = history_log.diff(before, history_log.field_values(saved))
        if changes:
            # A report belongs to no one claim: file the change under each claim it carries.
            for claim in history_claims or [None]:
                history_log.record(
                    saved, by=by, action=action, changes=changes, note=note, claim=claim
                )
    return saved


def create(
    model: type[models.Model], *, by, values: dict, history_claim=None, **extra
) -> models.Model:
    """Create a row with its many-to-many values and record it with all its fields.

    `history_claim` files the entry under a claim's history when the row has no claim of its
    own (a report described while adding a carriage)."""
    plain, m2m = _split(model, values)
    with transaction.atomic():
        obj = model(**plain, **extra)
        if any(field.name == "created_by" for field in model._meta.concrete_fields):
            obj.created_by = by
        obj.save()
        for name, related in m2m.items():
            getattr(obj, name).set(related)
        record_created(obj, by=by, claim=history_claim)
        if isinstance(obj, Response):
            # Partners' "new denial" webhooks (once the gate lands: on approval instead).
            from claims.api.webhooks import notify_denial

            notify_denial(obj)
    return obj


def record_created(obj: models.Model, *, by, claim=None) -> HistoryEntry:
    return history_log.record(
        obj,
        by=by,
        action=HistoryAction.CREATED,
        changes=history_log.creation_changes(obj),
        claim=claim,
    )


def withdraw(obj: models.Model, *, by, version: int, reason: str) -> models.Model:
    """Withdraw a claim, carriage or response: it stays in the database and in the history."""
    reason = reason.strip()
    if not reason:
        raise ValueError("A withdrawal needs a reason.")
    return save_edit(
        obj,
        by=by,
        version=version,
        values={"withdrawn_at": timezone.now(), "withdrawn_reason": reason},
        action=HistoryAction.WITHDRAWN,
        note=reason,
    )


# Presenting values for conflict pages and the history page.


def display(value) -> str:
    """A value as an editor reads it: names for objects, local time for datetimes."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j M Y, H:i")
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (models.QuerySet, list, tuple, set)):
        return ", ".join(sorted(display(item) for item in value)) or "—"
    return str(value)


def current_value(obj: models.Model, name: str):
    field = obj._meta.get_field(name)
    if field.many_to_many:
        return list(getattr(obj, name).all())
    if field.choices and not field.is_relation:
        return getattr(obj, f"get_{name}_display")()
    return getattr(obj, name)


def conflict_rows(form, current: models.Model) -> list[dict]:
    """The fields where the editor's submitted values differ from the saved ones."""
    saved_fields = {field.name for field in current._meta.get_fields()}
    rows = []
    for name, yours in form.cleaned_data.items():
        if name == "version" or name not in saved_fields:
            continue  # form-only fields (a new report's title) have no saved value
        theirs = current_value(current, name)
        field = current._meta.get_field(name)
        if field.choices and not field.is_relation:
            yours = dict(field.flatchoices).get(yours, yours)
        if display(yours) != display(theirs):
            rows.append(
                {
                    "label": form[name].label,
                    "yours": display(yours),
                    "theirs": display(theirs),
                }
            )
    return rows


def describe(entry: HistoryEntry) -> list[dict]:
    """An entry's changes as rows of field label, old value and new value, with names for ids."""
    model = entry.content_type.model_class()
    rows = []
    for name, (old, new) in sorted(entry.changes.items()):
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:  # a field since removed keeps its raw name
            field = None
        label = str(field.verbose_name) if field is not None else name
        rows.append(
            {
                "field": name,
                "label": label[:1].upper() + label[1:],
                "old": _describe_value(field, old),
                "new": _describe_value(field, new),
            }
        )
    return rows


def _describe_value(field, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if field is not None and field.is_relation:
        ids: Iterable = value if isinstance(value, list) else [value]
        found = field.related_model._default_manager.in_bulk(list(ids))
        return ", ".join(str(found.get(pk, f"#{pk}")) for pk in ids)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and isinstance(field, models.DateTimeField):
        try:
            return display(datetime.fromisoformat(value))
        except (TypeError, ValueError):
            return str(value)
    return str(value)
